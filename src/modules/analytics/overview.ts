/**
 * The operator's (and chain's, and store manager's) overview: bookings and searches per day, the
 * search → booking conversion, average order value, store utilisation (booked minutes over
 * bay-minutes open) and top services — all within the caller's scope, from the modules' own
 * aggregate functions.
 */
import type { AppContext } from '../../platform/context.js';
import type { StaffPrincipal } from '../../platform/auth/principal.js';
import { addDays, localToUtc } from '../../platform/time.js';
import { bookedMinutesByStore, funnelByDay } from '../booking/index.js';
import { revenueByDay, topServices } from '../workorders/index.js';
import { catalogSnapshot } from '../catalog/index.js';
import { holidaysCached, listStoresScoped, openingOn, storeSetups } from '../stores/index.js';

export async function overview(ctx: AppContext, p: StaffPrincipal, q: { from: string; to: string }) {
  const tz = ctx.config.timezone;
  const from = localToUtc(q.from, 0, tz);
  const to = localToUtc(addDays(q.to, 1), 0, tz);
  const stores = (await listStoresScoped(ctx.db, p, { limit: 5000 })).items;
  const platformWide = p.role === 'platform_operator' || p.role === 'regulator';
  const storeIds = platformWide ? null : stores.map((s) => s.id);
  const [funnel, revenue, top, cat, booked, setups, hol] = await Promise.all([
    funnelByDay(ctx.db, { from, to, storeIds, tz }),
    revenueByDay(ctx.db, { from, to, storeIds, tz }),
    topServices(ctx.db, { from, to, storeIds, limit: 10 }),
    catalogSnapshot(ctx.db, ctx.db),
    bookedMinutesByStore(ctx.db, { from, to, storeIds: stores.map((s) => s.id) }),
    storeSetups(
      ctx.db,
      ctx.db,
      stores.map((s) => s.id),
    ),
    holidaysCached(ctx.db, ctx.db, q.from, q.to),
  ]);
  const days: Array<{
    day: string;
    searches: number;
    bookings: number;
    confirmed: number;
    orders: number;
    revenueFen: number;
  }> = [];
  for (let d = q.from; d <= q.to; d = addDays(d, 1)) {
    const f = funnel.find((x) => x.day === d);
    const r = revenue.find((x) => x.day === d);
    days.push({
      day: d,
      searches: f?.searches ?? 0,
      bookings: f?.holds ?? 0,
      confirmed: f?.confirmed ?? 0,
      orders: r?.orders ?? 0,
      revenueFen: r?.revenueFen ?? 0,
    });
  }
  const searches = days.reduce((s, d) => s + d.searches, 0);
  const bookings = days.reduce((s, d) => s + d.confirmed, 0);
  const orders = days.reduce((s, d) => s + d.orders, 0);
  const revenueFen = days.reduce((s, d) => s + d.revenueFen, 0);
  const utilisation = stores.map((s) => {
    const setup = setups.get(s.id);
    let capacity = 0;
    if (setup) {
      const bays = setup.bays.filter((b) => b.active).length;
      for (let d = q.from; d <= q.to; d = addDays(d, 1)) {
        const o = openingOn(d, setup.hours, setup.exceptions, hol.get(d), setup.store.holidayMode);
        if (o) capacity += (o.closeMin - o.openMin) * bays;
      }
    }
    const bookedMinutes = booked.get(s.id) ?? 0;
    return {
      storeId: s.id,
      storeName: s.name,
      bookedMinutes,
      capacityMinutes: capacity,
      rate: capacity ? Math.round((bookedMinutes / capacity) * 1000) / 1000 : 0,
    };
  });
  return {
    from: q.from,
    to: q.to,
    days,
    conversion: { searches, bookings, rate: searches ? Math.round((bookings / searches) * 1000) / 1000 : 0 },
    averageOrderFen: orders ? Math.round(revenueFen / orders) : 0,
    revenueFen,
    orders,
    utilisation: utilisation.sort((a, b) => b.rate - a.rate),
    topServices: top.map((t) => ({
      code: t.code,
      nameZh: cat.items.get(t.code)?.nameZh ?? t.code,
      nameEn: cat.items.get(t.code)?.nameEn ?? t.code,
      count: t.count,
    })),
  };
}
