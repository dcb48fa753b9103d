/**
 * A vehicle's health for its owner: components green / yellow / red from the predictive-maintenance
 * alerts, each alert explained in plain language with its proposal (store, time, price, reasons,
 * one-tap accept), snooze and dismiss; the latest telemetry from the dongle; binding a dongle by
 * serial and the consents per purpose with when and which version was granted.
 */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { maintenance, stores, telematics, vehicles } from '../../api/endpoints';
import { ownerClient, type ApiClient } from '../../api/client';
import type { Consents, DeviceBinding, MaintenanceAlert, VehicleHealth } from '../../api/types';
import { Money, TextField } from '../../ui/form';
import { formatDateTime, formatDay } from '../../ui/format';
import { Section, TopBar } from '../../ui/layout';
import { AsyncView, ErrorNotice, Notice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';
import {
  componentRows,
  hasTractionBattery,
  localText,
  overallLight,
  proposalState,
  TYRES,
  type ComponentRow,
} from './health';
import { VehicleCard } from './vehicles-page';

const SNOOZE_DAYS = 7;

function Light({ light }: { light: string }): ReactNode {
  return <span className={`light light-${light}`} aria-hidden="true" />;
}

function useComponentName(): (row: { component: string; alert: MaintenanceAlert | null }) => string {
  const { t, i18n } = useTranslation();
  return (r) =>
    r.alert
      ? localText({ zh: r.alert.componentZh, en: r.alert.componentEn }, i18n.language)
      : t(`health.component.${r.component}`, { defaultValue: r.component });
}

function ComponentList({ rows }: { rows: ComponentRow[] }): ReactNode {
  const { t } = useTranslation();
  const name = useComponentName();
  return (
    <div className="list" data-testid="health-components">
      {rows.map((r) => (
        <div
          key={r.component}
          className="list-row"
          data-testid="component-row"
          data-component={r.component}
          data-light={r.light}
        >
          <Light light={r.light} />
          <span className="grow">{name(r)}</span>
          <span className="muted small">
            {r.alert ? t(`health.severity.${r.alert.severity}`) : t('health.ok')}
            {r.alert && (r.alert.status === 'booked' || r.alert.status === 'snoozed')
              ? ` · ${t(`health.status.${r.alert.status}`)}`
              : ''}
          </span>
        </div>
      ))}
    </div>
  );
}

function StoreName({ id }: { id: string }): ReactNode {
  const s = useAsync(() => stores.get(ownerClient, id), [id]);
  return <>{s.data?.name ?? '…'}</>;
}

function AlertCard({ alert, onChanged }: { alert: MaintenanceAlert; onChanged: () => void }): ReactNode {
  const { t, i18n } = useTranslation();
  const lang = i18n.language;
  const name = useComponentName();
  const [bookedId, setBookedId] = useState<string | null>(null);
  const accept = useAction(async (id: string) => {
    const r = await maintenance.accept(id);
    setBookedId(r.bookingId);
    onChanged();
  });
  const act = useAction(async (kind: 'snooze' | 'dismiss') => {
    if (kind === 'snooze') await maintenance.snooze(alert.id, SNOOZE_DAYS);
    else await maintenance.dismiss(alert.id);
    onChanged();
  });
  const p = alert.proposal;
  const state = p ? (bookedId ? 'booked' : proposalState(alert, p)) : null;
  const light = alert.severity === 'urgent' ? 'red' : 'yellow';
  return (
    <Section
      className="alert-card"
      testId="alert-card"
      title={
        <>
          <Light light={light} /> {name({ component: alert.component, alert })} ·{' '}
          {t(`health.severity.${alert.severity}`)}
        </>
      }
    >
      <p className="small">
        {alert.dueDay ? t('health.dueDay', { day: formatDay(alert.dueDay, lang) }) : null}
        {alert.dueInKm !== null ? ` ${t('health.dueKm', { km: Math.round(alert.dueInKm) })}` : null}
        {alert.status === 'snoozed' && alert.snoozedUntil
          ? ` ${t('health.snoozedUntil', { at: formatDateTime(alert.snoozedUntil, lang) })}`
          : null}
      </p>
      <ul className="evidence" data-testid="alert-evidence">
        {alert.evidence.map((e) => (
          <li key={e.code}>{localText(e, lang)}</li>
        ))}
      </ul>
      {p && state !== 'closed' ? (
        <div className="quote-card proposal-card" data-testid="proposal-card">
          <h3>{t('health.proposal')}</h3>
          <dl className="facts">
            <dt>{t('health.store')}</dt>
            <dd>
              <StoreName id={p.storeId} />
            </dd>
            <dt>{t('health.time')}</dt>
            <dd>{formatDateTime(p.startAt, lang)}</dd>
            <dt>{t('health.items')}</dt>
            <dd>{p.items.map((c) => t(`services.${c}`, { defaultValue: c })).join(' · ')}</dd>
            <dt>{t('health.price')}</dt>
            <dd>
              <Money fen={p.totalFen} />
            </dd>
          </dl>
          {p.reasons.length > 0 ? (
            <ul className="reasons">
              {p.reasons.map((r) => (
                <li key={r.code} className="tag tag-recommended">
                  {localText(r, lang)}
                </li>
              ))}
            </ul>
          ) : null}
          {state === 'booked' ? (
            <Notice kind="success">
              <span data-testid="proposal-booked">{t('health.booked')}</span>{' '}
              <Link to={`/owner/bookings/${bookedId ?? p.bookingId}`}>{t('health.viewBooking')}</Link>
            </Notice>
          ) : (
            <>
              <p className="muted small">
                {t('health.heldUntil', { at: formatDateTime(p.expiresAt, lang) })}
              </p>
              <button
                type="button"
                className="btn btn-primary btn-block"
                data-testid="accept-proposal"
                disabled={accept.busy}
                onClick={() => void accept.run(p.id)}
              >
                {t('health.accept')}
              </button>
            </>
          )}
          <ErrorNotice error={accept.error} />
        </div>
      ) : null}
      {state !== 'booked' && alert.status !== 'booked' ? (
        <div className="row-actions">
          {alert.status !== 'snoozed' ? (
            <button
              type="button"
              className="btn btn-small"
              data-testid="snooze-alert"
              disabled={act.busy}
              onClick={() => void act.run('snooze')}
            >
              {t('health.snooze', { days: SNOOZE_DAYS })}
            </button>
          ) : null}
          <button
            type="button"
            className="btn btn-small btn-ghost"
            data-testid="dismiss-alert"
            disabled={act.busy}
            onClick={() => void act.run('dismiss')}
          >
            {t('health.dismiss')}
          </button>
        </div>
      ) : null}
      <ErrorNotice error={act.error} />
    </Section>
  );
}

const num = (v: number | null | undefined, digits = 0): string =>
  v === null || v === undefined ? '—' : v.toFixed(digits);

function Telemetry({
  h,
  powertrain,
  emptyText,
}: {
  h: VehicleHealth;
  powertrain: string;
  emptyText?: string;
}): ReactNode {
  const { t, i18n } = useTranslation();
  if (!h.asOf) return <p className="muted">{emptyText ?? t('health.noData')}</p>;
  return (
    <div data-testid="telemetry">
      <p className="muted small">{t('health.asOf', { at: formatDateTime(h.asOf, i18n.language) })}</p>
      <dl className="facts">
        <dt>{t('health.odometer')}</dt>
        <dd>{h.odometerKm !== null ? `${num(h.odometerKm)} km` : '—'}</dd>
        <dt>{t('health.battery12v')}</dt>
        <dd>{h.battery12vV !== null ? `${num(h.battery12vV, 1)} V` : '—'}</dd>
        {hasTractionBattery(powertrain) ? (
          <>
            <dt>{t('health.tractionSoc')}</dt>
            <dd>
              {h.traction.socPct !== null ? `${num(h.traction.socPct)} %` : '—'}
              {h.traction.charging ? ` · ${t('health.charging')}` : ''}
            </dd>
          </>
        ) : null}
        <dt>{t('health.tyres')}</dt>
        <dd>
          {h.tyresKpa
            ? TYRES.map((k) => `${t(`health.tyre.${k}`)} ${num(h.tyresKpa?.[k])}`).join(' · ') + ' kPa'
            : '—'}
        </dd>
        <dt>{t('health.mil')}</dt>
        <dd>{h.mil === null ? '—' : h.mil ? t('health.milOn') : t('health.milOff')}</dd>
      </dl>
      <h3 className="section-title">{t('health.dtcs')}</h3>
      {h.activeDtcs.length === 0 ? (
        <p className="muted small">{t('health.noDtcs')}</p>
      ) : (
        <ul className="dtcs" data-testid="dtcs">
          {h.activeDtcs.map((d) => (
            <li key={d.code}>
              <Light light={d.severity === 'critical' || d.severity === 'high' ? 'red' : 'yellow'} />{' '}
              <span className="mono">{d.code}</span> {d.description ?? t('health.dtcUnknown')}
            </li>
          ))}
        </ul>
      )}
      {h.dtcAttribution ? <p className="muted small">{h.dtcAttribution}</p> : null}
    </div>
  );
}

/**
 * The latest telemetry of a vehicle for store staff (work order view): nothing when the role may not
 * read telemetry or the store does not serve the owner.
 */
export function VehicleTelemetryCard({
  vehicleId,
  powertrain,
  api,
}: {
  vehicleId: string;
  powertrain: string;
  api: ApiClient;
}): ReactNode {
  const { t } = useTranslation();
  const health = useAsync(() => telematics.health(vehicleId, api), [vehicleId, api]);
  if (health.error || !health.data) return null;
  return (
    <Section title={t('health.telemetry')} testId="vehicle-telemetry">
      <Telemetry h={health.data} powertrain={powertrain} emptyText={t('health.noDataStore')} />
    </Section>
  );
}

function Dongle({ vehicleId, connected }: { vehicleId: string; connected: boolean }): ReactNode {
  const { t, i18n } = useTranslation();
  const [serial, setSerial] = useState('');
  const [binding, setBinding] = useState<DeviceBinding | null>(null);
  const [unbound, setUnbound] = useState(false);
  const bind = useAction(async (s: string) => {
    setBinding(await telematics.bind(vehicleId, s));
    setUnbound(false);
  });
  const unbind = useAction(async () => {
    await telematics.unbind(vehicleId);
    setBinding(null);
    setUnbound(true);
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (serial.trim().length >= 4) void bind.run(serial.trim());
  };
  const bound = binding !== null || (connected && !unbound);
  return (
    <Section title={t('health.dongle')} testId="dongle">
      {binding ? (
        <Notice kind="success">
          <span data-testid="dongle-bound">
            {t('health.boundAt', { at: formatDateTime(binding.boundAt, i18n.language) })}
          </span>
        </Notice>
      ) : null}
      {unbound ? <Notice>{t('health.unbound')}</Notice> : null}
      <form className="form" onSubmit={submit}>
        <TextField
          label={t('health.serial')}
          value={serial}
          onChange={(e) => setSerial(e.target.value)}
          hint={t('health.serialHint')}
          autoComplete="off"
          maxLength={40}
        />
        <div className="row-actions">
          <button
            type="submit"
            className="btn btn-primary btn-small"
            data-testid="bind-dongle"
            disabled={bind.busy || serial.trim().length < 4}
          >
            {t('health.bind')}
          </button>
          {bound ? (
            <button
              type="button"
              className="btn btn-small btn-ghost"
              data-testid="unbind-dongle"
              disabled={unbind.busy}
              onClick={() => {
                if (window.confirm(t('health.confirmUnbind'))) void unbind.run();
              }}
            >
              {t('health.unbind')}
            </button>
          ) : null}
        </div>
      </form>
      <ErrorNotice error={bind.error ?? unbind.error} />
    </Section>
  );
}

function ConsentList({ vehicleId }: { vehicleId: string }): ReactNode {
  const { t, i18n } = useTranslation();
  const state = useAsync(() => telematics.consents(vehicleId), [vehicleId]);
  const toggle = useAction(
    async (c: Consents, purpose: Consents['items'][number]['purpose'], on: boolean) => {
      state.setData(await telematics.setConsent(vehicleId, purpose, on, c.currentVersion));
    },
  );
  return (
    <Section title={t('health.consents')} testId="consents">
      <p className="muted small">{t('health.consentsHint')}</p>
      <AsyncView state={state}>
        {(c) => (
          <div className="list">
            {c.items.map((i) => (
              <label key={i.purpose} className="list-row consent-row" data-testid={`consent-${i.purpose}`}>
                <span className="grow">
                  <strong>{t(`health.purpose.${i.purpose}`)}</strong>
                  <span className="muted small block">{t(`health.purposeHint.${i.purpose}`)}</span>
                  <span className="muted small block" data-testid="consent-when">
                    {i.at && i.version
                      ? t(i.granted ? 'health.grantedAt' : 'health.revokedAt', {
                          at: formatDateTime(i.at, i18n.language),
                          version: i.version,
                        })
                      : t('health.neverAsked')}
                  </span>
                </span>
                <input
                  type="checkbox"
                  role="switch"
                  aria-checked={i.granted}
                  checked={i.granted}
                  disabled={toggle.busy}
                  onChange={(e) => void toggle.run(c, i.purpose, e.target.checked)}
                />
              </label>
            ))}
          </div>
        )}
      </AsyncView>
      <ErrorNotice error={toggle.error} />
    </Section>
  );
}

export function VehicleHealthPage(): ReactNode {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const car = useAsync(() => vehicles.list().then((l) => l.find((v) => v.id === id) ?? null), [id]);
  const health = useAsync(() => telematics.health(id), [id]);
  const alerts = useAsync(() => maintenance.alerts(), []);
  const powertrain = car.data?.powertrain ?? 'ICE';
  return (
    <>
      <TopBar title={t('health.title')} back="/owner/vehicles" />
      <main className="page narrow" data-testid="vehicle-health">
        {car.data ? <VehicleCard v={car.data} /> : null}
        <AsyncView state={alerts}>
          {(list) => {
            const rows = componentRows(powertrain, list, id);
            const overall = overallLight(rows);
            const active = rows.flatMap((r) => (r.alert ? [r.alert] : []));
            return (
              <>
                <Section title={t('health.components')}>
                  <p data-testid="health-overall" data-light={overall}>
                    <Light light={overall} />{' '}
                    {overall === 'green' ? t('health.allGood') : t('health.needsCare', { n: active.length })}
                  </p>
                  <ComponentList rows={rows} />
                </Section>
                {active.map((a) => (
                  <AlertCard key={a.id} alert={a} onChanged={alerts.reload} />
                ))}
              </>
            );
          }}
        </AsyncView>
        <Section title={t('health.telemetry')}>
          <AsyncView state={health}>{(h) => <Telemetry h={h} powertrain={powertrain} />}</AsyncView>
        </Section>
        <Dongle vehicleId={id} connected={Boolean(health.data?.asOf)} />
        <ConsentList vehicleId={id} />
      </main>
    </>
  );
}
