/**
 * The store fulfils the owner's booking on a tablet: finds it on the day's board by plate, checks
 * it in, inspects (one yellow point with a photo), adds the recommended item to the estimate and
 * sends it; the owner approves on the signed link; the technician ticks the SOP steps on a phone;
 * a second person passes QC; the desk takes the payment due and hands the car over. The owner then
 * sees the timeline and reviews.
 */
import { PHONE, TABLET, expect, type Ctx, type Scenario } from './harness.js';
import { DEMO_PASSWORD } from './fixtures.js';
import type { Page } from 'playwright-core';

interface User {
  id: string;
  login: string | null;
  role: string;
  status: string;
}

async function signInStaff(page: Page, login: string): Promise<void> {
  await page.getByLabel('账号').fill(login);
  await page.getByLabel('密码').fill(DEMO_PASSWORD);
  await page.getByRole('button', { name: '登录' }).click();
}

async function woStatus(ctx: Ctx, id: string): Promise<string> {
  return (await ctx.operator.call<{ status: string }>('GET', `/work-orders/${id}`)).status;
}

export const storeHandsOver: Scenario = {
  name: 'store advances the work order to handed-over',
  async run(ctx: Ctx) {
    const { bookingId, storeId, plate } = ctx.shared;
    expect(bookingId && storeId && plate, 'the owner scenario did not leave a booking');
    const booking = await ctx.operator.call<{ startAt: string; technicianId: string | null }>(
      'GET',
      `/bookings/${bookingId}`,
    );
    const users = await ctx.operator.call<{ items: User[] }>('GET', `/users?orgId=${storeId}&limit=100`);
    const active = users.items.filter((u) => u.status === 'active' && u.login);
    const manager =
      active.find((u) => u.role === 'store_manager') ?? active.find((u) => u.role === 'front_desk');
    expect(manager?.login, `no manager or desk login at ${storeId}`);
    const techs = await ctx.operator.call<{ items: Array<{ id: string; userId: string | null }> }>(
      'GET',
      `/stores/${storeId}/technicians`,
    );
    const techUserId = techs.items.find((x) => x.id === booking.technicianId)?.userId ?? null;
    const techLogin = active.find((u) => u.id === techUserId)?.login ?? null;
    const day = new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(
      new Date(booking.startAt),
    );

    const desk = await ctx.newContext(TABLET);
    const page = await desk.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    ctx.step(`sign in as ${manager.login}, open the board of ${day}, find ${plate}`);
    await page.goto(`/store?store=${storeId}`);
    await signInStaff(page, manager.login);
    await page.getByTestId('board').waitFor();
    await page.getByLabel('日期', { exact: true }).fill(day);
    await page.locator(`[data-testid="board-block"][data-plate="${plate}"]`).waitFor();
    await page.getByLabel('车牌号或手机号').fill(plate);
    await page.getByTestId('find-arrival').click();
    await page.getByTestId('booking-panel').waitFor();
    await ctx.shot(page, 'store-board', { fullPage: false });

    ctx.step('check in: odometer and fuel, validated first');
    await page.getByTestId('check-in-submit').click();
    await page.getByText('必填').first().waitFor();
    await page.getByLabel('里程（公里）').fill('23500');
    await page.getByLabel('油量/电量（%）').fill('60');
    await page.getByTestId('check-in-submit').click();
    await page.getByTestId('work-order-header').waitFor();
    const woId = /\/store\/work-orders\/(wo_[a-z0-9]+)/.exec(page.url())?.[1];
    expect(woId, `no work order id in ${page.url()}`);
    ctx.shared.workOrderId = woId;

    ctx.step('inspection: all green but the wipers, which are yellow with a photo');
    const items = page.getByTestId('inspection-item');
    const n = await items.count();
    expect(n >= 8, `only ${n} inspection points`);
    for (let i = 0; i < n; i++) {
      const item = items.nth(i);
      const code = await item.getAttribute('data-code');
      const result = code === 'wipers' ? 'yellow' : 'green';
      if (code === 'wipers') await item.getByLabel('备注').fill('雨刮片老化，刮水有残留');
      await item.locator(`button[data-result="${result}"]`).click();
      await item.locator(`button[data-result="${result}"][aria-checked="true"]`).waitFor();
    }
    const wipers = page.locator('[data-testid="inspection-item"][data-code="wipers"]');
    const photo = await page.locator('[data-testid="work-order-header"]').screenshot({ type: 'png' });
    await wipers
      .getByTestId('photo-input')
      .setInputFiles({ name: 'wipers.png', mimeType: 'image/png', buffer: photo });
    await wipers.getByTestId('photo').waitFor();
    await ctx.shot(page, 'store-inspection');

    ctx.step('estimate: add the recommended wiper blades, send it to the owner');
    await page.getByLabel('增加服务项目').selectOption('wipers');
    await page.getByTestId('add-item').click();
    await page.locator('[data-testid="estimate-line"].line-pending').first().waitFor();
    await page.getByTestId('send-estimate').click();
    const link = page.getByTestId('approval-url');
    await link.waitFor();
    const approvalUrl = await link.getAttribute('href');
    expect(approvalUrl, 'no approval link');
    ctx.shared.approvalUrl = approvalUrl;
    await ctx.shot(page, 'store-estimate-sent');

    ctx.step('the owner approves on the signed link (no sign-in needed)');
    const owner = ctx.shared.ownerPage ?? (await (await ctx.newContext(PHONE, { mobile: true })).newPage());
    await owner.goto(new URL(approvalUrl).pathname);
    await owner.getByTestId('estimate-approval').waitFor();
    await owner.getByTestId('submit-approval').click();
    await owner.getByText(/还有 \d+ 项未选择/).waitFor();
    for (const b of await owner.getByTestId('approve-line').all()) await b.click();
    await ctx.shot(owner, 'owner-approval', { fullPage: false });
    await owner.getByTestId('submit-approval').click();
    await owner.getByText('所有项目都已确认，门店将按确认的项目施工').waitFor();
    expect((await woStatus(ctx, woId)) === 'approved', 'the work order is not approved');

    ctx.step(
      techLogin
        ? `the technician ${techLogin} ticks the SOP steps on a phone`
        : 'the desk ticks the SOP steps',
    );
    let qcPage = page;
    if (techLogin) {
      const techCtx = await ctx.newContext(PHONE, { mobile: true });
      const tech = await techCtx.newPage();
      await tech.goto('/store/tech');
      await signInStaff(tech, techLogin);
      await tech.locator(`[data-testid="job-row"][href$="${woId}"]`).click();
      await tech.getByTestId('sop-steps').waitFor();
      const steps = tech.getByTestId('sop-step');
      const count = await steps.count();
      for (let i = 0; i < count; i++) {
        await steps.nth(i).locator('input').click();
        await tech.locator('[data-testid="sop-step"].done').nth(i).waitFor();
      }
      await ctx.shot(tech, 'tech-sop-steps');
      await tech.getByTestId('finish-work').click();
      await tech.getByText('已提交质检').waitFor();
      await techCtx.close();

      ctx.step('back on the board, the manager advances the node: QC passed from the booking panel');
      await page.goto(`/store?store=${storeId}`);
      await page.getByLabel('日期', { exact: true }).fill(day);
      await page.locator(`[data-testid="board-block"][data-plate="${plate}"]`).click();
      const quick = page.getByTestId('quick-actions');
      await quick.getByTestId('advance').click();
      await quick.getByText('待交车').waitFor();
      await ctx.shot(page, 'store-board-advanced', { fullPage: false });
      await page.getByTestId('open-work-order').click();
    } else {
      const steps = page.getByTestId('sop-step');
      const count = await steps.count();
      for (let i = 0; i < count; i++) {
        await steps.nth(i).locator('input').click();
        await page.locator('[data-testid="sop-step"].done').nth(i).waitFor();
      }
      await page.getByTestId('finish-work').click();
      const deskUser = active.find((u) => u.role === 'front_desk' && u.login !== manager.login);
      expect(deskUser?.login, 'no second person for QC');
      const second = await ctx.newContext(TABLET);
      qcPage = await second.newPage();
      await qcPage.goto(`/store/work-orders/${woId}?store=${storeId}`);
      await signInStaff(qcPage, deskUser.login);
      await qcPage.getByTestId('qc-pass').click();
    }

    ctx.step('payment of what is due, hand-over');
    await qcPage.getByTestId('handover-panel').waitFor();
    await ctx.shot(qcPage, 'store-ready-to-hand-over');
    if (await qcPage.getByTestId('take-payment').count()) {
      await qcPage.getByLabel('支付方式').selectOption('wechat');
      await qcPage.getByTestId('take-payment').click();
      await qcPage.locator('[data-testid="hand-over"]:not([disabled])').waitFor();
    }
    await qcPage.getByTestId('hand-over').click();
    await qcPage.getByTestId('handed-over').waitFor();
    await ctx.shot(qcPage, 'store-handed-over');
    expect((await woStatus(ctx, woId)) === 'handed_over', 'the work order is not handed over');

    ctx.step('the owner follows the timeline with the inspection photo and reviews');
    expect(ctx.shared.ownerPage, 'the owner is not signed in');
    await owner.goto(`/owner/bookings/${bookingId}`);
    await owner.getByTestId('owner-work-order').waitFor();
    await owner.getByTestId('owner-work-order').getByTestId('timeline').waitFor();
    await owner.getByTestId('inspection-report').getByTestId('photo').waitFor();
    await owner.getByTestId('review-form').waitFor();
    await ctx.shot(owner, 'owner-timeline');
    await owner.getByTestId('submit-review').click();
    await owner.getByText('请选择星级').waitFor();
    await owner.getByRole('radio', { name: '5 星' }).click();
    await owner.getByRole('button', { name: '价格透明' }).click();
    await owner.getByTestId('submit-review').click();
    await owner.getByText('感谢您的评价！').waitFor();
    expect((await woStatus(ctx, woId)) === 'reviewed', 'the work order is not reviewed');
    await owner.goto(`/owner/vehicles/${ctx.shared.vehicleId}/service-book`);
    await owner.getByTestId('service-book').waitFor();
    await ctx.shot(owner, 'owner-service-book', { fullPage: false });
    ctx.step('the owner records an oil change done at another shop');
    const elsewhere = owner.getByRole('form', { name: '记录在其他门店做过的保养' });
    await elsewhere.getByLabel('保养项目').selectOption('oil_service');
    await elsewhere.getByLabel('当时里程（公里，选填）').fill('41200');
    await elsewhere.getByRole('button', { name: '保存记录' }).click();
    await owner.getByTestId('service-records').getByText('更换机油机滤').waitFor();
    await owner.getByTestId('service-records').getByText('41200 公里').waitFor();
    // The list is read back from the server after the save; a reload shows it again.
    await owner.reload();
    await owner.getByTestId('service-records').getByText('更换机油机滤').waitFor();
    await ctx.shot(owner, 'owner-service-records');
    expect(errors.length === 0, `page errors: ${errors.join('; ')}`);
    await desk.close();
  },
};
