/** The sandbox cashier: what a payment provider's page would be (this build has no real provider). */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams, useSearchParams } from 'react-router';
import { ownerClient } from '../../api/client';
import { booking } from '../../api/endpoints';
import { Money } from '../../ui/form';
import { TopBar } from '../../ui/layout';
import { AsyncView, ErrorNotice, Notice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function PayPage(): ReactNode {
  const { t } = useTranslation();
  const { paymentId = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const bookingId = params.get('booking');
  const payment = useAsync(() => booking.payment(ownerClient, paymentId), [paymentId]);
  const [failed, setFailed] = useState(false);
  const pay = useAction(async (outcome: 'succeeded' | 'failed') => {
    let p = await booking.sandboxPay(paymentId, outcome);
    // the provider's signed callback settles the payment; wait for it briefly
    for (let i = 0; i < 20 && p.status === 'pending'; i++) {
      await sleep(300);
      p = await booking.payment(ownerClient, paymentId);
    }
    payment.setData(p);
    if (p.status === 'succeeded') {
      await navigate(bookingId ? `/owner/bookings/${bookingId}?paid=1` : '/owner/bookings');
    } else setFailed(true);
  });
  return (
    <>
      <TopBar
        title={t('pay.cashier')}
        back={bookingId ? `/owner/bookings/${bookingId}` : '/owner/bookings'}
      />
      <main className="page narrow">
        <Notice kind="info">{t('pay.sandboxNote')}</Notice>
        <AsyncView state={payment}>
          {(p) => (
            <div className="card cashier">
              <p className="muted">{t('pay.amount')}</p>
              <Money fen={p.amountFen} className="money-huge" />
              <p className="muted small">{t(`pay.status.${p.status}`, { defaultValue: p.status })}</p>
              {failed ? <Notice kind="warn">{t('pay.failed')}</Notice> : null}
              <ErrorNotice error={pay.error} />
              {p.status === 'pending' || p.status === 'failed' ? (
                <>
                  <button
                    type="button"
                    className="btn btn-primary btn-block btn-large"
                    disabled={pay.busy}
                    onClick={() => void pay.run('succeeded')}
                    data-testid="sandbox-pay"
                  >
                    {pay.busy ? t('common.working') : t('pay.confirm')}
                  </button>
                  <button
                    type="button"
                    className="btn btn-ghost btn-block"
                    disabled={pay.busy}
                    onClick={() => void pay.run('failed')}
                  >
                    {t('pay.simulateFailure')}
                  </button>
                </>
              ) : null}
            </div>
          )}
        </AsyncView>
      </main>
    </>
  );
}
