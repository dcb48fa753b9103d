/**
 * The ingest pipeline shared by the embedded and the external broker: validate → batch → one
 * transaction (dedupe by message id, readings multi-row insert, health snapshot, trips, outbox events)
 * → resolve each message's promise, which is when the broker acknowledges it. A database error keeps
 * the batch (nothing acknowledged) and retries with back-off, so the brokers' in-flight windows
 * back-pressure the devices; the loop itself never throws.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { latLngToCell } from 'h3-js';
import type pg from 'pg';
import type { Transaction as PGliteTransaction } from '@electric-sql/pglite';
import { from as copyFrom } from 'pg-copy-streams';
import type { AppContext } from '../../platform/context.js';
import type { Config } from '../../config.js';
import type { Db, Tx } from '../../platform/db/types.js';
import { errorSummary } from '../../platform/errors.js';
import { queryRows } from '../../platform/db/connect.js';
import { newId } from '../../platform/domain/ids.js';
import { tzOffsetMinutes } from '../../platform/time.js';
import type { telematicsReadings } from './schema.js';
import { telematicsBindings, telematicsDevices, telematicsHealth, telematicsTrips } from './schema.js';
import { parseMessage, type MessageKind, type ParsedMessage, type RejectReason } from './payloads.js';
import { currentConsents, INGEST_FENCE_SQL } from './devices.js';
import { applyReading, emptyHealth, significantChanges, type HealthState, type Tyres } from './health.js';
import { DEFAULT_TRIP_SETTINGS, stepTrip, type Trip, type TripSettings } from './trips.js';
import { telemetryMetrics, type TelemetryMetrics } from './metrics.js';

export type Outcome =
  { status: 'stored' | 'duplicate' } | { status: 'rejected'; reason: RejectReason; error: string };

export const H3_RESOLUTION = 7;
/** `last_seen_at` is refreshed at most this often per device. */
const LAST_SEEN_RESOLUTION_MS = 30_000;
/**
 * On PostgreSQL, COPY beats the one-statement multi-row insert only for bigger batches. Measured on
 * 2 cores (PostgreSQL 15, in-process waves of 20,000 status messages, batches of a fixed size,
 * median of six waves) with the straight COPY: the insert was 15 % faster at 50 rows and 4–16 %
 * at 100; COPY was 16 % faster at 200. See docs/TELEMETRY.md.
 */
export const COPY_MIN_ROWS = 150;
/**
 * On PGlite, COPY from a blob (in a savepoint, see `pgliteCopyReadings`) beat the JSON multi-row
 * insert at every batch size from 10 rows up (measured on 2 cores: equal at 10, +37 % at 50, about
 * +60 % at 500 rows).
 */
export const PGLITE_COPY_MIN_ROWS = 10;
/** A second batch writer starts (PostgreSQL) only when this many messages wait. */
const PARALLEL_MIN_BATCH = 64;

export interface IngestOptions {
  maxBatch?: number;
  trip?: Partial<TripSettings>;
  /**
   * PostgreSQL only: batches of at least this many messages go by COPY, smaller ones by the
   * multi-row insert (COPY costs a staging step and more round trips). Default
   * `COPY_MIN_ROWS`.
   */
  copyMinRows?: number;
  /**
   * Batches written at the same time: default 2 on PostgreSQL (one commits while the next is
   * prepared and sent), 1 on PGlite (one connection).
   */
  parallel?: number;
  /** Fault injection for tests: runs inside each write transaction before anything else. */
  beforeWrite?: () => void | Promise<void>;
}

interface Pending {
  msg: ParsedMessage;
  resolve: (o: Outcome) => void;
  reject: (e: Error) => void;
}

interface DeviceInfo {
  id: string;
  disabled: boolean;
  vehicleId: string | null;
  ownerId: string | null;
}

