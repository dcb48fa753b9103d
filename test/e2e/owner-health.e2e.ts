/**
 * The owner (375 px) opens a vehicle's health page from the vehicles list: the components of its
 * powertrain with green / yellow / red lights that match the owner's active alerts. When the demo
 * holds an offered maintenance proposal for one of the owner's cars, the owner accepts it in one tap
 * and sees it booked (and the API agrees); otherwise the page is all green for a car without alerts.
 * Either way the consent toggles record a grant with the current terms version and a withdrawal.
 * Then the operator's device list and alert map render (a table or an empty state); from the list the
 * operator disables a dongle with a reason and enables it again, and the API and audit trail agree.
 */
import type { Page } from 'playwright-core';
import { ApiClient, DEMO_PASSWORD, latestOtp } from './fixtures.js';
import { DESKTOP, PHONE, expect, type Ctx, type Scenario } from './harness.js';

interface Vehicle {
  id: string;
  plate: string;
  powertrain: string;
}
interface Alert {
  id: string;
  vehicleId: string;
  component: string;
  severity: 'watch' | 'soon' | 'urgent';
  status: string;
  proposal: { id: string; status: string; bookingId: string } | null;
}

const ACTIVE = new Set(['open', 'notified', 'proposed', 'booked', 'snoozed']);
const RANK = { watch: 1, soon: 2, urgent: 3 } as const;

async function signIn(ctx: Ctx): Promise<Page> {
  const context = await ctx.newContext(PHONE, { mobile: true });
  const page = await context.newPage();
  await page.goto('/owner');
  await page.getByLabel('手机号').fill(ctx.shared.ownerPhone);
  let asked = new Date(Date.now() - 2000);
  await page.getByTestId('send-code').click();
  const sent = page.getByText(/验证码已发送至/);
  await sent.or(page.getByText('验证码刚刚发送过，请稍后再试')).waitFor();
  if (!(await sent.isVisible())) {
    await page.locator('[data-testid="send-code"]:not([disabled])').waitFor({ timeout: 70_000 });
    asked = new Date(Date.now() - 2000);
    await page.getByTestId('send-code').click();
    await sent.waitFor();
  }
  await page.getByLabel('验证码').fill(await latestOtp(ctx.operator, ctx.shared.ownerPhone, asked));
  await page.getByRole('button', { name: '登录' }).click();
  await page.getByTestId('book-now').waitFor();
  return page;
}

/** The owner's API client, with the token the signed-in page holds. */
async function ownerApi(ctx: Ctx, page: Page): Promise<ApiClient> {
  const raw = await page.evaluate(() => localStorage.getItem('pitlane.session.owner'));
  const token = raw ? (JSON.parse(raw) as { accessToken?: string }).accessToken : undefined;
  expect(token, 'the owner page holds no session');
  return new ApiClient(ctx.base, token);
}

/** Expected light per component from the owner's active alerts on one vehicle. */
function expectedLights(alerts: Alert[], vehicleId: string): Map<string, string> {
  const worst = new Map<string, Alert['severity']>();
  for (const a of alerts) {
    if (a.vehicleId !== vehicleId || !ACTIVE.has(a.status)) continue;
    const cur = worst.get(a.component);
    if (!cur || RANK[a.severity] > RANK[cur]) worst.set(a.component, a.severity);
  }
  return new Map([...worst].map(([c, s]) => [c, s === 'urgent' ? 'red' : 'yellow']));
}

