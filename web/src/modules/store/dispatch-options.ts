/**
 * The dispatch board's pure parts: door-to-door routes and technician load as ECharts options, the
 * promised arrival windows in local time, and which roles may see and re-plan the board.
 *
 * Routes are drawn from what is stored (the board's jobs in arrival order), not from a re-plan:
 * store → each job → store, one polyline per technician, on a lon/lat value grid scaled to the same
 * km per pixel on both axes (no map tiles offline).
 */
import type { DispatchBoard, DispatchJob, DoorToDoorKind } from '../../api/types';
import type { ChartOption } from '../../ui/chart';
import { formatTime } from '../../ui/format';

export const TECH_COLORS = [
  '#0f766e',
  '#f97316',
  '#0ea5e9',
  '#a855f7',
  '#e11d48',
  '#65a30d',
  '#ca8a04',
  '#2563eb',
  '#db2777',
  '#475569',
];
const STORE_COLOR = '#0f172a';
const WAITING_COLOR = '#94a3b8';
const DECLINED_COLOR = '#dc2626';

export const techColor = (i: number): string => TECH_COLORS[i % TECH_COLORS.length]!;

/** Roles with dispatch:read (src/platform/auth/roles.ts). */
const READ_ROLES = new Set(['platform_operator', 'chain_admin', 'store_manager', 'front_desk']);
/** Roles with dispatch:write; the others get 403 from the plan endpoint. */
const WRITE_ROLES = new Set(['platform_operator', 'chain_admin', 'store_manager']);

export const canReadDispatch = (role: string): boolean => READ_ROLES.has(role);
export const canPlanDispatch = (role: string): boolean => WRITE_ROLES.has(role);

export interface DispatchLabels {
  store: string;
  waiting: string;
  declined: string;
  busyMinutes: string;
  jobs: string;
  /** "arrival" (the promised 30-minute window) */
  arrival: string;
  /** "requested window" (the owner's) */
  window: string;
  kind: Record<DoorToDoorKind, string>;
  item: (code: string) => string;
}

/** `HH:mm–HH:mm` of two instants in local (Shanghai) time. */
export function timeRange(from: string, to: string): string {
  return `${formatTime(from)}–${formatTime(to)}`;
}

/** The promised arrival window, or null while the request has none. */
export function arrivalWindow(j: DispatchJob): string | null {
  return j.arrivalFrom && j.arrivalTo ? timeRange(j.arrivalFrom, j.arrivalTo) : null;
}

/** Jobs in visit order: by promised arrival, then by the owner's window, then by id. */
export function inVisitOrder(jobs: readonly DispatchJob[]): DispatchJob[] {
  const key = (j: DispatchJob): string => j.arrivalFrom ?? j.windowStart;
  return [...jobs].sort(
    (a, b) =>
      key(a).localeCompare(key(b)) || a.windowStart.localeCompare(b.windowStart) || a.id.localeCompare(b.id),
  );
}