const STORED: Outcome = Object.freeze({ status: 'stored' });
const DUPLICATE: Outcome = Object.freeze({ status: 'duplicate' });

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class Ingestor {
  private queue: Pending[] = [];
  /** Batch writers running (at most `parallel`). */
  private workers = 0;
  private readonly idle: Array<() => void> = [];
  private stopping = false;
  /** Resolves when the batch taken before the newest one has resolved its messages (ack order). */
  private acked: Promise<void> = Promise.resolve();
  private readonly seenWritten = new Map<string, number>();
  private readonly maxBatch: number;
  private readonly parallel: number;
  readonly trip: TripSettings;
  readonly metrics: TelemetryMetrics;

  constructor(
    private readonly ctx: AppContext,
    private readonly opts: IngestOptions = {},
  ) {
    this.maxBatch = opts.maxBatch ?? 500;
    this.parallel = opts.parallel ?? (ctx.dbKind === 'postgres' && ctx.database.pool ? 2 : 1);
    this.trip = { ...tripSettings(ctx.config), ...opts.trip };
    this.metrics = telemetryMetrics(ctx.metrics);
  }

  /** Counts and logs a rejected message (never its payload). */
  reject(
    deviceId: string | undefined,
    kind: string | undefined,
    reason: RejectReason,
    error: string,
  ): Outcome {
    this.metrics.rejected.inc({ reason });
    this.ctx.log.warn({ deviceId, kind, reason, error }, 'telemetry message rejected');
    return { status: 'rejected', reason, error };
  }

  /**
   * Resolves once the message is committed (or is a duplicate / rejected, which need no storage).
   * Rejects only when the ingestor stops before it could commit: then do not acknowledge.
   */
  submit(deviceId: string, kind: MessageKind, payload: Buffer | string): Promise<Outcome> {
    const parsed = parseMessage(deviceId, kind, payload, this.ctx.clock.now());
    if (!parsed.ok) return Promise.resolve(this.reject(deviceId, kind, parsed.reason, parsed.error));
    if (this.stopping) return Promise.reject(new Error('telemetry ingest is stopping'));
    return new Promise<Outcome>((resolve, reject) => {
      this.queue.push({ msg: parsed.message, resolve, reject });
      this.metrics.queueDepth.set(this.queue.length);
      // A first writer at once; another (PostgreSQL) only once enough waits to make a batch worth
      // overlapping with the one committing.
      if (this.workers === 0 || (this.workers < this.parallel && this.queue.length >= PARALLEL_MIN_BATCH))
        void this.runWorker();
    });
  }

  /** Stops taking messages and waits for the batches in hand; messages not committed are rejected. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.workers > 0) await new Promise<void>((r) => this.idle.push(r));
    for (const p of this.queue.splice(0)) p.reject(new Error('telemetry ingest stopped'));
    this.metrics.queueDepth.set(0);
  }

  /**
   * One batch writer: takes up to `maxBatch` messages from the queue and writes them, retrying with
   * back-off on a database error (nothing acknowledged meanwhile), until the queue is empty. With
   * several writers, messages are still resolved in the order they were taken, batch after batch,
   * because MQTT wants PUBACKs in PUBLISH order (MQTT-4.6.0-2).
   */
  private async runWorker(): Promise<void> {
    this.workers++;
    // Let messages that arrived in the same tick join the batch.
    await new Promise((r) => setImmediate(r));
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch);
        this.metrics.queueDepth.set(this.queue.length);
        const previous = this.acked;
        let release!: () => void;
        this.acked = new Promise<void>((r) => (release = r));
        let outcomes: Outcome[] | undefined;
        for (let delay = 50; !outcomes; delay = Math.min(delay * 2, 5000)) {
          try {
            outcomes = await this.writeIsolating(batch.map((p) => p.msg));
          } catch (e) {
            this.metrics.writeErrors.inc();
            this.ctx.log.error(
              { err: errorSummary(e), batch: batch.length },
              'telemetry write failed; retrying',
            );
            if (this.stopping) break;
            await sleep(delay);
          }
        }
        await previous;
        if (!outcomes) {
          for (const p of batch) p.reject(new Error('telemetry ingest stopped'));
          release();
          return;
        }
        // Counted per batch: a labelled counter costs a label hash per call.
        const counts = new Map<string, { kind: MessageKind; result: 'stored' | 'duplicate'; n: number }>();
        batch.forEach((p, i) => {
          const o = outcomes[i]!;
          if (o.status === 'rejected') this.reject(p.msg.deviceId, p.msg.kind, o.reason, o.error);
          else {
            const key = `${p.msg.kind}|${o.status}`;
            const c = counts.get(key);
            if (c) c.n++;
            else counts.set(key, { kind: p.msg.kind, result: o.status, n: 1 });
          }
          p.resolve(o);
        });
        for (const c of counts.values()) this.metrics.messages.inc({ kind: c.kind, result: c.result }, c.n);
        this.metrics.batches.inc();
        release();
      }
    } finally {
      this.workers--;
      if (this.workers === 0) for (const r of this.idle.splice(0)) r();
    }
  }

  /**
   * Writes a batch; when the database refuses the data itself (SQLSTATE class 22/23, not an outage),
   * halves the batch until the offending message is alone and rejects it as malformed, so one bad
   * message cannot stall everyone. Outages propagate (the caller retries without acknowledging).
   */
  private async writeIsolating(msgs: readonly ParsedMessage[]): Promise<Outcome[]> {
    try {
      return await this.write(msgs);
    } catch (e) {
      if (!isDataError(e)) throw e;
      if (msgs.length === 1)
        return [
          { status: 'rejected', reason: 'malformed', error: `refused by the database: ${errorSummary(e)}` },
        ];
      const mid = Math.ceil(msgs.length / 2);
      return [
        ...(await this.writeIsolating(msgs.slice(0, mid))),
        ...(await this.writeIsolating(msgs.slice(mid))),
      ];
    }
  }

  private write(msgs: readonly ParsedMessage[]): Promise<Outcome[]> {
    const pool = this.ctx.database.pool;
    if (this.ctx.dbKind === 'postgres' && pool && msgs.length >= (this.opts.copyMinRows ?? COPY_MIN_ROWS))
      return this.writeWithCopy(pool, msgs);
    const pgliteCopy =
      this.ctx.dbKind === 'pglite' && msgs.length >= (this.opts.copyMinRows ?? PGLITE_COPY_MIN_ROWS);
    return this.ctx.db.transaction(async (tx) => {
      await this.opts.beforeWrite?.();
      if (!pgliteCopy) return this.writeIn(tx, msgs, insertReadings);
      return this.writeIn(tx, msgs, async (t, rows) => {
        const out = await pgliteCopyReadings(t, rows);
        this.metrics.copies.inc({ path: out === 'all' ? 'direct' : 'staged' });
        return out;
      });
    });
  }

  /**
   * PostgreSQL: the same transaction on one pooled connection, with the readings sent by COPY
   * (see `copyReadings`). A connection that failed is not reused.
   */
  private async writeWithCopy(pool: pg.Pool, msgs: readonly ParsedMessage[]): Promise<Outcome[]> {
    const client = await pool.connect();
    let failure: Error | undefined;
    try {
      const db = drizzlePg(client) as unknown as Db;
      const copy: CopyState = { staged: stagedClients.has(client), created: false, path: 'direct' };
      const out = await db.transaction(async (tx) => {
        await this.opts.beforeWrite?.();
        return this.writeIn(tx, msgs, (t, rows) => copyReadings(t, client, rows, copy));
      });
      // Created in a committed transaction: it now exists for the life of this connection.
      if (copy.created) stagedClients.add(client);
      this.metrics.copies.inc({ path: copy.path });
      return out;
    } catch (e) {
      failure = e instanceof Error ? e : new Error(String(e));
      throw e;
    } finally {
      client.release(failure);
    }
  }

  private async writeIn(
    tx: Tx,
    msgs: readonly ParsedMessage[],
    storeReadings: (tx: Tx, rows: ReadonlyArray<typeof telematicsReadings.$inferInsert>) => Promise<Inserted>,
  ): Promise<Outcome[]> {
    // Shared: a disable, bind, unbind or consent change waits for this batch (devices.ts).
    if (this.ctx.dbKind === 'postgres')
      await tx.execute(sql.raw(`select pg_advisory_xact_lock_shared(${INGEST_FENCE_SQL})`));
    const now = this.ctx.clock.now();
    const deviceIds = [...new Set(msgs.map((m) => m.deviceId))];
    const devRows = await tx
      .select({
        id: telematicsDevices.id,
        disabledAt: telematicsDevices.disabledAt,
        vehicleId: telematicsBindings.vehicleId,
        ownerId: telematicsBindings.ownerId,
      })
      .from(telematicsDevices)
      .leftJoin(
        telematicsBindings,
        and(eq(telematicsBindings.deviceId, telematicsDevices.id), isNull(telematicsBindings.unboundAt)),
      )
      .where(inArray(telematicsDevices.id, deviceIds));
    const devices = new Map<string, DeviceInfo>(
      devRows.map((d) => [
        d.id,
        { id: d.id, disabled: d.disabledAt !== null, vehicleId: d.vehicleId, ownerId: d.ownerId },
      ]),
    );
    const pairs = [...devices.values()].flatMap((d) =>
      d.vehicleId && d.ownerId ? [{ vehicleId: d.vehicleId, ownerId: d.ownerId }] : [],
    );
    const consents = await currentConsents(tx, pairs);

    const outcomes: Outcome[] = new Array<Outcome>(msgs.length);
    const keyOf = (deviceId: string, messageId: string, ts: Date) =>
      `${deviceId}|${messageId}|${ts.getTime()}`;
    const firstKeys = new Set<string>();
    const rows: Array<typeof telematicsReadings.$inferInsert> = [];
    const rowMsg: ParsedMessage[] = [];
    /** Index in `msgs` of each row. */
    const rowIndex: number[] = [];
    msgs.forEach((m, i) => {
      const dev = devices.get(m.deviceId);
      if (!dev) {
        outcomes[i] = { status: 'rejected', reason: 'unknown_device', error: 'no such device' };
        return;
      }
      if (dev.disabled) {
        // Dropped and acknowledged (an external broker would otherwise redeliver it forever).
        outcomes[i] = { status: 'rejected', reason: 'device_disabled', error: 'the device is disabled' };
        return;
      }
      const key = keyOf(m.deviceId, m.messageId, m.ts);
      if (firstKeys.has(key)) {
        outcomes[i] = DUPLICATE;
        return;
      }
      firstKeys.add(key);
      const located = dev.vehicleId !== null && consents.get(dev.vehicleId)?.has('location') === true;
      let data = m.data;
      let h3Cell: string | null = null;
      if (m.position) {
        h3Cell = latLngToCell(m.position.lat, m.position.lon, H3_RESOLUTION);
        if (!located) {
          const { lat: _lat, lon: _lon, ...rest } = data;
          data = rest;
        }
      }
      rows.push({
        deviceId: m.deviceId,
        messageId: m.messageId,
        ts: m.ts,
        vehicleId: dev.vehicleId,
        kind: m.kind,
        data,
        h3Cell,
        lat: located && m.position ? m.position.lat : null,
        lon: located && m.position ? m.position.lon : null,
        receivedAt: now,
      });
      rowMsg.push(m);
      rowIndex.push(i);
    });

    const inserted = rows.length === 0 ? [] : await storeReadings(tx, rows);
    // Usually every row was new; otherwise the keys returned say which were.
    const fresh =
      inserted === 'all' || inserted.length === rows.length
        ? undefined
        : new Set(inserted.map((r) => keyOf(r.deviceId, r.messageId, r.ts)));
    const freshMsgs: Array<{ m: ParsedMessage; dev: DeviceInfo; data: Record<string, unknown> }> = [];
    for (let j = 0; j < rows.length; j++) {
      const m = rowMsg[j]!;
      if (!fresh || fresh.has(keyOf(m.deviceId, m.messageId, m.ts))) {
        outcomes[rowIndex[j]!] = STORED;
        freshMsgs.push({ m, dev: devices.get(m.deviceId)!, data: rows[j]!.data as Record<string, unknown> });
      } else outcomes[rowIndex[j]!] = DUPLICATE;
    }

    const byVehicle = new Map<string, typeof freshMsgs>();
    for (const f of freshMsgs) {
      if (!f.dev.vehicleId) continue;
      const list = byVehicle.get(f.dev.vehicleId) ?? [];
      list.push(f);
      byVehicle.set(f.dev.vehicleId, list);
    }
    if (byVehicle.size > 0) {
      for (const list of byVehicle.values()) list.sort((a, b) => a.m.ts.getTime() - b.m.ts.getTime());
      // Batches written at the same time (two writers here, or other Pitlane processes on the same
      // `$share` group) take their vehicles one after the other, in one order so that none
      // deadlocks: a vehicle's snapshot must build on the last, and its first health row or open
      // trip must not be made twice. PGlite runs one transaction at a time.
      if (this.ctx.dbKind === 'postgres')
        await tx.execute(
          sql`select pg_advisory_xact_lock(k) from (
                select distinct hashtextextended('pitlane.telematics.vehicle:' || v, 0) as k
                from jsonb_array_elements_text(${JSON.stringify([...byVehicle.keys()])}::jsonb) as v
                order by k) as s`,
        );
      await this.updateHealth(tx, byVehicle, now);
      await this.updateTrips(tx, byVehicle, consents);
    }
    const seen = [...new Set(freshMsgs.map((f) => f.m.deviceId))];
    // Last seen is kept to 30 s: most batches then touch no device row. The in-process memo only
    // skips the statement when this process wrote it recently; the SQL condition is the rule.
    const due = seen.filter(
      (id) => (this.seenWritten.get(id) ?? 0) < now.getTime() - LAST_SEEN_RESOLUTION_MS,
    );
    for (const id of due) this.seenWritten.set(id, now.getTime());
    if (this.seenWritten.size > 100_000) this.seenWritten.clear();
    if (due.length > 0)
      await tx
        .update(telematicsDevices)
        .set({ lastSeenAt: now })
        .where(
          and(
            inArray(telematicsDevices.id, due),
            sql`(${telematicsDevices.lastSeenAt} is null or ${telematicsDevices.lastSeenAt} < ${new Date(now.getTime() - LAST_SEEN_RESOLUTION_MS)})`,
          ),
        );
    return outcomes;
  }

  private async updateHealth(
    tx: Tx,
    byVehicle: Map<string, Array<{ m: ParsedMessage; dev: DeviceInfo; data: Record<string, unknown> }>>,
    now: Date,
  ): Promise<void> {
    const ids = [...byVehicle.keys()];
    const existing = await tx
      .select()
      .from(telematicsHealth)
      .where(inArray(telematicsHealth.vehicleId, ids))
      .for('update');
    const byId = new Map(existing.map((h) => [h.vehicleId, h]));
    const upserts: Array<typeof telematicsHealth.$inferInsert> = [];
    for (const [vehicleId, list] of byVehicle) {
      const row = byId.get(vehicleId);
      const before: HealthState | null = row ? rowToHealth(row) : null;
      let s = before ?? emptyHealth(new Date(0));
      for (const f of list) s = applyReading(s, { kind: f.m.kind, ts: f.m.ts, data: f.data });
      if (s === before) continue;
      // Judged against the snapshot last reported (so slow drifts add up), else the stored one.
      const baseline = row?.reported ? reportedToHealth(row.reported as ReportedHealth) : before;
      const changes = significantChanges(baseline, s);
      const version = (row?.version ?? 0) + (changes.length > 0 ? 1 : 0);
      const deviceId = list[list.length - 1]!.m.deviceId;
      upserts.push({
        vehicleId,
        deviceId,
        updatedAt: now,
        asOf: s.asOf,
        odometerKm: s.odometerKm,
        battery12vV: s.battery12vV,
        tractionSocPct: s.tractionSocPct,
        tractionPackV: s.tractionPackV,
        tractionPackTempC: s.tractionPackTempC,
        charging: s.charging,
        mil: s.mil,
        tyresKpa: s.tyresKpa,
        activeDtcs: s.activeDtcs,
        latest: s.latest,
        version,
        reported: changes.length > 0 ? toReported(s) : (row?.reported ?? toReported(s)),
      });
      if (changes.length > 0) {
        await this.ctx.bus.publish(tx, 'vehicle.health.changed', {
          vehicleId,
          deviceId,
          version,
          asOf: s.asOf.toISOString(),
          changes,
          odometerKm: s.odometerKm,
          battery12vV: s.battery12vV,
          tractionSocPct: s.tractionSocPct,
          tyresKpa: s.tyresKpa,
          mil: s.mil,
          activeDtcs: s.activeDtcs,
        });
      }
    }
    if (upserts.length === 0) return;
    await tx
      .insert(telematicsHealth)
      .values(upserts)
      .onConflictDoUpdate({
        target: telematicsHealth.vehicleId,
        set: Object.fromEntries(
          [
            'device_id',
            'updated_at',
            'as_of',
            'odometer_km',
            'battery_12v_v',
            'traction_soc_pct',
            'traction_pack_v',
            'traction_pack_temp_c',
            'charging',
            'mil',
            'tyres_kpa',
            'active_dtcs',
            'latest',
            'version',
            'reported',
          ].map((c) => [camel(c), sql.raw(`excluded.${c}`)]),
        ),
      });
  }

  private async updateTrips(
    tx: Tx,
    byVehicle: Map<string, Array<{ m: ParsedMessage; dev: DeviceInfo }>>,
    consents: Map<string, Set<string>>,
  ): Promise<void> {
    const ids = [...byVehicle.keys()];
    const open = await tx
      .select()
      .from(telematicsTrips)
      .where(and(inArray(telematicsTrips.vehicleId, ids), eq(telematicsTrips.status, 'open')))
      .for('update');
    const openBy = new Map(open.map((t) => [t.vehicleId, t]));
    const closedRows: Array<typeof telematicsTrips.$inferInsert> = [];
    const openRows: Array<typeof telematicsTrips.$inferInsert> = [];
    for (const [vehicleId, list] of byVehicle) {
      const samples = list.filter((f) => f.m.speedKmh !== undefined || f.m.ignition !== undefined);
      if (samples.length === 0) continue;
      const row = openBy.get(vehicleId);
      let trip: Trip | null = row ? rowToTrip(row) : null;
      const start = trip;
      const behaviour = consents.get(vehicleId)?.has('driving_behaviour') === true;
      const deviceId = list[list.length - 1]!.m.deviceId;
      for (const f of samples) {
        const r = stepTrip(
          trip,
          { ts: f.m.ts, speedKmh: f.m.speedKmh, ignition: f.m.ignition },
          { behaviour, newId: () => newId('trp'), settings: this.trip },
        );
        for (const c of r.closed) {
          closedRows.push(tripToRow(c, vehicleId, deviceId));
          if (c.status === 'completed') {
            await this.ctx.bus.publish(tx, 'vehicle.trip.completed', {
              tripId: c.id,
              vehicleId,
              deviceId,
              startedAt: c.startedAt.toISOString(),
              endedAt: (c.endedAt ?? c.lastAt).toISOString(),
              distanceM: Math.round(c.distanceM),
              durationS: Math.round(c.durationS),
              maxSpeedKmh: c.maxSpeedKmh,
              harshAccelCount: c.harshAccelCount,
              harshBrakeCount: c.harshBrakeCount,
              nightS: c.nightS,
              speedingS: c.speedingS,
            });
          }
        }
        trip = r.open;
      }
      if (trip && trip !== start) openRows.push(tripToRow(trip, vehicleId, deviceId));
    }
    // Closed rows first: the old open row must leave `open` before a new open row arrives.
    const all = [...closedRows, ...openRows];
    if (all.length === 0) return;
    await tx
      .insert(telematicsTrips)
      .values(all)
      .onConflictDoUpdate({
        target: telematicsTrips.id,
        set: Object.fromEntries(
          [
            'status',
            'last_at',
            'ended_at',
            'distance_m',
            'duration_s',
            'max_speed_kmh',
            'last_speed_kmh',
            'harsh_accel_count',
            'harsh_brake_count',
            'night_s',
            'speeding_s',
          ].map((c) => [camel(c), sql.raw(`excluded.${c}`)]),
        ),
      });
  }
}

