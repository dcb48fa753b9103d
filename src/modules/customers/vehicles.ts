/**
 * Owners' vehicles (VIN with its check digit, Chinese plate, model for fitment) and what stores may
 * see: an owner becomes visible to a store — and, by path, to its chain — once linked by a booking or
 * a work order there.
 */
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { validatePlate } from '../../platform/domain/plate.js';
import { validateVin } from '../../platform/domain/vin.js';
import { orgScope, type Principal } from '../../platform/auth/principal.js';
import type { Executor } from '../../platform/db/types.js';
import { customerLinks, vehicles } from './schema.js';

export type VehicleRow = typeof vehicles.$inferSelect;

export interface VehicleInput {
  vin?: string | null | undefined;
  plate: string;
  vehicleModelId: string;
  year?: number | null | undefined;
  color?: string | null | undefined;
  odometerKm?: number | null | undefined;
  nickname?: string | null | undefined;
}

export function checkVin(vin: string, now: Date): string {
  const v = validateVin(vin, now);
  if (!v.valid) {
    throw new AppError(
      'vehicle.invalid_vin',
      'validation',
      `VIN is not valid: ${v.issues.map((i) => i.message).join('; ')}`,
      {
        errors: v.errors,
      },
    );
  }
  return v.normalized;
}

export function checkPlate(plate: string): { plate: string; kind: string } {
  const p = validatePlate(plate);
  if (!p.valid || !p.kind) {
    throw new AppError(
      'vehicle.invalid_plate',
      'validation',
      `Plate is not valid: ${p.issues.map((i) => i.message).join('; ')}`,
      {
        errors: p.errors,
      },
    );
  }
  return { plate: p.normalized, kind: p.kind };
}

export async function addVehicle(
  ex: Executor,
  ownerId: string,
  input: VehicleInput,
  now: Date,
  modelExists: (id: string) => Promise<boolean>,
): Promise<VehicleRow> {
  const vin = input.vin ? checkVin(input.vin, now) : null;
  const { plate, kind } = checkPlate(input.plate);
  if (!(await modelExists(input.vehicleModelId))) {
    throw new AppError(
      'vehicle.unknown_model',
      'validation',
      `No vehicle model ${input.vehicleModelId} in the catalogue`,
    );
  }
  if (vin) {
    const [dup] = await ex
      .select({ id: vehicles.id, ownerId: vehicles.ownerId })
      .from(vehicles)
      .where(and(eq(vehicles.vin, vin), isNull(vehicles.removedAt)));
    if (dup) {
      throw new AppError(
        'vehicle.vin_registered',
        'conflict',
        dup.ownerId === ownerId
          ? 'You already added this vehicle'
          : 'This VIN is registered to another account; contact support to transfer it',
      );
    }
    // A removed vehicle with this VIN frees the unique VIN for the new registration.
    await ex
      .update(vehicles)
      .set({ vin: null })
      .where(and(eq(vehicles.vin, vin), sql`${vehicles.removedAt} is not null`));
  }
  const [row] = await ex
    .insert(vehicles)
    .values({
      id: newId('veh'),
      ownerId,
      vin,
      plate,
      plateKind: kind,
      vehicleModelId: input.vehicleModelId,
      year: input.year ?? null,
      color: input.color ?? null,
      odometerKm: input.odometerKm ?? null,
      nickname: input.nickname ?? null,
      createdAt: now,
    })
    .returning();
  return row!;
}

export async function listOwnerVehicles(ex: Executor, ownerId: string): Promise<VehicleRow[]> {
  return ex
    .select()
    .from(vehicles)
    .where(and(eq(vehicles.ownerId, ownerId), isNull(vehicles.removedAt)))
    .orderBy(asc(vehicles.createdAt));
}

/** An owner's own vehicle, or 404. */
export async function ownerVehicle(ex: Executor, ownerId: string, vehicleId: string): Promise<VehicleRow> {
  const [v] = await ex
    .select()
    .from(vehicles)
    .where(and(eq(vehicles.id, vehicleId), isNull(vehicles.removedAt)));
  if (!v || v.ownerId !== ownerId)
    throw new AppError('vehicle.not_found', 'not_found', `No vehicle with id ${vehicleId}`);
  return v;
}

export async function updateVehicle(
  ex: Executor,
  ownerId: string,
  vehicleId: string,
  patch: Partial<VehicleInput>,
  now: Date,
): Promise<VehicleRow> {
  await ownerVehicle(ex, ownerId, vehicleId);
  const set: Partial<typeof vehicles.$inferInsert> = {};
  if (patch.plate !== undefined) {
    const p = checkPlate(patch.plate);
    set.plate = p.plate;
    set.plateKind = p.kind;
  }
  if (patch.vin !== undefined) set.vin = patch.vin ? checkVin(patch.vin, now) : null;
  if (patch.color !== undefined) set.color = patch.color;
  if (patch.nickname !== undefined) set.nickname = patch.nickname;
  if (patch.year !== undefined) set.year = patch.year;
  if (patch.odometerKm != null) set.odometerKm = patch.odometerKm;
  const [row] = await ex.update(vehicles).set(set).where(eq(vehicles.id, vehicleId)).returning();
  return row!;
}