export function escapeHtml(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

/** Tooltip text of a job (HTML, every value escaped). */
export function jobTip(j: DispatchJob, l: DispatchLabels, who?: string, seq?: number): string {
  const head = `${seq !== undefined ? `${seq}. ` : ''}${l.kind[j.kind]}${who ? ` · ${who}` : ''}`;
  const arrival = arrivalWindow(j);
  return [
    `<b>${escapeHtml(head)}</b>`,
    escapeHtml(j.items.map(l.item).join('、')),
    arrival ? `${escapeHtml(l.arrival)} ${arrival}` : null,
    `${escapeHtml(l.window)} ${timeRange(j.windowStart, j.windowEnd)}`,
  ]
    .filter((x): x is string => x !== null)
    .join('<br/>');
}

/** Store → each job in visit order → store, as [lon, lat] pairs. */
export function routePath(board: DispatchBoard, jobs: readonly DispatchJob[]): Array<[number, number]> {
  const home: [number, number] = [board.store.lon, board.store.lat];
  if (jobs.length === 0) return [];
  return [home, ...inVisitOrder(jobs).map((j): [number, number] => [j.lon, j.lat]), home];
}

/** Technicians' legend names, made unique (two people may share a name). */
export function legendNames(board: DispatchBoard): string[] {
  const seen = new Map<string, number>();
  return board.technicians.map((t) => {
    const n = (seen.get(t.name) ?? 0) + 1;
    seen.set(t.name, n);
    return n === 1 ? t.name : `${t.name} (${n})`;
  });
}

const KM_PER_DEG_LAT = 111.32;

/**
 * Axis ranges around every point, with a margin, such that one km is as long on both axes when the
 * plot's width / height is `aspect` (so routes are not distorted).
 */
export function extent(board: DispatchBoard, aspect = 1): { lon: [number, number]; lat: [number, number] } {
  const pts = [board.store, ...board.technicians.flatMap((t) => t.jobs), ...board.waiting, ...board.declined];
  const lons = pts.map((p) => p.lon);
  const lats = pts.map((p) => p.lat);
  const cLon = (Math.min(...lons) + Math.max(...lons)) / 2;
  const cLat = (Math.min(...lats) + Math.max(...lats)) / 2;
  const kmPerDegLon = KM_PER_DEG_LAT * Math.cos((cLat * Math.PI) / 180);
  const a = Number.isFinite(aspect) && aspect > 0 ? aspect : 1;
  const spanXKm = (Math.max(...lons) - Math.min(...lons)) * kmPerDegLon;
  const spanYKm = (Math.max(...lats) - Math.min(...lats)) * KM_PER_DEG_LAT;
  const halfY = (Math.max(spanYKm, spanXKm / a) / 2) * 1.15 + 0.5;
  const halfX = halfY * a;
  return {
    lon: [cLon - halfX / kmPerDegLon, cLon + halfX / kmPerDegLon],
    lat: [cLat - halfY / KM_PER_DEG_LAT, cLat + halfY / KM_PER_DEG_LAT],
  };
}

interface Point {
  value: [number, number];
  tip: string;
  seq: string;
  symbol?: string;
}

const jobPoint = (j: DispatchJob, l: DispatchLabels, who?: string, seq?: number): Point => ({
  value: [j.lon, j.lat],
  tip: jobTip(j, l, who, seq),
  seq: seq === undefined ? '' : String(seq),
  symbol: j.kind === 'pickup_return' ? 'diamond' : 'circle',
});

/** `aspect`: the plot area's width / height (see `extent`). */
export function routesOption(board: DispatchBoard, l: DispatchLabels, aspect = 1): ChartOption {
  const names = legendNames(board);
  const ext = extent(board, aspect);
  const storePoint: Point = {
    value: [board.store.lon, board.store.lat],
    tip: `<b>${escapeHtml(l.store)}</b>`,
    seq: '',
    symbol: 'rect',
  };
  const fixed = (v: number): string => v.toFixed(3);
  const routes = board.technicians.map((t, i) => {
    const jobs = inVisitOrder(t.jobs);
    return {
      name: names[i],
      type: 'line',
      data: jobs.length
        ? [storePoint, ...jobs.map((j, k) => jobPoint(j, l, names[i], k + 1)), storePoint]
        : [],
      showSymbol: true,
      symbolSize: 11,
      itemStyle: { color: techColor(i) },
      lineStyle: { color: techColor(i), width: 2.5 },
      label: { show: true, position: 'top', formatter: (p: { data: Point }) => p.data.seq },
      z: 3,
    };
  });
  return {
    animation: false,
    tooltip: { trigger: 'item', formatter: (p: { data?: Point }) => p.data?.tip ?? '' },
    legend: { top: 0, data: [l.store, ...names, l.waiting, l.declined] },
    grid: { left: 8, right: 16, top: 40, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      min: ext.lon[0],
      max: ext.lon[1],
      axisLabel: { formatter: fixed, color: '#94a3b8', showMinLabel: false, showMaxLabel: false },
      splitLine: { lineStyle: { color: '#f1f5f9' } },
    },
    yAxis: {
      type: 'value',
      min: ext.lat[0],
      max: ext.lat[1],
      axisLabel: { formatter: fixed, color: '#94a3b8', showMinLabel: false, showMaxLabel: false },
      splitLine: { lineStyle: { color: '#f1f5f9' } },
    },
    series: [
      {
        name: l.store,
        type: 'scatter',
        data: [storePoint],
        symbol: 'rect',
        symbolSize: 16,
        itemStyle: { color: STORE_COLOR },
        z: 5,
      },
      ...routes,
      {
        name: l.waiting,
        type: 'scatter',
        data: board.waiting.map((j) => jobPoint(j, l, l.waiting)),
        symbolSize: 10,
        itemStyle: { color: WAITING_COLOR },
      },
      {
        name: l.declined,
        type: 'scatter',
        data: board.declined.map((j) => ({ ...jobPoint(j, l, l.declined), symbol: 'triangle' })),
        symbolSize: 10,
        itemStyle: { color: DECLINED_COLOR },
      },
    ],
  };
}

/** Busy minutes (time at addresses) and job count per technician. */
export function loadOption(board: DispatchBoard, l: DispatchLabels): ChartOption {
  const names = legendNames(board);
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    legend: { top: 0 },
    grid: { left: 8, right: 8, top: 36, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: names, axisLabel: { width: 80, overflow: 'truncate' } },
    yAxis: [
      { type: 'value', minInterval: 1 },
      { type: 'value', minInterval: 1, splitLine: { show: false } },
    ],
    series: [
      {
        name: l.busyMinutes,
        type: 'bar',
        data: board.technicians.map((t, i) => ({ value: t.busyMinutes, itemStyle: { color: techColor(i) } })),
        itemStyle: { color: techColor(0) },
        label: { show: true, position: 'top' },
      },
      {
        name: l.jobs,
        type: 'bar',
        yAxisIndex: 1,
        data: board.technicians.map((t) => t.jobs.length),
        itemStyle: { color: WAITING_COLOR },
        label: { show: true, position: 'top' },
      },
    ],
  };
}
