/**
 * The operator's dashboard renders its ECharts charts from GET /api/v1/analytics/overview: each
 * chart has an SVG with drawn data, the KPIs have values; the admin pages list orgs, stores, staff.
 */
import { DEMO_PASSWORD } from './fixtures.js';
import { DESKTOP, expect, type Ctx, type Scenario } from './harness.js';

const CHARTS = ['chart-bookings', 'chart-conversion', 'chart-utilisation', 'chart-top-services'];

export const dashboardRenders: Scenario = {
  name: 'operator dashboard renders its charts',
  async run(ctx: Ctx) {
    const doc = await ctx.operator.call<{ paths: Record<string, unknown> }>('GET', '/openapi.json');
    expect(
      '/api/v1/analytics/overview' in doc.paths,
      'GET /api/v1/analytics/overview is not in the OpenAPI document yet: the dashboard has no data to draw',
    );

    const context = await ctx.newContext(DESKTOP);
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));

    ctx.step('sign in as the platform operator');
    await page.goto('/ops');
    await page.getByLabel('账号').fill('operator');
    await page.getByLabel('密码').fill(DEMO_PASSWORD);
    await page.getByRole('button', { name: '登录' }).click();
    await page.getByTestId('dashboard').waitFor();

    ctx.step('every chart draws SVG shapes from the data');
    await page.getByRole('tab', { name: '近 30 天' }).click();
    for (const id of CHARTS) {
      const svg = page.getByTestId(id).locator('svg');
      await svg.waitFor();
      const shapes = await svg.locator('path').count();
      expect(shapes > 4, `${id} drew only ${shapes} shapes`);
    }
    const bookings = (await page.getByTestId('kpi-bookings').textContent()) ?? '';
    expect(/\d/.test(bookings) && !/^\D*0\D*$/.test(bookings), `no bookings in the KPI: ${bookings}`);
    await ctx.shot(page, 'ops-dashboard');

    ctx.step('administration: orgs, stores and staff lists');
    await page.getByTestId('tab-orgs').click();
    await page.getByTestId('orgs-table').locator('tbody tr').first().waitFor();
    await page.getByTestId('tab-stores').click();
    await page.getByTestId('stores-table').locator('tbody tr').first().waitFor();
    await page.getByTestId('tab-users').click();
    await page.getByTestId('staff-table').locator('tbody tr').first().waitFor();
    await ctx.shot(page, 'ops-users', { fullPage: false });

    expect(errors.length === 0, `page errors: ${errors.join('; ')}`);
    await context.close();
  },
};