/** A database error about the data (SQLSTATE 22xxx data exception, 23xxx integrity), not an outage. */
function isDataError(e: unknown): boolean {
  for (let x: unknown = e, i = 0; x && i < 4; x = (x as { cause?: unknown }).cause, i++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string' && /^2[23][0-9A-Z]{3}$/.test(code)) return true;
  }
  return false;
}

/** Trip thresholds from the configuration (PITLANE_TELEMETRY_*). */
export function tripSettings(config: Config): TripSettings {
  return {
    ...DEFAULT_TRIP_SETTINGS,
    harshAccelMs2: config.telemetryHarshAccelMs2,
    harshBrakeMs2: config.telemetryHarshBrakeMs2,
    speedingKmh: config.telemetrySpeedingKmh,
    tzOffsetMinutes: (at) => tzOffsetMinutes(at, config.timezone),
  };
}

/**
 * One multi-row insert whose rows travel as a single JSON parameter (jsonb_to_recordset): the
 * same statement on PGlite and PostgreSQL, far cheaper than thousands of bound parameters.
 * Returns the keys actually inserted (duplicates are skipped by the primary key).
 */
async function insertReadings(
  tx: Tx,
  rows: ReadonlyArray<typeof telematicsReadings.$inferInsert>,
): Promise<Inserted> {
  const json = JSON.stringify(
    rows.map((r) => ({
      device_id: r.deviceId,
      message_id: r.messageId,
      ts: (r.ts as Date).toISOString(),
      vehicle_id: r.vehicleId ?? null,
      kind: r.kind,
      data: r.data,
      h3_cell: r.h3Cell ?? null,
      lat: r.lat ?? null,
      lon: r.lon ?? null,
      received_at: (r.receivedAt as Date).toISOString(),
    })),
  );
  const res = await queryRows<{ device_id: string; message_id: string; ts: string | Date }>(
    tx,
    sql`insert into telematics_readings
          (device_id, message_id, ts, vehicle_id, kind, data, h3_cell, lat, lon, received_at)
        select device_id, message_id, ts, vehicle_id, kind, data, h3_cell, lat, lon, received_at
        from jsonb_to_recordset(${json}::jsonb) as x(device_id text, message_id text, ts timestamptz,
          vehicle_id text, kind text, data jsonb, h3_cell text, lat double precision,
          lon double precision, received_at timestamptz)
        on conflict do nothing
        returning device_id, message_id, ts`,
  );
  return res.map((r) => ({ deviceId: r.device_id, messageId: r.message_id, ts: new Date(r.ts) }));
}

