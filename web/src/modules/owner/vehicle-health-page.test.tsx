/** The health page against stubbed API calls: lights, explanation, one-tap accept, consents. */
import { render, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { MemoryRouter, Route, Routes } from 'react-router';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { ApiClient } from '../../api/client';
import type { Consents, MaintenanceAlert, Vehicle, VehicleHealth } from '../../api/types';

const api = vi.hoisted(() => ({
  list: vi.fn(),
  health: vi.fn(),
  alerts: vi.fn(),
  accept: vi.fn(),
  snooze: vi.fn(),
  dismiss: vi.fn(),
  consents: vi.fn(),
  setConsent: vi.fn(),
  bind: vi.fn(),
  unbind: vi.fn(),
  store: vi.fn(),
}));

vi.mock('../../api/endpoints', () => ({
  vehicles: { list: api.list },
  telematics: {
    health: api.health,
    consents: api.consents,
    setConsent: api.setConsent,
    bind: api.bind,
    unbind: api.unbind,
  },
  maintenance: { alerts: api.alerts, accept: api.accept, snooze: api.snooze, dismiss: api.dismiss },
  stores: { get: api.store },
}));

const { VehicleHealthPage, VehicleTelemetryCard } = await import('./vehicle-health-page');
const STAFF = {} as ApiClient;

const CAR: Vehicle = {
  id: 'veh_1',
  vin: null,
  plate: '浙A12345',
  plateKind: 'blue',
  vehicleModelId: 'vm_1',
  modelName: '大众 朗逸',
  powertrain: 'ICE',
  year: 2021,
  color: null,
  odometerKm: 42000,
  nickname: null,
};

const HEALTH: VehicleHealth = {
  vehicleId: 'veh_1',
  asOf: '2026-06-01T01:00:00.000Z',
  odometerKm: 42345,
  battery12vV: 12.4,
  traction: { socPct: null, packVoltageV: null, packTempC: null, charging: null },
  tyresKpa: { fl: 230, fr: 231, rl: 228, rr: 190 },
  mil: true,
  activeDtcs: [{ code: 'P0301', description: 'Cylinder 1 Misfire Detected', severity: 'high' }],
  latest: {},
  dtcAttribution: 'codes: CC BY-SA',
};

const ALERT: MaintenanceAlert = {
  id: 'alr_1',
  vehicleId: 'veh_1',
  component: 'brake_pads',
  componentZh: '刹车片',
  componentEn: 'brake pads',
  severity: 'urgent',
  status: 'proposed',
  confidence: 0.9,
  dueDay: '2026-06-10',
  dueInKm: 400,
  evidence: [{ code: 'wear', zh: '前刹车片已磨损约 85%', en: 'Front pads about 85 % worn' }],
  openedAt: '2026-06-01T00:00:00.000Z',
  snoozedUntil: null,
  proposal: {
    id: 'prp_1',
    storeId: 'st_1',
    bookingId: 'bk_9',
    items: ['brake_pads_front'],
    startAt: '2026-06-03T02:00:00.000Z',
    expiresAt: '2026-06-02T02:00:00.000Z',
    totalFen: 48000,
    status: 'offered',
    reasons: [{ code: 'parts', zh: '刹车片有现货', en: 'Pads in stock' }],
  },
};

const CONSENTS: Consents = {
  currentVersion: '2026-06',
  items: [
    { purpose: 'location', granted: true, version: '2026-06', at: '2026-05-20T02:00:00.000Z' },
    { purpose: 'driving_behaviour', granted: false, version: null, at: null },
    { purpose: 'insurer_sharing', granted: false, version: null, at: null },
  ],
  history: [],
};

function renderPage() {
  return render(
    <MemoryRouter initialEntries={['/owner/vehicles/veh_1/health']}>
      <Routes>
        <Route path="/owner/vehicles/:id/health" element={<VehicleHealthPage />} />
      </Routes>
    </MemoryRouter>,
  );
}

beforeEach(() => {
  for (const f of Object.values(api)) f.mockReset();
  api.list.mockResolvedValue([CAR]);
  api.health.mockResolvedValue(HEALTH);
  api.consents.mockResolvedValue(CONSENTS);
  api.store.mockResolvedValue({ id: 'st_1', name: '驰加·上城区1号店' });
});

describe('VehicleHealthPage', () => {
  it('shows the red component, its explanation and the proposal; one tap books it', async () => {
    api.alerts.mockResolvedValueOnce([ALERT]);
    api.alerts.mockResolvedValue([
      { ...ALERT, status: 'booked', proposal: { ...ALERT.proposal!, status: 'accepted' } },
    ]);
    api.accept.mockResolvedValue({ proposal: { ...ALERT.proposal, status: 'accepted' }, bookingId: 'bk_9' });
    const user = userEvent.setup();
    renderPage();

    const rows = await screen.findAllByTestId('component-row');
    expect(rows[0]!.dataset.component).toBe('brake_pads');
    expect(rows[0]!.dataset.light).toBe('red');
    expect(rows.slice(1).every((r) => r.dataset.light === 'green')).toBe(true);
    expect(rows.map((r) => r.dataset.component)).not.toContain('traction_battery');
    expect(screen.getByTestId('health-overall').dataset.light).toBe('red');
    expect(screen.getByText('前刹车片已磨损约 85%')).toBeTruthy();

    const card = screen.getByTestId('proposal-card');
    expect(within(card).getByText('¥480.00')).toBeTruthy();
    expect(within(card).getByText('刹车片有现货')).toBeTruthy();
    expect(within(card).getByText('更换前刹车片')).toBeTruthy();
    await within(card).findByText('驰加·上城区1号店');

    await user.click(screen.getByTestId('accept-proposal'));
    expect(api.accept).toHaveBeenCalledWith('prp_1');
    await screen.findByTestId('proposal-booked');
    expect(screen.queryByTestId('accept-proposal')).toBeNull();
    expect(screen.queryByTestId('snooze-alert')).toBeNull();

    // telemetry: 12 V, tyres, the trouble code in words
    const tele = screen.getByTestId('telemetry');
    expect(tele.textContent).toContain('12.4 V');
    expect(tele.textContent).toContain('右后 190');
    expect(tele.textContent).toContain('Cylinder 1 Misfire Detected');
  });

  it('snoozes an alert for 7 days', async () => {
    api.alerts.mockResolvedValue([{ ...ALERT, severity: 'soon', status: 'notified', proposal: null }]);
    api.snooze.mockResolvedValue({});
    const user = userEvent.setup();
    renderPage();
    await user.click(await screen.findByTestId('snooze-alert'));
    expect(api.snooze).toHaveBeenCalledWith('alr_1', 7);
    await waitFor(() => expect(api.alerts).toHaveBeenCalledTimes(2));
  });

  it('is all green without alerts and toggles a consent with the current version', async () => {
    api.alerts.mockResolvedValue([]);
    api.health.mockResolvedValue({ ...HEALTH, asOf: null, activeDtcs: [] });
    api.setConsent.mockResolvedValue({
      ...CONSENTS,
      items: CONSENTS.items.map((i) =>
        i.purpose === 'driving_behaviour'
          ? { ...i, granted: true, version: '2026-06', at: '2026-06-01T02:00:00.000Z' }
          : i,
      ),
    });
    const user = userEvent.setup();
    renderPage();
    const rows = await screen.findAllByTestId('component-row');
    expect(rows.every((r) => r.dataset.light === 'green')).toBe(true);
    expect(screen.getByTestId('health-overall').dataset.light).toBe('green');
    expect(screen.getByText(/暂无数据/)).toBeTruthy();

    const loc = await screen.findByTestId('consent-location');
    expect(within(loc).getByText(/已授权（条款 2026-06）/)).toBeTruthy();
    const drive = screen.getByTestId('consent-driving_behaviour');
    expect(within(drive).getByText('尚未授权')).toBeTruthy();
    await user.click(within(drive).getByRole('switch'));
    expect(api.setConsent).toHaveBeenCalledWith('veh_1', 'driving_behaviour', true, '2026-06');
    await within(drive).findByText(/已授权（条款 2026-06）/);
  });

  it('binds a dongle by serial', async () => {
    api.alerts.mockResolvedValue([]);
    api.health.mockResolvedValue({ ...HEALTH, asOf: null });
    api.bind.mockResolvedValue({
      bindingId: 'db_1',
      deviceId: 'dev_1',
      vehicleId: 'veh_1',
      boundAt: '2026-06-01T02:00:00.000Z',
    });
    const user = userEvent.setup();
    renderPage();
    await user.type(await screen.findByLabelText('盒子序列号'), 'PL-OBD-0001');
    await user.click(screen.getByTestId('bind-dongle'));
    expect(api.bind).toHaveBeenCalledWith('veh_1', 'PL-OBD-0001');
    await screen.findByTestId('dongle-bound');
    expect(screen.getByTestId('unbind-dongle')).toBeTruthy();
  });
});

describe('VehicleTelemetryCard (store work order)', () => {
  it('shows the latest data with the staff client, and nothing when telemetry is forbidden', async () => {
    api.health.mockResolvedValueOnce({ ...HEALTH, asOf: null });
    const { unmount } = render(<VehicleTelemetryCard vehicleId="veh_1" powertrain="BEV" api={STAFF} />);
    await screen.findByText('这辆车还没有 OBD 数据（车主未绑定盒子）');
    expect(api.health).toHaveBeenCalledWith('veh_1', STAFF);
    unmount();

    api.health.mockResolvedValueOnce({ ...HEALTH, traction: { ...HEALTH.traction, socPct: 64 } });
    const second = render(<VehicleTelemetryCard vehicleId="veh_1" powertrain="BEV" api={STAFF} />);
    await screen.findByText('64 %');
    second.unmount();

    api.health.mockRejectedValueOnce(new Error('403'));
    const { container } = render(<VehicleTelemetryCard vehicleId="veh_1" powertrain="BEV" api={STAFF} />);
    await waitFor(() => expect(api.health).toHaveBeenCalledTimes(3));
    await new Promise((r) => setTimeout(r, 20));
    expect(container.textContent).toBe('');
  });
});
