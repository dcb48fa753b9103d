/**
 * One detector per component. Each reads the vehicle's own history (since the component's last
 * service), fits the simplest model that explains it, and projects when the component reaches its
 * failure threshold. Confounders are modelled, not thresholded away: cranking voltage is regressed on
 * temperature (cold mornings), tyre pressure is corrected to 20 °C by the gas law and compared with
 * the other tyres (seasons), brake wear integrates braking work (hard-braking drivers wear faster).
 */
import {
  ALERT_MIN_CONFIDENCE,
  type Component,
  type DayFeatures,
  type Evidence,
  type Finding,
  type ServiceEvent,
  type Severity,
  type TyrePosition,
  type VehicleHistory,
} from './types.js';
import { addDaysTo, clamp01, daysBetween, leastSquares, median, theilSen } from './series.js';

/** Model constants; the evaluation benchmark is how they are judged. */
export const MODEL = {
  oil: { intervalKm: 10_000, intervalDays: 365, minTrendDays: 14 },
  /** Braking work a set of pads absorbs (kJ/kg): ≈ 45,000 km at 0.2 kJ/kg per km. */
  pads: { capacityKJkg: 9_000 },
  battery: { crankFailV: 9.6, refTempC: 0, restingLowV: 12.2, restingVeryLowV: 12.0 },
  traction: { failSohPct: 70, normalFadePctPerDay: -0.006, fastFadePctPerDay: -0.03 },
  tyres: { failKpa: 150, leakKpaPerDay: -1.0, minDropKpa: 8, refTempC: 20 },
  coolant: { hotC: 108, failC: 115 },
  /** Days to failure at or under which each severity applies. */
  horizon: { urgent: 7, soon: 21, watch: 45 },
} as const;

const severityFor = (daysLeft: number): Severity | null =>
  daysLeft <= MODEL.horizon.urgent
    ? 'urgent'
    : daysLeft <= MODEL.horizon.soon
      ? 'soon'
      : daysLeft <= MODEL.horizon.watch
        ? 'watch'
        : null;

function lastService(
  h: VehicleHistory,
  c: ServiceEvent['component'],
  asOf: string,
): ServiceEvent | undefined {
  return h.services
    .filter((s) => s.component === c && s.day <= asOf)
    .sort((a, b) => (a.day < b.day ? -1 : 1))
    .at(-1);
}

function daysSince(
  h: VehicleHistory,
  c: ServiceEvent['component'],
  asOf: string,
  windowDays: number,
): DayFeatures[] {
  const since = lastService(h, c, asOf)?.day;
  return h.days.filter(
    (d) => d.day <= asOf && (!since || d.day >= since) && daysBetween(d.day, asOf) <= windowDays,
  );
}

const r1 = (x: number) => Math.round(x * 10) / 10;
const r2 = (x: number) => Math.round(x * 100) / 100;

function finding(
  component: Component,
  asOf: string,
  daysLeft: number,
  confidence: number,
  evidence: Evidence[],
  extra: Partial<Finding> = {},
): Finding | null {
  const severity = severityFor(daysLeft);
  if (!severity) return null;
  return {
    component,
    severity,
    dueDay: addDaysTo(asOf, Math.max(0, daysLeft)),
    dueInKm: null,
    confidence: r2(clamp01(confidence)),
    evidence,
    ...extra,
  };
}