/** The readings a write stored: every row, or the keys of those that were new. */
type Inserted = 'all' | Array<{ deviceId: string; messageId: string; ts: Date }>;

const READING_COLUMNS =
  'device_id, message_id, ts, vehicle_id, kind, data, h3_cell, lat, lon, received_at' as const;
/** Pooled connections whose temporary staging table exists (created by a committed batch). */
const stagedClients = new WeakSet<pg.PoolClient>();

/**
 * One field in COPY's text format: `\N` is NULL; a backslash, tab, line feed or carriage return is
 * escaped. Ids and kinds never hold one (validated), JSON only backslashes (it escapes control
 * characters itself), so the test nearly always passes the text through untouched. Cheaper than
 * CSV, which must double every quote of the JSON.
 */
function copyText(v: string | null | undefined): string {
  if (v === null || v === undefined) return '\\N';
  return COPY_ESCAPE.test(v) ? v.replace(COPY_ESCAPE_ALL, (c) => COPY_ESCAPES[c]!) : v;
}
const COPY_ESCAPE = /[\\\t\n\r]/;
const COPY_ESCAPE_ALL = /[\\\t\n\r]/g;
const COPY_ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** The rows in COPY's text format (columns `READING_COLUMNS`), in chunks of about 1,000 rows. */
function readingsCopyText(rows: ReadonlyArray<typeof telematicsReadings.$inferInsert>): string[] {
  const chunks: string[] = [];
  let buf = '';
  // A batch is received at one instant: its text once.
  let receivedAt: Date | undefined;
  let receivedIso = '';
  for (let i = 0; i < rows.length; i++) {
    const r = rows[i]!;
    if (r.receivedAt !== receivedAt) {
      receivedAt = r.receivedAt as Date;
      receivedIso = receivedAt.toISOString();
    }
    buf +=
      copyText(r.deviceId) +
      '\t' +
      copyText(r.messageId) +
      '\t' +
      (r.ts as Date).toISOString() +
      '\t' +
      copyText(r.vehicleId) +
      '\t' +
      copyText(r.kind) +
      '\t' +
      copyText(JSON.stringify(r.data)) +
      '\t' +
      copyText(r.h3Cell) +
      '\t' +
      (r.lat ?? '\\N') +
      '\t' +
      (r.lon ?? '\\N') +
      '\t' +
      receivedIso +
      '\n';
    if ((i + 1) % 1000 === 0) {
      chunks.push(buf);
      buf = '';
    }
  }
  if (buf) chunks.push(buf);
  return chunks;
}

