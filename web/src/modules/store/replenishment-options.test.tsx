/** The planner view's pure parts: the forecast-vs-actual chart, the reason sentence, who may plan. */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { ForecastVsActual, ReplenishmentSuggestion } from '../../api/types';
import { Chart } from '../../ui/chart';
import {
  canPlanReplenishment,
  forecastOption,
  forecastRows,
  forecastTip,
  periodLabel,
  reasonText,
  seesWholeChain,
  type ForecastLabels,
  type ReasonLabels,
} from './replenishment-options';

const D: ForecastVsActual = {
  locationId: 'loc_1',
  partId: 'prt_1',
  sku: 'OF-1',
  name: '机油滤清器',
  unit: 'each',
  period: 'week',
  method: 'sba',
  demandClass: 'intermittent',
  band: { lower: 0.1, upper: 0.9 },
  history: [
    { period: '2026-05-11', actualMilli: 0, forecastMilli: null },
    { period: '2026-05-18', actualMilli: 3000, forecastMilli: 500 },
    { period: '2026-05-25', actualMilli: 1000, forecastMilli: 1250 },
  ],
  forecast: [
    { period: '2026-06-01', meanMilli: 3100, lowMilli: 2000, highMilli: 5000, knownMilli: 2000 },
    { period: '2026-06-08', meanMilli: 1100, lowMilli: 0, highMilli: 3000, knownMilli: 0 },
  ],
};

const L: ForecastLabels = {
  actual: '实际',
  oneStep: '当期预测',
  mean: '预测',
  band: '10–90 %',
  known: '已预约',
  unit: '件',
};

interface Series {
  name: string;
  type: string;
  stack?: string;
  data: Array<number | null>;
}

describe('forecast against actual', () => {
  it('puts the history and the forecast periods on one axis, each series where it belongs', () => {
    const o = forecastOption(D, L) as unknown as {
      xAxis: { data: string[] };
      legend: { data: string[] };
      series: Series[];
    };
    expect(o.xAxis.data).toEqual(['05-11', '05-18', '05-25', '06-01', '06-08']);
    const by = new Map(o.series.map((s) => [s.name, s]));
    expect(by.get('实际')!.data).toEqual([0, 3, 1, null, null]);
    expect(by.get('当期预测')!.data).toEqual([null, 0.5, 1.25, null, null]);
    expect(by.get('预测')!.data).toEqual([null, null, null, 3.1, 1.1]);
    // The band is the lower quantile plus the width stacked on it: it spans low..high.
    const base = by.get('band-base')!;
    const width = by.get('10–90 %')!;
    expect(base.stack).toBe('band');
    expect(width.stack).toBe('band');
    expect(base.data).toEqual([null, null, null, 2, 0]);
    expect(width.data).toEqual([null, null, null, 3, 3]);
    expect(by.get('已预约')!.data).toEqual([null, null, null, 2, null]);
    // The helper series is not in the legend.
    expect(o.legend.data).not.toContain('band-base');
    expect(o.legend.data).toEqual(['实际', '当期预测', '预测', '10–90 %', '已预约']);
  });

  it('labels months by year and month, and explains a column in its tooltip (escaped)', () => {
    expect(periodLabel('2026-06-01', 'month')).toBe('2026-06');
    expect(periodLabel('2026-06-01', 'week')).toBe('06-01');
    expect(forecastRows(D)).toHaveLength(5);
    expect(forecastTip(D, 1, L)).toBe('<b>2026-05-18</b><br/>实际: 3 件<br/>当期预测: 0.50 件');
    expect(forecastTip(D, 3, L)).toBe(
      '<b>2026-06-01</b><br/>预测: 3.10 件<br/>10–90 %: 2–5 件<br/>已预约: 2 件',
    );
    expect(forecastTip(D, 0, { ...L, actual: '<i>x</i>' })).toContain('&lt;i&gt;x&lt;/i&gt;: 0');
  });

  it('renders as SVG', () => {
    render(
      <div style={{ width: 600 }}>
        <Chart option={forecastOption(D, L)} testId="fc" />
      </div>,
    );
    const svg = screen.getByTestId('fc').querySelector('svg');
    expect(svg).not.toBeNull();
    expect(svg!.querySelectorAll('path').length).toBeGreaterThan(3);
    expect(screen.getByTestId('fc').textContent).toContain('已预约');
  });
});

describe('the reason of a suggestion', () => {
  const s = (known?: ReplenishmentSuggestion['forecast']['known']): ReplenishmentSuggestion => ({
    id: 'sug_1',
    locationId: 'loc_1',
    partId: 'prt_1',
    kind: 'purchase',
    fromLocationId: null,
    qtyMilli: 2000,
    positionMilli: 1000,
    reorderPointMilli: 2000,
    orderUpToMilli: 3000,
    fillRate: 0.95,
    forecast: { weeklyMeanMilli: 0, historyMilli: [], method: 'sba', ...(known ? { known } : {}) },
    reason: '',
    part: null,
    locationName: null,
    fromLocationName: null,
    status: 'pending',
    documentId: null,
    createdAt: '2026-06-01T02:00:00.000Z',
  });
  const R: ReasonLabels = {
    base: (v) => `pos ${v.position} ≤ s ${v.reorderPoint}, S ${v.orderUpTo}.`,
    known: (v) => `known ${v.qty} (${v.bookings}b/${v.proposals}p, ${v.weeks}w, else ${v.without})`,
  };

  it('adds the known demand only when there is some', () => {
    expect(reasonText(s(), R)).toBe('pos 1 ≤ s 2, S 3.');
    expect(
      reasonText(s({ milli: 3000, weeks: 2, bookings: 2, proposals: 1, orderUpToWithoutMilli: 0 }), R),
    ).toBe('pos 1 ≤ s 2, S 3. known 3 (2b/1p, 2w, else 0)');
  });
});

describe('who may plan', () => {
  it('follows replenishment:write; chain-level roles may see the whole chain', () => {
    expect(
      ['store_manager', 'chain_admin', 'warehouse', 'platform_operator'].every(canPlanReplenishment),
    ).toBe(true);
    expect(canPlanReplenishment('front_desk')).toBe(false);
    expect(canPlanReplenishment('technician')).toBe(false);
    expect(seesWholeChain('store_manager')).toBe(false);
    expect(seesWholeChain('chain_admin')).toBe(true);
  });
});
