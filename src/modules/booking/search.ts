/**
 * Search: stores near the owner that can do the job, each with its price breakdown, its earliest
 * start times and the reasons it ranks where it does (rankOptions). Every search is logged to the
 * funnel.
 */
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { addDays, utcToLocal } from '../../platform/time.js';
import { catalogSnapshot, type Quote } from '../catalog/index.js';
import { storesNearPoint } from '../stores/index.js';
import { slotsForStores } from './load-availability.js';
import { quoteCached } from './availability-index.js';
import { rankOptions, type Reason } from './rank-options.js';
import { logSearch } from './funnel.js';

export const NOTICE_MINUTES = 30;

export interface SearchQuery {
  near: { lon: number; lat: number };
  radiusM: number;
  vehicleModelId: string;
  items: string[];
  fromDay?: string | undefined;
  days: number;
  maxStores: number;
  slotsPerStore: number;
  ownerId?: string | undefined;
}

export interface SearchOption {
  storeId: string;
  storeName: string;
  lon: number;
  lat: number;
  distanceM: number;
  quote: Quote;
  slots: Array<{ startAt: string; endAt: string }>;
  score: number;
  reasons: Reason[];
}

export async function searchOptions(
  ctx: AppContext,
  ex: Executor,
  q: SearchQuery,
): Promise<{ options: SearchOption[]; storesConsidered: number }> {
  const now = ctx.clock.now();
  const tz = ctx.config.timezone;
  const cat = await catalogSnapshot(ctx.db, ex, now.getTime());
  const model = cat.models.get(q.vehicleModelId);
  if (!model)
    throw new AppError('catalog.unknown_vehicle_model', 'validation', `No vehicle model ${q.vehicleModelId}`);
  const near = (await storesNearPoint(ex, q.near, q.radiusM)).slice(0, q.maxStores);
  const quotes = new Map<string, Quote>();
  for (const n of near) {
    // Throws a 422 for unknown items or items that do not fit the vehicle: the same for every store.
    quotes.set(
      n.store.id,
      await quoteCached(ctx.db, ex, {
        storeId: n.store.id,
        storeOrgPath: n.store.orgPath,
        vehicleModelId: q.vehicleModelId,
        items: q.items,
      }),
    );
  }
  const fromDay = q.fromDay ?? utcToLocal(now, tz).day;
  const days = Array.from({ length: q.days }, (_, i) => addDays(fromDay, i));
  const storeDays = near.length
    ? await slotsForStores(ctx.db, ex, {
        storeIds: near.map((n) => n.store.id),
        days,
        need: (id) => quotes.get(id) ?? null,
        tz,
        now,
        noticeMinutes: NOTICE_MINUTES,
      })
    : [];
  const facts = near.map((n) => {
    const slots = storeDays.filter((d) => d.storeId === n.store.id).flatMap((d) => d.slots);
    const quote = quotes.get(n.store.id)!;
    return {
      storeId: n.store.id,
      distanceM: n.distanceM,
      earliestStartMs: slots[0]?.startMs ?? null,
      totalFen: quote.totalFen,
      ratingAvg: n.store.ratingAvg,
      ratingCount: n.store.ratingCount,
      certified: quote.certifications.every((c) => n.store.certifications.includes(c)),
      store: n.store,
      quote,
      slots,
    };
  });
  const ranked = rankOptions(
    facts.filter((f) => f.slots.length > 0),
    now.getTime(),
  );
  const options: SearchOption[] = ranked.map((r) => ({
    storeId: r.facts.storeId,
    storeName: r.facts.store.name,
    lon: r.facts.store.lon,
    lat: r.facts.store.lat,
    distanceM: Math.round(r.facts.distanceM),
    quote: r.facts.quote,
    slots: r.facts.slots
      .slice(0, q.slotsPerStore)
      .map((s) => ({ startAt: new Date(s.startMs).toISOString(), endAt: new Date(s.endMs).toISOString() })),
    score: Math.round(r.score * 1000) / 1000,
    reasons: r.reasons,
  }));
  logSearch(ctx, {
    at: now,
    kind: 'search',
    ownerId: q.ownerId ?? null,
    items: q.items,
    resultCount: options.length,
    storeId: options[0]?.storeId ?? null,
  });
  return { options, storesConsidered: near.length };
}
