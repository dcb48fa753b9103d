/** The dispatch board's charts: routes from the store through each job in arrival order and back. */
import { render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { DispatchBoard, DispatchJob } from '../../api/types';
import { Chart } from '../../ui/chart';
import {
  canPlanDispatch,
  canReadDispatch,
  escapeHtml,
  extent,
  inVisitOrder,
  jobTip,
  legendNames,
  loadOption,
  routePath,
  routesOption,
  type DispatchLabels,
} from './dispatch-options';

const job = (id: string, over: Partial<DispatchJob>): DispatchJob => ({
  id,
  kind: 'onsite',
  status: 'scheduled',
  items: ['wipers'],
  lon: 120.16,
  lat: 30.27,
  windowStart: '2026-06-01T01:00:00.000Z', // 09:00 Shanghai
  windowEnd: '2026-06-01T04:00:00.000Z', // 12:00
  arrivalFrom: null,
  arrivalTo: null,
  assignee: null,
  ...over,
});

// Li's jobs come in out of order from the API on purpose: the builder orders them by arrival.
const B: DispatchBoard = {
  day: '2026-06-01',
  store: { lon: 120.15, lat: 30.25 },
  technicians: [
    {
      id: 'tc_1',
      name: '李师傅',
      busyMinutes: 95,
      jobs: [
        job('dd_b', {
          lon: 120.2,
          lat: 30.3,
          kind: 'pickup_return',
          items: ['minor_service'],
          arrivalFrom: '2026-06-01T05:00:00.000Z', // 13:00
          arrivalTo: '2026-06-01T05:30:00.000Z',
          assignee: 'tc_1',
        }),
        job('dd_a', {
          lon: 120.17,
          lat: 30.26,
          arrivalFrom: '2026-06-01T01:30:00.000Z', // 09:30
          arrivalTo: '2026-06-01T02:00:00.000Z',
          assignee: 'tc_1',
        }),
      ],
    },
    { id: 'tc_2', name: '王师傅', busyMinutes: 0, jobs: [] },
    {
      id: 'tc_3',
      name: '李师傅',
      busyMinutes: 30,
      jobs: [
        job('dd_c', {
          lon: 120.1,
          lat: 30.24,
          arrivalFrom: '2026-06-01T03:00:00.000Z',
          arrivalTo: '2026-06-01T03:30:00.000Z',
          assignee: 'tc_3',
        }),
      ],
    },
  ],
  waiting: [job('dd_w', { status: 'requested', lon: 120.12, lat: 30.29 })],
  declined: [job('dd_x', { status: 'declined', lon: 120.25, lat: 30.2 })],
};

const L: DispatchLabels = {
  store: '门店',
  waiting: '待安排',
  declined: '无法安排',
  busyMinutes: '上门作业（分钟）',
  jobs: '单数',
  arrival: '承诺到达',
  window: '车主时段',
  kind: { onsite: '上门保养', pickup_return: '取送车' },
  item: (c) => ({ wipers: '雨刮', minor_service: '小保养' })[c] ?? c,
};

type Series = {
  name: string;
  type: string;
  data: Array<{ value: [number, number]; tip: string; seq: string; symbol?: string } | number>;
};
type RoutesOpt = {
  legend: { data: string[] };
  series: Series[];
  xAxis: { min: number; max: number };
  yAxis: { min: number; max: number };
  tooltip: { formatter: (p: { data?: { tip: string } }) => string };
};

describe('dispatch routes chart', () => {
  it('draws one polyline per technician: store, jobs in arrival order, store', () => {
    const o = routesOption(B, L) as unknown as RoutesOpt;
    const lines = o.series.filter((s) => s.type === 'line');
    expect(lines.map((s) => s.name)).toEqual(['李师傅', '王师傅', '李师傅 (2)']);
    const li = lines[0]!.data as Array<{ value: [number, number]; seq: string; symbol?: string }>;
    expect(li.map((p) => p.value)).toEqual([
      [120.15, 30.25],
      [120.17, 30.26],
      [120.2, 30.3],
      [120.15, 30.25],
    ]);
    expect(li.map((p) => p.seq)).toEqual(['', '1', '2', '']);
    expect(li[2]!.symbol).toBe('diamond'); // 取送车
    expect(lines[1]!.data).toEqual([]); // no jobs, no line, still in the legend
    expect(o.legend.data).toEqual(['门店', '李师傅', '王师傅', '李师傅 (2)', '待安排', '无法安排']);
  });

  it('shows the waiting and declined requests as points and the store once', () => {
    const o = routesOption(B, L) as unknown as RoutesOpt;
    const byName = new Map(o.series.map((s) => [s.name, s]));
    expect(byName.get('门店')!.data).toHaveLength(1);
    expect((byName.get('待安排')!.data[0] as { value: number[] }).value).toEqual([120.12, 30.29]);
    expect((byName.get('无法安排')!.data[0] as { symbol: string }).symbol).toBe('triangle');
  });

  it("puts the request's arrival window in local time in the tooltip", () => {
    const o = routesOption(B, L) as unknown as RoutesOpt;
    const li = o.series.find((s) => s.type === 'line')!;
    const tip = o.tooltip.formatter({ data: li.data[2] as { tip: string } });
    expect(tip).toContain('2. 取送车 · 李师傅');
    expect(tip).toContain('承诺到达 13:00–13:30');
    expect(tip).toContain('车主时段 09:00–12:00');
    expect(tip).toContain('小保养');
    const waiting = jobTip(B.waiting[0]!, L);
    expect(waiting).not.toContain('承诺到达'); // not promised yet
  });

  it('covers every point with axes spanning the same distance', () => {
    const e = extent(B);
    const all = [B.store, ...B.technicians.flatMap((t) => t.jobs), ...B.waiting, ...B.declined];
    for (const p of all) {
      expect(p.lon).toBeGreaterThan(e.lon[0]);
      expect(p.lon).toBeLessThan(e.lon[1]);
      expect(p.lat).toBeGreaterThan(e.lat[0]);
      expect(p.lat).toBeLessThan(e.lat[1]);
    }
    const km = (x: ReturnType<typeof extent>): [number, number] => {
      const midLat = (x.lat[0] + x.lat[1]) / 2;
      return [
        (x.lon[1] - x.lon[0]) * 111.32 * Math.cos((midLat * Math.PI) / 180),
        (x.lat[1] - x.lat[0]) * 111.32,
      ];
    };
    const [kmX, kmY] = km(e);
    expect(kmX).toBeCloseTo(kmY, 6);
    // a plot twice as wide as tall: twice the km across, every point still inside
    for (const aspect of [2, 0.5]) {
      const w = extent(B, aspect);
      const [x, y] = km(w);
      expect(x / y).toBeCloseTo(aspect, 6);
      for (const p of all) {
        expect(p.lon > w.lon[0] && p.lon < w.lon[1] && p.lat > w.lat[0] && p.lat < w.lat[1]).toBe(true);
      }
    }
    // a board with only the store still has a range (1 km)
    const lone = extent({ ...B, technicians: [], waiting: [], declined: [] });
    expect(lone.lat[1] - lone.lat[0]).toBeCloseTo(1 / 111.32, 6);
  });

  it('escapes names in the tooltip', () => {
    expect(escapeHtml('<b>"x" & \'y\'</b>')).toBe('&lt;b&gt;&quot;x&quot; &amp; &#39;y&#39;&lt;/b&gt;');
    const tip = jobTip(B.technicians[0]!.jobs[0]!, L, '<img src=x onerror=alert(1)>');
    expect(tip).not.toContain('<img');
  });

  it('orders by arrival, then by requested window, and routes nothing for no jobs', () => {
    const early = job('dd_2', { windowStart: '2026-06-01T00:00:00.000Z' });
    const late = job('dd_1', { windowStart: '2026-06-01T02:00:00.000Z' });
    expect(inVisitOrder([late, early]).map((j) => j.id)).toEqual(['dd_2', 'dd_1']);
    expect(routePath(B, [])).toEqual([]);
    expect(routePath(B, B.technicians[2]!.jobs)).toEqual([
      [120.15, 30.25],
      [120.1, 30.24],
      [120.15, 30.25],
    ]);
    expect(legendNames(B)).toEqual(['李师傅', '王师傅', '李师傅 (2)']);
  });
});

describe('technician load chart', () => {
  it('has busy minutes and job count per technician', () => {
    const o = loadOption(B, L) as unknown as {
      xAxis: { data: string[] };
      series: Array<{ name: string; data: Array<number | { value: number }> }>;
    };
    expect(o.xAxis.data).toEqual(['李师傅', '王师傅', '李师傅 (2)']);
    expect(o.series.map((s) => s.name)).toEqual(['上门作业（分钟）', '单数']);
    expect(o.series[0]!.data.map((d) => (typeof d === 'number' ? d : d.value))).toEqual([95, 0, 30]);
    expect(o.series[1]!.data).toEqual([2, 0, 1]);
  });

  it('renders both charts as SVG', () => {
    render(
      <div style={{ width: 600 }}>
        <Chart option={routesOption(B, L)} testId="routes" />
        <Chart option={loadOption(B, L)} testId="load" />
      </div>,
    );
    for (const id of ['routes', 'load']) {
      const svg = screen.getByTestId(id).querySelector('svg');
      expect(svg, id).not.toBeNull();
      expect(svg!.querySelectorAll('path').length, id).toBeGreaterThan(3);
    }
    expect(screen.getByTestId('routes').textContent).toContain('王师傅');
  });
});

describe('who sees the board and may re-plan', () => {
  it('follows dispatch:read and dispatch:write', () => {
    expect(['store_manager', 'front_desk', 'chain_admin', 'platform_operator'].every(canReadDispatch)).toBe(
      true,
    );
    expect(canReadDispatch('warehouse')).toBe(false);
    expect(canReadDispatch('technician')).toBe(false);
    expect(canPlanDispatch('store_manager')).toBe(true);
    expect(canPlanDispatch('front_desk')).toBe(false);
  });
});