/** Oil service: distance and time since the last one, projected with the vehicle's own mileage. */
export function oilService(h: VehicleHistory, asOf: string): Finding | null {
  if (h.powertrain === 'BEV') return null;
  const last = lastService(h, 'oil_service', asOf);
  if (!last) return null;
  const odo = h.days.filter((d) => d.day <= asOf && d.odometerKm !== undefined);
  const recent = odo.filter((d) => daysBetween(d.day, asOf) <= 60);
  if (recent.length < 3) return null;
  const intervalKm = h.oilIntervalKm ?? MODEL.oil.intervalKm;
  const intervalDays = h.oilIntervalDays ?? MODEL.oil.intervalDays;
  const { slope } = theilSen(
    recent.map((d) => -daysBetween(d.day, asOf)),
    recent.map((d) => d.odometerKm!),
  );
  const kmPerDay = Math.max(0.5, slope);
  const odoNow = recent.at(-1)!.odometerKm!;
  const atService = last.odometerKm ?? odo.find((d) => d.day >= last.day)?.odometerKm;
  if (atService === undefined) return null;
  const kmLeft = intervalKm - (odoNow - atService);
  // A mileage trend needs two weeks to average out the weekly rhythm (a commuter's Monday to
  // Wednesday is not its average); until then only a distance already reached counts.
  const trendKnown = daysBetween(recent[0]!.day, recent.at(-1)!.day) >= MODEL.oil.minTrendDays;
  const byKm = kmLeft <= 0 ? 0 : trendKnown ? kmLeft / kmPerDay : Infinity;
  const byTime = intervalDays - daysBetween(last.day, asOf);
  const daysLeft = Math.min(byKm, byTime);
  const coverage = clamp01(recent.length / 20);
  return finding(
    'oil_service',
    asOf,
    daysLeft,
    byTime <= byKm ? 0.95 : 0.5 + 0.45 * coverage,
    [
      {
        code: 'oil.distance',
        zh: `距上次保养已行驶 ${Math.round(odoNow - atService)} 公里（保养间隔 ${intervalKm} 公里），近期日均 ${r1(kmPerDay)} 公里`,
        en: `${Math.round(odoNow - atService)} km since the last oil service (interval ${intervalKm} km), driving ${r1(kmPerDay)} km a day lately`,
        values: { kmSince: Math.round(odoNow - atService), kmPerDay: r1(kmPerDay), intervalKm },
      },
      {
        code: 'oil.time',
        zh: `距上次保养 ${daysBetween(last.day, asOf)} 天（间隔 ${intervalDays} 天）`,
        en: `${daysBetween(last.day, asOf)} days since the last oil service (interval ${intervalDays} days)`,
        values: { daysSince: daysBetween(last.day, asOf), intervalDays },
      },
    ],
    { dueInKm: Math.round(kmLeft) },
  );
}

/** Brake pads: braking work since the pads were fitted against what a set absorbs, or the pad sensor. */
export function brakePads(h: VehicleHistory, asOf: string): Finding | null {
  const last = lastService(h, 'brake_pads', asOf);
  const since = h.days.filter((d) => d.day <= asOf && (!last || d.day >= last.day));
  const latest = since.at(-1);
  if (latest?.padWarning) {
    return {
      component: 'brake_pads',
      severity: 'urgent',
      dueDay: addDaysTo(asOf, 7),
      dueInKm: null,
      confidence: 0.95,
      evidence: [
        {
          code: 'pads.sensor',
          zh: '刹车片磨损传感器报警',
          en: 'the brake-pad wear sensor is warning',
        },
      ],
    };
  }
  if (!last) return null; // without a fitting date the integral has no start
  const withWork = since.filter((d) => d.brakeWorkKJkg !== undefined);
  if (withWork.length < 7) return null;
  const spanDays = Math.max(1, daysBetween(last.day, asOf) + 1);
  // Scaled up for reporting gaps (days in the span without a figure).
  const wear = withWork.reduce((s, d) => s + d.brakeWorkKJkg!, 0) / (withWork.length / spanDays);
  const recent = withWork.filter((d) => daysBetween(d.day, asOf) < 28);
  // Days without a report are gaps in reporting, not days without driving (a parked day reports 0).
  const perDay = recent.reduce((s, d) => s + d.brakeWorkKJkg!, 0) / Math.max(1, recent.length);
  if (perDay <= 0) return null;
  const capacity = MODEL.pads.capacityKJkg;
  const daysLeft = (capacity - wear) / perDay;
  const km = since.reduce((s, d) => s + (d.distanceKm ?? 0), 0);
  const coverage = withWork.length / spanDays;
  return finding(
    'brake_pads',
    asOf,
    daysLeft,
    0.4 + 0.5 * clamp01(coverage),
    [
      {
        code: 'pads.wear',
        zh: `刹车片估计已磨损 ${Math.round((100 * wear) / capacity)}%（更换后行驶 ${Math.round(km)} 公里），近四周日均制动功 ${r2(perDay)} kJ/kg`,
        en: `brake pads about ${Math.round((100 * wear) / capacity)}% worn (${Math.round(km)} km since fitted), braking work ${r2(perDay)} kJ/kg a day over the last four weeks`,
        values: {
          wornPct: Math.round((100 * wear) / capacity),
          kmSince: Math.round(km),
          workPerDay: r2(perDay),
        },
      },
    ],
    { dueInKm: km > 0 ? Math.round(((capacity - wear) / wear) * km) : null },
  );
}

