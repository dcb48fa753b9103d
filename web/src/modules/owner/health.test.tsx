/** The vehicle health page: severity → light, components per powertrain, rows from alerts, proposal state. */
import { describe, expect, it } from 'vitest';
import type { MaintenanceAlert, MaintenanceProposal } from '../../api/types';
import {
  COMPONENTS,
  componentRows,
  componentsFor,
  hasTractionBattery,
  localText,
  overallLight,
  proposalState,
  severityLight,
} from './health';

const proposal = (over: Partial<MaintenanceProposal> = {}): MaintenanceProposal => ({
  id: 'prp_1',
  storeId: 'st_1',
  bookingId: 'bk_1',
  items: ['brake_pads_front'],
  startAt: '2026-06-03T02:00:00.000Z',
  expiresAt: '2026-06-02T02:00:00.000Z',
  totalFen: 48000,
  status: 'offered',
  reasons: [{ code: 'near', zh: '离您常去的地方近', en: 'Near where you usually drive' }],
  ...over,
});

const alert = (over: Partial<MaintenanceAlert>): MaintenanceAlert => ({
  id: 'alr_1',
  vehicleId: 'veh_1',
  component: 'brake_pads',
  componentZh: '刹车片',
  componentEn: 'brake pads',
  severity: 'soon',
  status: 'open',
  confidence: 0.8,
  dueDay: '2026-06-20',
  dueInKm: 900,
  evidence: [{ code: 'wear', zh: '刹车片磨损约 80%', en: 'Pads about 80 % worn' }],
  openedAt: '2026-06-01T02:00:00.000Z',
  snoozedUntil: null,
  proposal: null,
  ...over,
});

describe('severityLight', () => {
  it('maps urgent to red, soon and watch to yellow, no alert to green', () => {
    expect(severityLight('urgent')).toBe('red');
    expect(severityLight('soon')).toBe('yellow');
    expect(severityLight('watch')).toBe('yellow');
    expect(severityLight(null)).toBe('green');
    expect(severityLight(undefined)).toBe('green');
  });
});

describe('componentsFor', () => {
  it('gives a petrol car the engine parts and no traction battery', () => {
    const ice = componentsFor('ICE');
    expect(ice).toContain('oil_service');
    expect(ice).toContain('misfire');
    expect(ice).toContain('catalyst');
    expect(ice).not.toContain('traction_battery');
    expect(hasTractionBattery('ICE')).toBe(false);
  });

  it('gives a BEV the traction battery and no engine parts', () => {
    const bev = componentsFor('BEV');
    expect(bev).toContain('traction_battery');
    expect(bev).toContain('brake_pads');
    expect(bev).toContain('battery_12v');
    for (const c of ['oil_service', 'misfire', 'catalyst', 'fuel_trim']) expect(bev).not.toContain(c);
    expect(hasTractionBattery('BEV')).toBe(true);
  });

  it('gives hybrids every component, and an unknown powertrain the petrol list', () => {
    expect(componentsFor('PHEV')).toEqual([...COMPONENTS]);
    expect(componentsFor('HEV')).toEqual([...COMPONENTS]);
    expect(componentsFor('diesel?')).toEqual(componentsFor('ICE'));
  });
});

describe('componentRows', () => {
  it('is all green without alerts', () => {
    const rows = componentRows('BEV', [], 'veh_1');
    expect(rows.map((r) => r.component)).toEqual(componentsFor('BEV'));
    expect(rows.every((r) => r.light === 'green' && r.alert === null)).toBe(true);
    expect(overallLight(rows)).toBe('green');
  });

  it('colours alerted components, red first, and ignores other vehicles and closed alerts', () => {
    const rows = componentRows(
      'ICE',
      [
        alert({ id: 'a1', component: 'brake_pads', severity: 'soon' }),
        alert({ id: 'a2', component: 'battery_12v', severity: 'urgent' }),
        alert({ id: 'a3', component: 'oil_service', severity: 'urgent', vehicleId: 'veh_2' }),
        alert({ id: 'a4', component: 'coolant', severity: 'urgent', status: 'dismissed' }),
        alert({ id: 'a5', component: 'misfire', severity: 'watch', status: 'resolved' }),
      ],
      'veh_1',
    );
    expect(rows.slice(0, 2).map((r) => [r.component, r.light])).toEqual([
      ['battery_12v', 'red'],
      ['brake_pads', 'yellow'],
    ]);
    expect(rows.filter((r) => r.light === 'green').map((r) => r.component)).toEqual(
      componentsFor('ICE').filter((c) => c !== 'battery_12v' && c !== 'brake_pads'),
    );
    expect(overallLight(rows)).toBe('red');
  });

  it('keeps the most severe alert of a component and shows a component the list lacks', () => {
    const rows = componentRows(
      'ICE',
      [
        alert({ id: 'a1', component: 'brake_pads', severity: 'watch' }),
        alert({ id: 'a2', component: 'brake_pads', severity: 'urgent', status: 'snoozed' }),
        alert({ id: 'a3', component: 'traction_battery', severity: 'soon' }),
      ],
      'veh_1',
    );
    expect(rows[0]).toMatchObject({ component: 'brake_pads', light: 'red', alert: { id: 'a2' } });
    expect(rows.find((r) => r.component === 'traction_battery')?.light).toBe('yellow');
    expect(rows).toHaveLength(componentsFor('ICE').length + 1);
  });

  it('still colours a booked alert until the work is done', () => {
    const rows = componentRows('ICE', [alert({ status: 'booked', severity: 'soon' })], 'veh_1');
    expect(overallLight(rows)).toBe('yellow');
  });
});

describe('proposalState', () => {
  it('offers an open proposal, shows an accepted one as booked, hides an expired one', () => {
    expect(proposalState(alert({ status: 'proposed' }), proposal())).toBe('offer');
    expect(proposalState(alert({ status: 'proposed' }), proposal({ status: 'accepted' }))).toBe('booked');
    expect(proposalState(alert({ status: 'booked' }), proposal({ status: 'offered' }))).toBe('booked');
    expect(proposalState(alert({ status: 'open' }), proposal({ status: 'expired' }))).toBe('closed');
  });
});

describe('localText', () => {
  it('picks English only for en', () => {
    const t = { zh: '刹车片', en: 'brake pads' };
    expect(localText(t, 'en')).toBe('brake pads');
    expect(localText(t, 'zh-CN')).toBe('刹车片');
  });
});
