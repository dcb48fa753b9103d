/** Booking routes: search and availability, bookings, payments and callbacks, door-to-door, board, settlement. */
import { z } from 'zod';
import type { FastifyRequest } from 'fastify';
import { AppError } from '../../platform/errors.js';
import {
  assertInOrgScope,
  requireOwner,
  requireStaff,
  type Principal,
} from '../../platform/auth/principal.js';
import { roleHas, type Permission } from '../../platform/auth/roles.js';
import { convert } from '../../platform/domain/geo.js';
import { principalOf } from '../../platform/http/guard.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { decodeCursor, pageOf, pageQuery } from '../../platform/http/pagination.js';
import { id, isoDate, isoDateTime, text, type App, type ModuleRoutes } from '../../platform/http/schemas.js';
import { addDays, localToUtc, utcToLocal } from '../../platform/time.js';
import { formatFen } from '../../platform/domain/money.js';
import type { AppContext } from '../../platform/context.js';
import { catalogSnapshot } from '../catalog/index.js';
import { quoteLineView, quoteView, itemCodes } from '../catalog/routes.js';
import { ownerVehicle } from '../customers/index.js';
import { getStoreRaw, getStoreScoped, listBays, storeSetups } from '../stores/index.js';
import { answerForStore, slotsForStores } from './load-availability.js';
import { quoteCached } from './availability-index.js';
import { NOTICE_MINUTES, searchOptions } from './search.js';
import {
  bookingHistoryOf,
  cancelBooking,
  confirmBooking,
  createHold,
  listBookings,
  loadBooking,
  markNoShow,
  rescheduleBooking,
  type Booking,
} from './bookings.js';
import {
  handleCallback,
  loadPayment,
  paymentsFor,
  recordInStorePayment,
  refundPayment,
  requestInvoice,
  sandbox,
  startPrepay,
  type Payment,
} from './payments.js';
import { listDoorToDoor, myDoorToDoor, requestDoorToDoor, type DoorToDoor } from './door-to-door.js';
import { dailySettlement } from './settlement.js';
import { logSearch } from './funnel.js';

const coordSystems = ['wgs84', 'gcj02', 'bd09'] as const;
const statuses = ['held', 'confirmed', 'checked_in', 'completed', 'cancelled', 'no_show', 'expired'] as const;

/** Owners act on their own; staff need the permission. Routes using this declare `authenticated`. */
export function ownerOrStaff(p: Principal, perm: Permission): Principal {
  if (p.kind === 'owner') return p;
  if (!roleHas(p.role, perm))
    throw new AppError(
      'auth.forbidden',
      'forbidden',
      `Your role (${p.role}) may not do this (needs ${perm})`,
    );
  return p;
}

export const bookingView = z
  .object({
    id: z.string(),
    storeId: z.string(),
    ownerId: z.string(),
    vehicleId: z.string(),
    items: z.array(z.string()),
    status: z.enum(statuses),
    source: z.string(),
    startAt: z.string(),
    endAt: z.string(),
    bayId: z.string(),
    technicianId: z.string(),
    holdExpiresAt: z.string().nullable(),
    lines: z.array(quoteLineView),
    totalFen: z.number(),
    notes: z.string().nullable(),
    workOrderId: z.string().nullable(),
    createdAt: z.string(),
  })
  .meta({ id: 'Booking' });

export const toBookingView = (b: Booking): z.infer<typeof bookingView> => ({
  id: b.id,
  storeId: b.storeId,
  ownerId: b.ownerId,
  vehicleId: b.vehicleId,
  items: b.items,
  status: b.status,
  source: b.source,
  startAt: b.startAt.toISOString(),
  endAt: b.endAt.toISOString(),
  bayId: b.bayId,
  technicianId: b.technicianId,
  holdExpiresAt: b.holdExpiresAt?.toISOString() ?? null,
  lines: b.quote,
  totalFen: b.totalFen,
  notes: b.notes,
  workOrderId: b.workOrderId,
  createdAt: b.createdAt.toISOString(),
});