/** 12 V battery: cranking voltage regressed on temperature and time; resting voltage at 25 °C. */
export function battery12v(h: VehicleHistory, asOf: string): Finding | null {
  const m = MODEL.battery;
  const all = daysSince(h, 'battery_12v', asOf, 45).filter((d) => d.crankMinV !== undefined);
  // Regress on temperature when the car reports it (cold mornings); else on time alone.
  const withTemp = all.filter((d) => d.crankTempC !== undefined);
  const useTemp = withTemp.length >= 10;
  const days = useTemp ? withTemp : all;
  const evidence: Evidence[] = [];
  let daysLeft = Infinity;
  let confidence = 0;
  if (days.length >= 10) {
    const t = days.map((d) => -daysBetween(d.day, asOf));
    const fit = leastSquares(
      useTemp ? [days.map((d) => d.crankTempC!), t] : [t],
      days.map((d) => d.crankMinV!),
    );
    if (fit) {
      const [b0, bTemp, bTime] = (useTemp ? fit.beta : [fit.beta[0]!, 0, fit.beta[1]!]) as [
        number,
        number,
        number,
      ];
      const tStat = bTime / (fit.se[useTemp ? 2 : 1] || Infinity);
      const coldNow = b0 + bTemp * m.refTempC;
      if (bTime < 0 && tStat < -3) {
        daysLeft = (coldNow - m.crankFailV) / -bTime;
        // Twelve starts with a significant trend are enough (a weekend car gives about that in 45 days).
        confidence = clamp01((-tStat - 2) / 4) * clamp01(days.length / 12);
        evidence.push({
          code: 'battery.crank_trend',
          zh: `启动电压${useTemp ? '（按 0°C 折算）' : ''}${r2(coldNow)} V，每天下降 ${r2(-bTime * 1000)} mV，约 ${Math.max(0, Math.round(daysLeft))} 天后低于 ${m.crankFailV} V`,
          en: `cranking voltage${useTemp ? ' (at 0 °C)' : ''} ${r2(coldNow)} V, falling ${r2(-bTime * 1000)} mV a day: below ${m.crankFailV} V in about ${Math.max(0, Math.round(daysLeft))} days`,
          values: { crankAt0C: r2(coldNow), mvPerDay: r2(-bTime * 1000), tStat: r1(tStat) },
        });
      } else if (coldNow < m.crankFailV + 0.3 && fit.residualSd < 0.4) {
        daysLeft = Math.min(daysLeft, 14);
        confidence = 0.7;
        evidence.push({
          code: 'battery.crank_low',
          zh: `启动电压${useTemp ? '（按 0°C 折算）' : ''}仅 ${r2(coldNow)} V`,
          en: `cranking voltage${useTemp ? ' (at 0 °C)' : ''} is only ${r2(coldNow)} V`,
          values: { crankAt0C: r2(coldNow) },
        });
      }
    }
  }
  const resting = daysSince(h, 'battery_12v', asOf, 7)
    .filter((d) => d.restingV !== undefined)
    .map((d) => d.restingV! + 0.0012 * (25 - (d.restingTempC ?? 25)));
  if (resting.length >= 3) {
    const v25 = median(resting);
    if (v25 < m.restingVeryLowV || v25 < m.restingLowV) {
      const d = v25 < m.restingVeryLowV ? 14 : 40;
      if (d < daysLeft) {
        daysLeft = d;
        confidence = Math.max(confidence, v25 < m.restingVeryLowV ? 0.75 : 0.5);
      }
      evidence.push({
        code: 'battery.resting_low',
        zh: `静置电压（按 25°C 折算）${r2(v25)} V，电量不足或老化`,
        en: `resting voltage (at 25 °C) ${r2(v25)} V: undercharged or ageing`,
        values: { restingAt25C: r2(v25) },
      });
    }
  }
  if (!evidence.length) return null;
  return finding('battery_12v', asOf, daysLeft, confidence, evidence);
}

