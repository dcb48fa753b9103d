/**
 * Operator screens for telematics and predictive maintenance: the live OBD dongle list (refreshed
 * every 30 s; a device can be disabled or enabled there, with a reason for the audit log) and the
 * open alerts by city and component (ECharts bars + table).
 */
import { Fragment, useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { maintenance, telematics } from '../../api/endpoints';
import type { TelematicsDevice } from '../../api/types';
import { Chart } from '../../ui/chart';
import { errorMessage } from '../../ui/errors';
import { TextField } from '../../ui/form';
import { formatDateTime } from '../../ui/format';
import { Section, StatusBadge } from '../../ui/layout';
import { AsyncView, Empty, Notice } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import type { Problem } from '../validation/validators';
import {
  alertsByCityOption,
  alertsByComponentOption,
  cityTable,
  componentColumns,
  SEVERITIES,
  type AlertLabels,
} from './alerts-options';

const REFRESH_MS = 30_000;
const MAX_PAGES = 10;

async function allDevices(): Promise<TelematicsDevice[]> {
  const out: TelematicsDevice[] = [];
  let cursor: string | null = null;
  for (let i = 0; i < MAX_PAGES; i++) {
    const page = await telematics.devices(cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
    if (!cursor) break;
  }
  return out;
}

/** Smallest reason the API takes for a disable or an enable. */
const REASON_MIN = 3;

export function DevicesPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const list = useAsync(() => allDevices(), []);
  const { reload } = list;
  const [editing, setEditing] = useState<string | null>(null);
  const [done, setDone] = useState<string | null>(null);
  useEffect(() => {
    const timer = setInterval(reload, REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload]);
  return (
    <main className="page wide" data-testid="devices-page">
      <Section
        title={t('telematics.devices')}
        actions={
          <button type="button" className="btn btn-small btn-ghost" onClick={reload}>
            {t('common.refresh')}
          </button>
        }
      >
        {done ? (
          <div data-testid="device-state-done">
            <Notice kind="success">{done}</Notice>
          </div>
        ) : null}
        <AsyncView state={list} isEmpty={(d) => d.length === 0} empty={t('telematics.noDevices')}>
          {(items) => (
            <>
              <p className="muted small" data-testid="devices-summary">
                {t('telematics.summary', {
                  total: items.length,
                  online: items.filter((d) => d.online).length,
                  bound: items.filter((d) => d.bound).length,
                })}
              </p>
              <div className="table-wrap">
                <table className="data" data-testid="devices-table">
                  <thead>
                    <tr>
                      <th>{t('telematics.serial')}</th>
                      <th>{t('telematics.model')}</th>
                      <th>IMEI</th>
                      <th>{t('telematics.vehicle')}</th>
                      <th>{t('telematics.lastSeen')}</th>
                      <th>{t('telematics.state')}</th>
                      <th>{t('telematics.actions')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((d) => (
                      <Fragment key={d.id}>
                        <tr
                          data-online={d.online}
                          data-serial={d.serial}
                          data-disabled={d.disabledAt !== null}
                        >
                          <td className="mono">{d.serial}</td>
                          <td className="small">{d.model ?? '—'}</td>
                          <td className="small mono">{d.imei ?? '—'}</td>
                          <td className="small">
                            {d.bound ? t('telematics.bound') : t('telematics.unbound')}
                          </td>
                          <td className="small">
                            {d.lastSeenAt
                              ? formatDateTime(d.lastSeenAt, i18n.language)
                              : t('telematics.never')}
                          </td>
                          <td>
                            {d.disabledAt ? (
                              <span
                                title={t('telematics.disabledSince', {
                                  at: formatDateTime(d.disabledAt, i18n.language),
                                })}
                              >
                                <StatusBadge status="disabled" label={t('telematics.disabled')} />
                              </span>
                            ) : (
                              <StatusBadge
                                status={d.online ? 'active' : 'offline'}
                                label={d.online ? t('telematics.online') : t('telematics.offline')}
                              />
                            )}
                          </td>
                          <td>
                            <button
                              type="button"
                              className="btn btn-small btn-ghost"
                              data-testid="device-state-toggle"
                              aria-expanded={editing === d.id}
                              onClick={() => {
                                setDone(null);
                                setEditing(editing === d.id ? null : d.id);
                              }}
                            >
                              {d.disabledAt ? t('telematics.enable') : t('telematics.disable')}
                            </button>
                          </td>
                        </tr>
                        {editing === d.id ? (
                          <tr data-testid="device-state-row">
                            <td colSpan={7}>
                              <DeviceStateForm
                                device={d}
                                onCancel={() => setEditing(null)}
                                onDone={(message) => {
                                  setEditing(null);
                                  setDone(message);
                                  reload();
                                }}
                              />
                            </td>
                          </tr>
                        ) : null}
                      </Fragment>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          )}
        </AsyncView>
      </Section>
    </main>
  );
}

/** Disable or enable one device, with the reason the audit log keeps. */
function DeviceStateForm({
  device,
  onCancel,
  onDone,
}: {
  device: TelematicsDevice;
  onCancel: () => void;
  onDone: (message: string) => void;
}): ReactNode {
  const { t } = useTranslation();
  const disable = device.disabledAt === null;
  const [reason, setReason] = useState('');
  const [touched, setTouched] = useState(false);
  const [busy, setBusy] = useState(false);
  const [failed, setFailed] = useState<string | null>(null);
  const problem: Problem | null =
    reason.trim().length < REASON_MIN ? { key: 'validation.reasonMin', values: { min: REASON_MIN } } : null;
  return (
    <form
      className="form"
      noValidate
      aria-label={t(disable ? 'telematics.confirmDisable' : 'telematics.confirmEnable', {
        serial: device.serial,
      })}
      data-testid="device-state-form"
      onSubmit={(e) => {
        e.preventDefault();
        setTouched(true);
        if (problem) return;
        setBusy(true);
        setFailed(null);
        telematics
          .setDisabled(device.id, disable, reason.trim())
          .then(() =>
            onDone(
              t(disable ? 'telematics.disabledDone' : 'telematics.enabledDone', { serial: device.serial }),
            ),
          )
          .catch((err: unknown) => setFailed(errorMessage(t, err)))
          .finally(() => setBusy(false));
      }}
    >
      {disable ? <p className="muted small">{t('telematics.disableNote')}</p> : null}
      <TextField
        label={t('telematics.reason')}
        hint={t('telematics.reasonHint')}
        value={reason}
        maxLength={500}
        problem={touched ? problem : null}
        onChange={(e) => setReason(e.target.value)}
        onBlur={() => setTouched(true)}
      />
      {failed ? (
        <p className="field-error" role="alert" data-testid="device-state-error">
          {failed}
        </p>
      ) : null}
      <div className="toolbar">
        <button type="submit" className={`btn btn-small${disable ? ' btn-danger' : ''}`} disabled={busy}>
          {t(disable ? 'telematics.confirmDisable' : 'telematics.confirmEnable', { serial: device.serial })}
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={onCancel} disabled={busy}>
          {t('common.close')}
        </button>
      </div>
    </form>
  );
}

export function AlertsPage(): ReactNode {
  const { t } = useTranslation();
  const data = useAsync(() => maintenance.summary(), []);
  const l: AlertLabels = useMemo(
    () => ({
      severity: {
        urgent: t('health.severity.urgent'),
        soon: t('health.severity.soon'),
        watch: t('health.severity.watch'),
      },
      component: (c: string) => t(`health.component.${c}`, { defaultValue: c }),
      noCity: t('telematics.noCity'),
    }),
    [t],
  );
  return (
    <main className="page wide" data-testid="alerts-page">
      <div className="toolbar">
        <h2 className="grow">{t('telematics.alerts')}</h2>
        <button type="button" className="btn btn-small btn-ghost" onClick={data.reload}>
          {t('common.refresh')}
        </button>
      </div>
      <AsyncView state={data} isEmpty={(d) => d.length === 0} empty={t('telematics.noAlerts')}>
        {(rows) => <AlertsView rows={rows} l={l} />}
      </AsyncView>
    </main>
  );
}

function AlertsView({ rows, l }: { rows: Parameters<typeof cityTable>[0]; l: AlertLabels }): ReactNode {
  const { t } = useTranslation();
  const byCity = useMemo(() => alertsByCityOption(rows, l), [rows, l]);
  const byComponent = useMemo(() => alertsByComponentOption(rows, l), [rows, l]);
  const table = useMemo(() => cityTable(rows, l), [rows, l]);
  const columns = useMemo(() => componentColumns(rows), [rows]);
  const height = (n: number) => Math.max(220, Math.min(14, n) * 26 + 60);
  return (
    <>
      <div className="grid-2">
        <Section title={t('telematics.byCity')}>
          <Chart
            option={byCity}
            height={height(table.length)}
            testId="chart-alerts-city"
            ariaLabel={t('telematics.byCity')}
          />
        </Section>
        <Section title={t('telematics.byComponent')}>
          <Chart
            option={byComponent}
            height={height(columns.length)}
            testId="chart-alerts-component"
            ariaLabel={t('telematics.byComponent')}
          />
        </Section>
      </div>
      <Section title={t('telematics.table')}>
        {table.length === 0 ? (
          <Empty />
        ) : (
          <div className="table-wrap">
            <table className="data" data-testid="alerts-table">
              <thead>
                <tr>
                  <th>{t('telematics.city')}</th>
                  <th className="num">{t('telematics.total')}</th>
                  {SEVERITIES.map((s) => (
                    <th key={s} className="num">
                      {l.severity[s]}
                    </th>
                  ))}
                  {columns.map((c) => (
                    <th key={c} className="num">
                      {l.component(c)}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {table.map((r) => (
                  <tr key={r.city}>
                    <td>{r.city}</td>
                    <td className="num">
                      <strong>{r.total}</strong>
                    </td>
                    {SEVERITIES.map((s) => (
                      <td key={s} className="num">
                        {r.bySeverity[s] || '—'}
                      </td>
                    ))}
                    {columns.map((c) => (
                      <td key={c} className="num">
                        {r.byComponent[c] ?? '—'}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Section>
    </>
  );
}
