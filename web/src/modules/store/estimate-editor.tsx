/**
 * The estimate: the booked work plus what the inspection recommends. A line is a catalog item
 * (priced by the store's price book) or a custom labour/part line typed by the service advisor;
 * every custom line is validated (description, quantity > 0, a price in yuan) before it is sent.
 */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { EstimateAddition, EstimateLine, ServiceItem } from '../../api/types';
import { Money, SelectField, TextField } from '../../ui/form';
import { formatQty, parseYuanToFen } from '../../ui/format';
import { ErrorNotice } from '../../ui/states';
import { useAction } from '../../ui/use-async';
import {
  estimateLineProblems,
  lineAmountFen,
  parseQtyMilli,
  type EstimateLineDraft,
  type EstimateLineProblems,
  type Problem,
} from '../validation/validators';

const EMPTY: EstimateLineDraft = { kind: 'part', description: '', qty: '1', unitPrice: '' };

export function CustomLineForm({ onAdd }: { onAdd: (a: EstimateAddition) => Promise<unknown> }): ReactNode {
  const { t } = useTranslation();
  const [draft, setDraft] = useState<EstimateLineDraft>(EMPTY);
  const [problems, setProblems] = useState<EstimateLineProblems>({});
  const action = useAction(onAdd);
  const amount = lineAmountFen(draft);
  const set = (patch: Partial<EstimateLineDraft>): void => setDraft((d) => ({ ...d, ...patch }));

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = estimateLineProblems(draft);
    setProblems(p);
    if (Object.keys(p).length > 0) return;
    const ok = await action.run({
      custom: {
        kind: draft.kind,
        description: draft.description.trim(),
        qtyMilli: parseQtyMilli(draft.qty)!,
        unitPriceFen: parseYuanToFen(draft.unitPrice)!,
      },
    });
    if (ok.ok) {
      setDraft(EMPTY);
      setProblems({});
    }
  };

  return (
    <form
      className="edit-line"
      onSubmit={submit}
      noValidate
      aria-label={t('estimate.addCustom')}
      data-testid="custom-line-form"
    >
      <TextField
        label={t('estimate.description')}
        name="description"
        value={draft.description}
        problem={problems.description}
        onChange={(e) => set({ description: e.target.value })}
      />
      <SelectField
        label={t('estimate.kind')}
        name="kind"
        value={draft.kind}
        onChange={(e) => set({ kind: e.target.value as 'labour' | 'part' })}
      >
        <option value="part">{t('price.kind.part')}</option>
        <option value="labour">{t('price.kind.labour')}</option>
      </SelectField>
      <TextField
        label={draft.kind === 'labour' ? t('estimate.hours') : t('estimate.qty')}
        name="qty"
        inputMode="decimal"
        value={draft.qty}
        problem={problems.qty}
        onChange={(e) => set({ qty: e.target.value })}
      />
      <TextField
        label={draft.kind === 'labour' ? t('estimate.ratePerHour') : t('estimate.unitPrice')}
        name="unitPrice"
        inputMode="decimal"
        placeholder="0.00"
        value={draft.unitPrice}
        problem={problems.unitPrice}
        onChange={(e) => set({ unitPrice: e.target.value })}
      />
      <div className="line-foot">
        <span className="muted small">
          {t('estimate.lineAmount')} {amount !== null ? <Money fen={amount} /> : '—'}
        </span>
        <button type="submit" className="btn btn-small btn-secondary" disabled={action.busy}>
          {t('estimate.addLine')}
        </button>
      </div>
      <div style={{ gridColumn: '1 / -1' }}>
        <ErrorNotice error={action.error} />
      </div>
    </form>
  );
}

export function EstimateEditor({
  lines,
  items,
  suggested,
  canAdd,
  canRemove,
  onAdd,
  onRemove,
}: {
  lines: EstimateLine[];
  items: ServiceItem[];
  /** Item codes the inspection recommends (yellow/red points). */
  suggested: string[];
  canAdd: boolean;
  canRemove: boolean;
  onAdd: (a: EstimateAddition) => Promise<unknown>;
  onRemove: (lineId: string) => Promise<unknown>;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const [code, setCode] = useState('');
  const [codeProblem, setCodeProblem] = useState<Problem | null>(null);
  const add = useAction(onAdd);
  const remove = useAction(onRemove);
  const total = lines.filter((l) => l.approval !== 'declined').reduce((s, l) => s + l.amountFen, 0);
  const ordered = useMemo(() => {
    const act = items.filter((i) => i.active);
    return [
      ...act.filter((i) => suggested.includes(i.code)),
      ...act.filter((i) => !suggested.includes(i.code)),
    ];
  }, [items, suggested]);

  return (
    <div className="estimate-editor" data-testid="estimate-editor">
      {lines.length === 0 ? <p className="muted">{t('estimate.empty')}</p> : null}
      <ul className="lines">
        {lines.map((l) => (
          <li key={l.id} className={`edit-row line-${l.approval}`} data-testid="estimate-line">
            <div className="grow">
              {l.recommended ? (
                <span className="tag tag-recommended">{t('estimate.recommended')}</span>
              ) : null}{' '}
              <span className={`tag tag-${l.kind}`}>{t(`price.kind.${l.kind}`)}</span> {l.description}
              <div className="muted small">
                {formatQty(l.qtyMilli)} × <Money fen={l.unitPriceFen} />
              </div>
            </div>
            <Money fen={l.amountFen} />
            <span className={`badge badge-${l.approval}`}>{t(`estimate.${l.approval}`)}</span>
            {canRemove && l.approval === 'pending' ? (
              <button
                type="button"
                className="btn btn-ghost btn-small"
                disabled={remove.busy}
                onClick={() => void remove.run(l.id)}
                aria-label={t('common.remove')}
              >
                ✕
              </button>
            ) : null}
          </li>
        ))}
      </ul>
      <div className="total-row">
        <span>{t('estimate.total')}</span>
        <Money fen={total} className="money-total" />
      </div>
      <ErrorNotice error={remove.error} />
      {canAdd ? (
        <>
          <form
            className="toolbar"
            noValidate
            onSubmit={(e) => {
              e.preventDefault();
              if (!code) {
                setCodeProblem({ key: 'validation.choose' });
                return;
              }
              setCodeProblem(null);
              void add.run({ itemCode: code }).then((r) => r.ok && setCode(''));
            }}
          >
            <SelectField
              label={t('estimate.addItem')}
              name="itemCode"
              value={code}
              onChange={(e) => setCode(e.target.value)}
              problem={codeProblem}
            >
              <option value="">{t('estimate.chooseItem')}</option>
              {ordered.map((i) => (
                <option key={i.code} value={i.code}>
                  {suggested.includes(i.code) ? `★ ${t('estimate.recommended')} · ` : ''}
                  {en ? i.nameEn : i.nameZh}
                </option>
              ))}
            </SelectField>
            <button type="submit" className="btn btn-secondary" disabled={add.busy} data-testid="add-item">
              {t('estimate.addLine')}
            </button>
          </form>
          <ErrorNotice error={add.error} />
          <details>
            <summary>{t('estimate.addCustom')}</summary>
            <CustomLineForm onAdd={onAdd} />
          </details>
        </>
      ) : null}
    </div>
  );
}