export async function removeVehicle(
  ex: Executor,
  ownerId: string,
  vehicleId: string,
  now: Date,
): Promise<void> {
  await ownerVehicle(ex, ownerId, vehicleId);
  await ex.update(vehicles).set({ removedAt: now }).where(eq(vehicles.id, vehicleId));
}

export async function vehicleById(ex: Executor, id: string): Promise<VehicleRow | undefined> {
  const [v] = await ex.select().from(vehicles).where(eq(vehicles.id, id));
  return v;
}

export async function vehiclesByIds(ex: Executor, ids: readonly string[]): Promise<Map<string, VehicleRow>> {
  if (!ids.length) return new Map();
  const rows = await ex
    .select()
    .from(vehicles)
    .where(inArray(vehicles.id, [...new Set(ids)]));
  return new Map(rows.map((r) => [r.id, r]));
}

/** Records that an owner came to a store (booking, walk-in): from now on the store sees them. */
export async function linkCustomer(
  ex: Executor,
  ownerId: string,
  store: { id: string; orgPath: string },
  now: Date,
): Promise<void> {
  await ex
    .insert(customerLinks)
    .values({
      ownerId,
      storeId: store.id,
      orgPath: store.orgPath,
      firstSeenAt: now,
      lastSeenAt: now,
      visits: 1,
    })
    .onConflictDoUpdate({
      target: [customerLinks.ownerId, customerLinks.storeId],
      set: { lastSeenAt: now, visits: sql`${customerLinks.visits} + 1` },
    });
}

/** Whether staff may see this owner: the owner is linked to a store in their subtree. */
export async function staffMaySeeOwner(ex: Executor, p: Principal, ownerId: string): Promise<boolean> {
  const [row] = await ex
    .select({ ownerId: customerLinks.ownerId })
    .from(customerLinks)
    .where(and(eq(customerLinks.ownerId, ownerId), orgScope(p, customerLinks.orgPath)))
    .limit(1);
  return !!row;
}

/** Vehicles with this plate whose owners the caller may see (walk-in lookup by plate). */
export async function findVehiclesByPlateForStaff(
  ex: Executor,
  p: Principal,
  plate: string,
): Promise<VehicleRow[]> {
  const { plate: norm } = checkPlate(plate);
  return ex
    .select({ v: vehicles })
    .from(vehicles)
    .innerJoin(customerLinks, eq(customerLinks.ownerId, vehicles.ownerId))
    .where(and(eq(vehicles.plate, norm), isNull(vehicles.removedAt), orgScope(p, customerLinks.orgPath)))
    .then((rows) => [...new Map(rows.map((r) => [r.v.id, r.v])).values()]);
}

/** An owner's vehicle with this plate, if registered. */
export async function ownerVehicleByPlate(
  ex: Executor,
  ownerId: string,
  plate: string,
): Promise<VehicleRow | undefined> {
  const { plate: norm } = checkPlate(plate);
  const [v] = await ex
    .select()
    .from(vehicles)
    .where(and(eq(vehicles.ownerId, ownerId), eq(vehicles.plate, norm), isNull(vehicles.removedAt)));
  return v;
}

/** Records the odometer reading taken at check-in (never moves it backwards here). */
export async function recordOdometer(ex: Executor, vehicleId: string, km: number): Promise<void> {
  await ex
    .update(vehicles)
    .set({ odometerKm: sql`greatest(coalesce(${vehicles.odometerKm}, 0), ${km})` })
    .where(eq(vehicles.id, vehicleId));
}

/** Bulk import of vehicles (demo loader, migrations from other systems): each VIN and plate is validated. */
export async function importVehicles(
  ex: Executor,
  rows: Array<VehicleInput & { ownerId: string; id?: string }>,
  now: Date,
): Promise<VehicleRow[]> {
  const values = rows.map((r) => {
    const { plate, kind } = checkPlate(r.plate);
    return {
      id: r.id ?? newId('veh'),
      ownerId: r.ownerId,
      vin: r.vin ? checkVin(r.vin, now) : null,
      plate,
      plateKind: kind,
      vehicleModelId: r.vehicleModelId,
      year: r.year ?? null,
      color: r.color ?? null,
      odometerKm: r.odometerKm ?? null,
      nickname: r.nickname ?? null,
      createdAt: now,
    };
  });
  const out: VehicleRow[] = [];
  for (let i = 0; i < values.length; i += 500)
    out.push(
      ...(await ex
        .insert(vehicles)
        .values(values.slice(i, i + 500))
        .returning()),
    );
  return out;
}
