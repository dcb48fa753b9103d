/** One booking: when and where, the price, online prepayment, and the work order as it happens. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate, useParams, useSearchParams } from 'react-router';
import { isApiError, ownerClient } from '../../api/client';
import { booking, stores, workOrders } from '../../api/endpoints';
import type { Booking, Payment } from '../../api/types';
import { Money } from '../../ui/form';
import { dayOf, formatDay, formatTime } from '../../ui/format';
import { Section, StatusBadge, TopBar } from '../../ui/layout';
import { AsyncView, ErrorNotice, Loading, Notice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';
import { PriceLines } from './price-lines';
import {
  EstimateApproval,
  InspectionReport,
  ReviewForm,
  Timeline,
  WorkOrderProgress,
} from './work-order-view';

function paidOnline(payments: Payment[]): Payment | undefined {
  return payments.find((p) => p.status === 'succeeded' && p.kind === 'prepay');
}

export function BookingPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const { id = '' } = useParams();
  const [params] = useSearchParams();
  const navigate = useNavigate();
  const b = useAsync(() => booking.get(ownerClient, id), [id]);
  const payments = useAsync(() => booking.payments(ownerClient, { bookingId: id }), [id]);
  const store = useAsync(
    () => (b.data ? stores.get(ownerClient, b.data.storeId) : Promise.resolve(null)),
    [b.data?.storeId],
  );
  const pay = useAction(async () => {
    const r = await booking.prepay(id);
    await navigate(`/owner/pay/${r.payment.id}?booking=${id}`);
  });
  const cancel = useAction(async () => {
    b.setData(await booking.cancel(ownerClient, id));
  });

  return (
    <>
      <TopBar title={t('bookings.detail')} back="/owner/bookings" />
      <main className="page narrow">
        {params.get('new') ? <Notice kind="success">{t('bookings.created')}</Notice> : null}
        {params.get('paid') ? <Notice kind="success">{t('pay.done')}</Notice> : null}
        <AsyncView state={b}>
          {(bk: Booking) => (
            <>
              <Section
                title={store.data?.name ?? ''}
                actions={<StatusBadge status={bk.status} label={t(`bookingStatus.${bk.status}`)} />}
                testId="booking-summary"
              >
                <dl className="facts">
                  <dt>{t('book.time')}</dt>
                  <dd>
                    {formatDay(dayOf(bk.startAt), i18n.language)} {formatTime(bk.startAt)}–
                    {formatTime(bk.endAt)}
                  </dd>
                  {store.data ? (
                    <>
                      <dt>{t('stores.address')}</dt>
                      <dd>{store.data.address}</dd>
                      {store.data.phone ? (
                        <>
                          <dt>{t('stores.phone')}</dt>
                          <dd>
                            <a href={`tel:${store.data.phone}`}>{store.data.phone}</a>
                          </dd>
                        </>
                      ) : null}
                    </>
                  ) : null}
                  <dt>{t('bookings.number')}</dt>
                  <dd className="mono small">{bk.id}</dd>
                </dl>
                <PriceLines lines={bk.lines} totalFen={bk.totalFen} />
              </Section>

              <Section title={t('pay.title')} testId="payment-section">
                <AsyncView state={payments}>
                  {(list) => {
                    const paid = paidOnline(list);
                    if (paid) {
                      return (
                        <p data-testid="paid">
                          <StatusBadge status="succeeded" label={t('pay.paid')} />{' '}
                          <Money fen={paid.amountFen} />
                        </p>
                      );
                    }
                    if (bk.status !== 'confirmed' && bk.status !== 'checked_in') {
                      return <p className="muted">{t('pay.notPayable')}</p>;
                    }
                    return (
                      <>
                        <p className="muted small">{t('pay.prepayHint')}</p>
                        <ErrorNotice error={pay.error} />
                        <button
                          type="button"
                          className="btn btn-primary btn-block"
                          disabled={pay.busy}
                          onClick={() => void pay.run()}
                          data-testid="pay-now"
                        >
                          {pay.busy ? t('common.working') : t('pay.payNow')} <Money fen={bk.totalFen} />
                        </button>
                      </>
                    );
                  }}
                </AsyncView>
              </Section>

              {bk.workOrderId ? <OwnerWorkOrder id={bk.workOrderId} /> : null}

              {bk.status === 'held' || bk.status === 'confirmed' ? (
                <>
                  <ErrorNotice error={cancel.error} />
                  <button
                    type="button"
                    className="btn btn-ghost btn-block"
                    disabled={cancel.busy}
                    onClick={() => {
                      if (window.confirm(t('bookings.confirmCancel'))) void cancel.run();
                    }}
                  >
                    {t('bookings.cancel')}
                  </button>
                </>
              ) : null}
              {bk.history && bk.history.length > 0 ? (
                <Section title={t('bookings.history')}>
                  <Timeline
                    nodes={bk.history.map((h) => ({
                      at: h.at,
                      event: `booking_${h.to}`,
                      from: null,
                      to: null,
                      actorRole: h.actorRole,
                    }))}
                  />
                </Section>
              ) : null}
              <Link className="btn btn-ghost btn-block" to={`/owner/vehicles/${bk.vehicleId}/service-book`}>
                {t('vehicles.serviceBook')}
              </Link>
            </>
          )}
        </AsyncView>
      </main>
    </>
  );
}

export function OwnerWorkOrder({ id }: { id: string }): ReactNode {
  const { t } = useTranslation();
  const wo = useAsync(() => workOrders.ownerGet(id), [id]);
  const timeline = useAsync(() => workOrders.timeline(id, ownerClient), [id, wo.data?.status]);
  if (wo.error && isApiError(wo.error) && wo.error.status === 404) return null;
  return (
    <Section title={t('wo.title')} testId="owner-work-order">
      <AsyncView state={wo}>
        {(w) => (
          <>
            <WorkOrderProgress status={w.status} />
            <p className="muted small">
              {t('wo.number')} {w.number}
              {w.technicianName ? ` · ${t('wo.technician')} ${w.technicianName}` : ''}
            </p>
            <p className="small" data-testid="wo-amounts">
              {t('estimate.total')} <Money fen={w.totalFen} /> · {t('handover.paid')}{' '}
              <Money fen={w.paidFen} />
              {w.dueFen > 0 ? (
                <>
                  {' '}
                  · {t('handover.due')} <Money fen={w.dueFen} className="money-total" />
                </>
              ) : null}
            </p>
            {w.status === 'awaiting_approval' ? (
              <>
                <h3>{t('estimate.approveTitle')}</h3>
                <EstimateApproval
                  lines={w.estimate}
                  onSubmit={async (decisions) => {
                    wo.setData(await workOrders.ownerDecide(w.id, decisions));
                  }}
                />
              </>
            ) : null}
            {w.inspection.some((i) => i.result !== null) ? (
              <>
                <h3>{t('inspection.title')}</h3>
                <InspectionReport items={w.inspection} workOrderId={w.id} api={ownerClient} />
              </>
            ) : null}
            {w.status === 'ready' && w.dueFen > 0 ? (
              <Notice kind="info">
                {t('wo.readyDue')} <Money fen={w.dueFen} />
              </Notice>
            ) : null}
            {w.status === 'handed_over' ? (
              <>
                <h3>{t('review.title')}</h3>
                <ReviewForm
                  onSubmit={async (stars, text, tags) => {
                    wo.setData(await workOrders.review(w.id, { stars, tags, ...(text ? { text } : {}) }));
                  }}
                />
              </>
            ) : null}
            {w.status === 'reviewed' ? <Notice kind="success">{t('review.thanks')}</Notice> : null}
            <h3>{t('wo.timeline')}</h3>
            {timeline.data ? (
              <Timeline nodes={timeline.data} />
            ) : timeline.error ? (
              <ErrorNotice error={timeline.error} />
            ) : (
              <Loading />
            )}
          </>
        )}
      </AsyncView>
    </Section>
  );
}
