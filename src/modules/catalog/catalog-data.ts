/**
 * Reads of the catalog and of price books, with a short per-process cache (the catalog changes
 * rarely; writes in this process invalidate at once, other processes see them within the TTL).
 */
import { asc, inArray } from 'drizzle-orm';
import { together, type Executor } from '../../platform/db/types.js';
import {
  partTypePrices,
  partTypes,
  priceLists,
  serviceItemParts,
  serviceItems,
  vehicleModels,
} from './schema.js';
import type { CatalogItem, PartType, PriceBook, VehicleModel } from './quote.js';

export interface CatalogSnapshot {
  items: Map<string, CatalogItem>;
  itemList: CatalogItem[];
  partTypes: Map<string, PartType>;
  models: Map<string, VehicleModel & { modelRow: typeof vehicleModels.$inferSelect }>;
}

const TTL_MS = 10_000;

/** Caches live per database (keyed by the root handle), so tests and processes never mix. */
interface Caches {
  snapshot?: { at: number; value: Promise<CatalogSnapshot> };
  prices: Map<string, { at: number; value: Promise<PriceBook> }>;
}
const caches = new WeakMap<object, Caches>();
function cachesOf(root: object): Caches {
  let c = caches.get(root);
  if (!c) caches.set(root, (c = { prices: new Map() }));
  return c;
}

export function invalidateCatalogCache(root: object): void {
  caches.delete(root);
}

async function load(ex: Executor): Promise<CatalogSnapshot> {
  const [items, bom, pts, models] = await together(ex, [
    () => ex.select().from(serviceItems).orderBy(asc(serviceItems.sort)),
    () => ex.select().from(serviceItemParts),
    () => ex.select().from(partTypes),
    () => ex.select().from(vehicleModels).orderBy(asc(vehicleModels.make), asc(vehicleModels.model)),
  ]);
  const map = new Map<string, CatalogItem>();
  for (const it of items) {
    map.set(it.code, {
      ...it,
      parts: bom
        .filter((b) => b.itemCode === it.code)
        .map((b) => ({
          partTypeCode: b.partTypeCode,
          qtyMilli: b.qtyMilli,
          perVehicle: b.perVehicle ?? null,
          powertrains: b.powertrains ?? null,
        })),
    });
  }
  return {
    items: map,
    itemList: [...map.values()],
    partTypes: new Map(pts.map((p) => [p.code, p])),
    models: new Map(models.map((m) => [m.id, { ...m, modelRow: m }])),
  };
}

/**
 * The catalog, cached for `root` (the database handle). Loads run on `ex`, which may be an open
 * transaction (on PGlite a query on the root handle inside a transaction would wait on itself).
 */
export function catalogSnapshot(root: object, ex: Executor, now = Date.now()): Promise<CatalogSnapshot> {
  const c = cachesOf(root);
  if (!c.snapshot || now - c.snapshot.at > TTL_MS) {
    const value = load(ex);
    c.snapshot = { at: now, value };
    value.catch(() => {
      c.snapshot = undefined;
    });
  }
  return c.snapshot.value;
}

/** The ancestors of an org path, deepest first: `/a/b/c/` → [c, b, a]. */
export function ancestorIds(orgPath: string): string[] {
  return orgPath.split('/').filter(Boolean).reverse();
}

/** Labour rate and part prices for an org: the deepest org in its path that set each one wins. */
export function priceBookFor(
  root: object,
  ex: Executor,
  orgPath: string,
  opts: { fresh?: boolean } = {},
): Promise<PriceBook> {
  const now = Date.now();
  const priceCache = cachesOf(root).prices;
  const hit = priceCache.get(orgPath);
  if (!opts.fresh && hit && now - hit.at < TTL_MS) return hit.value;
  const value = (async () => {
    const ids = ancestorIds(orgPath);
    const depth = new Map(ids.map((id, i) => [id, i]));
    const [lists, parts] = await together(ex, [
      () => ex.select().from(priceLists).where(inArray(priceLists.orgId, ids)),
      () => ex.select().from(partTypePrices).where(inArray(partTypePrices.orgId, ids)),
    ]);
    const list = lists.sort((a, b) => depth.get(a.orgId)! - depth.get(b.orgId)!)[0];
    const best = new Map<string, { d: number; price: number }>();
    for (const p of parts) {
      const d = depth.get(p.orgId)!;
      const cur = best.get(p.partTypeCode);
      if (!cur || d < cur.d) best.set(p.partTypeCode, { d, price: p.unitPriceFen });
    }
    return {
      labourRateFenPerHour: list?.labourRateFenPerHour ?? 0,
      partPrices: new Map([...best].map(([k, v]) => [k, v.price])),
    };
  })();
  if (opts.fresh) return value;
  priceCache.set(orgPath, { at: now, value });
  value.catch(() => priceCache.delete(orgPath));
  return value;
}

/** The part-type prices in force for an org path (uncached). */
export async function partTypePricesFor(ex: Executor, orgPath: string): Promise<Map<string, number>> {
  return (await priceBookFor({}, ex, orgPath, { fresh: true })).partPrices as Map<string, number>;
}

/** Sets an org's own labour rate and/or part prices (what PUT /catalog/prices does, without the checks). */
export async function setPriceBook(
  ex: Executor,
  org: { id: string; path: string },
  input: { labourRateFenPerHour?: number; partPrices?: Record<string, number> },
): Promise<void> {
  if (input.labourRateFenPerHour !== undefined) {
    const v = { orgId: org.id, orgPath: org.path, labourRateFenPerHour: input.labourRateFenPerHour };
    await ex.insert(priceLists).values(v).onConflictDoUpdate({ target: priceLists.orgId, set: v });
  }
  for (const [code, fen] of Object.entries(input.partPrices ?? {})) {
    const v = { orgId: org.id, orgPath: org.path, partTypeCode: code, unitPriceFen: fen };
    await ex
      .insert(partTypePrices)
      .values(v)
      .onConflictDoUpdate({ target: [partTypePrices.orgId, partTypePrices.partTypeCode], set: v });
  }
}