export const ownerHealth: Scenario = {
  name: 'owner sees vehicle health and accepts a maintenance proposal (375 px)',
  async run(ctx: Ctx) {
    const page = ctx.shared.ownerPage ?? (await signIn(ctx));
    const errors: string[] = [];
    const onError = (e: Error) => errors.push(e.message);
    page.on('pageerror', onError);
    const owner = await ownerApi(ctx, page);

    const cars = (await owner.call<{ items: Vehicle[] }>('GET', '/me/vehicles')).items;
    expect(cars.length > 0, 'the demo owner has no vehicle');
    const alerts = (await owner.call<{ items: Alert[] }>('GET', '/me/maintenance/alerts')).items;
    const offer = alerts.find(
      (a) =>
        ACTIVE.has(a.status) && a.proposal?.status === 'offered' && cars.some((c) => c.id === a.vehicleId),
    );
    const quiet = cars.find((c) => expectedLights(alerts, c.id).size === 0);
    const car = cars.find((c) => c.id === offer?.vehicleId) ?? quiet ?? cars[0]!;
    ctx.step(
      offer
        ? `the demo has an offered proposal (${offer.component}) for ${car.plate}`
        : `no offered proposal in the demo: checking ${car.plate}`,
    );

    ctx.step('open the health page from the vehicles list');
    await page.goto('/owner/vehicles');
    const card = page.getByTestId('vehicle-card').filter({ hasText: car.plate });
    await card.getByTestId('vehicle-health-link').click();
    await page.getByTestId('health-components').waitFor();
    const rows = page.getByTestId('component-row');
    const n = await rows.count();
    expect(n >= 6, `only ${n} components listed`);
    const lights = new Map<string, string>();
    for (let i = 0; i < n; i++) {
      const r = rows.nth(i);
      lights.set(
        (await r.getAttribute('data-component')) ?? '?',
        (await r.getAttribute('data-light')) ?? '?',
      );
    }
    if (car.powertrain === 'ICE')
      expect(!lights.has('traction_battery'), 'a petrol car lists a traction battery');
    if (car.powertrain === 'BEV') expect(!lights.has('oil_service'), 'a BEV lists an oil service');
    const want = expectedLights(alerts, car.id);
    for (const [component, light] of lights) {
      const expected = want.get(component) ?? 'green';
      expect(light === expected, `${component} is ${light}, the alerts say ${expected}`);
    }
    await page.getByTestId('consents').getByRole('switch').first().waitFor();
    await ctx.shot(page, 'owner-vehicle-health');

    if (offer) {
      ctx.step('accept the proposal in one tap: it shows booked');
      const alertCard = page.getByTestId('alert-card').filter({ has: page.getByTestId('accept-proposal') });
      await alertCard.first().getByTestId('accept-proposal').click();
      await page.getByTestId('proposal-booked').first().waitFor();
      await ctx.shot(page, 'owner-proposal-booked');
      const after = (await owner.call<{ items: Alert[] }>('GET', '/me/maintenance/alerts')).items;
      const accepted = after.find((a) => a.proposal?.status === 'accepted' && a.vehicleId === car.id);
      expect(accepted, 'no accepted proposal after the tap');
      const b = await owner.call<{ status: string }>('GET', `/bookings/${accepted.proposal!.bookingId}`);
      expect(b.status === 'confirmed', `the proposal's booking is ${b.status}, expected confirmed`);
    } else if (want.size === 0) {
      ctx.step('no alerts on this car: every component is green');
      const overall = await page.getByTestId('health-overall').getAttribute('data-light');
      expect(overall === 'green', `overall light is ${overall}`);
      await page.getByText('各部件状态良好').waitFor();
    }

    ctx.step('consents: grant driving behaviour with the current terms, then withdraw it');
    const consents = await owner.call<{
      currentVersion: string;
      items: Array<{ purpose: string; granted: boolean }>;
    }>('GET', `/me/vehicles/${car.id}/consents`);
    const drive = page.getByTestId('consent-driving_behaviour');
    const sw = drive.getByRole('switch');
    const was = consents.items.find((i) => i.purpose === 'driving_behaviour')?.granted ?? false;
    expect((await sw.isChecked()) === was, 'the switch does not show the stored consent');
    if (was) {
      await sw.click();
      await drive.getByText(/已撤回/).waitFor();
    }
    await sw.click();
    await drive.getByText(`已授权（条款 ${consents.currentVersion}）`, { exact: false }).waitFor();
    await sw.click();
    await drive.getByText(`已撤回（条款 ${consents.currentVersion}）`, { exact: false }).waitFor();
    const hist = await owner.call<{ history: Array<{ purpose: string; granted: boolean; version: string }> }>(
      'GET',
      `/me/vehicles/${car.id}/consents`,
    );
    const mine = hist.history.filter((h) => h.purpose === 'driving_behaviour');
    expect(mine.length >= 2, `consent history has ${mine.length} driving-behaviour entries`);
    if (was) await sw.click(); // leave it as the demo had it
    page.off('pageerror', onError);
    expect(errors.length === 0, `page errors: ${errors.join('; ')}`);

    ctx.step('the operator: live device list and alerts by city and component');
    const context = await ctx.newContext(DESKTOP);
    const ops = await context.newPage();
    await ops.goto('/ops');
    await ops.getByLabel('账号').fill('operator');
    await ops.getByLabel('密码').fill(DEMO_PASSWORD);
    await ops.getByRole('button', { name: '登录' }).click();
    await ops.getByTestId('dashboard').waitFor();
    await ops.getByTestId('tab-devices').click();
    const devices = ops.getByTestId('devices-table');
    await devices.or(ops.getByTestId('empty')).first().waitFor();
    await ctx.shot(ops, 'ops-devices', { fullPage: false });
    if (await devices.isVisible()) {
      ctx.step('the operator disables a dongle with a reason (audited), then enables it again');
      const row = devices.locator('tbody tr[data-disabled="false"]').first();
      const serial = (await row.getAttribute('data-serial'))!;
      const rowOf = (disabled: boolean) =>
        devices.locator(`tbody tr[data-serial="${serial}"][data-disabled="${disabled}"]`);
      await row.getByTestId('device-state-toggle').click();
      let form = ops.getByTestId('device-state-form');
      // No reason: the form says why it does not go on.
      await form.getByRole('button', { name: `停用设备 ${serial}` }).click();
      await form.getByText('请说明原因，至少 3 个字').waitFor();
      await form.getByLabel('原因（记入审计日志）').fill('设备报失，暂停接入');
      await form.getByRole('button', { name: `停用设备 ${serial}` }).click();
      await ops.getByTestId('device-state-done').getByText(`设备 ${serial} 已停用`).waitFor();
      await rowOf(true).getByText('已停用').waitFor();
      await ctx.shot(ops, 'ops-device-disabled', { fullPage: false });
      const listed = await ctx.operator.call<{
        items: Array<{ id: string; serial: string; disabledAt: string | null }>;
      }>('GET', '/telematics/devices?limit=200');
      const dev = listed.items.find((d) => d.serial === serial);
      expect(dev?.disabledAt, `the API does not show ${serial} disabled`);
      await rowOf(true).getByTestId('device-state-toggle').click();
      form = ops.getByTestId('device-state-form');
      await form.getByLabel('原因（记入审计日志）').fill('设备已找回，恢复接入');
      await form.getByRole('button', { name: `启用设备 ${serial}` }).click();
      await ops.getByTestId('device-state-done').getByText(`设备 ${serial} 已重新启用`).waitFor();
      await rowOf(false).waitFor();
      const trail = await ctx.operator.call<{
        items: Array<{ action: string; details: { reason?: string } }>;
      }>('GET', `/audit?resourceType=device&resourceId=${dev!.id}`);
      const actions = trail.items.map((a) => `${a.action}: ${a.details?.reason ?? ''}`);
      expect(
        actions.includes('telematics.device.disable: 设备报失，暂停接入') &&
          actions.includes('telematics.device.enable: 设备已找回，恢复接入'),
        `audit trail of ${serial}: ${actions.join(' | ')}`,
      );
    }
    await ops.getByTestId('tab-alerts').click();
    const chart = ops.getByTestId('chart-alerts-city').locator('svg');
    await chart.or(ops.getByTestId('empty')).first().waitFor();
    if (await chart.isVisible()) {
      await ops.getByTestId('alerts-table').locator('tbody tr').first().waitFor();
      expect((await chart.locator('path').count()) > 3, 'the alerts chart drew nothing');
    }
    await ctx.shot(ops, 'ops-alerts', { fullPage: false });
    await context.close();
  },
};
