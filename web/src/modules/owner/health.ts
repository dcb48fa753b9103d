/**
 * The vehicle health page's pure parts: which components a powertrain has, the traffic light of an
 * alert severity, one row per component from the owner's alerts, and the proposal's state.
 */
import type { AlertSeverity, MaintenanceAlert, MaintenanceProposal } from '../../api/types';

export type Light = 'green' | 'yellow' | 'red';

/** Components the maintenance module watches (src/modules/maintenance/alerts.ts COMPONENT_NAMES). */
export const COMPONENTS = [
  'oil_service',
  'brake_pads',
  'battery_12v',
  'traction_battery',
  'tyre_leak',
  'coolant',
  'misfire',
  'catalyst',
  'fuel_trim',
  'network',
] as const;

/** Combustion-engine only: no engine oil, ignition or exhaust catalyst on a battery-electric car. */
const ENGINE_ONLY = new Set(['oil_service', 'misfire', 'catalyst', 'fuel_trim']);

/**
 * The components relevant to a powertrain, in display order: a petrol car has no traction battery,
 * a BEV has no engine; hybrids have both.
 */
export function componentsFor(powertrain: string): string[] {
  switch (powertrain) {
    case 'BEV':
      return COMPONENTS.filter((c) => !ENGINE_ONLY.has(c));
    case 'HEV':
    case 'PHEV':
      return [...COMPONENTS];
    default: // ICE and anything unknown
      return COMPONENTS.filter((c) => c !== 'traction_battery');
  }
}

/** Red = urgent, yellow = soon or watch; green = no active alert. */
export function severityLight(severity: AlertSeverity | null | undefined): Light {
  if (severity === 'urgent') return 'red';
  if (severity === 'soon' || severity === 'watch') return 'yellow';
  return 'green';
}

/** Alerts that still stand (src/modules/maintenance/schema.ts ACTIVE_ALERT_STATUSES). */
export const ACTIVE_STATUSES = new Set(['open', 'notified', 'proposed', 'booked', 'snoozed']);
export const isActive = (a: MaintenanceAlert): boolean => ACTIVE_STATUSES.has(a.status);

const RANK: Record<AlertSeverity, number> = { watch: 1, soon: 2, urgent: 3 };

export interface ComponentRow {
  component: string;
  light: Light;
  /** The active alert on this component, if any (the most severe when several came back). */
  alert: MaintenanceAlert | null;
}

/**
 * One row per component of the powertrain (plus any component an active alert names that the list
 * lacks), red first, then yellow, then green; within a colour, the powertrain's order.
 */
export function componentRows(
  powertrain: string,
  alerts: readonly MaintenanceAlert[],
  vehicleId: string,
): ComponentRow[] {
  const active = new Map<string, MaintenanceAlert>();
  for (const a of alerts) {
    if (a.vehicleId !== vehicleId || !isActive(a)) continue;
    const cur = active.get(a.component);
    if (!cur || RANK[a.severity] > RANK[cur.severity]) active.set(a.component, a);
  }
  const order = componentsFor(powertrain);
  for (const c of active.keys()) if (!order.includes(c)) order.push(c);
  const rows = order.map((component) => {
    const alert = active.get(component) ?? null;
    return { component, alert, light: severityLight(alert?.severity) };
  });
  const weight: Record<Light, number> = { red: 0, yellow: 1, green: 2 };
  return rows
    .map((r, i) => ({ r, i }))
    .sort((a, b) => weight[a.r.light] - weight[b.r.light] || a.i - b.i)
    .map((x) => x.r);
}

/** The worst light of the rows: the vehicle's overall state. */
export function overallLight(rows: readonly ComponentRow[]): Light {
  if (rows.some((r) => r.light === 'red')) return 'red';
  if (rows.some((r) => r.light === 'yellow')) return 'yellow';
  return 'green';
}

export type ProposalState = 'offer' | 'booked' | 'closed';

/** What the proposal card shows: an accept button, "booked", or nothing to act on. */
export function proposalState(alert: MaintenanceAlert, p: MaintenanceProposal): ProposalState {
  if (p.status === 'accepted' || alert.status === 'booked') return 'booked';
  if (p.status === 'offered') return 'offer';
  return 'closed';
}

/** The text in the page's language (zh-CN unless English). */
export const localText = (t: { zh: string; en: string }, lang: string): string =>
  lang === 'en' ? t.en : t.zh;

/** Tyre positions in display order. */
export const TYRES = ['fl', 'fr', 'rl', 'rr'] as const;

/** Whether the traction battery figures apply (an NEV or a hybrid with a pack). */
export const hasTractionBattery = (powertrain: string): boolean => powertrain !== 'ICE';