/** Traction battery: state-of-health fade rate against normal ageing. */
export function tractionBattery(h: VehicleHistory, asOf: string): Finding | null {
  if (h.powertrain === 'ICE') return null;
  const m = MODEL.traction;
  const days = daysSince(h, 'traction_battery', asOf, 60).filter((d) => d.sohPct !== undefined);
  if (days.length < 10) return null;
  const { slope, intercept } = theilSen(
    days.map((d) => -daysBetween(d.day, asOf)),
    days.map((d) => d.sohPct!),
  );
  const sohNow = intercept;
  let daysLeft = Infinity;
  if (slope < m.fastFadePctPerDay) daysLeft = (sohNow - m.failSohPct) / -slope;
  if (sohNow <= m.failSohPct + 2) daysLeft = Math.min(daysLeft, sohNow <= m.failSohPct ? 0 : 14);
  if (!Number.isFinite(daysLeft)) return null;
  const confidence = clamp01(days.length / 20) * clamp01((m.fastFadePctPerDay - slope) / 0.02 + 0.6);
  return finding('traction_battery', asOf, daysLeft, confidence, [
    {
      code: 'traction.fade',
      zh: `动力电池健康度 ${r1(sohNow)}%，每月下降 ${r2(-slope * 30)} 个百分点（正常约 ${r2(-m.normalFadePctPerDay * 30)}）`,
      en: `traction battery health ${r1(sohNow)}%, losing ${r2(-slope * 30)} points a month (normal about ${r2(-m.normalFadePctPerDay * 30)})`,
      values: { sohPct: r1(sohNow), pctPerMonth: r2(-slope * 30) },
    },
  ]);
}

const TYRES: TyrePosition[] = ['fl', 'fr', 'rl', 'rr'];
const TYRE_NAMES: Record<TyrePosition, [string, string]> = {
  fl: ['左前', 'front left'],
  fr: ['右前', 'front right'],
  rl: ['左后', 'rear left'],
  rr: ['右后', 'rear right'],
};

/** Gauge pressure corrected to the reference temperature (Gay-Lussac, absolute pressures). */
export function pressureAt(kpa: number, tempC: number, refC: number = MODEL.tyres.refTempC): number {
  return ((kpa + 101.325) * (refC + 273.15)) / (tempC + 273.15) - 101.325;
}

