/**
 * An owner on a phone (375 px) books a service end to end: signs in with the code from the
 * development outbox, adds a car (first with a wrong plate and VIN to see the validation), picks a
 * service with its transparent price, a store from the list and on the map, a slot, confirms and
 * prepays in the sandbox.
 */
import { makeVin } from '../../src/platform/domain/vin.js';
import { latestOtp } from './fixtures.js';
import { PHONE, expect, type Ctx, type Scenario } from './harness.js';

interface Model {
  id: string;
  powertrain: string;
  makeZh: string;
  modelZh: string;
}

/** A plate nobody in the demo has: 浙A plus five random serial characters. */
function randomPlate(): string {
  const chars = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
  let s = '';
  for (let i = 0; i < 5; i++) s += chars[Math.floor(Math.random() * chars.length)];
  return `浙A${s.replace(/^[A-Z]/, '7')}`;
}

export const ownerBooks: Scenario = {
  name: 'owner books a service end to end (375 px)',
  async run(ctx: Ctx) {
    const context = await ctx.newContext(PHONE, { mobile: true });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    ctx.step('sign in with phone and the one-time code');
    await page.goto('/owner');
    await page.getByLabel('手机号').fill('123');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByText('手机号为 11 位数字').waitFor();
    await page.getByLabel('手机号').fill(ctx.shared.ownerPhone);
    let asked = new Date(Date.now() - 2000);
    await page.getByTestId('send-code').click();
    const sent = page.getByText(/验证码已发送至/);
    await sent.or(page.getByText('验证码刚刚发送过，请稍后再试')).waitFor();
    if (!(await sent.isVisible())) {
      // a code went to this number a moment ago (a re-run): wait for the countdown, ask again
      ctx.step('a code was sent a moment ago: waiting for the resend countdown');
      await page.locator('[data-testid="send-code"]:not([disabled])').waitFor({ timeout: 70_000 });
      asked = new Date(Date.now() - 2000);
      await page.getByTestId('send-code').click();
      await sent.waitFor();
    }
    const code = await latestOtp(ctx.operator, ctx.shared.ownerPhone, asked);
    await page.getByLabel('验证码').fill(code);
    await ctx.shot(page, 'owner-sign-in');
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('book-now').waitFor();

    ctx.step('add a car: validation first, then a valid plate and VIN');
    const models = await ctx.operator.call<{ items: Model[] }>('GET', '/catalog/vehicle-models');
    const model = models.items.find((m) => m.powertrain === 'ICE');
    expect(model, 'the catalogue has no petrol model');
    await page.goto('/owner/vehicles/new?next=book');
    await page.getByLabel('车牌号').fill('浙I1234');
    await page.getByLabel('车架号 VIN（选填）').fill('LSV3PC3A1L0862438');
    await page.getByRole('button', { name: '保存车辆' }).click();
    await page.getByText('车牌第二位应为字母（不含 I）').waitFor();
    await page.getByText(/VIN 校验位（第 9 位）不正确/).waitFor();
    await page.getByText('请选择', { exact: true }).waitFor();
    await ctx.shot(page, 'owner-vehicle-validation');
    const plate = randomPlate();
    ctx.shared.plate = plate;
    await page.getByLabel('车牌号').fill(plate);
    await page.getByLabel('车架号 VIN（选填）').fill(makeVin(Math.random, { wmi: 'LSV' }));
    await page.getByLabel('车型').selectOption(model.id);
    await page.getByLabel('当前里程（公里）').fill('23456');
    await page.getByRole('button', { name: '保存车辆' }).click();

    ctx.step('choose services: the reference price lists labour, parts and discount');
    await page.getByTestId('service-minor_service').click();
    await page.getByTestId('price-lines').waitFor();
    await page.getByText('以离您最近的').waitFor();
    await ctx.shot(page, 'owner-services-price');
    await page.getByTestId('to-store').click();

    ctx.step('stores: ranked list, then the map view');
    await page.getByTestId('store-option').first().waitFor();
    const options = await page.getByTestId('store-option').count();
    expect(options > 0, 'no store option');
    await ctx.shot(page, 'owner-store-list');
    await page.getByTestId('view-map').click();
    const map = page.getByTestId('store-map');
    await map.locator('svg').waitFor();
    const marks = await map.locator('svg path').count();
    expect(marks > options, `the store map drew ${marks} shapes for ${options} stores`);
    await ctx.shot(page, 'owner-store-map', { fullPage: false });
    await page.getByTestId('view-list').click();
    await page.getByTestId('pick-store').first().click();

    ctx.step('pick the first free slot, hold it, confirm');
    await page.getByTestId('slot').first().click();
    await page.getByTestId('hold-slot').click();
    await page.getByTestId('confirm-booking').waitFor();
    await page.getByText(/已为您保留该时段/).waitFor();
    await ctx.shot(page, 'owner-confirm');
    await page.getByTestId('confirm-booking').click();
    await page.getByText('预约成功！到店时报车牌即可').waitFor();
    const bookingId = /\/owner\/bookings\/(bk_[a-z0-9]+)/.exec(page.url())?.[1];
    expect(bookingId, `no booking id in ${page.url()}`);
    ctx.shared.bookingId = bookingId;

    ctx.step('prepay in the sandbox cashier');
    await page.getByTestId('pay-now').click();
    await page.getByTestId('sandbox-pay').click();
    await page.getByTestId('paid').waitFor();
    await ctx.shot(page, 'owner-booked-and-paid');

    const b = await ctx.operator.call<{ storeId: string; status: string; vehicleId: string }>(
      'GET',
      `/bookings/${bookingId}`,
    );
    expect(b.status === 'confirmed', `booking is ${b.status}, expected confirmed`);
    ctx.shared.storeId = b.storeId;
    ctx.shared.vehicleId = b.vehicleId;

    ctx.step('switch to English: the same page in the other language');
    await page.getByTestId('lang-switch').click();
    await page.getByText('Payment received').waitFor();
    await page.getByTestId('lang-switch').click();

    expect(errors.length === 0, `page errors: ${errors.join('; ')}`);
    ctx.shared.ownerPage = page; // the store scenario uses it for the approval and the review
  },
};
