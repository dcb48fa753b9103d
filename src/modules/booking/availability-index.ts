/**
 * The in-process availability index: per store, everything slot search needs that lives in the
 * database and changes with every booking — the live claims (holds, bookings, door-to-door and
 * walk-in blocks) of the store's bays and technicians — plus a memo of quotes (labour + the part
 * prices the store would charge). Searches read it from memory instead of querying per store-day.
 *
 * Freshness:
 * - In this process every claim write calls `invalidateAvailability` (load-availability.ts), which
 *   drops the store's index and keeps the store unindexed for a moment (a read racing the writer's
 *   commit must not keep the old state); roster, hours, bay and holiday writes reach the same
 *   function through the stores / technicians invalidation hooks; catalog price changes replace the
 *   catalog's cached price book, which the quote memo compares by identity.
 * - Writes by other processes (several `pitlane serve` on one PostgreSQL) are seen when the index is
 *   reloaded: an index older than `INDEX_MAX_AGE_MS` is never used, so claims are at most that old
 *   (plus one query). Quotes follow the catalog's and inventory's prices within `QUOTE_MAX_AGE_MS`.
 *
 * This is display data, not a promise: a hold re-checks everything against the database, whose
 * unique (resource, cell) index decides.
 */
import { and, gt, gte, inArray, isNull, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import {
  catalogSnapshot,
  priceBookFor,
  quoteFor,
  skuPricesFor,
  type PriceBook,
  type Quote,
} from '../catalog/index.js';
import { cellKey } from './availability.js';
import { slotClaims } from './schema.js';

/** The longest an index may be used after its load started (bounds staleness across processes). */
export const INDEX_MAX_AGE_MS = 1000;
/** The longest a quote is reused; catalog price changes in this process apply at once. */
export const QUOTE_MAX_AGE_MS = 10_000;
/** Claims are indexed from this long before now; older days are answered by a direct query. */
const INDEX_HISTORY_MS = 2 * 86_400_000;
/** After a claim write, the store is read from the database (not indexed) for this long. */
export const DIRTY_MS = 1000;

export interface ClaimsIndex {
  /** Wall-clock ms when the load started: the data is at least this fresh. */
  at: number;
  /** First cell (epoch ms) covered; earlier cells were not loaded. */
  from: number;
  /** Resources whose claims are loaded. */
  ids: ReadonlySet<string>;
  /** `${resourceId}|${cellStartMs}` → expiry in epoch ms (Infinity once confirmed). */
  cells: Map<string, number>;
  /** The earliest hold expiry (epoch ms), Infinity when no hold is pending: slots computed from
   * this index change then even if nothing is written. */
  nextExpiry: number;
}

interface ClaimsEntry {
  at: number;
  from: number;
  ids: ReadonlySet<string>;
  value: Promise<ClaimsIndex>;
  resolved?: ClaimsIndex;
}

interface QuoteEntry {
  orgPath: string;
  snapshot: Promise<unknown>;
  prices: Promise<unknown>;
  sku: Promise<unknown>;
  value: Promise<Quote>;
}
type SkuPrices = NonNullable<PriceBook['skuPrices']>;

interface State {
  claims: Map<string, ClaimsEntry>;
  quotes: Map<string, QuoteEntry>;
  /** `${storeId}|${storeOrgPath}|${vehicleModelId}` → the store's SKU prices for the model (null: unknown model). */
  skus: Map<string, { at: number; value: Promise<SkuPrices | null> }>;
  /** storeId → wall ms until which the store is not indexed (a write may not have committed yet). */
  dirty: Map<string, number>;
  /** Wall ms until which no store is indexed (a roster or holiday change touched them all). */
  allDirty: number;
}
const states = new WeakMap<object, State>();
export function indexState(root: object): State {
  let s = states.get(root);
  if (!s)
    states.set(
      root,
      (s = { claims: new Map(), quotes: new Map(), skus: new Map(), dirty: new Map(), allDirty: 0 }),
    );
  return s;
}

export function isDirty(root: object, storeId: string, wall: number): boolean {
  const s = indexState(root);
  return s.allDirty > wall || (s.dirty.get(storeId) ?? 0) > wall;
}

/** Drops a store's index (or every store's), keeping it unindexed for DIRTY_MS. */
export function dropIndex(root: object, storeId: string | undefined, wall: number): void {
  const s = indexState(root);
  if (storeId === undefined) {
    s.allDirty = wall + DIRTY_MS;
    s.claims.clear();
    s.quotes.clear();
    s.skus.clear();
    return;
  }
  s.dirty.set(storeId, wall + DIRTY_MS);
  s.claims.delete(storeId);
  for (const k of s.quotes.keys()) if (k.startsWith(`${storeId}|`)) s.quotes.delete(k);
  for (const k of s.skus.keys()) if (k.startsWith(`${storeId}|`)) s.skus.delete(k);
}

/** Live claims of these resources from `from` on: resource id → [cell ms, expiry ms][]. */
async function loadClaims(
  ex: Executor,
  ids: readonly string[],
  from: number,
  now: Date,
): Promise<Map<string, Array<[number, number]>>> {
  const out = new Map<string, Array<[number, number]>>();
  if (!ids.length) return out;
  // One text value instead of a row per cell: parsing rows (timestamps above all) costs far more
  // than the query on PGlite. Each claim is `resourceId,cellMs,expiryMs` (expiry empty once
  // confirmed), claims joined by ';'.
  const ms = (c: typeof slotClaims.cellStart | typeof slotClaims.expiresAt) =>
    sql`((extract(epoch from ${c}) * 1000)::bigint)::text`;
  const [row] = await ex
    .select({
      agg: sql<
        string | null
      >`string_agg(${slotClaims.resourceId} || ',' || ${ms(slotClaims.cellStart)} || ',' || coalesce(${ms(slotClaims.expiresAt)}, ''), ';')`,
    })
    .from(slotClaims)
    .where(
      and(
        inArray(slotClaims.resourceId, [...ids]),
        gte(slotClaims.cellStart, new Date(from)),
        or(isNull(slotClaims.expiresAt), gt(slotClaims.expiresAt, now)),
      ),
    );
  for (const claim of row?.agg ? row.agg.split(';') : []) {
    const [r, c, x] = claim.split(',') as [string, string, string];
    let list = out.get(r);
    if (!list) out.set(r, (list = []));
    list.push([Number(c), x ? Number(x) : Infinity]);
  }
  return out;
}

function indexOf(
  loaded: Map<string, Array<[number, number]>>,
  ids: ReadonlySet<string>,
  from: number,
  wall: number,
): ClaimsIndex {
  const cells = new Map<string, number>();
  let nextExpiry = Infinity;
  for (const id of ids) {
    for (const [c, e] of loaded.get(id) ?? []) {
      cells.set(cellKey(id, c), e);
      if (e < nextExpiry) nextExpiry = e;
    }
  }
  return { at: wall, from, ids, cells, nextExpiry };
}

/** Same claims, same resources: the older index (and what was computed from it) still holds. */
function sameClaims(a: ClaimsIndex, b: ClaimsIndex): boolean {
  if (a.from !== b.from || a.cells.size !== b.cells.size || a.ids.size !== b.ids.size) return false;
  for (const id of b.ids) if (!a.ids.has(id)) return false;
  for (const [k, e] of b.cells) if (a.cells.get(k) !== e) return false;
  return true;
}

/**
 * The claims of a store's resources from `needFrom` on: from the index when it is fresh and covers
 * them, otherwise loaded (and indexed unless the store was just written or `needFrom` is far back).
 */
export function claimsIndexFor(
  root: object,
  ex: Executor,
  storeId: string,
  resourceIds: readonly string[],
  needFrom: number,
  now: Date,
  wall = Date.now(),
): Promise<ClaimsIndex> {
  const s = indexState(root);
  const hit = s.claims.get(storeId);
  if (
    hit &&
    wall - hit.at < INDEX_MAX_AGE_MS &&
    hit.from <= needFrom &&
    resourceIds.every((id) => hit.ids.has(id))
  )
    return hit.value;
  // Whole UTC days, so that reloads on the same day cover the same cells and can be compared.
  const indexFrom = Math.floor((now.getTime() - INDEX_HISTORY_MS) / 86_400_000) * 86_400_000;
  if (needFrom < indexFrom || isDirty(root, storeId, wall)) {
    const from = Math.min(needFrom, indexFrom);
    return loadClaims(ex, resourceIds, from, now).then((m) => indexOf(m, new Set(resourceIds), from, wall));
  }
  // One query reloads this store and every other indexed store past half its age (the query, not
  // the rows, is what costs), so a city of stores is refreshed in a query or two per interval.
  const batch: Array<{ storeId: string; ids: ReadonlySet<string>; prev: ClaimsIndex | undefined }> = [
    { storeId, ids: new Set(resourceIds), prev: hit?.resolved },
  ];
  for (const [other, e] of s.claims) {
    if (batch.length >= 200) break;
    if (other === storeId || !e.resolved || e.from !== indexFrom || wall - e.at < INDEX_MAX_AGE_MS / 2)
      continue;
    batch.push({ storeId: other, ids: e.ids, prev: e.resolved });
  }
  const all = new Set<string>();
  for (const b of batch) for (const id of b.ids) all.add(id);
  const loaded = loadClaims(ex, [...all], indexFrom, now);
  for (const b of batch) {
    // A reload that finds nothing changed keeps the previous index object (stamped with the new
    // load time), so slots computed from it stay valid; a write in this process dropped the entry.
    const value = loaded.then((m) => {
      const fresh = indexOf(m, b.ids, indexFrom, wall);
      const kept = b.prev && sameClaims(b.prev, fresh) ? Object.assign(b.prev, { at: wall }) : fresh;
      entry.resolved = kept;
      return kept;
    });
    const entry: ClaimsEntry = { at: wall, from: indexFrom, ids: b.ids, value };
    s.claims.set(b.storeId, entry);
    value.catch(() => {
      if (s.claims.get(b.storeId) === entry) s.claims.delete(b.storeId);
    });
  }
  return s.claims.get(storeId)!.value;
}

/** The claimed-cell test for slot math: a hold counts until it expires. */
export function claimedAt(index: ClaimsIndex, nowMs: number): { has(key: string): boolean } {
  return {
    has: (key) => {
      const e = index.cells.get(key);
      return e !== undefined && e > nowMs;
    },
  };
}

/**
 * A quote for items on a vehicle model at a store, computed in memory from the catalog's cached
 * snapshot and price book and the store's SKU prices for the model (one query per store and model,
 * reused for at most QUOTE_MAX_AGE_MS: they come from inventory, whose writes this process does not
 * watch). The quote is reused while all three are the same objects — a catalog write replaces the
 * catalog's, so a price change made in this process shows at once.
 */
export function quoteCached(
  root: object,
  ex: Executor,
  q: { storeId: string; storeOrgPath: string; vehicleModelId: string; items: readonly string[] },
  wall = Date.now(),
): Promise<Quote> {
  const s = indexState(root);
  const snapshot = catalogSnapshot(root, ex);
  const prices = priceBookFor(root, ex, q.storeOrgPath);
  const skuKey = `${q.storeId}|${q.storeOrgPath}|${q.vehicleModelId}`;
  let sku = s.skus.get(skuKey);
  if (!sku || wall - sku.at >= QUOTE_MAX_AGE_MS) {
    const value = snapshot.then(async (cat) => {
      const model = cat.models.get(q.vehicleModelId);
      if (!model) return null;
      const got = await skuPricesFor(ex, {
        storeOrgPath: q.storeOrgPath,
        vehicleModelId: q.vehicleModelId,
        powertrain: model.powertrain,
      });
      return got ?? new Map<string, { sku: string; unitPriceFen: number }>();
    });
    if (s.skus.size > 10_000) s.skus.clear();
    const entry = { at: wall, value };
    s.skus.set(skuKey, entry);
    value.catch(() => {
      if (s.skus.get(skuKey) === entry) s.skus.delete(skuKey);
    });
    sku = entry;
  }
  const key = `${q.storeId}|${q.vehicleModelId}|${q.items.join(',')}`;
  const hit = s.quotes.get(key);
  if (
    hit &&
    hit.snapshot === snapshot &&
    hit.prices === prices &&
    hit.sku === sku.value &&
    hit.orgPath === q.storeOrgPath
  )
    return hit.value;
  const skuPrices = sku.value;
  const value = skuPrices.then((m) =>
    // An unknown model has no SKU prices: quoteFor answers it with its validation error.
    quoteFor(root, ex, m ? { ...q, skuPrices: m } : q),
  );
  if (s.quotes.size > 10_000) s.quotes.clear();
  const entry = { orgPath: q.storeOrgPath, snapshot, prices, sku: skuPrices, value };
  s.quotes.set(key, entry);
  value.catch(() => {
    if (s.quotes.get(key) === entry) s.quotes.delete(key);
  });
  return value;
}