/** Tyres: a slow leak is one tyre losing temperature-corrected pressure faster than the others. */
export function tyreLeak(h: VehicleHistory, asOf: string): Finding | null {
  const m = MODEL.tyres;
  // Temperature-corrected when the sensors report it; the comparison with the other tyres removes
  // what all four share (seasons, sun) either way.
  const days = daysSince(h, 'tyres', asOf, 14).filter((d) => d.tyresKpa);
  if (days.length < 4) return null;
  const x = days.map((d) => -daysBetween(d.day, asOf));
  const per = TYRES.map((p) => {
    const pts = days.flatMap((d, i) =>
      d.tyresKpa![p] !== undefined
        ? [
            {
              x: x[i]!,
              y: d.tyreTempC !== undefined ? pressureAt(d.tyresKpa![p]!, d.tyreTempC) : d.tyresKpa![p]!,
            },
          ]
        : [],
    );
    if (pts.length < 4) return null;
    const f = theilSen(
      pts.map((q) => q.x),
      pts.map((q) => q.y),
    );
    return { p, slope: f.slope, now: f.intercept, drop: pts[0]!.y - pts.at(-1)!.y, n: pts.length };
  }).filter((v): v is NonNullable<typeof v> => v !== null);
  if (per.length < 2) return null;
  const common = median(per.map((v) => v.slope));
  let worst: {
    p: TyrePosition;
    daysLeft: number;
    slope: number;
    now: number;
    drop: number;
    n: number;
  } | null = null;
  for (const v of per) {
    const rel = v.slope - Math.min(0, common);
    const leaking = (rel < m.leakKpaPerDay && v.drop > m.minDropKpa) || v.now < m.failKpa + 30;
    if (!leaking) continue;
    const daysLeft = v.slope < 0 ? (v.now - m.failKpa) / -v.slope : v.now < m.failKpa + 30 ? 7 : Infinity;
    if (!worst || daysLeft < worst.daysLeft) worst = { ...v, daysLeft };
  }
  if (!worst || !Number.isFinite(worst.daysLeft)) return null;
  const [zh, en] = TYRE_NAMES[worst.p];
  return finding(
    'tyre_leak',
    asOf,
    worst.daysLeft,
    clamp01(worst.n / 8) * (worst.drop > 2 * m.minDropKpa ? 1 : 0.75),
    [
      {
        code: 'tyres.slow_leak',
        zh: `${zh}轮胎压（按 20°C 折算）${Math.round(worst.now)} kPa，每天下降 ${r1(-worst.slope)} kPa，其余轮胎正常`,
        en: `${en} tyre at ${Math.round(worst.now)} kPa (at 20 °C), losing ${r1(-worst.slope)} kPa a day while the others hold`,
        values: { tyre: worst.p, kpaAt20C: Math.round(worst.now), kpaPerDay: r1(-worst.slope) },
      },
    ],
  );
}

/** Coolant: repeated overheating, or daily peaks climbing towards the failure temperature. */
export function coolant(h: VehicleHistory, asOf: string): Finding | null {
  if (h.powertrain === 'BEV') return null;
  const m = MODEL.coolant;
  const days = daysSince(h, 'coolant', asOf, 21).filter((d) => d.coolantMaxC !== undefined);
  if (days.length < 5) return null;
  const lastWeek = days.filter((d) => daysBetween(d.day, asOf) < 7);
  const hot = lastWeek.filter((d) => d.coolantMaxC! >= m.hotC).length;
  const { slope, intercept } = theilSen(
    days.map((d) => -daysBetween(d.day, asOf)),
    days.map((d) => d.coolantMaxC!),
  );
  let daysLeft = Infinity;
  if (slope > 0.3 && intercept > 100) daysLeft = (m.failC - intercept) / slope;
  if (hot >= 2) daysLeft = Math.min(daysLeft, hot >= 3 ? 3 : 10);
  if (!Number.isFinite(daysLeft)) return null;
  return finding('coolant', asOf, daysLeft, clamp01(days.length / 10) * (hot >= 2 ? 0.95 : 0.8), [
    {
      code: 'coolant.rising',
      zh: `冷却液最高温度 ${Math.round(intercept)}°C，每天上升 ${r1(slope)}°C；近 7 天 ${hot} 天超过 ${m.hotC}°C`,
      en: `coolant peaks at ${Math.round(intercept)} °C, rising ${r1(slope)} °C a day; ${hot} of the last 7 days above ${m.hotC} °C`,
      values: { peakC: Math.round(intercept), cPerDay: r1(slope), hotDays: hot },
    },
  ]);
}

