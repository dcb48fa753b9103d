/**
 * Device registry, owner bindings (by serial) and consents (append-only history). Every query is
 * scoped: operators and staff by org path, owners by their own id.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { and, desc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import {
  assertInOrgScope,
  orgScope,
  type Principal,
  type StaffPrincipal,
} from '../../platform/auth/principal.js';
import type { Executor } from '../../platform/db/types.js';
import { audit } from '../../platform/audit.js';
import { ownerVehicle, staffMaySeeOwner, vehicleById } from '../customers/index.js';
import { telematicsBindings, telematicsConsents, telematicsDevices } from './schema.js';

export const CONSENT_PURPOSES = ['location', 'driving_behaviour', 'insurer_sharing'] as const;
export type ConsentPurpose = (typeof CONSENT_PURPOSES)[number];
/** Version of the consent texts owners see now; a grant must name it. */
export const CONSENT_VERSION = '2026-06';

/**
 * The ingest fence. Every PostgreSQL ingest transaction holds it shared from its first statement;
 * a change to what ingest must obey (disable, bind, unbind, consent) takes it exclusively as its
 * first statement. So such a change waits for the batches already reading the old state to commit,
 * and batches after it read the new state: no message is stored under a rule its batch did not
 * see, e.g. a position after the owner's location consent was revoked, or a reading after the
 * device was disabled. (PGlite runs one transaction at a time, so it needs no fence.)
 */
export const INGEST_FENCE_SQL = "hashtextextended('pitlane.telematics.ingest', 0)";

/** Takes the ingest fence exclusively until the end of the transaction; call it first. */
export async function fenceIngest(ex: Executor): Promise<void> {
  await ex.execute(sql.raw(`select pg_advisory_xact_lock(${INGEST_FENCE_SQL})`));
}

export type DeviceRow = typeof telematicsDevices.$inferSelect;

export const hashCredential = (credential: string): string =>
  createHash('sha256').update(credential, 'utf8').digest('hex');

/** Constant-time check of a device credential against its stored hash. */
export function credentialMatches(credential: string, hash: string): boolean {
  const a = Buffer.from(hashCredential(credential), 'hex');
  const b = Buffer.from(hash, 'hex');
  return a.length === b.length && timingSafeEqual(a, b);
}

export async function createDevice(
  ex: Executor,
  p: StaffPrincipal,
  input: { serial: string; imei?: string | undefined; model?: string | undefined; orgPath?: string },
  now: Date,
): Promise<{ device: DeviceRow; credential: string }> {
  const serial = input.serial.trim().toUpperCase();
  const [dup] = await ex
    .select({ id: telematicsDevices.id })
    .from(telematicsDevices)
    .where(
      input.imei
        ? sql`${telematicsDevices.serial} = ${serial} or ${telematicsDevices.imei} = ${input.imei}`
        : eq(telematicsDevices.serial, serial),
    );
  if (dup)
    throw new AppError('telematics.device_exists', 'conflict', 'A device with this serial or IMEI exists');
  const credential = `dk_${randomBytes(24).toString('base64url')}`;
  const [device] = await ex
    .insert(telematicsDevices)
    .values({
      id: newId('dev'),
      serial,
      imei: input.imei ?? null,
      model: input.model ?? null,
      orgPath: input.orgPath ?? p.orgPath,
      credentialHash: hashCredential(credential),
      createdAt: now,
    })
    .returning();
  await audit(ex, {
    actor: p,
    action: 'telematics.device.create',
    resourceType: 'device',
    resourceId: device!.id,
    at: now,
  });
  return { device: device!, credential };
}

