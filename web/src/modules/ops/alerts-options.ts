/**
 * The operator's alert map, pure functions of GET /maintenance/alerts/summary: counts by city and by
 * component (stacked by severity) as ECharts bar options, and the city × component table.
 */
import type { AlertSummaryRow } from '../../api/types';
import type { ChartOption } from '../../ui/chart';

export const SEVERITIES = ['urgent', 'soon', 'watch'] as const;
export type SummarySeverity = (typeof SEVERITIES)[number];

/** Red for urgent as on the owner's health page; the two yellows told apart (orange = soon). */
export const SEVERITY_COLORS: Record<SummarySeverity, string> = {
  urgent: '#ef4444',
  soon: '#f97316',
  watch: '#eab308',
};

export interface AlertLabels {
  severity: Record<SummarySeverity, string>;
  component: (code: string) => string;
  /** The label of rows whose city is unknown. */
  noCity: string;
}

export const cityOf = (r: AlertSummaryRow, l: AlertLabels): string => r.city ?? l.noCity;

/** Keys sorted by their total count, largest first (ties by name). */
function byTotal(rows: readonly AlertSummaryRow[], key: (r: AlertSummaryRow) => string): string[] {
  const totals = new Map<string, number>();
  for (const r of rows) totals.set(key(r), (totals.get(key(r)) ?? 0) + r.count);
  return [...totals].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([k]) => k);
}

/** Counts per key and severity: `m.get(key)[severity]`. */
function crossTab(
  rows: readonly AlertSummaryRow[],
  key: (r: AlertSummaryRow) => string,
): Map<string, Record<SummarySeverity, number>> {
  const m = new Map<string, Record<SummarySeverity, number>>();
  for (const r of rows) {
    const k = key(r);
    const cur = m.get(k) ?? { urgent: 0, soon: 0, watch: 0 };
    if ((SEVERITIES as readonly string[]).includes(r.severity)) cur[r.severity as SummarySeverity] += r.count;
    m.set(k, cur);
  }
  return m;
}

/** A horizontal bar chart, one bar per key, stacked by severity. */
function stackedBars(
  rows: readonly AlertSummaryRow[],
  key: (r: AlertSummaryRow) => string,
  name: (k: string) => string,
  l: AlertLabels,
): ChartOption {
  const keys = byTotal(rows, key).reverse(); // largest on top
  const tab = crossTab(rows, key);
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 110, right: 24, top: 32, bottom: 24 },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: { type: 'category', data: keys.map(name) },
    series: SEVERITIES.map((s) => ({
      name: l.severity[s],
      type: 'bar',
      stack: 'alerts',
      itemStyle: { color: SEVERITY_COLORS[s] },
      data: keys.map((k) => tab.get(k)?.[s] ?? 0),
    })),
  };
}

export function alertsByCityOption(rows: readonly AlertSummaryRow[], l: AlertLabels): ChartOption {
  return stackedBars(
    rows,
    (r) => cityOf(r, l),
    (k) => k,
    l,
  );
}

export function alertsByComponentOption(rows: readonly AlertSummaryRow[], l: AlertLabels): ChartOption {
  return stackedBars(rows, (r) => r.component, l.component, l);
}

export interface CityRow {
  city: string;
  total: number;
  bySeverity: Record<SummarySeverity, number>;
  byComponent: Record<string, number>;
}

/** One table row per city (largest first), with totals per severity and per component. */
export function cityTable(rows: readonly AlertSummaryRow[], l: AlertLabels): CityRow[] {
  const sev = crossTab(rows, (r) => cityOf(r, l));
  return byTotal(rows, (r) => cityOf(r, l)).map((city) => {
    const byComponent: Record<string, number> = {};
    let total = 0;
    for (const r of rows) {
      if (cityOf(r, l) !== city) continue;
      byComponent[r.component] = (byComponent[r.component] ?? 0) + r.count;
      total += r.count;
    }
    return { city, total, bySeverity: sev.get(city) ?? { urgent: 0, soon: 0, watch: 0 }, byComponent };
  });
}

/** The components that occur, most alerts first (the table's columns). */
export const componentColumns = (rows: readonly AlertSummaryRow[]): string[] =>
  byTotal(rows, (r) => r.component);
