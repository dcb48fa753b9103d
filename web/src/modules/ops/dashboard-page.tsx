/** Operator dashboard: bookings per day, search → booking conversion, order value, utilisation, top services. */
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { admin } from '../../api/endpoints';
import type { AnalyticsOverview } from '../../api/types';
import { Chart } from '../../ui/chart';
import { Money } from '../../ui/form';
import { addDays, formatPercent, today } from '../../ui/format';
import { Section } from '../../ui/layout';
import { AsyncView, Empty } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import {
  bookingsPerDayOption,
  conversionOption,
  topServicesOption,
  utilisationOption,
  type Labels,
} from './dashboard-options';

const RANGES = [7, 14, 30, 90] as const;

function Kpi({
  label,
  children,
  testId,
}: {
  label: string;
  children: ReactNode;
  testId?: string;
}): ReactNode {
  return (
    <div className="kpi" data-testid={testId}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">{children}</div>
    </div>
  );
}

function Charts({ o }: { o: AnalyticsOverview }): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const l: Labels = useMemo(
    () => ({
      bookings: t('ops.bookings'),
      confirmed: t('ops.confirmed'),
      searches: t('ops.searches'),
      revenue: t('ops.revenue'),
      utilisation: t('ops.utilisation'),
      count: t('ops.count'),
    }),
    [t],
  );
  const perDay = useMemo(() => bookingsPerDayOption(o, l), [o, l]);
  const conv = useMemo(() => conversionOption(o, l), [o, l]);
  const util = useMemo(() => utilisationOption(o, l), [o, l]);
  const top = useMemo(() => topServicesOption(o, l, en), [o, l, en]);
  const totalBookings = o.days.reduce((s, d) => s + d.bookings, 0);
  const revenue = o.days.reduce((s, d) => s + d.revenueFen, 0);
  const avgUtil =
    o.utilisation.reduce((s, u) => s + u.capacityMinutes, 0) > 0
      ? o.utilisation.reduce((s, u) => s + u.bookedMinutes, 0) /
        o.utilisation.reduce((s, u) => s + u.capacityMinutes, 0)
      : 0;
  return (
    <>
      <div className="kpis">
        <Kpi label={t('ops.kpi.bookings')} testId="kpi-bookings">
          {totalBookings}
        </Kpi>
        <Kpi label={t('ops.kpi.conversion')} testId="kpi-conversion">
          {formatPercent(o.conversion.rate)}
          <div className="muted small">
            {t('ops.kpi.conversionOf', { bookings: o.conversion.bookings, searches: o.conversion.searches })}
          </div>
        </Kpi>
        <Kpi label={t('ops.kpi.aov')} testId="kpi-aov">
          <Money fen={o.averageOrderFen} />
        </Kpi>
        <Kpi label={t('ops.kpi.utilisation')} testId="kpi-utilisation">
          {formatPercent(avgUtil)}
          <div className="muted small">
            {t('ops.revenue')} <Money fen={revenue} />
          </div>
        </Kpi>
      </div>
      <div className="grid-2">
        <Section title={t('ops.charts.perDay')}>
          <Chart option={perDay} testId="chart-bookings" ariaLabel={t('ops.charts.perDay')} />
        </Section>
        <Section title={t('ops.charts.conversion')}>
          <Chart option={conv} testId="chart-conversion" ariaLabel={t('ops.charts.conversion')} />
        </Section>
        <Section title={t('ops.charts.utilisation')}>
          {o.utilisation.length > 0 ? (
            <Chart
              option={util}
              height={Math.max(220, Math.min(12, o.utilisation.length) * 26 + 30)}
              testId="chart-utilisation"
              ariaLabel={t('ops.charts.utilisation')}
            />
          ) : (
            <Empty />
          )}
        </Section>
        <Section title={t('ops.charts.topServices')}>
          {o.topServices.length > 0 ? (
            <Chart
              option={top}
              height={Math.max(220, Math.min(10, o.topServices.length) * 28 + 30)}
              testId="chart-top-services"
              ariaLabel={t('ops.charts.topServices')}
            />
          ) : (
            <Empty />
          )}
        </Section>
      </div>
    </>
  );
}

export function DashboardPage(): ReactNode {
  const { t } = useTranslation();
  const [days, setDays] = useState<number>(14);
  const to = today();
  const from = addDays(to, -(days - 1));
  const data = useAsync(() => admin.analytics(from, to), [from, to]);
  return (
    <main className="page wide" data-testid="dashboard">
      <div className="toolbar">
        <h2 className="grow">{t('ops.dashboard')}</h2>
        <div className="segmented" role="tablist" aria-label={t('ops.range')}>
          {RANGES.map((n) => (
            <button type="button" role="tab" key={n} aria-selected={days === n} onClick={() => setDays(n)}>
              {t('ops.lastDays', { n })}
            </button>
          ))}
        </div>
        <button type="button" className="btn btn-small btn-ghost" onClick={data.reload}>
          {t('common.refresh')}
        </button>
      </div>
      <p className="muted small">
        {from} — {to}
      </p>
      <AsyncView state={data}>{(o) => <Charts o={o} />}</AsyncView>
    </main>
  );
}
