/** The dashboard's charts render as SVG with the data (ECharts' SVG renderer works in jsdom). */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { AnalyticsOverview } from '../../api/types';
import { Chart } from '../../ui/chart';
import { bookingsPerDayOption, topServicesOption, utilisationOption } from './dashboard-options';

const O: AnalyticsOverview = {
  days: [
    { day: '2026-11-20', searches: 40, bookings: 6, confirmed: 5, revenueFen: 180000 },
    { day: '2026-11-21', searches: 55, bookings: 9, confirmed: 8, revenueFen: 260000 },
    { day: '2026-11-22', searches: 38, bookings: 4, confirmed: 4, revenueFen: 90000 },
  ],
  conversion: { searches: 133, bookings: 19, rate: 19 / 133 },
  averageOrderFen: 27368,
  utilisation: [
    {
      storeId: 'st_1',
      storeName: '驰加·上城区1号店',
      bookedMinutes: 600,
      capacityMinutes: 1440,
      rate: 600 / 1440,
    },
    {
      storeId: 'st_2',
      storeName: '养车坊·拱墅区2号店',
      bookedMinutes: 300,
      capacityMinutes: 1440,
      rate: 300 / 1440,
    },
  ],
  topServices: [
    { code: 'minor_service', nameZh: '小保养', nameEn: 'Minor service', count: 12 },
    { code: 'tyre_rotate', nameZh: '轮胎换位', nameEn: 'Tyre rotation', count: 4 },
  ],
};
const L = {
  bookings: '预约数',
  confirmed: '已确认',
  searches: '搜索数',
  revenue: '营收',
  utilisation: '利用率',
  count: '次数',
};

describe('dashboard charts', () => {
  it('draws bars for each day, store and service', () => {
    render(
      <div style={{ width: 600 }}>
        <Chart option={bookingsPerDayOption(O, L)} testId="c1" />
        <Chart option={utilisationOption(O, L)} testId="c2" />
        <Chart option={topServicesOption(O, L, false)} testId="c3" />
      </div>,
    );
    for (const id of ['c1', 'c2', 'c3']) {
      const svg = screen.getByTestId(id).querySelector('svg');
      expect(svg, id).not.toBeNull();
      expect(svg!.querySelectorAll('path').length, id).toBeGreaterThan(3);
    }
    expect(screen.getByTestId('c3').textContent).toContain('小保养');
    expect(screen.getByTestId('c2').textContent).toContain('驰加·上城区1号店');
  });

  it('puts days in order with bookings, confirmed and revenue series', () => {
    const o = bookingsPerDayOption(O, L) as {
      xAxis: { data: string[] };
      series: Array<{ name: string; data: number[] }>;
    };
    expect(o.xAxis.data).toEqual(['11-20', '11-21', '11-22']);
    expect(o.series.map((s) => s.name)).toEqual(['预约数', '已确认', '营收']);
    expect(o.series[2]?.data).toEqual([180000, 260000, 90000]);
  });
});
