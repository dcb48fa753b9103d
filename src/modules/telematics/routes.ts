/**
 * Telematics HTTP API: the operator's device registry and live list, owners' binding and consents,
 * vehicle health and trips (owner, operator, store staff who have the owner as a customer), and the
 * trouble-code catalogue.
 */
import { and, desc, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { audit } from '../../platform/audit.js';
import { assertInOrgScope, requireOwner, requireStaff } from '../../platform/auth/principal.js';
import { roleHas } from '../../platform/auth/roles.js';
import { AppError } from '../../platform/errors.js';
import { principalOf } from '../../platform/http/guard.js';
import { decodeCursor, encodeCursor, pageQuery } from '../../platform/http/pagination.js';
import { id, text, type ModuleRoutes } from '../../platform/http/schemas.js';
import type { Principal } from '../../platform/auth/principal.js';
import {
  assertMayReadVehicle,
  bindDevice,
  consentHistory,
  consentStates,
  CONSENT_PURPOSES,
  CONSENT_VERSION,
  createDevice,
  listDevices,
  recordConsent,
  setDeviceDisabled,
  unbindDevice,
} from './devices.js';
import { telematicsDevices, telematicsHealth, telematicsReadings, telematicsTrips } from './schema.js';
import { rowToHealth } from './ingest.js';
import { DTC_ATTRIBUTION, dtcCatalogue } from './catalogue.js';
import { TOPIC_PREFIX } from './payloads.js';

/** A device counts as online when it sent something within this window. */
export const ONLINE_WINDOW_MS = 5 * 60_000;

const iso = (d: Date | null) => (d ? d.toISOString() : null);

function readerOf(p: Principal): Principal {
  if (p.kind === 'staff' && !roleHas(p.role, 'telematics:read'))
    throw new AppError('auth.forbidden', 'forbidden', `Your role (${p.role}) may not read telemetry`);
  return p;
}

const consentView = z.object({
  purpose: z.enum(CONSENT_PURPOSES),
  granted: z.boolean(),
  version: z.string().nullable(),
  at: z.string().nullable(),
});
const consentsView = z.object({
  currentVersion: z.string(),
  items: z.array(consentView),
  history: z.array(
    z.object({ purpose: z.string(), granted: z.boolean(), version: z.string(), at: z.string() }),
  ),
});

const tripView = z.object({
  id: z.string(),
  status: z.string(),
  startedAt: z.string(),
  endedAt: z.string().nullable(),
  distanceM: z.number(),
  durationS: z.number(),
  maxSpeedKmh: z.number(),
  harshAccelCount: z.number().nullable(),
  harshBrakeCount: z.number().nullable(),
  nightShare: z.number().nullable(),
  speedingS: z.number().nullable(),
});

export const telematicsRoutes: ModuleRoutes = (app, ctx) => {
  /**
   * Checks that the caller may read the vehicle's telemetry; a store reading a customer's data
   * (not the owner reading their own) is on the record.
   */
  const readVehicle = async (
    req: { params: { id: string }; id: string; ip: string } & Parameters<typeof principalOf>[0],
    action: string,
  ): Promise<void> => {
    const p = readerOf(principalOf(req));
    await assertMayReadVehicle(ctx.db, p, req.params.id);
    if (p.kind === 'staff')
      await audit(ctx.db, {
        actor: p,
        action,
        resourceType: 'vehicle',
        resourceId: req.params.id,
        requestId: req.id,
        ip: req.ip,
      });
  };

  app.post('/telematics/devices', {
    config: { access: 'telematics:write' },
    schema: {
      tags: ['telematics'],
      summary: 'Register an OBD dongle; the MQTT credential is in this answer only',
      body: z.object({
        serial: z
          .string()
          .trim()
          .regex(/^[A-Za-z0-9-]{4,40}$/, 'letters, digits and - only (4–40)'),
        imei: z
          .string()
          .regex(/^\d{15}$/, 'must be 15 digits')
          .optional(),
        model: text(80).optional(),
      }),
      response: {
        201: z.object({
          id: z.string(),
          serial: z.string(),
          imei: z.string().nullable(),
          model: z.string().nullable(),
          credential: z.string(),
          mqtt: z.object({ username: z.string(), topicPrefix: z.string() }),
        }),
      },
    },
    handler: async (req, reply) => {
      const p = requireStaff(req.principal);
      const r = await ctx.db.transaction((tx) => createDevice(tx, p, req.body, ctx.clock.now()));
      return reply.status(201).send({
        id: r.device.id,
        serial: r.device.serial,
        imei: r.device.imei,
        model: r.device.model,
        credential: r.credential,
        mqtt: { username: r.device.id, topicPrefix: `${TOPIC_PREFIX}${r.device.id}/` },
      });
    },
  });

  app.get('/telematics/devices', {
    config: { access: 'telematics:read' },
    schema: {
      tags: ['telematics'],
      summary: 'Devices in my org with last-seen time (live list)',
      querystring: pageQuery,
      response: {
        200: z.object({
          items: z.array(
            z.object({
              id: z.string(),
              serial: z.string(),
              imei: z.string().nullable(),
              model: z.string().nullable(),
              bound: z.boolean(),
              disabledAt: z.string().nullable(),
              lastSeenAt: z.string().nullable(),
              online: z.boolean(),
            }),
          ),
          nextCursor: z.string().nullable(),
        }),
      },
    },
    handler: async (req) => {
      const p = requireStaff(req.principal);
      const after = decodeCursor(req.query.cursor, 1) as [string] | undefined;
      const rows = await listDevices(ctx.db, p, { limit: req.query.limit + 1, after: after?.[0] });
      const page = rows.slice(0, req.query.limit);
      const now = ctx.clock.now().getTime();
      return {
        items: page.map((d) => ({
          id: d.id,
          serial: d.serial,
          // IMEI identifies a SIM holder's hardware: show only its last 4 digits in lists.
          imei: d.imei ? `***********${d.imei.slice(-4)}` : null,
          model: d.model,
          bound: d.vehicleId !== null,
          disabledAt: iso(d.disabledAt),
          lastSeenAt: iso(d.lastSeenAt),
          online: d.lastSeenAt !== null && now - d.lastSeenAt.getTime() <= ONLINE_WINDOW_MS,
        })),
        nextCursor: rows.length > req.query.limit ? encodeCursor([page[page.length - 1]!.id]) : null,
      };
    },
  });

  const deviceState = z.object({ id: z.string(), serial: z.string(), disabledAt: z.string().nullable() });
  const reasonBody = z.object({
    reason: z.string().trim().min(3, 'say why (at least 3 characters)').max(500),
  });
  for (const [verb, disabled] of [
    ['disable', true],
    ['enable', false],
  ] as const) {
    app.post(`/telematics/devices/:id/${verb}`, {
      config: { access: 'telematics:write' },
      schema: {
        tags: ['telematics'],
        summary: disabled
          ? 'Disable a device: it can no longer sign in to the embedded broker and its messages are dropped (audited, with reason)'
          : 'Enable a disabled device again (audited, with reason)',
        params: z.object({ id: id('dev') }),
        body: reasonBody,
        response: { 200: deviceState },
      },
      handler: async (req) => {
        const p = requireStaff(req.principal);
        const r = await ctx.db.transaction((tx) =>
          setDeviceDisabled(tx, p, req.params.id, { disabled, reason: req.body.reason }, ctx.clock.now(), {
            requestId: req.id,
            ip: req.ip,
          }),
        );
        return { id: r.id, serial: r.serial, disabledAt: iso(r.disabledAt) };
      },
    });
  }

  app.get('/telematics/devices/:id/messages', {
    config: { access: 'telematics:write' },
    schema: {
      tags: ['telematics'],
      summary: 'Messages stored from a device (ids, kind and time only; for delivery checks)',
      params: z.object({ id: id('dev') }),
      querystring: z.object({
        limit: z.coerce.number().int().min(1).max(1000).default(100),
        cursor: z.string().min(1).max(400).optional(),
      }),
      response: {
        200: z.object({
          total: z.number(),
          items: z.array(
            z.object({ messageId: z.string(), kind: z.string(), ts: z.string(), receivedAt: z.string() }),
          ),
          nextCursor: z.string().nullable(),
        }),
      },
    },
    handler: async (req) => {
      const p = requireStaff(req.principal);
      const [dev] = await ctx.db
        .select({ orgPath: telematicsDevices.orgPath })
        .from(telematicsDevices)
        .where(eq(telematicsDevices.id, req.params.id));
      assertInOrgScope(p, dev?.orgPath, 'device', req.params.id);
      const after = decodeCursor(req.query.cursor, 2) as [string, string] | undefined;
      const where = eq(telematicsReadings.deviceId, req.params.id);
      const [count] = await ctx.db
        .select({ n: sql<number>`count(*)::int` })
        .from(telematicsReadings)
        .where(where);
      const rows = await ctx.db
        .select({
          messageId: telematicsReadings.messageId,
          kind: telematicsReadings.kind,
          ts: telematicsReadings.ts,
          receivedAt: telematicsReadings.receivedAt,
        })
        .from(telematicsReadings)
        .where(
          and(
            where,
            after
              ? sql`(${telematicsReadings.ts}, ${telematicsReadings.messageId}) > (${new Date(after[0])}, ${after[1]})`
              : undefined,
          ),
        )
        .orderBy(telematicsReadings.ts, telematicsReadings.messageId)
        .limit(req.query.limit + 1);
      const page = rows.slice(0, req.query.limit);
      const last = page[page.length - 1];
      return {
        total: count?.n ?? 0,
        items: page.map((r) => ({
          messageId: r.messageId,
          kind: r.kind,
          ts: r.ts.toISOString(),
          receivedAt: r.receivedAt.toISOString(),
        })),
        nextCursor:
          rows.length > req.query.limit && last
            ? encodeCursor([last.ts.toISOString(), last.messageId])
            : null,
      };
    },
  });

  app.put('/me/vehicles/:id/device', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['telematics'],
      summary: 'Bind a dongle to my vehicle by its serial (idempotent)',
      params: z.object({ id: id('veh') }),
      body: z.object({ serial: z.string().trim().min(4).max(40) }),
      response: {
        200: z.object({
          bindingId: z.string(),
          deviceId: z.string(),
          vehicleId: z.string(),
          boundAt: z.string(),
        }),
      },
    },
    handler: async (req) => {
      const owner = requireOwner(req.principal);
      const r = await ctx.db.transaction((tx) =>
        bindDevice(tx, owner.userId, { serial: req.body.serial, vehicleId: req.params.id }, ctx.clock.now(), {
          actor: owner,
          requestId: req.id,
          ip: req.ip,
        }),
      );
      return { ...r, boundAt: r.boundAt.toISOString() };
    },
  });

  app.delete('/me/vehicles/:id/device', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['telematics'],
      summary: 'Unbind the dongle from my vehicle',
      params: z.object({ id: id('veh') }),
      response: { 204: z.null() },
    },
    handler: async (req, reply) => {
      const owner = requireOwner(req.principal);
      await ctx.db.transaction((tx) =>
        unbindDevice(tx, owner.userId, req.params.id, ctx.clock.now(), {
          actor: owner,
          requestId: req.id,
          ip: req.ip,
        }),
      );
      return reply.status(204).send(null);
    },
  });

  const consentsOf = async (ownerId: string, vehicleId: string) => {
    const history = await consentHistory(ctx.db, ownerId, vehicleId);
    return {
      currentVersion: CONSENT_VERSION,
      items: consentStates(history).map((c) => ({ ...c, at: iso(c.at) })),
      history: history.map((h) => ({
        purpose: h.purpose,
        granted: h.granted,
        version: h.version,
        at: h.at.toISOString(),
      })),
    };
  };

  app.get('/me/vehicles/:id/consents', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['telematics'],
      summary: 'My telemetry consents for a vehicle, with their history',
      params: z.object({ id: id('veh') }),
      response: { 200: consentsView },
    },
    handler: async (req) => {
      const owner = requireOwner(req.principal);
      const { ownerVehicle } = await import('../customers/index.js');
      await ownerVehicle(ctx.db, owner.userId, req.params.id);
      return consentsOf(owner.userId, req.params.id);
    },
  });

  app.put('/me/vehicles/:id/consents/:purpose', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['telematics'],
      summary: 'Grant or revoke one consent (the decision is appended to the history)',
      params: z.object({ id: id('veh'), purpose: z.enum(CONSENT_PURPOSES) }),
      body: z.object({ granted: z.boolean(), version: z.string().trim().min(1).max(20) }),
      response: { 200: consentsView },
    },
    handler: async (req) => {
      const owner = requireOwner(req.principal);
      await ctx.db.transaction((tx) =>
        recordConsent(
          tx,
          owner.userId,
          req.params.id,
          { purpose: req.params.purpose, granted: req.body.granted, version: req.body.version },
          ctx.clock.now(),
          { actor: owner, requestId: req.id, ip: req.ip },
        ),
      );
      return consentsOf(owner.userId, req.params.id);
    },
  });

  app.get('/vehicles/:id/health', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['telematics'],
      summary: 'Vehicle health snapshot from its dongle (owner, operator, stores that serve the owner)',
      params: z.object({ id: id('veh') }),
      response: {
        200: z.object({
          vehicleId: z.string(),
          asOf: z.string().nullable(),
          odometerKm: z.number().nullable(),
          battery12vV: z.number().nullable(),
          traction: z.object({
            socPct: z.number().nullable(),
            packVoltageV: z.number().nullable(),
            packTempC: z.number().nullable(),
            charging: z.boolean().nullable(),
          }),
          tyresKpa: z.record(z.string(), z.number()).nullable(),
          mil: z.boolean().nullable(),
          activeDtcs: z.array(
            z.object({
              code: z.string(),
              description: z.string().nullable(),
              severity: z.string().nullable(),
            }),
          ),
          latest: z.record(z.string(), z.object({ value: z.number(), unit: z.string(), at: z.string() })),
          dtcAttribution: z.string().nullable(),
        }),
      },
    },
    handler: async (req) => {
      await readVehicle(req, 'telematics.health.read');
      const [row] = await ctx.db
        .select()
        .from(telematicsHealth)
        .where(eq(telematicsHealth.vehicleId, req.params.id));
      const h = row ? rowToHealth(row) : null;
      const cat = h && h.activeDtcs.length > 0 ? await dtcCatalogue(ctx) : undefined;
      return {
        vehicleId: req.params.id,
        asOf: h ? h.asOf.toISOString() : null,
        odometerKm: h?.odometerKm ?? null,
        battery12vV: h?.battery12vV ?? null,
        traction: {
          socPct: h?.tractionSocPct ?? null,
          packVoltageV: h?.tractionPackV ?? null,
          packTempC: h?.tractionPackTempC ?? null,
          charging: h?.charging ?? null,
        },
        tyresKpa: (h?.tyresKpa as Record<string, number> | null) ?? null,
        mil: h?.mil ?? null,
        activeDtcs: (h?.activeDtcs ?? []).map((code) => {
          const e = cat?.lookup(code);
          return { code, description: e?.description ?? null, severity: e?.severity ?? null };
        }),
        latest: h?.latest ?? {},
        dtcAttribution: cat ? DTC_ATTRIBUTION : null,
      };
    },
  });

  app.get('/vehicles/:id/trips', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['telematics'],
      summary: 'Trips of a vehicle, newest first (behaviour figures only with driving-behaviour consent)',
      params: z.object({ id: id('veh') }),
      querystring: pageQuery,
      response: { 200: z.object({ items: z.array(tripView), nextCursor: z.string().nullable() }) },
    },
    handler: async (req) => {
      await readVehicle(req, 'telematics.trips.read');
      const after = decodeCursor(req.query.cursor, 2) as [string, string] | undefined;
      const rows = await ctx.db
        .select()
        .from(telematicsTrips)
        .where(
          and(
            eq(telematicsTrips.vehicleId, req.params.id),
            sql`${telematicsTrips.status} <> 'discarded'`,
            after
              ? sql`(${telematicsTrips.startedAt}, ${telematicsTrips.id}) < (${new Date(after[0])}, ${after[1]})`
              : undefined,
          ),
        )
        .orderBy(desc(telematicsTrips.startedAt), desc(telematicsTrips.id))
        .limit(req.query.limit + 1);
      const page = rows.slice(0, req.query.limit);
      const last = page[page.length - 1];
      return {
        items: page.map((t) => ({
          id: t.id,
          status: t.status,
          startedAt: t.startedAt.toISOString(),
          endedAt: iso(t.endedAt),
          distanceM: Math.round(t.distanceM),
          durationS: Math.round(t.durationS),
          maxSpeedKmh: t.maxSpeedKmh,
          harshAccelCount: t.harshAccelCount,
          harshBrakeCount: t.harshBrakeCount,
          nightShare:
            t.nightS === null
              ? null
              : t.durationS > 0
                ? Math.round((t.nightS / t.durationS) * 1000) / 1000
                : 0,
          speedingS: t.speedingS === null ? null : Math.round(t.speedingS),
        })),
        nextCursor:
          rows.length > req.query.limit && last
            ? encodeCursor([last.startedAt.toISOString(), last.id])
            : null,
      };
    },
  });

  app.get('/telematics/dtcs/:code', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['telematics'],
      summary: 'A generic trouble code (SAE J2012) with description, system and severity class',
      params: z.object({ code: z.string().regex(/^[PCBU][0-3][0-9A-F]{3}$/i, 'a code like P0301') }),
      response: {
        200: z.object({
          code: z.string(),
          description: z.string(),
          system: z.string(),
          severity: z.string(),
          attribution: z.string(),
        }),
      },
    },
    handler: async (req) => {
      const cat = await dtcCatalogue(ctx);
      const code = req.params.code.toUpperCase();
      const e = cat.lookup(code);
      if (!e)
        throw new AppError(
          'telematics.dtc_not_found',
          'not_found',
          `No generic trouble code ${code} in the catalogue`,
        );
      return {
        code: e.code,
        description: e.description,
        system: e.system,
        severity: e.severity,
        attribution: DTC_ATTRIBUTION,
      };
    },
  });
};
