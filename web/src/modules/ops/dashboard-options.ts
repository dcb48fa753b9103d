/** ECharts options of the operator dashboard, pure functions of the analytics overview. */
import type { AnalyticsOverview } from '../../api/types';
import type { ChartOption } from '../../ui/chart';
import { formatFen, formatPercent } from '../../ui/format';

const BRAND = '#0f766e';
const ACCENT = '#f97316';
const SKY = '#0ea5e9';

export interface Labels {
  bookings: string;
  confirmed: string;
  searches: string;
  revenue: string;
  utilisation: string;
  count: string;
}

export function bookingsPerDayOption(o: AnalyticsOverview, l: Labels): ChartOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 48, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: o.days.map((d) => d.day.slice(5)) },
    yAxis: [
      { type: 'value', minInterval: 1 },
      {
        type: 'value',
        axisLabel: { formatter: (v: number) => `¥${Math.round(v / 100)}` },
        splitLine: { show: false },
      },
    ],
    series: [
      { name: l.bookings, type: 'bar', data: o.days.map((d) => d.bookings), itemStyle: { color: BRAND } },
      { name: l.confirmed, type: 'bar', data: o.days.map((d) => d.confirmed), itemStyle: { color: SKY } },
      {
        name: l.revenue,
        type: 'line',
        yAxisIndex: 1,
        data: o.days.map((d) => d.revenueFen),
        itemStyle: { color: ACCENT },
        tooltip: { valueFormatter: (v: number) => formatFen(v) },
      },
    ],
  };
}

export function conversionOption(o: AnalyticsOverview, l: Labels): ChartOption {
  return {
    animation: false,
    tooltip: { trigger: 'axis' },
    legend: { top: 0 },
    grid: { left: 40, right: 40, top: 36, bottom: 28 },
    xAxis: { type: 'category', data: o.days.map((d) => d.day.slice(5)) },
    yAxis: [
      { type: 'value', minInterval: 1 },
      {
        type: 'value',
        min: 0,
        axisLabel: { formatter: (v: number) => formatPercent(v, 0) },
        splitLine: { show: false },
      },
    ],
    series: [
      { name: l.searches, type: 'bar', data: o.days.map((d) => d.searches), itemStyle: { color: '#cbd5e1' } },
      { name: l.bookings, type: 'bar', data: o.days.map((d) => d.bookings), itemStyle: { color: BRAND } },
      {
        name: `${l.bookings} / ${l.searches}`,
        type: 'line',
        yAxisIndex: 1,
        data: o.days.map((d) => (d.searches > 0 ? Math.min(1, d.bookings / d.searches) : 0)),
        itemStyle: { color: ACCENT },
        tooltip: { valueFormatter: (v: number) => formatPercent(v) },
      },
    ],
  };
}

export function utilisationOption(o: AnalyticsOverview, l: Labels, top = 12): ChartOption {
  const rows = [...o.utilisation]
    .sort((a, b) => b.rate - a.rate)
    .slice(0, top)
    .reverse();
  // the axis ends a little above the busiest store (whole tens of percent), not always at 100 %
  const busiest = Math.max(0, ...rows.map((r) => r.rate));
  const axisMax = Math.min(1, Math.max(0.1, Math.ceil((busiest + 0.02) * 10) / 10));
  return {
    animation: false,
    tooltip: {
      trigger: 'axis',
      axisPointer: { type: 'shadow' },
      valueFormatter: (v: number) => formatPercent(v),
    },
    grid: { left: 8, right: 48, top: 8, bottom: 8, containLabel: true },
    xAxis: {
      type: 'value',
      min: 0,
      max: axisMax,
      axisLabel: { formatter: (v: number) => formatPercent(v, 0) },
    },
    yAxis: {
      type: 'category',
      data: rows.map((r) => r.storeName),
      axisLabel: { width: 120, overflow: 'truncate' },
    },
    series: [
      {
        name: l.utilisation,
        type: 'bar',
        data: rows.map((r) => r.rate),
        itemStyle: { color: BRAND },
        label: {
          show: true,
          position: 'right',
          formatter: (p: { value: number }) => formatPercent(p.value, 0),
        },
      },
    ],
  };
}

export function topServicesOption(o: AnalyticsOverview, l: Labels, en: boolean): ChartOption {
  const rows = [...o.topServices]
    .sort((a, b) => b.count - a.count)
    .slice(0, 10)
    .reverse();
  return {
    animation: false,
    tooltip: { trigger: 'axis', axisPointer: { type: 'shadow' } },
    grid: { left: 8, right: 40, top: 8, bottom: 8, containLabel: true },
    xAxis: { type: 'value', minInterval: 1 },
    yAxis: {
      type: 'category',
      data: rows.map((r) => (en ? r.nameEn : r.nameZh)),
      axisLabel: { width: 140, overflow: 'truncate' },
    },
    series: [
      {
        name: l.count,
        type: 'bar',
        data: rows.map((r) => r.count),
        itemStyle: { color: SKY },
        label: { show: true, position: 'right' },
      },
    ],
  };
}
