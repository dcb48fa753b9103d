/**
 * The parts catalogue and the stock locations, scoped by org path: a part belongs to a chain (or a
 * store) and is visible to that org's subtree and its ancestors; a location is visible to its org's
 * ancestors (a chain sees its stores' stock, a store does not see the chain's central warehouse).
 */
import { and, asc, eq, gt, inArray, like, or, sql } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { AppError, assertNever } from '../../platform/errors.js';
import type { Powertrain } from '../catalog/index.js';
import { newId } from '../../platform/domain/ids.js';
import { inOrgScope, orgScope, type Principal, type StaffPrincipal } from '../../platform/auth/principal.js';
import { getStoreScoped } from '../stores/index.js';
import {
  invBalances,
  invLocations,
  invParts,
  type LocationKind,
  type PartPowertrain,
  type Unit,
} from './schema.js';

export type Part = typeof invParts.$inferSelect;

/** Part powertrain tags a vehicle can use: a BEV takes NEV parts, a hybrid either kind. */
export function partPowertrainsFor(v: Powertrain): PartPowertrain[] {
  switch (v) {
    case 'ICE':
      return ['ANY', 'ICE'];
    case 'BEV':
      return ['ANY', 'NEV'];
    case 'HEV':
    case 'PHEV':
      return ['ANY', 'ICE', 'NEV'];
    default:
      return assertNever(v, 'powertrain');
  }
}
export type Location = typeof invLocations.$inferSelect;

/** Org paths that are ancestors of (or equal to) `path`, e.g. /a/b/c → [/a/, /a/b/, /a/b/c/]. */
export function ancestorPaths(path: string): string[] {
  const segs = path.split('/').filter(Boolean);
  return segs.map((_, i) => '/' + segs.slice(0, i + 1).join('/') + '/');
}

function pathVariants(path: string): string[] {
  // Org paths may or may not end in a slash; accept both spellings of each ancestor.
  return ancestorPaths(path).flatMap((p) => [p, p.slice(0, -1)]);
}

/** A part is usable by an org when it was defined by that org, an ancestor, or a descendant. */
export function partVisible(p: Principal, part: Part): boolean {
  if (p.kind !== 'staff') return false;
  return inOrgScope(p, part.orgPath) || pathVariants(p.orgPath).includes(part.orgPath);
}

export function partScope(p: StaffPrincipal) {
  return or(orgScope(p, invParts.orgPath), inArray(invParts.orgPath, pathVariants(p.orgPath)))!;
}

/** Parts a given org (e.g. a store's location) may stock: defined by it or its ancestors. */
export function partsForOrgScope(orgPath: string) {
  return or(inArray(invParts.orgPath, pathVariants(orgPath)), like(invParts.orgPath, `${orgPath}%`))!;
}

export interface PartInput {
  sku: string;
  name: string;
  brand: string;
  oeNumbers: string[];
  category: string;
  partTypeCode: string;
  fitment: string[];
  unit: Unit;
  costFen: number;
  priceFen: number;
  powertrain: PartPowertrain;
  shelfLifeDays?: number | null | undefined;
  traced: boolean;
}

export async function createPart(
  ex: Executor,
  p: StaffPrincipal,
  input: PartInput,
  now: Date,
): Promise<Part> {
  if (input.traced && input.unit !== 'each')
    throw new AppError(
      'inventory.trace_needs_pieces',
      'validation',
      'Only parts counted by the piece carry per-unit trace codes',
    );
  const [dup] = await ex
    .select({ id: invParts.id })
    .from(invParts)
    .where(and(eq(invParts.orgPath, p.orgPath), eq(invParts.sku, input.sku)));
  if (dup)
    throw new AppError('inventory.sku_taken', 'conflict', `SKU ${input.sku} already exists`, {
      partId: dup.id,
    });
  const [row] = await ex
    .insert(invParts)
    .values({
      id: newId('prt'),
      orgPath: p.orgPath,
      ...input,
      shelfLifeDays: input.shelfLifeDays ?? null,
      createdAt: now,
    })
    .returning();
  return row!;
}

