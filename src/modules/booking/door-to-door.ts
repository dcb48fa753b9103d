/**
 * Door-to-door requests (上门服务 and 上门取送车): the owner's address and time window, checked against
 * the store's service radius and hours, stored for dispatch to route.
 */
import { and, asc, eq, gte, lt } from 'drizzle-orm';
import type { AppContext } from '../../platform/context.js';
import type { Executor, Tx } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { haversineMeters } from '../../platform/domain/geo.js';
import { assertInOrgScope, type Principal } from '../../platform/auth/principal.js';
import { ownerVehicle } from '../customers/index.js';
import { getStoreRaw } from '../stores/index.js';
import { doorToDoorRequests } from './schema.js';

export type DoorToDoor = typeof doorToDoorRequests.$inferSelect;

export async function requestDoorToDoor(
  ctx: AppContext,
  tx: Tx,
  ownerId: string,
  input: {
    storeId: string;
    vehicleId: string;
    kind: 'onsite' | 'pickup_return';
    items: string[];
    address: string;
    at: { lon: number; lat: number };
    windowStart: Date;
    windowEnd: Date;
  },
): Promise<DoorToDoor> {
  const now = ctx.clock.now();
  await ownerVehicle(tx, ownerId, input.vehicleId);
  const store = await getStoreRaw(tx, input.storeId);
  if (!store || store.status !== 'active')
    throw new AppError('store.not_found', 'not_found', `No store with id ${input.storeId}`);
  if (store.doorToDoorRadiusM <= 0)
    throw new AppError('d2d.not_offered', 'conflict', 'This store does not offer door-to-door service');
  const d = haversineMeters(input.at, { lon: store.lon, lat: store.lat });
  if (d > store.doorToDoorRadiusM) {
    throw new AppError(
      'd2d.out_of_area',
      'conflict',
      `The address is ${(d / 1000).toFixed(1)} km from the store; it serves up to ${(store.doorToDoorRadiusM / 1000).toFixed(1)} km`,
    );
  }
  if (input.windowEnd.getTime() - input.windowStart.getTime() < 30 * 60_000) {
    throw new AppError('d2d.window_too_short', 'validation', 'The time window must be at least 30 minutes');
  }
  if (input.windowEnd.getTime() - input.windowStart.getTime() > 8 * 3600_000) {
    throw new AppError('d2d.window_too_long', 'validation', 'The time window can be at most 8 hours');
  }
  if (input.windowStart.getTime() < now.getTime())
    throw new AppError('d2d.window_past', 'validation', 'The time window must be in the future');
  const [row] = await tx
    .insert(doorToDoorRequests)
    .values({
      id: newId('dd'),
      storeId: store.id,
      orgPath: store.orgPath,
      ownerId,
      vehicleId: input.vehicleId,
      kind: input.kind,
      items: input.items,
      address: input.address,
      lon: input.at.lon,
      lat: input.at.lat,
      windowStart: input.windowStart,
      windowEnd: input.windowEnd,
      status: 'requested',
      createdAt: now,
    })
    .returning();
  await ctx.bus.publish(
    tx,
    'd2d.requested',
    {
      requestId: row!.id,
      storeId: store.id,
      kind: input.kind,
      windowStart: input.windowStart.toISOString(),
      windowEnd: input.windowEnd.toISOString(),
    },
    store.orgPath,
  );
  return row!;
}

export async function listDoorToDoor(
  ex: Executor,
  p: Principal,
  q: { storeId: string; from: Date; to: Date },
): Promise<DoorToDoor[]> {
  const rows = await ex
    .select()
    .from(doorToDoorRequests)
    .where(
      and(
        eq(doorToDoorRequests.storeId, q.storeId),
        gte(doorToDoorRequests.windowStart, q.from),
        lt(doorToDoorRequests.windowStart, q.to),
      ),
    )
    .orderBy(asc(doorToDoorRequests.windowStart));
  for (const r of rows) assertInOrgScope(p, r.orgPath, 'store', q.storeId);
  return rows;
}

export async function myDoorToDoor(ex: Executor, ownerId: string): Promise<DoorToDoor[]> {
  return ex
    .select()
    .from(doorToDoorRequests)
    .where(eq(doorToDoorRequests.ownerId, ownerId))
    .orderBy(asc(doorToDoorRequests.windowStart));
}