export async function listDevices(
  ex: Executor,
  p: StaffPrincipal,
  opts: { limit: number; after?: string | undefined },
): Promise<Array<DeviceRow & { vehicleId: string | null }>> {
  const rows = await ex
    .select({ d: telematicsDevices, vehicleId: telematicsBindings.vehicleId })
    .from(telematicsDevices)
    .leftJoin(
      telematicsBindings,
      and(eq(telematicsBindings.deviceId, telematicsDevices.id), isNull(telematicsBindings.unboundAt)),
    )
    .where(
      and(
        orgScope(p, telematicsDevices.orgPath),
        opts.after ? sql`${telematicsDevices.id} > ${opts.after}` : undefined,
      ),
    )
    .orderBy(telematicsDevices.id)
    .limit(opts.limit);
  return rows.map((r) => ({ ...r.d, vehicleId: r.vehicleId }));
}

/** Where an audited change came from (the HTTP request); the actor defaults to the owner. */
export interface AuditMeta {
  actor?: Principal | undefined;
  requestId?: string | undefined;
  ip?: string | undefined;
}

const ownerActor = (ownerId: string, meta: AuditMeta | undefined): Principal =>
  meta?.actor ?? { kind: 'owner', userId: ownerId, sessionId: '', role: 'owner' };

export interface DeviceState {
  id: string;
  serial: string;
  disabledAt: Date | null;
}

/**
 * Disables a device (it can no longer sign in to the embedded broker, and its messages are
 * dropped whichever broker brings them) or enables it again. Staff with `telematics:write` in the
 * device's org subtree; the reason goes to the audit log. Doing what is already done is a 409.
 */
export async function setDeviceDisabled(
  ex: Executor,
  p: StaffPrincipal,
  deviceId: string,
  input: { disabled: boolean; reason: string },
  now: Date,
  meta: AuditMeta = {},
): Promise<DeviceState> {
  await fenceIngest(ex);
  const [d] = await ex
    .select()
    .from(telematicsDevices)
    .where(eq(telematicsDevices.id, deviceId))
    .for('update');
  assertInOrgScope(p, d?.orgPath, 'device', deviceId);
  const device = d!;
  if ((device.disabledAt !== null) === input.disabled)
    throw new AppError(
      'telematics.device_state',
      'conflict',
      input.disabled
        ? `Device ${device.serial} is already disabled (since ${device.disabledAt!.toISOString()})`
        : `Device ${device.serial} is not disabled`,
      { disabledAt: device.disabledAt?.toISOString() ?? null },
    );
  const disabledAt = input.disabled ? now : null;
  await ex.update(telematicsDevices).set({ disabledAt }).where(eq(telematicsDevices.id, device.id));
  await audit(ex, {
    actor: p,
    action: input.disabled ? 'telematics.device.disable' : 'telematics.device.enable',
    resourceType: 'device',
    resourceId: device.id,
    orgPath: device.orgPath,
    requestId: meta.requestId,
    ip: meta.ip,
    details: { serial: device.serial, reason: input.reason },
    at: now,
  });
  return { id: device.id, serial: device.serial, disabledAt };
}

export async function deviceForAuth(ex: Executor, id: string): Promise<DeviceRow | undefined> {
  const [d] = await ex.select().from(telematicsDevices).where(eq(telematicsDevices.id, id));
  return d;
}

