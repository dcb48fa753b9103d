/** Store profiles (location, hours, capabilities, service radius, commission), bays and exceptions. */
import { and, asc, eq, gt, inArray, sql } from 'drizzle-orm';
import { latLngToCell } from 'h3-js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { convert, type Coord, type CoordSystem } from '../../platform/domain/geo.js';
import { assertInOrgScope, orgScope, requireStaff, type Principal } from '../../platform/auth/principal.js';
import type { Executor } from '../../platform/db/types.js';
import { toPage, type Page } from '../../platform/http/pagination.js';
import { getOrg } from '../identity/index.js';
import type { BayType } from '../catalog/schema.js';
import { bays, storeHourExceptions, storeHours, stores } from './schema.js';

export type StoreRow = typeof stores.$inferSelect;
export type BayRow = typeof bays.$inferSelect;

export interface StoreProfileInput {
  address?: string | undefined;
  phone?: string | null | undefined;
  location?: (Coord & { coord: CoordSystem }) | undefined;
  city?: string | undefined;
  district?: string | undefined;
  doorToDoorRadiusM?: number | undefined;
  capabilities?: string[] | undefined;
  certifications?: string[] | undefined;
  commissionBp?: number | undefined;
  holidayMode?: 'closed' | 'normal' | 'weekend' | undefined;
  cancelCutoffMinutes?: number | undefined;
  status?: 'active' | 'paused' | 'closed' | undefined;
  hours?: Array<{ weekday: number; openMin: number; closeMin: number }> | undefined;
}

export const H3_RES = 7;

export async function getStoreRaw(ex: Executor, id: string): Promise<StoreRow | undefined> {
  const [s] = await ex.select().from(stores).where(eq(stores.id, id));
  return s;
}

export async function getStoreScoped(ex: Executor, p: Principal, id: string): Promise<StoreRow> {
  const s = await getStoreRaw(ex, id);
  assertInOrgScope(p, s?.orgPath, 'store', id);
  return s!;
}

/** Creates or updates the profile of a store org the caller controls. */
export async function upsertStoreProfile(
  ex: Executor,
  p: Principal,
  storeId: string,
  input: StoreProfileInput,
  now: Date,
): Promise<StoreRow> {
  const staff = requireStaff(p);
  const org = await getOrg(ex, p, storeId);
  if (org.kind !== 'store')
    throw new AppError('store.not_a_store', 'validation', `Org ${storeId} is a ${org.kind}, not a store`);
  if (input.commissionBp !== undefined && staff.role !== 'platform_operator') {
    throw new AppError(
      'store.commission_operator_only',
      'forbidden',
      'Only the platform operator sets the commission rate',
    );
  }
  const existing = await getStoreRaw(ex, storeId);
  if (!existing && !input.location) {
    throw new AppError(
      'store.location_required',
      'validation',
      'A new store profile needs a location (lon, lat)',
    );
  }
  let lon = existing?.lon ?? 0;
  let lat = existing?.lat ?? 0;
  if (input.location) {
    const w = convert({ lon: input.location.lon, lat: input.location.lat }, input.location.coord, 'wgs84');
    lon = w.lon;
    lat = w.lat;
  }
  const values = {
    id: storeId,
    orgPath: org.path,
    name: org.name,
    address: input.address ?? existing?.address ?? '',
    phone: input.phone === undefined ? (existing?.phone ?? null) : input.phone,
    lon,
    lat,
    h3r7: latLngToCell(lat, lon, H3_RES),
    city: input.city ?? existing?.city ?? '',
    district: input.district ?? existing?.district ?? '',
    doorToDoorRadiusM: input.doorToDoorRadiusM ?? existing?.doorToDoorRadiusM ?? 0,
    capabilities: input.capabilities ?? existing?.capabilities ?? [],
    certifications: input.certifications ?? existing?.certifications ?? [],
    commissionBp: input.commissionBp ?? existing?.commissionBp ?? 1200,
    holidayMode: input.holidayMode ?? existing?.holidayMode ?? 'weekend',
    cancelCutoffMinutes: input.cancelCutoffMinutes ?? existing?.cancelCutoffMinutes ?? 120,
    status: input.status ?? existing?.status ?? 'active',
    createdAt: existing?.createdAt ?? now,
  };
  const [row] = await ex
    .insert(stores)
    .values(values)
    .onConflictDoUpdate({ target: stores.id, set: values })
    .returning();
  if (input.hours) await setWeeklyHours(ex, storeId, input.hours);
  return row!;
}

export async function setWeeklyHours(
  ex: Executor,
  storeId: string,
  hours: Array<{ weekday: number; openMin: number; closeMin: number }>,
): Promise<void> {
  const days = new Set<number>();
  for (const h of hours) {
    if (days.has(h.weekday))
      throw new AppError('store.hours_duplicate_day', 'validation', `Weekday ${h.weekday} is listed twice`);
    days.add(h.weekday);
    if (h.closeMin <= h.openMin) {
      throw new AppError(
        'store.hours_invalid',
        'validation',
        `Weekday ${h.weekday}: closing time must be after opening time`,
      );
    }
  }
  await ex.delete(storeHours).where(eq(storeHours.storeId, storeId));
  if (hours.length) await ex.insert(storeHours).values(hours.map((h) => ({ storeId, ...h })));
}