/**
 * PGlite: COPY from a blob straight into the readings table inside a savepoint; if a message of the
 * batch is already stored (a redelivery: unique violation), back to the savepoint and the
 * `ON CONFLICT DO NOTHING` insert, which says which rows were new. Falls back to that insert if the
 * PGlite transaction handle cannot be reached through drizzle.
 */
async function pgliteCopyReadings(
  tx: Tx,
  rows: ReadonlyArray<typeof telematicsReadings.$inferInsert>,
): Promise<Inserted> {
  const client = pgliteTransactionOf(tx);
  if (!client) return insertReadings(tx, rows);
  await client.exec('savepoint readings_copy');
  try {
    await client.query(`copy telematics_readings (${READING_COLUMNS}) from '/dev/blob'`, [], {
      blob: new Blob(readingsCopyText(rows)),
    });
    await client.exec('release savepoint readings_copy');
    return 'all';
  } catch (e) {
    if (sqlState(e) !== '23505') throw e;
    await client.exec('rollback to savepoint readings_copy');
  }
  return insertReadings(tx, rows);
}

/** The PGlite transaction under a drizzle transaction (drizzle keeps it as `session.client`). */
function pgliteTransactionOf(tx: Tx): PGliteTransaction | undefined {
  const client = (tx as unknown as { session?: { client?: Partial<PGliteTransaction> } }).session?.client;
  return client && typeof client.query === 'function' && typeof client.exec === 'function'
    ? (client as PGliteTransaction)
    : undefined;
}