/** Binds a device to the owner's vehicle by serial; a new binding is audited (an unchanged one is not). */
export async function bindDevice(
  ex: Executor,
  ownerId: string,
  input: { serial: string; vehicleId: string },
  now: Date,
  meta?: AuditMeta,
): Promise<{ bindingId: string; deviceId: string; vehicleId: string; boundAt: Date }> {
  await fenceIngest(ex);
  await ownerVehicle(ex, ownerId, input.vehicleId);
  const serial = input.serial.trim().toUpperCase();
  const [device] = await ex
    .select()
    .from(telematicsDevices)
    .where(eq(telematicsDevices.serial, serial))
    .for('update');
  if (!device)
    throw new AppError('telematics.device_not_found', 'not_found', `No device with serial ${serial}`);
  if (device.disabledAt)
    throw new AppError(
      'telematics.device_disabled',
      'conflict',
      `Device ${serial} is disabled and cannot be bound; contact the platform operator`,
    );
  const active = await ex
    .select()
    .from(telematicsBindings)
    .where(
      and(
        isNull(telematicsBindings.unboundAt),
        sql`(${telematicsBindings.deviceId} = ${device.id} or ${telematicsBindings.vehicleId} = ${input.vehicleId})`,
      ),
    );
  const same = active.find((b) => b.deviceId === device.id && b.vehicleId === input.vehicleId);
  if (same)
    return { bindingId: same.id, deviceId: device.id, vehicleId: same.vehicleId, boundAt: same.boundAt };
  if (active.some((b) => b.deviceId === device.id))
    throw new AppError(
      'telematics.device_bound',
      'conflict',
      'This device is bound to another vehicle; unbind it first',
    );
  if (active.length > 0)
    throw new AppError(
      'telematics.vehicle_bound',
      'conflict',
      'This vehicle already has a device; unbind it first',
    );
  const id = newId('dvb');
  await ex
    .insert(telematicsBindings)
    .values({ id, deviceId: device.id, vehicleId: input.vehicleId, ownerId, boundAt: now });
  await audit(ex, {
    actor: ownerActor(ownerId, meta),
    action: 'telematics.device.bind',
    resourceType: 'vehicle',
    resourceId: input.vehicleId,
    // The device's org, so that its operators find the row in their audit trail.
    orgPath: device.orgPath,
    requestId: meta?.requestId,
    ip: meta?.ip,
    details: { deviceId: device.id, serial: device.serial, bindingId: id },
    at: now,
  });
  return { bindingId: id, deviceId: device.id, vehicleId: input.vehicleId, boundAt: now };
}

export async function unbindDevice(
  ex: Executor,
  ownerId: string,
  vehicleId: string,
  now: Date,
  meta?: AuditMeta,
): Promise<void> {
  await fenceIngest(ex);
  await ownerVehicle(ex, ownerId, vehicleId);
  const r = await ex
    .update(telematicsBindings)
    .set({ unboundAt: now })
    .where(
      and(
        eq(telematicsBindings.vehicleId, vehicleId),
        eq(telematicsBindings.ownerId, ownerId),
        isNull(telematicsBindings.unboundAt),
      ),
    )
    .returning({ id: telematicsBindings.id, deviceId: telematicsBindings.deviceId });
  const b = r[0];
  if (!b) throw new AppError('telematics.not_bound', 'not_found', 'No device is bound to this vehicle');
  const [device] = await ex
    .select({ serial: telematicsDevices.serial, orgPath: telematicsDevices.orgPath })
    .from(telematicsDevices)
    .where(eq(telematicsDevices.id, b.deviceId));
  await audit(ex, {
    actor: ownerActor(ownerId, meta),
    action: 'telematics.device.unbind',
    resourceType: 'vehicle',
    resourceId: vehicleId,
    orgPath: device?.orgPath,
    requestId: meta?.requestId,
    ip: meta?.ip,
    details: { deviceId: b.deviceId, serial: device?.serial ?? null, bindingId: b.id },
    at: now,
  });
}

export interface ConsentState {
  purpose: ConsentPurpose;
  granted: boolean;
  version: string | null;
  at: Date | null;
}

