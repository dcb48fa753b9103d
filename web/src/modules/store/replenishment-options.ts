/**
 * The planner view's pure parts: who may plan, the suggestion's reason in the reader's language
 * (from the numbers the server keeps, not its English sentence), and the forecast-vs-actual chart —
 * past periods' actual demand (bars) with the one-step-ahead forecast each had (dashed), then the
 * next periods' forecast mean, the 10–90 % band of the forecast distribution, and the demand already
 * known from bookings and maintenance proposals.
 */
import type { ForecastVsActual, ReplenishmentSuggestion } from '../../api/types';
import type { ChartOption } from '../../ui/chart';
import { formatQty } from '../../ui/format';
import { escapeHtml } from './dispatch-options';

/** Roles with replenishment:read and replenishment:write (src/platform/auth/roles.ts). */
const PLAN_ROLES = new Set(['platform_operator', 'chain_admin', 'store_manager', 'warehouse']);
export const canPlanReplenishment = (role: string): boolean => PLAN_ROLES.has(role);
/** Chain-level roles see every location of their chain, warehouses included. */
export const seesWholeChain = (role: string): boolean =>
  role === 'platform_operator' || role === 'chain_admin' || role === 'warehouse';

export const COLORS = {
  actual: '#94a3b8',
  oneStep: '#f97316',
  mean: '#0f766e',
  band: 'rgba(15, 118, 110, 0.18)',
  known: '#7c3aed',
} as const;

export interface ForecastLabels {
  actual: string;
  oneStep: string;
  mean: string;
  /** e.g. "10–90 %" */
  band: string;
  known: string;
  unit: string;
}

export interface ReasonLabels {
  /** (position, reorder point, order-up-to) → sentence */
  base: (v: { position: string; reorderPoint: string; orderUpTo: string }) => string;
  /** known demand: (qty, bookings, proposals, weeks, without) → clause */
  known: (v: { qty: string; bookings: number; proposals: number; weeks: number; without: string }) => string;
}

/** Why the suggestion was made, in the reader's language. */
export function reasonText(s: ReplenishmentSuggestion, l: ReasonLabels): string {
  const base = l.base({
    position: formatQty(s.positionMilli),
    reorderPoint: formatQty(s.reorderPointMilli),
    orderUpTo: formatQty(s.orderUpToMilli),
  });
  const k = s.forecast.known;
  if (!k || k.milli <= 0) return base;
  return `${base} ${l.known({
    qty: formatQty(k.milli),
    bookings: k.bookings,
    proposals: k.proposals,
    weeks: k.weeks,
    without: formatQty(k.orderUpToWithoutMilli),
  })}`;
}

/** Axis label of a period start: "06-01" for weeks, "2026-06" for months. */
export function periodLabel(start: string, period: 'week' | 'month'): string {
  return period === 'month' ? start.slice(0, 7) : start.slice(5);
}

const q = (milli: number): number => Math.round(milli) / 1000;

/** The chart's columns: every past period, then every forecast period. */
export function forecastRows(d: ForecastVsActual): Array<{
  period: string;
  future: boolean;
  actual: number | null;
  oneStep: number | null;
  mean: number | null;
  low: number | null;
  high: number | null;
  known: number | null;
}> {
  return [
    ...d.history.map((h) => ({
      period: h.period,
      future: false,
      actual: q(h.actualMilli),
      oneStep: h.forecastMilli === null ? null : q(h.forecastMilli),
      mean: null,
      low: null,
      high: null,
      known: null,
    })),
    ...d.forecast.map((f) => ({
      period: f.period,
      future: true,
      actual: null,
      oneStep: null,
      mean: q(f.meanMilli),
      low: q(f.lowMilli),
      high: q(f.highMilli),
      known: f.knownMilli > 0 ? q(f.knownMilli) : null,
    })),
  ];
}

/** Tooltip of one column (HTML, every value escaped). */
export function forecastTip(d: ForecastVsActual, i: number, l: ForecastLabels): string {
  const r = forecastRows(d)[i];
  if (!r) return '';
  const u = escapeHtml(l.unit);
  const line = (name: string, v: string) => `${escapeHtml(name)}: ${escapeHtml(v)} ${u}`;
  const out = [`<b>${escapeHtml(r.period)}</b>`];
  if (!r.future) {
    out.push(line(l.actual, String(r.actual)));
    if (r.oneStep !== null) out.push(line(l.oneStep, r.oneStep.toFixed(2)));
  } else {
    out.push(line(l.mean, (r.mean ?? 0).toFixed(2)));
    out.push(line(l.band, `${r.low}–${r.high}`));
    if (r.known !== null) out.push(line(l.known, String(r.known)));
  }
  return out.join('<br/>');
}

/** ECharts option of forecast against actual for one part at one location. */
export function forecastOption(d: ForecastVsActual, l: ForecastLabels): ChartOption {
  const rows = forecastRows(d);
  return {
    animation: false,
    grid: { left: 48, right: 16, top: 40, bottom: 36 },
    legend: { top: 0, data: [l.actual, l.oneStep, l.mean, l.band, l.known] },
    tooltip: {
      trigger: 'axis',
      formatter: (params: unknown) => {
        const first = Array.isArray(params) ? (params[0] as { dataIndex?: number } | undefined) : undefined;
        return forecastTip(d, first?.dataIndex ?? 0, l);
      },
    },
    xAxis: {
      type: 'category',
      data: rows.map((r) => periodLabel(r.period, d.period)),
      axisLabel: { hideOverlap: true },
    },
    yAxis: { type: 'value', name: l.unit, minInterval: 1 },
    series: [
      {
        name: l.actual,
        type: 'bar',
        data: rows.map((r) => r.actual),
        itemStyle: { color: COLORS.actual },
        barMaxWidth: 18,
      },
      {
        name: l.oneStep,
        type: 'line',
        data: rows.map((r) => r.oneStep),
        lineStyle: { type: 'dashed', color: COLORS.oneStep },
        itemStyle: { color: COLORS.oneStep },
        symbol: 'none',
      },
      // The band: an invisible line at the lower quantile, and the band's width stacked on it.
      {
        name: 'band-base',
        type: 'line',
        stack: 'band',
        data: rows.map((r) => r.low),
        lineStyle: { opacity: 0 },
        symbol: 'none',
        silent: true,
      },
      {
        name: l.band,
        type: 'line',
        stack: 'band',
        data: rows.map((r) => (r.low === null || r.high === null ? null : r.high - r.low)),
        lineStyle: { opacity: 0 },
        areaStyle: { color: COLORS.band },
        itemStyle: { color: COLORS.band },
        symbol: 'none',
        silent: true,
      },
      {
        name: l.mean,
        type: 'line',
        data: rows.map((r) => r.mean),
        lineStyle: { color: COLORS.mean, width: 2 },
        itemStyle: { color: COLORS.mean },
      },
      {
        name: l.known,
        type: 'bar',
        data: rows.map((r) => r.known),
        itemStyle: { color: COLORS.known },
        barMaxWidth: 10,
      },
    ],
  };
}
