/** The operator's alert map: counts by city and component, stacked by severity, and the table. */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AlertSummaryRow } from '../../api/types';
import { Chart } from '../../ui/chart';
import {
  alertsByCityOption,
  alertsByComponentOption,
  cityTable,
  componentColumns,
  SEVERITY_COLORS,
  type AlertLabels,
} from './alerts-options';

const ROWS: AlertSummaryRow[] = [
  { city: '杭州', component: 'brake_pads', severity: 'soon', count: 5 },
  { city: '杭州', component: 'brake_pads', severity: 'urgent', count: 2 },
  { city: '杭州', component: 'battery_12v', severity: 'watch', count: 3 },
  { city: '宁波', component: 'brake_pads', severity: 'urgent', count: 1 },
  { city: null, component: 'misfire', severity: 'urgent', count: 4 },
];
const L: AlertLabels = {
  severity: { urgent: '尽快处理', soon: '近期保养', watch: '留意' },
  component: (c) => ({ brake_pads: '刹车片', battery_12v: '12V 蓄电池', misfire: '发动机点火' })[c] ?? c,
  noCity: '未知城市',
};

interface BarSeries {
  name: string;
  stack: string;
  data: number[];
  itemStyle: { color: string };
}
const seriesOf = (o: ReturnType<typeof alertsByCityOption>) => (o as { series: BarSeries[] }).series;
const categoriesOf = (o: ReturnType<typeof alertsByCityOption>) =>
  (o as { yAxis: { data: string[] } }).yAxis.data;

describe('alert summary charts', () => {
  it('has one bar per city, largest on top, stacked by severity in traffic-light colours', () => {
    const o = alertsByCityOption(ROWS, L);
    // ECharts draws the first category at the bottom: the largest city comes last
    expect(categoriesOf(o)).toEqual(['宁波', '未知城市', '杭州']);
    const s = seriesOf(o);
    expect(s.map((x) => x.name)).toEqual(['尽快处理', '近期保养', '留意']);
    expect(s.every((x) => x.stack === 'alerts')).toBe(true);
    expect(s[0]!.itemStyle.color).toBe(SEVERITY_COLORS.urgent);
    expect(s.map((x) => x.data)).toEqual([
      [1, 4, 2],
      [0, 0, 5],
      [0, 0, 3],
    ]);
    // every alert is counted once
    expect(s.flatMap((x) => x.data).reduce((a, b) => a + b, 0)).toBe(15);
  });

  it('names components in the language and sums across cities', () => {
    const o = alertsByComponentOption(ROWS, L);
    expect(categoriesOf(o)).toEqual(['12V 蓄电池', '发动机点火', '刹车片']);
    const urgent = seriesOf(o)[0]!.data;
    expect(urgent).toEqual([0, 4, 3]);
  });

  it('renders as SVG with the category names', () => {
    render(
      <div style={{ width: 600 }}>
        <Chart option={alertsByCityOption(ROWS, L)} testId="c" />
      </div>,
    );
    const svg = screen.getByTestId('c').querySelector('svg');
    expect(svg).not.toBeNull();
    expect(svg!.querySelectorAll('path').length).toBeGreaterThan(3);
    expect(screen.getByTestId('c').textContent).toContain('杭州');
  });
});

describe('cityTable', () => {
  it('gives each city its total, severities and components, largest first', () => {
    const t = cityTable(ROWS, L);
    expect(t.map((r) => [r.city, r.total])).toEqual([
      ['杭州', 10],
      ['未知城市', 4],
      ['宁波', 1],
    ]);
    expect(t[0]!.bySeverity).toEqual({ urgent: 2, soon: 5, watch: 3 });
    expect(t[0]!.byComponent).toEqual({ brake_pads: 7, battery_12v: 3 });
    expect(componentColumns(ROWS)).toEqual(['brake_pads', 'misfire', 'battery_12v']);
  });

  it('is empty without alerts', () => {
    expect(cityTable([], L)).toEqual([]);
    expect(seriesOf(alertsByCityOption([], L)).every((s) => s.data.length === 0)).toBe(true);
  });
});