export async function recordConsent(
  ex: Executor,
  ownerId: string,
  vehicleId: string,
  input: { purpose: ConsentPurpose; granted: boolean; version: string },
  now: Date,
  meta?: AuditMeta,
): Promise<void> {
  await fenceIngest(ex);
  await ownerVehicle(ex, ownerId, vehicleId);
  if (input.granted && input.version !== CONSENT_VERSION)
    throw new AppError(
      'telematics.consent_version',
      'validation',
      `Consent text version ${input.version} is not the current one (${CONSENT_VERSION}); show the current text and ask again`,
      { currentVersion: CONSENT_VERSION },
    );
  const id = newId('cns');
  await ex.insert(telematicsConsents).values({
    id,
    ownerId,
    vehicleId,
    purpose: input.purpose,
    granted: input.granted,
    version: input.version,
    at: now,
  });
  // The device bound now (if any): whose data the decision governs, and whose org sees the row.
  const [bound] = await ex
    .select({ deviceId: telematicsDevices.id, orgPath: telematicsDevices.orgPath })
    .from(telematicsBindings)
    .innerJoin(telematicsDevices, eq(telematicsDevices.id, telematicsBindings.deviceId))
    .where(and(eq(telematicsBindings.vehicleId, vehicleId), isNull(telematicsBindings.unboundAt)));
  await audit(ex, {
    actor: ownerActor(ownerId, meta),
    action: input.granted ? 'telematics.consent.grant' : 'telematics.consent.revoke',
    resourceType: 'vehicle',
    resourceId: vehicleId,
    orgPath: bound?.orgPath,
    requestId: meta?.requestId,
    ip: meta?.ip,
    details: {
      consentId: id,
      purpose: input.purpose,
      version: input.version,
      deviceId: bound?.deviceId ?? null,
    },
    at: now,
  });
}

export async function consentHistory(ex: Executor, ownerId: string, vehicleId: string) {
  return ex
    .select()
    .from(telematicsConsents)
    .where(and(eq(telematicsConsents.vehicleId, vehicleId), eq(telematicsConsents.ownerId, ownerId)))
    .orderBy(desc(telematicsConsents.at), desc(telematicsConsents.id));
}

/** Current consent per purpose for (owner, vehicle) pairs: latest decision wins; none = not granted. */
export async function currentConsents(
  ex: Executor,
  pairs: ReadonlyArray<{ ownerId: string; vehicleId: string }>,
): Promise<Map<string, Set<ConsentPurpose>>> {
  const out = new Map<string, Set<ConsentPurpose>>();
  if (pairs.length === 0) return out;
  const rows = await ex
    .select()
    .from(telematicsConsents)
    .where(inArray(telematicsConsents.vehicleId, [...new Set(pairs.map((x) => x.vehicleId))]))
    .orderBy(desc(telematicsConsents.at), desc(telematicsConsents.id));
  const owners = new Map(pairs.map((x) => [x.vehicleId, x.ownerId]));
  const seen = new Set<string>();
  for (const r of rows) {
    if (owners.get(r.vehicleId) !== r.ownerId) continue;
    const key = `${r.vehicleId}|${r.purpose}`;
    if (seen.has(key)) continue;
    seen.add(key);
    if (!out.has(r.vehicleId)) out.set(r.vehicleId, new Set());
    if (r.granted) out.get(r.vehicleId)!.add(r.purpose as ConsentPurpose);
  }
  return out;
}

export function consentStates(
  history: ReadonlyArray<typeof telematicsConsents.$inferSelect>,
): ConsentState[] {
  return CONSENT_PURPOSES.map((purpose) => {
    const last = history.find((h) => h.purpose === purpose);
    return { purpose, granted: last?.granted ?? false, version: last?.version ?? null, at: last?.at ?? null };
  });
}

/**
 * Who may read a vehicle's telemetry: its owner; an operator; store staff of a store that has the
 * owner as a customer (a booking or work order there). Anyone else gets 404 (existence not leaked).
 */
export async function assertMayReadVehicle(ex: Executor, p: Principal, vehicleId: string): Promise<void> {
  const v = await vehicleById(ex, vehicleId);
  const missing = new AppError('vehicle.not_found', 'not_found', `No vehicle with id ${vehicleId}`);
  if (!v || v.removedAt) throw missing;
  if (p.kind === 'owner') {
    if (v.ownerId !== p.userId) throw missing;
    return;
  }
  if (p.role === 'platform_operator') return;
  if (!(await staffMaySeeOwner(ex, p, v.ownerId))) throw missing;
}
