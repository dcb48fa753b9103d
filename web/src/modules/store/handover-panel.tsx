/** Ready for the customer: take the payment that is still due, then hand the car over. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { PAY_METHODS, workOrders, type PayMethod } from '../../api/endpoints';
import type { WorkOrder } from '../../api/types';
import { Money, SelectField, TextField } from '../../ui/form';
import { formatFen, parseYuanToFen } from '../../ui/format';
import { ErrorNotice } from '../../ui/states';
import { useAction } from '../../ui/use-async';
import type { Problem } from '../validation/validators';

export function PaymentForm({
  dueFen,
  onPay,
}: {
  dueFen: number;
  onPay: (method: PayMethod, amountFen: number) => Promise<unknown>;
}): ReactNode {
  const { t } = useTranslation();
  const [method, setMethod] = useState<PayMethod>('wechat');
  const [amount, setAmount] = useState(formatFen(dueFen).replace(/[¥,]/g, ''));
  const [problem, setProblem] = useState<Problem | null>(null);
  const action = useAction(onPay);
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const fen = parseYuanToFen(amount);
    if (fen === null || fen <= 0) {
      setProblem({ key: 'validation.money' });
      return;
    }
    if (fen > dueFen) {
      setProblem({ key: 'validation.moreThanDue', values: { due: formatFen(dueFen) } });
      return;
    }
    setProblem(null);
    await action.run(method, fen);
  };
  return (
    <form className="toolbar" onSubmit={submit} noValidate aria-label={t('handover.takePayment')}>
      <SelectField
        label={t('handover.method')}
        name="method"
        value={method}
        onChange={(e) => setMethod(e.target.value as PayMethod)}
      >
        {PAY_METHODS.map((m) => (
          <option key={m} value={m}>
            {t(`payMethod.${m}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t('handover.amount')}
        name="amount"
        inputMode="decimal"
        value={amount}
        problem={problem}
        onChange={(e) => setAmount(e.target.value)}
      />
      <button type="submit" className="btn btn-primary" disabled={action.busy} data-testid="take-payment">
        {action.busy ? t('common.working') : t('handover.takePayment')}
      </button>
      <ErrorNotice error={action.error} />
    </form>
  );
}

export function HandoverPanel({
  wo,
  onChanged,
}: {
  wo: WorkOrder;
  onChanged: (w: WorkOrder) => void;
}): ReactNode {
  const { t } = useTranslation();
  const handOver = useAction(async () => onChanged(await workOrders.handOver(wo.id)));
  return (
    <div className="stack" data-testid="handover-panel">
      <dl className="facts">
        <dt>{t('estimate.total')}</dt>
        <dd>
          <Money fen={wo.totalFen} />
        </dd>
        <dt>{t('handover.paid')}</dt>
        <dd>
          <Money fen={wo.paidFen} />
        </dd>
        <dt>{t('handover.due')}</dt>
        <dd>
          <Money fen={wo.dueFen} className="money-total" />
        </dd>
      </dl>
      {wo.dueFen > 0 ? (
        <PaymentForm
          key={wo.dueFen}
          dueFen={wo.dueFen}
          onPay={async (method, amountFen) => {
            await workOrders.pay(wo.id, method, amountFen);
            onChanged(await workOrders.get(wo.id));
          }}
        />
      ) : null}
      <ErrorNotice error={handOver.error} />
      <button
        type="button"
        className="btn btn-primary btn-large"
        disabled={handOver.busy || wo.dueFen > 0}
        onClick={() => void handOver.run()}
        data-testid="hand-over"
      >
        {t('handover.handOver')}
      </button>
    </div>
  );
}