interface DtcRule {
  component: Component;
  test: (code: string) => boolean;
  severity: (codes: string[], mil: boolean) => Severity;
  zh: string;
  en: string;
}

export const DTC_RULES: readonly DtcRule[] = [
  {
    component: 'misfire',
    test: (c) => /^P030[0-8]$/.test(c),
    severity: (codes, mil) => (mil || codes.includes('P0300') ? 'urgent' : 'soon'),
    zh: '发动机失火',
    en: 'engine misfire',
  },
  {
    component: 'catalyst',
    test: (c) => c === 'P0420' || c === 'P0430',
    severity: () => 'soon',
    zh: '三元催化效率低',
    en: 'catalyst efficiency below threshold',
  },
  {
    component: 'fuel_trim',
    test: (c) => ['P0171', 'P0172', 'P0174', 'P0175'].includes(c),
    severity: (_c, mil) => (mil ? 'soon' : 'watch'),
    zh: '混合气过稀或过浓',
    en: 'mixture too lean or too rich',
  },
  {
    component: 'network',
    test: (c) => /^U0/.test(c),
    severity: () => 'soon',
    zh: '车载网络通信故障',
    en: 'in-vehicle network communication fault',
  },
  {
    component: 'coolant',
    test: (c) => c === 'P0217',
    severity: () => 'urgent',
    zh: '发动机过热',
    en: 'engine over temperature',
  },
];

/** Confirmed trouble codes, by component, with the time each code was first seen. */
export function troubleCodes(h: VehicleHistory, asOf: string): Finding[] {
  const recent = h.days.filter((d) => d.day <= asOf && daysBetween(d.day, asOf) <= 2);
  const seen = new Map<string, string>();
  let mil = false;
  for (const d of recent) {
    mil ||= d.mil === true;
    for (const x of d.dtcs ?? []) if (!seen.has(x.code) || x.at < seen.get(x.code)!) seen.set(x.code, x.at);
  }
  const out: Finding[] = [];
  for (const rule of DTC_RULES) {
    const codes = [...seen.keys()].filter(rule.test).sort();
    if (!codes.length) continue;
    const severity = rule.severity(codes, mil);
    out.push({
      component: rule.component,
      severity,
      dueDay: addDaysTo(asOf, severity === 'urgent' ? 0 : severity === 'soon' ? 7 : 30),
      dueInKm: null,
      confidence: 0.9,
      codes,
      evidence: [
        {
          code: 'dtc',
          zh: `故障码 ${codes.join('、')}：${rule.zh}${mil ? '（故障灯亮）' : ''}`,
          en: `trouble code${codes.length > 1 ? 's' : ''} ${codes.join(', ')}: ${rule.en}${mil ? ' (MIL on)' : ''}`,
          values: { firstSeenAt: codes.map((c) => seen.get(c)!).sort()[0]! },
        },
      ],
    });
  }
  return out;
}

/** Every detector; one finding per component at most (the more severe one wins). */
export function detectFindings(h: VehicleHistory, asOf: string): Finding[] {
  const all = [
    oilService(h, asOf),
    brakePads(h, asOf),
    battery12v(h, asOf),
    tractionBattery(h, asOf),
    tyreLeak(h, asOf),
    coolant(h, asOf),
    ...troubleCodes(h, asOf),
  ].filter((f): f is Finding => f !== null);
  const rank: Record<Severity, number> = { watch: 0, soon: 1, urgent: 2 };
  const best = new Map<Component, Finding>();
  for (const f of all) {
    const b = best.get(f.component);
    if (
      !b ||
      rank[f.severity] > rank[b.severity] ||
      (rank[f.severity] === rank[b.severity] && f.confidence > b.confidence)
    )
      best.set(f.component, f);
  }
  return [...best.values()];
}

/** Whether a finding should raise an alert. */
export const actionable = (f: Finding): boolean => f.confidence >= ALERT_MIN_CONFIDENCE;