/** Per write: whether the connection's staging table exists, was made now, and the path taken. */
interface CopyState {
  staged: boolean;
  created: boolean;
  path: 'direct' | 'staged';
}

/** The SQLSTATE of a database error (or of its cause). */
function sqlState(e: unknown): string | undefined {
  for (let x: unknown = e, i = 0; x && i < 4; x = (x as { cause?: unknown }).cause, i++) {
    const code = (x as { code?: unknown }).code;
    if (typeof code === 'string') return code;
  }
  return undefined;
}

/**
 * COPY on PostgreSQL, rows in its text format. First straight into the readings table inside a savepoint: a
 * message already stored (a redelivery) makes that fail with a unique violation, and only then do
 * the rows go the staged way, into `telematics_readings_stage` (a temporary table of the
 * connection, emptied at each commit) and on by `INSERT … SELECT … ON CONFLICT DO NOTHING`, since
 * COPY itself cannot skip duplicates. Returns 'all' or the keys actually inserted, like
 * `insertReadings`. Runs on `client`, the connection that holds `tx`.
 */
async function copyReadings(
  tx: Tx,
  client: pg.PoolClient,
  rows: ReadonlyArray<typeof telematicsReadings.$inferInsert>,
  state: CopyState,
): Promise<Inserted> {
  const text = readingsCopyText(rows);
  const copyInto = (table: string) =>
    pipeline(Readable.from(text), client.query(copyFrom(`copy ${table} (${READING_COLUMNS}) from stdin`)));

  await tx.execute(sql.raw('savepoint readings_copy'));
  try {
    await copyInto('telematics_readings');
    await tx.execute(sql.raw('release savepoint readings_copy'));
    state.path = 'direct';
    return 'all';
  } catch (e) {
    if (sqlState(e) !== '23505') throw e;
    await tx.execute(sql.raw('rollback to savepoint readings_copy'));
  }
  state.path = 'staged';
  if (!state.staged) {
    await tx.execute(
      sql.raw(
        'create temporary table if not exists telematics_readings_stage ' +
          '(like telematics_readings including defaults) on commit delete rows',
      ),
    );
    state.created = true;
  }
  await copyInto('telematics_readings_stage');
  const res = await queryRows<{ device_id: string; message_id: string; ts: string | Date }>(
    tx,
    sql.raw(
      `insert into telematics_readings (${READING_COLUMNS})
       select ${READING_COLUMNS} from telematics_readings_stage
       on conflict do nothing
       returning device_id, message_id, ts`,
    ),
  );
  return res.map((r) => ({ deviceId: r.device_id, messageId: r.message_id, ts: new Date(r.ts) }));
}

