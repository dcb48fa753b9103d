/**
 * Operator screens for telematics and predictive maintenance: the live OBD dongle list (refreshed
 * every 30 s) and the open alerts by city and component (ECharts bars + table).
 */
import { useEffect, useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { maintenance, telematics } from '../../api/endpoints';
import type { TelematicsDevice } from '../../api/types';
import { Chart } from '../../ui/chart';
import { formatDateTime } from '../../ui/format';
import { Section, StatusBadge } from '../../ui/layout';
import { AsyncView, Empty } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
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

export function DevicesPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const list = useAsync(() => allDevices(), []);
  const { reload } = list;
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
                    </tr>
                  </thead>
                  <tbody>
                    {items.map((d) => (
                      <tr key={d.id} data-online={d.online}>
                        <td className="mono">{d.serial}</td>
                        <td className="small">{d.model ?? '—'}</td>
                        <td className="small mono">{d.imei ?? '—'}</td>
                        <td className="small">{d.bound ? t('telematics.bound') : t('telematics.unbound')}</td>
                        <td className="small">
                          {d.lastSeenAt ? formatDateTime(d.lastSeenAt, i18n.language) : t('telematics.never')}
                        </td>
                        <td>
                          <StatusBadge
                            status={d.online ? 'active' : 'disabled'}
                            label={d.online ? t('telematics.online') : t('telematics.offline')}
                          />
                        </td>
                      </tr>
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
