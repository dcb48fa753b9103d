/**
 * ECharts in React: only the charts and components the console uses, the SVG renderer (works in
 * jsdom and gives screenshots/tests real <svg> nodes), no animation, resized with its box.
 */
import { BarChart, EffectScatterChart, LineChart, PieChart, ScatterChart } from 'echarts/charts';
import {
  DatasetComponent,
  GridComponent,
  LegendComponent,
  MarkPointComponent,
  TitleComponent,
  TooltipComponent,
} from 'echarts/components';
import * as echarts from 'echarts/core';
import { SVGRenderer } from 'echarts/renderers';
import { useEffect, useRef, type ReactNode } from 'react';

echarts.use([
  BarChart,
  LineChart,
  PieChart,
  ScatterChart,
  EffectScatterChart,
  GridComponent,
  TooltipComponent,
  LegendComponent,
  TitleComponent,
  DatasetComponent,
  MarkPointComponent,
  SVGRenderer,
]);

export type ChartOption = echarts.EChartsCoreOption;

export interface ChartClick {
  seriesIndex?: number;
  dataIndex: number;
  data?: unknown;
}

export function Chart({
  option,
  height = 260,
  onClick,
  testId,
  ariaLabel,
}: {
  option: ChartOption;
  height?: number;
  onClick?: (e: ChartClick) => void;
  testId?: string;
  ariaLabel?: string;
}): ReactNode {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<echarts.ECharts | null>(null);
  const clickRef = useRef(onClick);
  clickRef.current = onClick;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const c = echarts.init(el, undefined, { renderer: 'svg' });
    chart.current = c;
    c.on('click', (p) => clickRef.current?.(p as unknown as ChartClick));
    const ro = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(() => c.resize());
    ro?.observe(el);
    return () => {
      ro?.disconnect();
      c.dispose();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    chart.current?.setOption({ animation: false, ...option }, true);
  }, [option]);

  return (
    <div
      ref={box}
      className="chart"
      style={{ height, width: '100%' }}
      data-testid={testId}
      role="img"
      aria-label={ariaLabel}
    />
  );
}