const camel = (s: string): string => s.replace(/_([a-z0-9])/g, (_m, c: string) => c.toUpperCase());

/** The fields `significantChanges` compares, as kept in `telematics_health.reported`. */
type ReportedHealth = Omit<HealthState, 'asOf' | 'latest'> & { asOf: string };

function toReported(s: HealthState): ReportedHealth {
  const { latest: _latest, asOf, ...rest } = s;
  return { ...rest, asOf: asOf.toISOString() };
}

function reportedToHealth(r: ReportedHealth): HealthState {
  return { ...r, asOf: new Date(r.asOf), latest: {} };
}

export function rowToHealth(row: typeof telematicsHealth.$inferSelect): HealthState {
  return {
    asOf: row.asOf,
    odometerKm: row.odometerKm,
    battery12vV: row.battery12vV,
    tractionSocPct: row.tractionSocPct,
    tractionPackV: row.tractionPackV,
    tractionPackTempC: row.tractionPackTempC,
    charging: row.charging,
    mil: row.mil,
    tyresKpa: (row.tyresKpa as Tyres | null) ?? null,
    activeDtcs: (row.activeDtcs as string[]) ?? [],
    latest: (row.latest as HealthState['latest']) ?? {},
  };
}

export function rowToTrip(row: typeof telematicsTrips.$inferSelect): Trip {
  return {
    id: row.id,
    startedAt: row.startedAt,
    lastAt: row.lastAt,
    endedAt: row.endedAt,
    status: row.status as Trip['status'],
    distanceM: row.distanceM,
    durationS: row.durationS,
    maxSpeedKmh: row.maxSpeedKmh,
    lastSpeedKmh: row.lastSpeedKmh,
    harshAccelCount: row.harshAccelCount,
    harshBrakeCount: row.harshBrakeCount,
    nightS: row.nightS,
    speedingS: row.speedingS,
  };
}

export function tripToRow(t: Trip, vehicleId: string, deviceId: string): typeof telematicsTrips.$inferInsert {
  return {
    id: t.id,
    vehicleId,
    deviceId,
    status: t.status,
    startedAt: t.startedAt,
    lastAt: t.lastAt,
    endedAt: t.endedAt,
    distanceM: t.distanceM,
    durationS: t.durationS,
    maxSpeedKmh: t.maxSpeedKmh,
    lastSpeedKmh: t.lastSpeedKmh,
    harshAccelCount: t.harshAccelCount,
    harshBrakeCount: t.harshBrakeCount,
    nightS: t.nightS,
    speedingS: t.speedingS,
  };
}