export async function loadPart(ex: Executor, p: Principal, id: string): Promise<Part> {
  const [row] = await ex.select().from(invParts).where(eq(invParts.id, id));
  if (!row || !partVisible(p, row))
    throw new AppError('inventory.part_not_found', 'not_found', `No part with id ${id}`);
  return row;
}

export async function partsByIds(ex: Executor, ids: readonly string[]): Promise<Map<string, Part>> {
  if (!ids.length) return new Map();
  const rows = await ex
    .select()
    .from(invParts)
    .where(inArray(invParts.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

export async function listParts(
  ex: Executor,
  p: StaffPrincipal,
  q: {
    partTypeCode?: string | undefined;
    vehicleModelId?: string | undefined;
    search?: string | undefined;
    limit: number;
    after?: string | undefined;
  },
): Promise<Part[]> {
  return ex
    .select()
    .from(invParts)
    .where(
      and(
        partScope(p),
        q.partTypeCode ? eq(invParts.partTypeCode, q.partTypeCode) : undefined,
        q.vehicleModelId
          ? sql`(cardinality(${invParts.fitment}) = 0 or ${q.vehicleModelId} = any(${invParts.fitment}))`
          : undefined,
        q.search
          ? sql`(${invParts.sku} ilike ${'%' + q.search + '%'} or ${invParts.name} ilike ${'%' + q.search + '%'} or ${q.search} = any(${invParts.oeNumbers}))`
          : undefined,
        q.after ? gt(invParts.id, q.after) : undefined,
      ),
    )
    .orderBy(asc(invParts.id))
    .limit(q.limit + 1);
}

export interface LocationInput {
  kind: LocationKind;
  name: string;
  storeId?: string | undefined;
  bins: string[];
}

export async function createLocation(
  ex: Executor,
  p: StaffPrincipal,
  input: LocationInput,
  now: Date,
): Promise<Location> {
  let orgPath = p.orgPath;
  if (input.kind === 'store' || input.kind === 'van') {
    if (!input.storeId)
      throw new AppError(
        'inventory.store_required',
        'validation',
        `A ${input.kind} location belongs to a store: give storeId`,
      );
    const store = await getStoreScoped(ex, p, input.storeId);
    orgPath = store.orgPath;
    if (input.kind === 'store') {
      const [dup] = await ex
        .select({ id: invLocations.id })
        .from(invLocations)
        .where(and(eq(invLocations.storeId, input.storeId), eq(invLocations.kind, 'store')));
      if (dup)
        throw new AppError(
          'inventory.store_location_exists',
          'conflict',
          'This store already has its stock location',
          {
            locationId: dup.id,
          },
        );
    }
  } else if (input.storeId) {
    throw new AppError('inventory.bad_location', 'validation', 'Warehouses do not belong to a store');
  }
  const [row] = await ex
    .insert(invLocations)
    .values({
      id: newId('loc'),
      orgPath,
      kind: input.kind,
      name: input.name,
      storeId: input.storeId ?? null,
      bins: input.bins,
      createdAt: now,
    })
    .returning();
  return row!;
}

export async function loadLocation(ex: Executor, p: Principal, id: string): Promise<Location> {
  const [row] = await ex.select().from(invLocations).where(eq(invLocations.id, id));
  if (!row || !inOrgScope(p, row.orgPath))
    throw new AppError('inventory.location_not_found', 'not_found', `No stock location with id ${id}`);
  return row;
}

export async function listLocations(
  ex: Executor,
  p: StaffPrincipal,
  q: { limit: number; afterId?: string | undefined } = { limit: 10_000 },
): Promise<Location[]> {
  return ex
    .select()
    .from(invLocations)
    .where(and(orgScope(p, invLocations.orgPath), q.afterId ? gt(invLocations.id, q.afterId) : undefined))
    .orderBy(asc(invLocations.id))
    .limit(q.limit + 1);
}

/** The stock location of a store (kind `store`), if it has one. */
export async function storeLocation(ex: Executor, storeId: string): Promise<Location | undefined> {
  const [row] = await ex
    .select()
    .from(invLocations)
    .where(and(eq(invLocations.storeId, storeId), eq(invLocations.kind, 'store')));
  return row;
}

export async function storeLocationByOrgPath(ex: Executor, orgPath: string): Promise<Location | undefined> {
  const [row] = await ex
    .select()
    .from(invLocations)
    .where(and(eq(invLocations.orgPath, orgPath), eq(invLocations.kind, 'store')))
    .limit(1);
  return row;
}

/** Stock rows of a location with part facts. */
export async function stockAt(ex: Executor, locationId: string) {
  return ex
    .select({
      partId: invParts.id,
      sku: invParts.sku,
      name: invParts.name,
      brand: invParts.brand,
      partTypeCode: invParts.partTypeCode,
      unit: invParts.unit,
      costFen: invParts.costFen,
      priceFen: invParts.priceFen,
      bin: invBalances.bin,
      onHandMilli: invBalances.onHandMilli,
      reservedMilli: invBalances.reservedMilli,
      reorderPointMilli: invBalances.reorderPointMilli,
      orderUpToMilli: invBalances.orderUpToMilli,
    })
    .from(invBalances)
    .innerJoin(invParts, eq(invParts.id, invBalances.partId))
    .where(eq(invBalances.locationId, locationId))
    .orderBy(asc(invParts.sku));
}

/**
 * The SKU a store would use for a part type on a vehicle model: fits the model (or is universal),
 * suits its powertrain, has stock available at the store; the one with most available, then the
 * cheapest. Returns one per part type.
 */
export async function skusForStore(
  ex: Executor,
  q: {
    /** The location, or the org path of a store whose `store` location is meant (one query). */
    locationId?: string | undefined;
    storeOrgPath?: string | undefined;
    /** Fitment filter; '' keeps only universal parts. */
    vehicleModelId?: string | undefined;
    powertrain?: Powertrain | undefined;
    partTypeCodes?: string[] | undefined;
  },
): Promise<Map<string, Part & { availableMilli: number }>> {
  const rows = await ex
    .select({ part: invParts, onHand: invBalances.onHandMilli, reserved: invBalances.reservedMilli })
    .from(invBalances)
    .innerJoin(invParts, eq(invParts.id, invBalances.partId))
    .where(
      and(
        q.locationId !== undefined
          ? eq(invBalances.locationId, q.locationId)
          : sql`${invBalances.locationId} in (select ${invLocations.id} from ${invLocations} where ${invLocations.orgPath} = ${q.storeOrgPath ?? '-'} and ${invLocations.kind} = 'store')`,
        sql`${invBalances.onHandMilli} > ${invBalances.reservedMilli}`,
        q.partTypeCodes
          ? inArray(invParts.partTypeCode, q.partTypeCodes.length ? q.partTypeCodes : ['-'])
          : undefined,
        q.vehicleModelId !== undefined
          ? sql`(cardinality(${invParts.fitment}) = 0 or ${q.vehicleModelId} = any(${invParts.fitment}))`
          : undefined,
        q.powertrain ? inArray(invParts.powertrain, partPowertrainsFor(q.powertrain)) : undefined,
      ),
    );
  const best = new Map<string, Part & { availableMilli: number }>();
  for (const r of rows) {
    const cand = { ...r.part, availableMilli: r.onHand - r.reserved };
    const cur = best.get(r.part.partTypeCode);
    if (
      !cur ||
      cand.availableMilli > cur.availableMilli ||
      (cand.availableMilli === cur.availableMilli && cand.priceFen < cur.priceFen)
    )
      best.set(r.part.partTypeCode, cand);
  }
  return best;
}
