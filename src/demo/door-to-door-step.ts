/**
 * Demo: door-to-door work for the stores that offer it — owners living nearby ask for on-site
 * service or a pick-up in the coming two days, and dispatch plans each store's days, so the
 * dispatch board shows routes, promised windows and the odd refusal.
 */
import type { AppContext } from '../platform/context.js';
import type { Executor, Tx } from '../platform/db/types.js';
import { convert, haversineMeters } from '../platform/domain/geo.js';
import { randomInt } from '../platform/domain/random.js';
import { addDays, localToUtc, utcToLocal } from '../platform/time.js';
import { requestDoorToDoor } from '../modules/booking/door-to-door.js';
import { planDoorToDoorDay } from '../modules/dispatch/index.js';
import type { DemoWorld } from './load-demo.js';

/** Requests per store and day. */
const PER_DAY = 5;
const ONSITE_ITEMS = [['wipers'], ['battery_12v'], ['diagnostic_scan'], ['tyre_rotate'], ['ac_service']];

export async function doorToDoorStep(ctx: AppContext, ex: Executor, w: DemoWorld): Promise<void> {
  const tx = ex as Tx;
  const tz = ctx.config.timezone;
  const today = utcToLocal(w.now, tz).day;
  const d2dStores = w.stores.filter((s) => s.index % 4 === 0);
  let requests = 0;
  for (const s of d2dStores) {
    const store = convert(s.gcj, 'gcj02', 'wgs84');
    // Owners with a car who live within the store's 8 km radius.
    const nearby = w.vehicles.filter((v) => {
      const home = convert(w.owners[v.ownerIndex]!.home, 'gcj02', 'wgs84');
      return haversineMeters(home, store) < 7_500;
    });
    if (nearby.length === 0) continue;
    for (const day of [addDays(today, 1), addDays(today, 2)]) {
      for (let k = 0; k < PER_DAY; k++) {
        const v = nearby[randomInt(w.rng, nearby.length)]!;
        const owner = w.owners[v.ownerIndex]!;
        const startMin = 9 * 60 + 30 * randomInt(w.rng, 14); // 09:00 … 15:30
        const hours = 1 + randomInt(w.rng, 3);
        const pickup = randomInt(w.rng, 4) === 0;
        await requestDoorToDoor(ctx, tx, owner.userId, {
          storeId: s.id,
          vehicleId: v.id,
          kind: pickup ? 'pickup_return' : 'onsite',
          items: pickup ? ['minor_service'] : ONSITE_ITEMS[randomInt(w.rng, ONSITE_ITEMS.length)]!,
          address: `${owner.district.name}某小区 ${1 + randomInt(w.rng, 30)} 幢`,
          at: convert(owner.home, 'gcj02', 'wgs84'),
          windowStart: localToUtc(day, startMin, tz),
          windowEnd: localToUtc(day, startMin + hours * 60, tz),
        });
        requests++;
      }
      await planDoorToDoorDay(ctx, tx, s.id, day);
    }
  }
  w.summary.doorToDoorRequests = requests;
}
