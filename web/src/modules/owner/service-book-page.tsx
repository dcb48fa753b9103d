/**
 * The vehicle's service book: every finished work order with date, store, odometer, items, parts;
 * then the services the owner recorded as done elsewhere, with a form to add one (predictive
 * maintenance counts from them).
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { vehicles } from '../../api/endpoints';
import { Money } from '../../ui/form';
import { dayOf, formatDay, formatQty } from '../../ui/format';
import { TopBar } from '../../ui/layout';
import { AsyncView } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { ServiceRecordForm } from './service-record-form';
import { VehicleCard } from './vehicles-page';

export function ServiceBookPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const { id = '' } = useParams();
  const car = useAsync(() => vehicles.list().then((l) => l.find((v) => v.id === id) ?? null), [id]);
  const book = useAsync(() => vehicles.serviceBook(id), [id]);
  const records = useAsync(() => vehicles.serviceRecords(id), [id]);
  return (
    <>
      <TopBar title={t('vehicles.serviceBook')} back="/owner/vehicles" />
      <main className="page narrow">
        {car.data ? <VehicleCard v={car.data} /> : null}
        <AsyncView state={book} isEmpty={(d) => d.entries.length === 0} empty={t('serviceBook.empty')}>
          {(b) => (
            <ol className="timeline" data-testid="service-book">
              {b.entries.map((e) => (
                <li key={e.workOrderId}>
                  <time dateTime={e.at}>{formatDay(dayOf(e.at), i18n.language)}</time>
                  <strong>{e.storeName}</strong>
                  <div className="small">{e.items.map((c) => (en ? c.nameEn : c.nameZh)).join(' · ')}</div>
                  {e.parts.length > 0 ? (
                    <div className="muted small">
                      {t('serviceBook.parts')}:{' '}
                      {e.parts.map((p) => `${p.description} × ${formatQty(p.qtyMilli)}`).join('; ')}
                    </div>
                  ) : null}
                  {e.parts.some((p) => p.traced?.length) ? (
                    <div className="muted small" data-testid="service-book-traced">
                      {t('serviceBook.traced')}:{' '}
                      {e.parts
                        .flatMap((p) => p.traced ?? [])
                        .map((u) => `${u.brand} ${u.sku} · ${u.code}`)
                        .join('; ')}
                    </div>
                  ) : null}
                  <div className="muted small">
                    {e.odometerKm !== null ? `${t('serviceBook.odometer', { km: e.odometerKm })} · ` : ''}
                    <Money fen={e.totalFen} />
                    {e.warrantyUntil
                      ? ` · ${t('serviceBook.warrantyUntil', { day: dayOf(e.warrantyUntil) })}`
                      : ''}
                  </div>
                </li>
              ))}
            </ol>
          )}
        </AsyncView>
        <h3 className="section-title">{t('serviceRecords.title')}</h3>
        <p className="muted small">{t('serviceRecords.why')}</p>
        <AsyncView
          state={records}
          isEmpty={(d) => !d.some((r) => r.source === 'owner')}
          empty={t('serviceRecords.empty')}
        >
          {(list) => (
            <ul className="timeline" data-testid="service-records">
              {list
                .filter((r) => r.source === 'owner')
                .map((r) => (
                  <li key={r.id}>
                    <time dateTime={r.day}>{formatDay(r.day, i18n.language)}</time>
                    <strong>{t(`serviceRecords.components.${r.component}`)}</strong>
                    {r.odometerKm !== undefined ? (
                      <div className="muted small">{t('serviceBook.odometer', { km: r.odometerKm })}</div>
                    ) : null}
                  </li>
                ))}
            </ul>
          )}
        </AsyncView>
        <ServiceRecordForm
          onSubmit={async (input) => {
            await vehicles.addServiceRecord(id, input);
            records.reload();
          }}
        />
      </main>
    </>
  );
}
