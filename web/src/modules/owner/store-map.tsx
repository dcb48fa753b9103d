/**
 * The "map": stores plotted around the owner on GCJ-02 longitude/latitude axes with ECharts (no
 * online tiles are reachable), distance rings at 1, 3 and 5 km, the owner in the centre. The axes
 * are scaled so that a kilometre is as long east–west as north–south. Tapping a store selects it.
 */
import { useMemo, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Chart, type ChartOption } from '../../ui/chart';
import { formatDistance, formatFen } from '../../ui/format';
import type { LonLat } from './location';

export interface MapStore {
  id: string;
  name: string;
  lon: number;
  lat: number;
  distanceM: number;
  totalFen?: number;
}

const KM_PER_DEG_LAT = 111.32;

function ring(centre: LonLat, km: number): Array<[number, number]> {
  const dLat = km / KM_PER_DEG_LAT;
  const dLon = km / (KM_PER_DEG_LAT * Math.cos((centre.lat * Math.PI) / 180));
  return Array.from({ length: 73 }, (_, i) => {
    const a = (i / 72) * 2 * Math.PI;
    return [centre.lon + dLon * Math.cos(a), centre.lat + dLat * Math.sin(a)];
  });
}

export function storeMapOption(
  centre: LonLat,
  stores: MapStore[],
  selectedId: string | null,
  labels: { you: string; km: (n: number) => string },
): ChartOption {
  const cos = Math.cos((centre.lat * Math.PI) / 180);
  const farKm = Math.max(1.5, ...stores.map((s) => s.distanceM / 1000)) * 1.15;
  const halfLat = farKm / KM_PER_DEG_LAT;
  const halfLon = halfLat / cos;
  const rings = [1, 3, 5, 10, 20].filter((k) => k <= farKm);
  return {
    animation: false,
    grid: { left: 8, right: 8, top: 8, bottom: 8, containLabel: false },
    tooltip: {
      trigger: 'item',
      confine: true,
      formatter: (p: { seriesName: string; data: { name?: string; extra?: string } }) =>
        p.data.name ? `${p.data.name}${p.data.extra ? `<br/>${p.data.extra}` : ''}` : p.seriesName,
    },
    xAxis: {
      type: 'value',
      min: centre.lon - halfLon,
      max: centre.lon + halfLon,
      show: false,
    },
    yAxis: {
      type: 'value',
      min: centre.lat - halfLat,
      max: centre.lat + halfLat,
      show: false,
    },
    series: [
      ...rings.map((km) => ({
        type: 'line',
        name: labels.km(km),
        data: ring(centre, km),
        showSymbol: false,
        silent: true,
        lineStyle: { color: '#94a3b8', type: 'dashed', width: 1 },
      })),
      {
        type: 'scatter',
        name: 'rings',
        silent: true,
        symbolSize: 0,
        z: 1,
        label: { show: true, position: 'right', color: '#64748b', fontSize: 10, formatter: '{b}' },
        labelLayout: { hideOverlap: true },
        // on the rings' south-east side, away from the owner's own label
        data: rings.map((km) => {
          const d = km / Math.SQRT2;
          return {
            name: labels.km(km),
            value: [centre.lon + d / (KM_PER_DEG_LAT * cos), centre.lat - d / KM_PER_DEG_LAT],
          };
        }),
      },
      {
        type: 'scatter',
        name: 'stores',
        symbolSize: (_v: unknown, p: { data: { id: string } }) => (p.data.id === selectedId ? 22 : 14),
        itemStyle: { color: '#0f766e', borderColor: '#fff', borderWidth: 2 },
        label: {
          show: true,
          position: 'right',
          fontSize: 10,
          color: '#0f172a',
          formatter: (p: { data: { short: string } }) => p.data.short,
        },
        emphasis: { scale: 1.4 },
        labelLayout: { hideOverlap: true },
        z: 3,
        data: stores.map((s, i) => ({
          id: s.id,
          name: s.name,
          short: String(i + 1),
          value: [s.lon, s.lat],
          extra: `${formatDistance(s.distanceM)}${s.totalFen !== undefined ? ` · ${formatFen(s.totalFen)}` : ''}`,
          itemStyle: s.id === selectedId ? { color: '#f97316' } : undefined,
        })),
      },
      {
        type: 'effectScatter',
        name: labels.you,
        symbolSize: 12,
        rippleEffect: { scale: 3 },
        itemStyle: { color: '#2563eb' },
        label: {
          show: true,
          position: 'top',
          distance: 8,
          formatter: labels.you,
          fontSize: 11,
          color: '#1d4ed8',
          backgroundColor: 'rgba(255,255,255,0.85)',
          padding: [2, 4],
          borderRadius: 4,
        },
        data: [{ value: [centre.lon, centre.lat] }],
      },
    ],
  };
}

export function StoreMap({
  centre,
  stores,
  selectedId,
  onSelect,
}: {
  centre: LonLat;
  stores: MapStore[];
  selectedId: string | null;
  onSelect: (id: string) => void;
}): ReactNode {
  const { t } = useTranslation();
  const option = useMemo(
    () =>
      storeMapOption(centre, stores, selectedId, {
        you: t('book.map.you'),
        km: (n) => t('book.map.km', { n }),
      }),
    [centre, stores, selectedId, t],
  );
  return (
    <div className="store-map">
      <Chart
        option={option}
        height={340}
        testId="store-map"
        ariaLabel={t('book.map.label')}
        onClick={(e) => {
          const d = e.data as { id?: string } | undefined;
          if (d?.id) onSelect(d.id);
        }}
      />
    </div>
  );
}