export const paymentView = z
  .object({
    id: z.string(),
    storeId: z.string(),
    bookingId: z.string().nullable(),
    workOrderId: z.string().nullable(),
    kind: z.string(),
    method: z.string(),
    amountFen: z.number(),
    refundedFen: z.number(),
    status: z.string(),
    createdAt: z.string(),
    paidAt: z.string().nullable(),
  })
  .meta({ id: 'Payment' });
export const toPaymentView = (p: Payment): z.infer<typeof paymentView> => ({
  id: p.id,
  storeId: p.storeId,
  bookingId: p.bookingId,
  workOrderId: p.workOrderId,
  kind: p.kind,
  method: p.method,
  amountFen: p.amountFen,
  refundedFen: p.refundedFen,
  status: p.status,
  createdAt: p.createdAt.toISOString(),
  paidAt: p.paidAt?.toISOString() ?? null,
});

const d2dView = z
  .object({
    id: z.string(),
    storeId: z.string(),
    vehicleId: z.string(),
    kind: z.enum(['onsite', 'pickup_return']),
    items: z.array(z.string()),
    address: z.string(),
    lon: z.number(),
    lat: z.number(),
    windowStart: z.string(),
    windowEnd: z.string(),
    status: z.string(),
    arrivalFrom: z.string().nullable(),
    arrivalTo: z.string().nullable(),
  })
  .meta({ id: 'DoorToDoorRequest' });
const toD2d = (r: DoorToDoor): z.infer<typeof d2dView> => ({
  id: r.id,
  storeId: r.storeId,
  vehicleId: r.vehicleId,
  kind: r.kind,
  items: r.items,
  address: r.address,
  lon: r.lon,
  lat: r.lat,
  windowStart: r.windowStart.toISOString(),
  windowEnd: r.windowEnd.toISOString(),
  status: r.status,
  arrivalFrom: r.arrivalFrom?.toISOString() ?? null,
  arrivalTo: r.arrivalTo?.toISOString() ?? null,
});

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

async function receiptHtml(ctx: AppContext, p: Payment): Promise<string> {
  const store = await getStoreRaw(ctx.db, p.storeId);
  const at = p.paidAt ?? p.createdAt;
  const local = utcToLocal(at, ctx.config.timezone);
  const rows = [
    ['收据号 Receipt no.', p.id],
    ['门店 Store', store?.name ?? p.storeId],
    ['地址 Address', store?.address ?? ''],
    [
      '时间 Time',
      `${local.day} ${String(Math.floor(local.minute / 60)).padStart(2, '0')}:${String(local.minute % 60).padStart(2, '0')}`,
    ],
    ['方式 Method', p.method],
    ['金额 Amount', formatFen(p.amountFen)],
    ['已退款 Refunded', formatFen(p.refundedFen)],
    ['状态 Status', p.status],
  ];
  return `<!doctype html><html lang="zh-CN"><head><meta charset="utf-8"><title>收据 ${escapeHtml(p.id)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:420px;margin:2em auto}td{padding:4px 8px;border-bottom:1px solid #ddd}@media print{button{display:none}}</style></head>
<body><h1>Pitlane 收据 / Receipt</h1><table>${rows.map(([k, v]) => `<tr><td>${escapeHtml(k!)}</td><td>${escapeHtml(v!)}</td></tr>`).join('')}</table>
<p><button onclick="print()">打印 Print</button></p></body></html>`;
}

/** ISO strings of grid times, memoised: slot answers repeat the same few thousand instants. */
const isoMemo = new Map<number, string>();
function isoOf(ms: number): string {
  let v = isoMemo.get(ms);
  if (v === undefined) {
    if (isoMemo.size > 50_000) isoMemo.clear();
    isoMemo.set(ms, (v = new Date(ms).toISOString()));
  }
  return v;
}