export async function setHourException(
  ex: Executor,
  p: Principal,
  storeId: string,
  input: {
    day: string;
    closed: boolean;
    openMin?: number | null | undefined;
    closeMin?: number | null | undefined;
    note?: string | undefined;
  },
): Promise<void> {
  await getStoreScoped(ex, p, storeId);
  if (!input.closed && (input.openMin == null || input.closeMin == null || input.closeMin <= input.openMin)) {
    throw new AppError(
      'store.exception_invalid',
      'validation',
      'An open exception needs opening and closing times, closing after opening',
    );
  }
  const v = {
    storeId,
    day: input.day,
    closed: input.closed,
    openMin: input.closed ? null : input.openMin!,
    closeMin: input.closed ? null : input.closeMin!,
    note: input.note ?? null,
  };
  await ex
    .insert(storeHourExceptions)
    .values(v)
    .onConflictDoUpdate({ target: [storeHourExceptions.storeId, storeHourExceptions.day], set: v });
}

export async function deleteHourException(
  ex: Executor,
  p: Principal,
  storeId: string,
  day: string,
): Promise<void> {
  await getStoreScoped(ex, p, storeId);
  await ex
    .delete(storeHourExceptions)
    .where(and(eq(storeHourExceptions.storeId, storeId), eq(storeHourExceptions.day, day)));
}

export async function createBay(
  ex: Executor,
  p: Principal,
  storeId: string,
  input: { name: string; type: BayType },
): Promise<BayRow> {
  const s = await getStoreScoped(ex, p, storeId);
  const [row] = await ex
    .insert(bays)
    .values({ id: newId('bay'), storeId, orgPath: s.orgPath, name: input.name, type: input.type })
    .returning();
  return row!;
}

export async function updateBay(
  ex: Executor,
  p: Principal,
  bayId: string,
  patch: { name?: string | undefined; type?: BayType | undefined; active?: boolean | undefined },
): Promise<BayRow> {
  const [b] = await ex.select().from(bays).where(eq(bays.id, bayId));
  assertInOrgScope(p, b?.orgPath, 'bay', bayId);
  const [row] = await ex
    .update(bays)
    .set({
      ...(patch.name ? { name: patch.name } : {}),
      ...(patch.type ? { type: patch.type } : {}),
      ...(patch.active !== undefined ? { active: patch.active } : {}),
    })
    .where(eq(bays.id, bayId))
    .returning();
  return row!;
}

export async function listBays(ex: Executor, storeId: string): Promise<BayRow[]> {
  return ex.select().from(bays).where(eq(bays.storeId, storeId)).orderBy(asc(bays.name));
}

export async function listStoresScoped(
  ex: Executor,
  p: Principal,
  q: { limit: number; after?: string | undefined },
): Promise<Page<StoreRow>> {
  const rows = await ex
    .select()
    .from(stores)
    .where(and(orgScope(p, stores.orgPath), q.after ? gt(stores.id, q.after) : undefined))
    .orderBy(asc(stores.id))
    .limit(q.limit + 1);
  return toPage(rows, q.limit, (s) => [s.id]);
}

export async function storesByIds(ex: Executor, ids: readonly string[]): Promise<StoreRow[]> {
  if (!ids.length) return [];
  return ex
    .select()
    .from(stores)
    .where(inArray(stores.id, [...ids]));
}

/** Active stores whose H3 cell is one of `cells` (the caller expands a disk around a point). */
export async function storesInCells(ex: Executor, cells: readonly string[]): Promise<StoreRow[]> {
  if (!cells.length) return [];
  return ex
    .select()
    .from(stores)
    .where(and(inArray(stores.h3r7, [...cells]), eq(stores.status, 'active')));
}

export async function countStores(ex: Executor): Promise<number> {
  const [r] = await ex.select({ n: sql<number>`count(*)::int` }).from(stores);
  return r?.n ?? 0;
}

/** Folds one review into the store's running average. */
export async function recordStoreRating(ex: Executor, storeId: string, stars: number): Promise<void> {
  await ex
    .update(stores)
    .set({
      ratingAvg: sql`(coalesce(${stores.ratingAvg}, 0) * ${stores.ratingCount} + ${stars}) / (${stores.ratingCount} + 1)`,
      ratingCount: sql`${stores.ratingCount} + 1`,
    })
    .where(eq(stores.id, storeId));
}

/** Sets a store's rating outright (demo import of past reviews). */
export async function setStoreRating(
  ex: Executor,
  storeId: string,
  avg: number,
  count: number,
): Promise<void> {
  await ex.update(stores).set({ ratingAvg: avg, ratingCount: count }).where(eq(stores.id, storeId));
}