export const bookingRoutes: ModuleRoutes = (app, ctx) => {
  app.post('/search', {
    config: { access: 'public' },
    schema: {
      tags: ['booking'],
      summary:
        'Search stores that can do the job near a point: ranked options with price, earliest times and reasons',
      body: z
        .object({
          near: z.object({
            lon: z.number().min(-180).max(180),
            lat: z.number().min(-90).max(90),
            coord: z.enum(coordSystems).default('gcj02'),
          }),
          radiusKm: z.number().min(0.5).max(50).default(10),
          vehicleModelId: id('vm').optional(),
          vehicleId: id('veh').optional(),
          items: itemCodes,
          fromDay: isoDate.optional(),
          days: z.number().int().min(1).max(14).default(3),
          maxStores: z.number().int().min(1).max(30).default(10),
          slotsPerStore: z.number().int().min(1).max(50).default(8),
        })
        .refine((b) => b.vehicleModelId || b.vehicleId, 'give vehicleModelId, or vehicleId when signed in'),
      response: {
        200: z.object({
          storesConsidered: z.number(),
          options: z.array(
            z.object({
              storeId: z.string(),
              storeName: z.string(),
              lon: z.number(),
              lat: z.number(),
              coord: z.enum(coordSystems),
              distanceM: z.number(),
              quote: quoteView,
              slots: z.array(z.object({ startAt: z.string(), endAt: z.string() })),
              score: z.number(),
              reasons: z.array(
                z.object({ code: z.string(), zh: z.string(), en: z.string(), weight: z.number() }),
              ),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const b = req.body;
      let modelId = b.vehicleModelId;
      const ownerId = req.principal?.kind === 'owner' ? req.principal.userId : undefined;
      if (b.vehicleId) {
        if (!ownerId)
          throw new AppError(
            'auth.unauthenticated',
            'unauthenticated',
            'Sign in to search with your vehicle',
          );
        modelId = (await ownerVehicle(ctx.db, ownerId, b.vehicleId)).vehicleModelId;
      }
      const at = convert({ lon: b.near.lon, lat: b.near.lat }, b.near.coord, 'wgs84');
      const r = await searchOptions(ctx, ctx.db, {
        near: at,
        radiusM: b.radiusKm * 1000,
        vehicleModelId: modelId!,
        items: b.items,
        fromDay: b.fromDay,
        days: b.days,
        maxStores: b.maxStores,
        slotsPerStore: b.slotsPerStore,
        ownerId,
      });
      return {
        storesConsidered: r.storesConsidered,
        options: r.options.map((o) => {
          const c = convert({ lon: o.lon, lat: o.lat }, 'wgs84', b.near.coord);
          return { ...o, lon: +c.lon.toFixed(6), lat: +c.lat.toFixed(6), coord: b.near.coord };
        }),
      };
    },
  });

  app.get('/stores/:id/availability', {
    config: { access: 'public' },
    schema: {
      tags: ['booking'],
      summary: 'Free start times at one store for a job on a vehicle model (15-minute grid)',
      params: z.object({ id: id('st') }),
      querystring: z.object({
        vehicleModelId: id('vm'),
        items: z
          .string()
          .min(1)
          .max(500)
          .transform((s) =>
            s
              .split(',')
              .map((x) => x.trim())
              .filter(Boolean),
          ),
        day: isoDate.optional(),
        days: z.coerce.number().int().min(1).max(14).default(1),
      }),
      response: {
        200: z.object({
          storeId: z.string(),
          durationMinutes: z.number(),
          totalFen: z.number(),
          days: z.array(
            z.object({
              day: z.string(),
              closed: z.boolean(),
              slots: z.array(z.object({ startAt: z.string(), endAt: z.string() })),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const q = req.query;
      if (!q.items.length || q.items.length > 20)
        throw new AppError('catalog.no_items', 'validation', 'Give 1–20 comma-separated item codes');
      const now = ctx.clock.now();
      const first = q.day ?? utcToLocal(now, ctx.config.timezone).day;
      // The same question within a second (and the same minute) gets the same answer.
      const key = `${q.vehicleModelId}|${q.items.join(',')}|${first}|${q.days}|${Math.floor(now.getTime() / 60_000)}`;
      const store = (await storeSetups(ctx.db, ctx.db, [req.params.id])).get(req.params.id)?.store;
      if (!store || store.status !== 'active')
        throw new AppError('store.not_found', 'not_found', `No store with id ${req.params.id}`);
      const quote = await quoteCached(ctx.db, ctx.db, {
        storeId: store.id,
        storeOrgPath: store.orgPath,
        vehicleModelId: q.vehicleModelId,
        items: q.items,
      });
      const answer = await answerForStore(ctx.db, store.id, key, [store, quote], async () => {
        const days = Array.from({ length: q.days }, (_, i) => addDays(first, i));
        const result = await slotsForStores(ctx.db, ctx.db, {
          storeIds: [store.id],
          days,
          need: () => quote,
          tz: ctx.config.timezone,
          now,
          noticeMinutes: NOTICE_MINUTES,
        });
        return {
          asOf: Math.min(Date.now(), ...result.map((d) => d.asOf)),
          value: {
            storeId: store.id,
            durationMinutes: quote.durationMinutes,
            totalFen: quote.totalFen,
            days: result.map((d) => ({
              day: d.day,
              closed: d.closed,
              slots: d.slots.map((s) => ({ startAt: isoOf(s.startMs), endAt: isoOf(s.endMs) })),
            })),
          },
        };
      });
      logSearch(ctx, {
        at: now,
        kind: 'quote',
        storeId: answer.storeId,
        items: q.items,
        resultCount: answer.days.reduce((s, d) => s + d.slots.length, 0),
        ownerId: req.principal?.kind === 'owner' ? req.principal.userId : null,
      });
      return answer;
    },
  });

  app.post('/bookings', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['booking'],
      summary: 'Hold a slot (expires in 10 minutes unless confirmed), or book directly with confirm=true',
      body: z.object({
        storeId: id('st'),
        vehicleId: id('veh'),
        items: itemCodes,
        startAt: isoDateTime,
        confirm: z.boolean().default(false),
        notes: text(500).optional(),
      }),
      response: { 201: bookingView },
    },
    handler: async (req, reply) => {
      const owner = requireOwner(req.principal);
      return idempotent(ctx.db, req, reply, 201, async (tx) =>
        toBookingView(
          await createHold(
            ctx,
            tx,
            {
              ownerId: owner.userId,
              vehicleId: req.body.vehicleId,
              storeId: req.body.storeId,
              items: req.body.items,
              startAt: new Date(req.body.startAt),
              source: 'web',
              confirm: req.body.confirm,
              notes: req.body.notes,
            },
            owner,
          ),
        ),
      );
    },
  });

  app.get('/bookings', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['booking'],
      summary: 'Bookings: an owner’s own, or those in a staff member’s scope (newest start first)',
      querystring: pageQuery.extend({
        storeId: id('st').optional(),
        status: z.enum(statuses).optional(),
        from: isoDateTime.optional(),
        to: isoDateTime.optional(),
      }),
      response: { 200: pageOf(bookingView) },
    },
    handler: async (req) => {
      const p = ownerOrStaff(principalOf(req), 'bookings:read');
      const q = req.query;
      const after = decodeCursor(q.cursor, 2) as [string, string] | undefined;
      const page = await listBookings(ctx.db, p, {
        storeId: q.storeId,
        status: q.status,
        from: q.from ? new Date(q.from) : undefined,
        to: q.to ? new Date(q.to) : undefined,
        limit: q.limit,
        after,
      });
      return { items: page.items.map(toBookingView), nextCursor: page.nextCursor };
    },
  });

  app.get('/bookings/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['booking'],
      summary: 'One booking with its history',
      params: z.object({ id: id('bk') }),
      response: {
        200: bookingView.extend({
          history: z.array(
            z.object({
              at: z.string(),
              from: z.string().nullable(),
              to: z.string(),
              actorRole: z.string().nullable(),
              note: z.string().nullable(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const p = ownerOrStaff(principalOf(req), 'bookings:read');
      const b = await loadBooking(ctx.db, p, req.params.id);
      const h = await bookingHistoryOf(ctx.db, b.id);
      return {
        ...toBookingView(b),
        history: h.map((x) => ({
          at: x.at.toISOString(),
          from: x.fromStatus,
          to: x.toStatus,
          actorRole: x.actorRole,
          note: x.note,
        })),
      };
    },
  });

  const action = (
    path: string,
    summary: string,
    perm: Permission,
    body: z.ZodType,
    run: (
      tx: Parameters<typeof confirmBooking>[1],
      p: Principal,
      bookingId: string,
      body: Record<string, unknown>,
    ) => Promise<Booking>,
  ) =>
    app.post(path, {
      config: { access: 'authenticated' },
      schema: {
        tags: ['booking'],
        summary,
        params: z.object({ id: id('bk') }),
        body,
        response: { 200: bookingView },
      },
      handler: async (req) => {
        const p = ownerOrStaff(principalOf(req), perm);
        const params = req.params as { id: string };
        return toBookingView(
          await ctx.db.transaction((tx) =>
            run(tx, p, params.id, (req.body ?? {}) as Record<string, unknown>),
          ),
        );
      },
    });

  action(
    '/bookings/:id/confirm',
    'Confirm a held booking',
    'bookings:write',
    z.object({}).optional(),
    (tx, p, bid) => confirmBooking(ctx, tx, p, bid),
  );
  action(
    '/bookings/:id/cancel',
    'Cancel (owners online until the store’s cut-off; staff any time)',
    'bookings:write',
    z.object({ reason: text(300).default('cancelled') }),
    (tx, p, bid, b) => cancelBooking(ctx, tx, p, bid, String(b.reason ?? 'cancelled')),
  );
  action(
    '/bookings/:id/reschedule',
    'Move a booking to another start time',
    'bookings:write',
    z.object({ startAt: isoDateTime }),
    (tx, p, bid, b) => rescheduleBooking(ctx, tx, p, bid, new Date(String(b.startAt))),
  );
  app.post('/bookings/:id/no-show', {
    config: { access: 'bookings:write' },
    schema: {
      tags: ['booking'],
      summary: 'Record that the customer did not come (frees the bay and technician)',
      params: z.object({ id: id('bk') }),
      response: { 200: bookingView },
    },
    handler: async (req) =>
      toBookingView(await ctx.db.transaction((tx) => markNoShow(ctx, tx, principalOf(req), req.params.id))),
  });

  app.post('/bookings/:id/payments', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['payments'],
      summary: 'Start an online prepayment of the booking (sandbox provider in this build)',
      params: z.object({ id: id('bk') }),
      response: { 201: z.object({ payment: paymentView, payUrl: z.string() }) },
    },
    handler: async (req, reply) =>
      idempotent(ctx.db, req, reply, 201, async (tx) => {
        const r = await startPrepay(ctx, tx, principalOf(req), req.params.id);
        return { payment: toPaymentView(r.payment), payUrl: r.payUrl };
      }),
  });

  app.post('/payments/:id/sandbox/pay', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['payments'],
      summary:
        'Sandbox only: the payer completes (or fails) the charge; the sandbox then sends its signed callback',
      params: z.object({ id: id('pay') }),
      body: z.object({ outcome: z.enum(['succeeded', 'failed']).default('succeeded') }).optional(),
      response: { 200: paymentView },
    },
    handler: async (req) => {
      const pay = await loadPayment(ctx.db, principalOf(req), req.params.id);
      if (pay.provider !== 'sandbox' || !pay.providerRef)
        throw new AppError('payment.not_sandbox', 'conflict', 'This payment is not a sandbox payment');
      const cb = sandbox(ctx).makeCallback(
        {
          paymentId: pay.id,
          providerRef: pay.providerRef,
          status: req.body?.outcome ?? 'succeeded',
          amountFen: pay.amountFen,
        },
        ctx.clock.now(),
      );
      await handleCallback(ctx, 'sandbox', cb.rawBody, cb.headers, req.ip);
      return toPaymentView(await loadPayment(ctx.db, principalOf(req), req.params.id));
    },
  });

  // Provider callbacks need the raw body for the signature: parse JSON ourselves in this scope.
  void app.register(async (scope: App) => {
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser('*', { parseAs: 'string', bodyLimit: 64 * 1024 }, (_req, body, done) =>
      done(null, body),
    );
    scope.post('/payments/callbacks/:provider', {
      config: { access: 'public' },
      schema: {
        tags: ['payments'],
        summary:
          'Payment provider callback (HMAC-signed; forged, stale or replayed callbacks are rejected and logged)',
        params: z.object({ provider: z.string().regex(/^[a-z_]{2,20}$/) }),
        response: { 200: z.object({ paymentId: z.string(), status: z.string() }) },
      },
      handler: async (req: FastifyRequest<{ Params: { provider: string } }>) => {
        const raw = typeof req.body === 'string' ? req.body : '';
        const headers = Object.fromEntries(
          Object.entries(req.headers).map(([k, v]) => [k, Array.isArray(v) ? v[0] : v]),
        );
        return handleCallback(ctx, req.params.provider, raw, headers, req.ip);
      },
    });
  });

  app.post('/payments', {
    config: { access: 'payments:write' },
    schema: {
      tags: ['payments'],
      summary:
        'Record a payment taken in the store for a booking (work orders: POST /work-orders/{id}/payments)',
      body: z.object({
        bookingId: id('bk'),
        method: z.enum(['wechat', 'alipay', 'card', 'cash']),
        amountFen: z.number().int().min(1).max(100_000_000),
      }),
      response: { 201: paymentView },
    },
    handler: async (req, reply) => {
      const p = principalOf(req);
      return idempotent(ctx.db, req, reply, 201, async (tx) => {
        const b = await loadBooking(tx, p, req.body.bookingId);
        return toPaymentView(
          await recordInStorePayment(ctx, tx, p, {
            storeId: b.storeId,
            orgPath: b.orgPath,
            ownerId: b.ownerId,
            bookingId: b.id,
            workOrderId: b.workOrderId,
            method: req.body.method,
            amountFen: req.body.amountFen,
          }),
        );
      });
    },
  });

  app.get('/payments', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['payments'],
      summary: 'Payments of a booking or work order',
      querystring: z
        .object({ bookingId: id('bk').optional(), workOrderId: id('wo').optional() })
        .refine((q) => q.bookingId || q.workOrderId, 'give bookingId or workOrderId'),
      response: { 200: z.object({ items: z.array(paymentView) }) },
    },
    handler: async (req) => {
      const p = ownerOrStaff(principalOf(req), 'payments:read');
      const rows = await paymentsFor(ctx.db, req.query);
      const visible = rows.filter((r) =>
        p.kind === 'owner' ? r.ownerId === p.userId : r.orgPath.startsWith(p.orgPath),
      );
      return { items: visible.map(toPaymentView) };
    },
  });

  app.get('/payments/:id', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['payments'],
      summary: 'One payment',
      params: z.object({ id: id('pay') }),
      response: { 200: paymentView },
    },
    handler: async (req) =>
      toPaymentView(
        await loadPayment(ctx.db, ownerOrStaff(principalOf(req), 'payments:read'), req.params.id),
      ),
  });

  app.get('/payments/:id/receipt', {
    config: { access: 'authenticated' },
    schema: { tags: ['payments'], summary: 'Printable receipt (HTML)', params: z.object({ id: id('pay') }) },
    handler: async (req, reply) => {
      const pay = await loadPayment(ctx.db, ownerOrStaff(principalOf(req), 'payments:read'), req.params.id);
      return reply.type('text/html; charset=utf-8').send(await receiptHtml(ctx, pay));
    },
  });

  app.post('/payments/:id/refunds', {
    config: { access: 'payments:write' },
    schema: {
      tags: ['payments'],
      summary: 'Refund all or part of a payment',
      params: z.object({ id: id('pay') }),
      body: z.object({ amountFen: z.number().int().min(1).max(100_000_000), reason: text(300) }),
      response: { 201: paymentView },
    },
    handler: async (req, reply) =>
      idempotent(ctx.db, req, reply, 201, async (tx) =>
        toPaymentView(
          await refundPayment(ctx, tx, principalOf(req), req.params.id, req.body.amountFen, req.body.reason),
        ),
      ),
  });

  app.post('/payments/:id/invoice-requests', {
    config: { access: 'authenticated' },
    schema: {
      tags: ['payments'],
      summary: 'Request an invoice (发票) with the buyer’s tax details',
      params: z.object({ id: id('pay') }),
      body: z.object({
        buyerKind: z.enum(['personal', 'company']),
        buyerName: text(100),
        taxId: z.string().trim().max(20).optional(),
        address: text(200).optional(),
        phone: z.string().trim().max(32).optional(),
        bankAccount: text(100).optional(),
        email: z.email().optional(),
      }),
      response: {
        201: z.object({
          id: z.string(),
          paymentId: z.string(),
          buyerKind: z.string(),
          buyerName: z.string(),
          taxId: z.string().nullable(),
          amountFen: z.number(),
          status: z.string(),
        }),
      },
    },
    handler: async (req, reply) =>
      idempotent(ctx.db, req, reply, 201, async (tx) => {
        const r = await requestInvoice(
          ctx,
          tx,
          ownerOrStaff(principalOf(req), 'payments:write'),
          req.params.id,
          req.body,
        );
        return {
          id: r.id,
          paymentId: r.paymentId,
          buyerKind: r.buyerKind,
          buyerName: r.buyerName,
          taxId: r.taxId,
          amountFen: r.amountFen,
          status: r.status,
        };
      }),
  });

  app.post('/door-to-door', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['booking'],
      summary:
        'Request door-to-door service (on site, or pick-up to the store and return); dispatch routes it',
      body: z.object({
        storeId: id('st'),
        vehicleId: id('veh'),
        kind: z.enum(['onsite', 'pickup_return']),
        items: itemCodes,
        address: text(300),
        location: z.object({
          lon: z.number().min(-180).max(180),
          lat: z.number().min(-90).max(90),
          coord: z.enum(coordSystems).default('gcj02'),
        }),
        windowStart: isoDateTime,
        windowEnd: isoDateTime,
      }),
      response: { 201: d2dView },
    },
    handler: async (req, reply) => {
      const owner = requireOwner(req.principal);
      return idempotent(ctx.db, req, reply, 201, async (tx) => {
        const b = req.body;
        await catalogSnapshot(ctx.db, tx).then((c) =>
          b.items.forEach((i) => {
            if (!c.items.has(i))
              throw new AppError('catalog.unknown_item', 'validation', `No service item ${i}`);
          }),
        );
        const at = convert({ lon: b.location.lon, lat: b.location.lat }, b.location.coord, 'wgs84');
        return toD2d(
          await requestDoorToDoor(ctx, tx, owner.userId, {
            storeId: b.storeId,
            vehicleId: b.vehicleId,
            kind: b.kind,
            items: b.items,
            address: b.address,
            at,
            windowStart: new Date(b.windowStart),
            windowEnd: new Date(b.windowEnd),
          }),
        );
      });
    },
  });

  app.get('/me/door-to-door', {
    config: { access: 'owner:self' },
    schema: {
      tags: ['booking'],
      summary: 'My door-to-door requests',
      response: { 200: z.object({ items: z.array(d2dView) }) },
    },
    handler: async (req) => ({
      items: (await myDoorToDoor(ctx.db, requireOwner(req.principal).userId)).map(toD2d),
    }),
  });

  app.get('/stores/:id/door-to-door', {
    config: { access: 'bookings:read' },
    schema: {
      tags: ['booking'],
      summary: 'Door-to-door requests of a store for a day',
      params: z.object({ id: id('st') }),
      querystring: z.object({ day: isoDate }),
      response: { 200: z.object({ items: z.array(d2dView) }) },
    },
    handler: async (req) => {
      const p = principalOf(req);
      await getStoreScoped(ctx.db, p, req.params.id);
      const tz = ctx.config.timezone;
      return {
        items: (
          await listDoorToDoor(ctx.db, p, {
            storeId: req.params.id,
            from: localToUtc(req.query.day, 0, tz),
            to: localToUtc(addDays(req.query.day, 1), 0, tz),
          })
        ).map(toD2d),
      };
    },
  });

  app.get('/stores/:id/board', {
    config: { access: 'bookings:read' },
    schema: {
      tags: ['booking'],
      summary: 'The day’s board: bays × time with each booking',
      params: z.object({ id: id('st') }),
      querystring: z.object({ day: isoDate.optional() }),
      response: {
        200: z.object({
          day: z.string(),
          bays: z.array(
            z.object({ id: z.string(), name: z.string(), type: z.string(), active: z.boolean() }),
          ),
          bookings: z.array(bookingView.extend({ plate: z.string().nullable() })),
        }),
      },
    },
    handler: async (req) => {
      const p = requireStaff(principalOf(req));
      const store = await getStoreScoped(ctx.db, p, req.params.id);
      const tz = ctx.config.timezone;
      const day = req.query.day ?? utcToLocal(ctx.clock.now(), tz).day;
      const page = await listBookings(ctx.db, p, {
        storeId: store.id,
        from: new Date(localToUtc(day, 0, tz).getTime() - 1),
        to: localToUtc(addDays(day, 1), 0, tz),
        limit: 200,
      });
      const { vehiclesByIds } = await import('../customers/index.js');
      const vs = await vehiclesByIds(
        ctx.db,
        page.items.map((b) => b.vehicleId),
      );
      const live = page.items
        .filter((b) => b.status !== 'cancelled' && b.status !== 'expired')
        .sort((a, b) => a.startAt.getTime() - b.startAt.getTime());
      return {
        day,
        bays: (await listBays(ctx.db, store.id)).map((b) => ({
          id: b.id,
          name: b.name,
          type: b.type,
          active: b.active,
        })),
        bookings: live.map((b) => ({ ...toBookingView(b), plate: vs.get(b.vehicleId)?.plate ?? null })),
      };
    },
  });

  app.get('/stores/:id/settlement', {
    config: { access: 'settlement:read' },
    schema: {
      tags: ['payments'],
      summary: 'Daily settlement: revenue by payment method, refunds, platform commission, payout due',
      params: z.object({ id: id('st') }),
      querystring: z.object({ day: isoDate }),
      response: {
        200: z.object({
          storeId: z.string(),
          day: z.string(),
          byMethod: z.array(z.object({ method: z.string(), count: z.number(), amountFen: z.number() })),
          grossFen: z.number(),
          refundsFen: z.number(),
          netFen: z.number(),
          onlineCollectedFen: z.number(),
          commissionBp: z.number(),
          commissionFen: z.number(),
          payoutDueFen: z.number(),
        }),
      },
    },
    handler: async (req) => {
      const p = principalOf(req);
      const store = await getStoreScoped(ctx.db, p, req.params.id);
      assertInOrgScope(p, store.orgPath, 'store', store.id);
      return dailySettlement(ctx.db, store, req.query.day, ctx.config.timezone);
    },
  });
};
