/** Inventory routes: thin — schema-validated input → service (one transaction) → DTO. */
import { z } from 'zod';
import { requireStaff, type StaffPrincipal } from '../../platform/auth/principal.js';
import { principalOf } from '../../platform/http/guard.js';
import { idempotent } from '../../platform/http/idempotency.js';
import { decodeCursor, pageOf, pageQuery, toPage } from '../../platform/http/pagination.js';
import { id, isoDate, isoDateTime, text, type ModuleRoutes } from '../../platform/http/schemas.js';
import { AppError } from '../../platform/errors.js';
import { together, type Executor } from '../../platform/db/types.js';
import {
  createLocation,
  createPart,
  listLocations,
  listParts,
  loadLocation,
  loadPart,
  partsByIds,
  stockAt,
  type Location,
  type Part,
} from './catalogue.js';
import { balanceOf, ledgerOf, reconcile, setStockPolicy } from './ledger.js';
import { managerNumbers } from './manager-numbers.js';
import { parseQty } from './quantity.js';
import { releaseReservation, reserve, type Reservation } from './reservations.js';
import { partLineOf, recordRejectedScan, scanOntoLine } from './scan-consume.js';
import { LOCATION_KINDS, UNITS, invBalances, invLocations, invReservations } from './schema.js';
import {
  adjust,
  approveStocktake,
  countStock,
  createPurchaseOrder,
  listPurchaseOrders,
  listTransfers,
  loadPurchaseOrder,
  loadStocktake,
  loadTransfer,
  receive,
  receivePurchaseOrder,
  receiveTransfer,
  sendPurchaseOrder,
  shipTransfer,
  type PurchaseOrder,
  type Stocktake,
  type Transfer,
} from './stock-flows.js';
import { checkAuthenticity, parseTraceCode, scanAlerts } from './trace.js';
import { and, eq } from 'drizzle-orm';
import { orgScope } from '../../platform/auth/principal.js';

const TAGS = ['inventory'];
/** A quantity: a JSON number or a decimal string ("1.5"); whole numbers for parts counted by the piece. */
const qty = z.union([z.number(), z.string().trim().max(24)]);
const signedQty = qty;
const code = z.string().trim().min(1).max(64);

const partView = z.object({
  id: z.string(),
  sku: z.string(),
  name: z.string(),
  brand: z.string(),
  oeNumbers: z.array(z.string()),
  category: z.string(),
  partTypeCode: z.string(),
  fitment: z.array(z.string()),
  unit: z.enum(UNITS),
  costFen: z.number(),
  priceFen: z.number(),
  powertrain: z.enum(['ICE', 'NEV', 'ANY']),
  shelfLifeDays: z.number().nullable(),
  traced: z.boolean(),
});
const toPart = (p: Part): z.infer<typeof partView> => ({
  id: p.id,
  sku: p.sku,
  name: p.name,
  brand: p.brand,
  oeNumbers: p.oeNumbers,
  category: p.category,
  partTypeCode: p.partTypeCode,
  fitment: p.fitment,
  unit: p.unit,
  costFen: p.costFen,
  priceFen: p.priceFen,
  powertrain: p.powertrain,
  shelfLifeDays: p.shelfLifeDays,
  traced: p.traced,
});

const locationView = z.object({
  id: z.string(),
  kind: z.enum(LOCATION_KINDS),
  name: z.string(),
  storeId: z.string().nullable(),
  bins: z.array(z.string()),
});
const toLocation = (l: Location): z.infer<typeof locationView> => ({
  id: l.id,
  kind: l.kind,
  name: l.name,
  storeId: l.storeId,
  bins: l.bins,
});

const balanceView = z.object({
  onHandMilli: z.number(),
  reservedMilli: z.number(),
  availableMilli: z.number(),
});

const reservationView = z.object({
  id: z.string(),
  partId: z.string(),
  locationId: z.string(),
  qtyMilli: z.number(),
  openMilli: z.number(),
  status: z.string(),
  bookingId: z.string().nullable(),
  workOrderId: z.string().nullable(),
  expiresAt: z.string().nullable(),
});
const toReservation = (r: Reservation): z.infer<typeof reservationView> => ({
  id: r.id,
  partId: r.partId,
  locationId: r.locationId,
  qtyMilli: r.qtyMilli,
  openMilli: r.openMilli,
  status: r.status,
  bookingId: r.bookingId,
  workOrderId: r.workOrderId,
  expiresAt: r.expiresAt?.toISOString() ?? null,
});

const docLineView = z.object({
  partId: z.string(),
  qtyMilli: z.number(),
  receivedMilli: z.number(),
  unitCostFen: z.number().optional(),
});
const transferView = z.object({
  id: z.string(),
  fromLocationId: z.string(),
  toLocationId: z.string(),
  status: z.string(),
  lines: z.array(docLineView.extend({ discrepancyMilli: z.number() })),
  shippedAt: z.string(),
  receivedAt: z.string().nullable(),
});
const toTransfer = (t: Transfer): z.infer<typeof transferView> => ({
  id: t.id,
  fromLocationId: t.fromLocationId,
  toLocationId: t.toLocationId,
  status: t.status,
  lines: t.lines.map((l) => ({ ...l, discrepancyMilli: t.receivedAt ? l.qtyMilli - l.receivedMilli : 0 })),
  shippedAt: t.shippedAt.toISOString(),
  receivedAt: t.receivedAt?.toISOString() ?? null,
});
const poView = z.object({
  id: z.string(),
  locationId: z.string(),
  supplier: z.string(),
  status: z.string(),
  lines: z.array(docLineView),
  totalFen: z.number(),
  createdAt: z.string(),
  sentAt: z.string().nullable(),
  receivedAt: z.string().nullable(),
});
const toPo = (po: PurchaseOrder): z.infer<typeof poView> => ({
  id: po.id,
  locationId: po.locationId,
  supplier: po.supplier,
  status: po.status,
  lines: po.lines,
  totalFen: po.lines.reduce((s, l) => s + Math.round((l.qtyMilli * (l.unitCostFen ?? 0)) / 1000), 0),
  createdAt: po.createdAt.toISOString(),
  sentAt: po.sentAt?.toISOString() ?? null,
  receivedAt: po.receivedAt?.toISOString() ?? null,
});
const stocktakeView = z.object({
  id: z.string(),
  locationId: z.string(),
  status: z.string(),
  lines: z.array(
    z.object({
      partId: z.string(),
      expectedMilli: z.number(),
      countedMilli: z.number(),
      varianceMilli: z.number(),
    }),
  ),
  countedBy: z.string(),
  countedAt: z.string(),
  approvedBy: z.string().nullable(),
  approvedAt: z.string().nullable(),
});
const toStocktake = (s: Stocktake): z.infer<typeof stocktakeView> => ({
  id: s.id,
  locationId: s.locationId,
  status: s.status,
  lines: s.lines.map((l) => ({ ...l, varianceMilli: l.countedMilli - l.expectedMilli })),
  countedBy: s.countedBy,
  countedAt: s.countedAt.toISOString(),
  approvedBy: s.approvedBy,
  approvedAt: s.approvedAt?.toISOString() ?? null,
});

const unitFacts = {
  batch: text(64).optional(),
  serials: z.array(text(64)).max(1000).optional(),
  dotWeek: z
    .string()
    .regex(/^\d{4}$/, 'DOT week is YYWW')
    .optional(),
  expiresOn: isoDate.optional(),
};

/** Loads the parts of a multi-line document (scoped) and parses each line's quantity in its unit. */
async function parseLines<T extends { partId: string; qty: string | number }>(
  ex: Executor,
  p: StaffPrincipal,
  lines: T[],
  opts: { allowZero?: boolean } = {},
): Promise<Array<T & { qtyMilli: number; part: Part }>> {
  const parts = await partsByIds(
    ex,
    lines.map((l) => l.partId),
  );
  return together(
    ex,
    lines.map((l) => async () => {
      const part = parts.get(l.partId) ?? (await loadPart(ex, p, l.partId));
      await loadPart(ex, p, part.id);
      return { ...l, part, qtyMilli: parseQty(l.qty, part.unit, opts) };
    }),
  );
}

export const inventoryRoutes: ModuleRoutes = (app, ctx) => {
  const staff = (req: Parameters<typeof principalOf>[0]) => requireStaff(principalOf(req));

  // ── catalogue and locations ──────────────────────────────────────────────────────────────────
  app.post('/inventory/parts', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Add a SKU to the parts catalogue of the caller’s org (chain or store)',
      body: z.object({
        sku: text(64),
        name: text(200),
        brand: text(100),
        oeNumbers: z.array(text(64)).max(50).default([]),
        category: text(64),
        partTypeCode: text(64),
        fitment: z.array(text(80)).max(500).default([]),
        unit: z.enum(UNITS),
        costFen: z.number().int().min(0).max(100_000_000),
        priceFen: z.number().int().min(0).max(100_000_000),
        powertrain: z.enum(['ICE', 'NEV', 'ANY']).default('ANY'),
        shelfLifeDays: z.number().int().min(1).max(36_500).nullable().optional(),
        traced: z.boolean().default(false),
      }),
      response: { 201: partView },
    },
    handler: async (req, reply) =>
      toPart(
        await idempotent(ctx.db, req, reply, 201, (tx) =>
          createPart(tx, staff(req), req.body, ctx.clock.now()),
        ),
      ),
  });

  app.get('/inventory/parts', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'Parts catalogue: filter by part type, vehicle model fitment or text (SKU, name, OE number)',
      querystring: pageQuery.extend({
        partTypeCode: text(64).optional(),
        vehicleModelId: text(80).optional(),
        q: text(64).optional(),
      }),
      response: { 200: pageOf(partView) },
    },
    handler: async (req) => {
      const after = decodeCursor(req.query.cursor, 1)?.[0];
      const rows = await listParts(ctx.db, staff(req), {
        partTypeCode: req.query.partTypeCode,
        vehicleModelId: req.query.vehicleModelId,
        search: req.query.q,
        limit: req.query.limit,
        after: after === undefined ? undefined : String(after),
      });
      const page = toPage(rows, req.query.limit, (r) => [r.id]);
      return { items: page.items.map(toPart), nextCursor: page.nextCursor };
    },
  });

  app.get('/inventory/parts/:id', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'Part detail with its stock at every location the caller sees',
      params: z.object({ id: id('prt') }),
      response: {
        200: partView.extend({
          stock: z.array(
            balanceView.extend({
              locationId: z.string(),
              locationName: z.string(),
              bin: z.string().nullable(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const p = staff(req);
      const part = await loadPart(ctx.db, p, req.params.id);
      const rows = await ctx.db
        .select({ l: invLocations, b: invBalances })
        .from(invBalances)
        .innerJoin(invLocations, eq(invLocations.id, invBalances.locationId))
        .where(and(eq(invBalances.partId, part.id), orgScope(p, invLocations.orgPath)))
        .orderBy(invLocations.id);
      const stock = rows.map(({ l, b }) => ({
        locationId: l.id,
        locationName: l.name,
        bin: b.bin,
        onHandMilli: b.onHandMilli,
        reservedMilli: b.reservedMilli,
        availableMilli: b.onHandMilli - b.reservedMilli,
      }));
      return { ...toPart(part), stock };
    },
  });

  app.post('/inventory/locations', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary:
        'Create a stock location: central or regional warehouse (caller’s org), store or van (of a store)',
      body: z.object({
        kind: z.enum(LOCATION_KINDS),
        name: text(100),
        storeId: id('st').optional(),
        bins: z.array(text(32)).max(500).default([]),
      }),
      response: { 201: locationView },
    },
    handler: async (req, reply) =>
      toLocation(
        await idempotent(ctx.db, req, reply, 201, (tx) =>
          createLocation(tx, staff(req), req.body, ctx.clock.now()),
        ),
      ),
  });

  app.get('/inventory/locations', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'Stock locations the caller sees',
      querystring: pageQuery,
      response: { 200: pageOf(locationView) },
    },
    handler: async (req) => {
      const after = decodeCursor(req.query.cursor, 1)?.[0];
      const rows = await listLocations(ctx.db, staff(req), {
        limit: req.query.limit,
        afterId: after === undefined ? undefined : String(after),
      });
      const page = toPage(rows, req.query.limit, (r) => [r.id]);
      return { items: page.items.map(toLocation), nextCursor: page.nextCursor };
    },
  });

  app.get('/inventory/locations/:id/stock', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'Stock by location: on hand, reserved, available, bin, reorder point and order-up-to per SKU',
      params: z.object({ id: id('loc') }),
      response: {
        200: z.object({
          location: locationView,
          items: z.array(
            balanceView.extend({
              partId: z.string(),
              sku: z.string(),
              name: z.string(),
              unit: z.enum(UNITS),
              bin: z.string().nullable(),
              valueFen: z.number(),
              reorderPointMilli: z.number().nullable(),
              orderUpToMilli: z.number().nullable(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const loc = await loadLocation(ctx.db, staff(req), req.params.id);
      const rows = await stockAt(ctx.db, loc.id);
      return {
        location: toLocation(loc),
        items: rows.map((r) => ({
          partId: r.partId,
          sku: r.sku,
          name: r.name,
          unit: r.unit,
          bin: r.bin,
          onHandMilli: r.onHandMilli,
          reservedMilli: r.reservedMilli,
          availableMilli: r.onHandMilli - r.reservedMilli,
          valueFen: Math.round((r.onHandMilli * r.costFen) / 1000),
          reorderPointMilli: r.reorderPointMilli,
          orderUpToMilli: r.orderUpToMilli,
        })),
      };
    },
  });

  app.get('/inventory/locations/:id/ledger', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'The append-only ledger of a location (optionally one part), newest first',
      params: z.object({ id: id('loc') }),
      querystring: pageQuery.extend({ partId: id('prt').optional() }),
      response: {
        200: pageOf(
          z.object({
            id: z.number(),
            partId: z.string(),
            kind: z.string(),
            onHandDeltaMilli: z.number(),
            reservedDeltaMilli: z.number(),
            unitCostFen: z.number(),
            refType: z.string().nullable(),
            refId: z.string().nullable(),
            workOrderLineId: z.string().nullable(),
            traceCode: z.string().nullable(),
            batch: z.string().nullable(),
            note: z.string().nullable(),
            at: z.string(),
          }),
        ),
      },
    },
    handler: async (req) => {
      const loc = await loadLocation(ctx.db, staff(req), req.params.id);
      const before = decodeCursor(req.query.cursor, 1)?.[0];
      const rows = await ledgerOf(ctx.db, {
        locationId: loc.id,
        partId: req.query.partId,
        beforeId: before === undefined ? undefined : Number(before),
        limit: req.query.limit,
      });
      const page = toPage(rows, req.query.limit, (r) => [r.id]);
      return {
        items: page.items.map((m) => ({
          id: m.id,
          partId: m.partId,
          kind: m.kind,
          onHandDeltaMilli: m.onHandDeltaMilli,
          reservedDeltaMilli: m.reservedDeltaMilli,
          unitCostFen: m.unitCostFen,
          refType: m.refType,
          refId: m.refId,
          workOrderLineId: m.workOrderLineId,
          traceCode: m.traceCode,
          batch: m.batch,
          note: m.note,
          at: m.at.toISOString(),
        })),
        nextCursor: page.nextCursor,
      };
    },
  });

  app.put('/inventory/locations/:id/policies/:partId', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Reorder point and order-up-to level of a SKU at a location',
      params: z.object({ id: id('loc'), partId: id('prt') }),
      body: z.object({ reorderPoint: qty.nullable(), orderUpTo: qty.nullable() }),
      response: {
        200: z.object({ reorderPointMilli: z.number().nullable(), orderUpToMilli: z.number().nullable() }),
      },
    },
    handler: async (req) =>
      ctx.db.transaction(async (tx) => {
        const p = staff(req);
        const loc = await loadLocation(tx, p, req.params.id);
        const part = await loadPart(tx, p, req.params.partId);
        const rp =
          req.body.reorderPoint === null
            ? null
            : parseQty(req.body.reorderPoint, part.unit, { allowZero: true });
        const ou =
          req.body.orderUpTo === null ? null : parseQty(req.body.orderUpTo, part.unit, { allowZero: true });
        if (rp !== null && ou !== null && ou < rp)
          throw new AppError(
            'inventory.bad_policy',
            'validation',
            'The order-up-to level is at least the reorder point',
          );
        await setStockPolicy(tx, {
          partId: part.id,
          locationId: loc.id,
          orgPath: loc.orgPath,
          reorderPointMilli: rp,
          orderUpToMilli: ou,
          at: ctx.clock.now(),
        });
        return { reorderPointMilli: rp, orderUpToMilli: ou };
      }),
  });

  app.get('/inventory/locations/:id/numbers', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary:
        'Store-manager numbers: value on hand, turnover days, stock-outs, fill rate, slow movers, below reorder point',
      params: z.object({ id: id('loc') }),
      querystring: z.object({ from: isoDateTime.optional(), to: isoDateTime.optional() }),
    },
    handler: async (req) => {
      const loc = await loadLocation(ctx.db, staff(req), req.params.id);
      const to = req.query.to ? new Date(req.query.to) : ctx.clock.now();
      const from = req.query.from ? new Date(req.query.from) : new Date(to.getTime() - 30 * 86_400_000);
      if (from >= to) throw new AppError('inventory.bad_window', 'validation', '`from` must be before `to`');
      return managerNumbers(ctx.db, loc.id, { from, to });
    },
  });

  app.get('/inventory/reconciliation', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary:
        'Recomputes every balance in the caller’s scope from the ledger and lists mismatches (should be none)',
      response: {
        200: z.object({
          checked: z.number(),
          ok: z.boolean(),
          mismatches: z.array(
            z.object({
              partId: z.string(),
              locationId: z.string(),
              ledgerOnHandMilli: z.number(),
              ledgerReservedMilli: z.number(),
              balanceOnHandMilli: z.number(),
              balanceReservedMilli: z.number(),
            }),
          ),
        }),
      },
    },
    handler: async (req) => {
      const r = await reconcile(ctx.db, staff(req).orgPath);
      return { ...r, ok: r.mismatches.length === 0 };
    },
  });

  // ── receipts, adjustments, reservations ──────────────────────────────────────────────────────
  app.post('/inventory/receipts', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Receive stock at a location; traced parts get one trace code per unit',
      body: z.object({
        locationId: id('loc'),
        partId: id('prt'),
        qty,
        unitCostFen: z.number().int().min(0).max(100_000_000).optional(),
        bin: text(32).optional(),
        ...unitFacts,
      }),
      response: { 201: z.object({ onHandMilli: z.number(), traceCodes: z.array(z.string()) }) },
    },
    handler: async (req, reply) =>
      idempotent(ctx.db, req, reply, 201, async (tx) => {
        const p = staff(req);
        const part = await loadPart(tx, p, req.body.partId);
        const b = req.body;
        return receive(tx, p, {
          locationId: b.locationId,
          partId: part.id,
          qtyMilli: parseQty(b.qty, part.unit),
          unitCostFen: b.unitCostFen,
          bin: b.bin,
          facts: { batch: b.batch, serials: b.serials, dotWeek: b.dotWeek, expiresOn: b.expiresOn },
          at: ctx.clock.now(),
        });
      }),
  });

  app.post('/inventory/adjustments', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Adjustment (signed), return to supplier or customer return (positive) at a location',
      body: z.object({
        locationId: id('loc'),
        partId: id('prt'),
        kind: z.enum(['adjustment', 'return_to_supplier', 'customer_return']),
        qty: signedQty,
        reason: text(300),
      }),
      response: { 201: balanceView },
    },
    handler: async (req, reply) =>
      idempotent(ctx.db, req, reply, 201, async (tx) => {
        const p = staff(req);
        const part = await loadPart(tx, p, req.body.partId);
        return adjust(tx, p, {
          locationId: req.body.locationId,
          partId: part.id,
          kind: req.body.kind,
          qtyMilli: parseQty(req.body.qty, part.unit, { signed: req.body.kind === 'adjustment' }),
          reason: req.body.reason,
          at: ctx.clock.now(),
        });
      }),
  });

  app.post('/inventory/reservations', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Reserve stock (409 inventory.insufficient_stock with what is available when it is not there)',
      body: z.object({
        locationId: id('loc'),
        partId: id('prt'),
        qty,
        bookingId: id('bk').optional(),
        expiresAt: isoDateTime.optional(),
      }),
      response: { 201: z.object({ reservation: reservationView, balance: balanceView }) },
    },
    handler: async (req, reply) =>
      idempotent(ctx.db, req, reply, 201, async (tx) => {
        const p = staff(req);
        const loc = await loadLocation(tx, p, req.body.locationId);
        const part = await loadPart(tx, p, req.body.partId);
        const now = ctx.clock.now();
        const expiresAt = req.body.expiresAt ? new Date(req.body.expiresAt) : null;
        if (expiresAt && expiresAt <= now)
          throw new AppError('inventory.bad_expiry', 'validation', 'A reservation expires in the future');
        const r = await reserve(tx, {
          part,
          location: loc,
          qtyMilli: parseQty(req.body.qty, part.unit),
          bookingId: req.body.bookingId,
          expiresAt,
          actorId: p.userId,
          at: now,
        });
        return { reservation: toReservation(r.reservation), balance: r.balance };
      }),
  });

  app.get('/inventory/reservations', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'Reservations of a booking or a work order',
      querystring: z.object({ bookingId: id('bk').optional(), workOrderId: id('wo').optional() }),
      response: { 200: z.object({ items: z.array(reservationView.extend({ sku: z.string() })) }) },
    },
    handler: async (req) => {
      const p = staff(req);
      if (!req.query.bookingId && !req.query.workOrderId)
        throw new AppError('inventory.filter_required', 'validation', 'Give bookingId or workOrderId');
      const rows = await ctx.db
        .select()
        .from(invReservations)
        .where(
          and(
            orgScope(p, invReservations.orgPath),
            req.query.bookingId ? eq(invReservations.bookingId, req.query.bookingId) : undefined,
            req.query.workOrderId ? eq(invReservations.workOrderId, req.query.workOrderId) : undefined,
          ),
        )
        .orderBy(invReservations.createdAt);
      const parts = await partsByIds(
        ctx.db,
        rows.map((r) => r.partId),
      );
      return { items: rows.map((r) => ({ ...toReservation(r), sku: parts.get(r.partId)?.sku ?? '' })) };
    },
  });

  app.post('/inventory/reservations/:id/release', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Release what is still open on a reservation',
      params: z.object({ id: id('rsv') }),
      response: { 200: z.object({ reservation: reservationView, balance: balanceView }) },
    },
    handler: async (req) =>
      ctx.db.transaction(async (tx) => {
        const p = staff(req);
        const [r] = await tx
          .select()
          .from(invReservations)
          .where(and(eq(invReservations.id, req.params.id), orgScope(p, invReservations.orgPath)));
        if (!r)
          throw new AppError(
            'inventory.reservation_not_found',
            'not_found',
            `No reservation with id ${req.params.id}`,
          );
        const part = (await partsByIds(tx, [r.partId])).get(r.partId)!;
        await releaseReservation(tx, r, part, 'released', ctx.clock.now(), p.userId);
        const [after] = await tx.select().from(invReservations).where(eq(invReservations.id, r.id));
        return { reservation: toReservation(after!), balance: await balanceOf(tx, r.partId, r.locationId) };
      }),
  });

  // ── trace codes ───────────────────────────────────────────────────────────────────────────────
  app.post('/inventory/scans', {
    config: { access: 'workorders:work' },
    schema: {
      tags: TAGS,
      summary:
        'Scan a traced unit onto a work-order part line: consumes it and links the code to the line (unknown → 404, double scan / wrong SKU → 409, all flagged to the operator)',
      body: z.object({ code, workOrderId: id('wo'), lineId: text(40) }),
      response: {
        201: z.object({
          code: z.string(),
          result: z.literal('consumed'),
          sku: z.string(),
          partName: z.string(),
          batch: z.string().nullable(),
          workOrderId: z.string(),
          lineId: z.string(),
          fromReservation: z.boolean(),
          onHandMilli: z.number(),
        }),
      },
    },
    handler: async (req, reply) => {
      const p = staff(req);
      try {
        parseTraceCode(req.body.code);
        const line = await partLineOf(ctx, p, req.body.workOrderId, req.body.lineId);
        const r = await ctx.db.transaction((tx) => scanOntoLine(ctx, tx, p, req.body, line));
        return reply.status(201).send(r);
      } catch (e) {
        await recordRejectedScan(ctx, p, req.body, e);
        throw e;
      }
    },
  });

  app.get('/inventory/trace/:code', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary:
        'Authenticity check of a trace code: known / unknown / already_consumed / wrong_sku (give ?sku=)',
      params: z.object({ code }),
      querystring: z.object({ sku: text(64).optional() }),
      response: {
        200: z.object({
          code: z.string(),
          result: z.enum(['known', 'unknown', 'already_consumed', 'wrong_sku']),
          sku: z.string().nullable(),
          partName: z.string().nullable(),
          batch: z.string().nullable(),
          receivedAt: z.string().nullable(),
          consumedAt: z.string().nullable(),
        }),
      },
    },
    handler: async (req) => {
      return checkAuthenticity(ctx.db, staff(req), req.params.code, req.query.sku);
    },
  });

  app.get('/inventory/scan-alerts', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'Rejected scans (unknown codes, double scans, wrong SKU or location), newest first',
      querystring: pageQuery,
      response: {
        200: pageOf(
          z.object({
            id: z.number(),
            code: z.string(),
            result: z.string(),
            workOrderId: z.string().nullable(),
            actorId: z.string().nullable(),
            details: z.unknown(),
            at: z.string(),
            counterfeitSignal: z.boolean(),
          }),
        ),
      },
    },
    handler: async (req) => {
      const before = decodeCursor(req.query.cursor, 1)?.[0];
      const rows = await scanAlerts(ctx.db, staff(req), {
        limit: req.query.limit,
        beforeId: before === undefined ? undefined : Number(before),
      });
      return toPage(rows, req.query.limit, (r) => [r.id]);
    },
  });

  // ── transfers ─────────────────────────────────────────────────────────────────────────────────
  const docLines = z
    .array(z.object({ partId: id('prt'), qty }))
    .min(1)
    .max(500);

  app.post('/inventory/transfers', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Ship a transfer from one location to another (stock leaves the source now)',
      body: z.object({
        fromLocationId: id('loc'),
        toLocationId: id('loc'),
        lines: docLines,
        note: text(300).optional(),
      }),
      response: { 201: transferView },
    },
    handler: async (req, reply) =>
      toTransfer(
        await idempotent(ctx.db, req, reply, 201, async (tx) => {
          const p = staff(req);
          if (req.body.fromLocationId === req.body.toLocationId)
            throw new AppError(
              'inventory.same_location',
              'validation',
              'A transfer goes from one location to another, not to itself',
            );
          const lines = await parseLines(tx, p, req.body.lines);
          return shipTransfer(tx, p, {
            fromLocationId: req.body.fromLocationId,
            toLocationId: req.body.toLocationId,
            lines: lines.map((l) => ({ partId: l.part.id, qtyMilli: l.qtyMilli })),
            note: req.body.note,
            at: ctx.clock.now(),
          });
        }),
      ),
  });

  app.get('/inventory/transfers', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'Transfers from or to locations the caller sees, newest first',
      querystring: pageQuery,
      response: { 200: pageOf(transferView) },
    },
    handler: async (req) => {
      const before = decodeCursor(req.query.cursor, 1)?.[0];
      const rows = await listTransfers(ctx.db, staff(req), {
        limit: req.query.limit,
        beforeId: before === undefined ? undefined : String(before),
      });
      const page = toPage(rows, req.query.limit, (r) => [r.id]);
      return { items: page.items.map(toTransfer), nextCursor: page.nextCursor };
    },
  });

  app.get('/inventory/transfers/:id', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'A transfer',
      params: z.object({ id: id('trf') }),
      response: { 200: transferView },
    },
    handler: async (req) => toTransfer(await loadTransfer(ctx.db, staff(req), req.params.id)),
  });

  app.post('/inventory/transfers/:id/receive', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary:
        'Receive a transfer: what arrived per part; shortfalls are recorded as discrepancies, more than shipped is a 422',
      params: z.object({ id: id('trf') }),
      body: z.object({ lines: z.array(z.object({ partId: id('prt'), qty })).max(500) }),
      response: { 200: transferView },
    },
    handler: async (req) =>
      toTransfer(
        await ctx.db.transaction(async (tx) => {
          const p = staff(req);
          const lines = await parseLines(tx, p, req.body.lines, { allowZero: true });
          return receiveTransfer(tx, p, req.params.id, {
            lines: lines.map((l) => ({ partId: l.part.id, qtyMilli: l.qtyMilli })),
            at: ctx.clock.now(),
          });
        }),
      ),
  });

  // ── purchase orders ───────────────────────────────────────────────────────────────────────────
  app.post('/inventory/purchase-orders', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Draft a purchase order to a supplier for a location',
      body: z.object({
        locationId: id('loc'),
        supplier: text(200),
        lines: z
          .array(z.object({ partId: id('prt'), qty, unitCostFen: z.number().int().min(0).max(100_000_000) }))
          .min(1)
          .max(500),
      }),
      response: { 201: poView },
    },
    handler: async (req, reply) =>
      toPo(
        await idempotent(ctx.db, req, reply, 201, async (tx) => {
          const p = staff(req);
          const lines = await parseLines(tx, p, req.body.lines);
          return createPurchaseOrder(tx, p, {
            locationId: req.body.locationId,
            supplier: req.body.supplier,
            lines: lines.map((l) => ({
              partId: l.part.id,
              qtyMilli: l.qtyMilli,
              unitCostFen: l.unitCostFen,
            })),
            at: ctx.clock.now(),
          });
        }),
      ),
  });

  app.get('/inventory/purchase-orders', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'Purchase orders in the caller’s scope, newest first',
      querystring: pageQuery,
      response: { 200: pageOf(poView) },
    },
    handler: async (req) => {
      const before = decodeCursor(req.query.cursor, 1)?.[0];
      const rows = await listPurchaseOrders(ctx.db, staff(req), {
        limit: req.query.limit,
        beforeId: before === undefined ? undefined : String(before),
      });
      const page = toPage(rows, req.query.limit, (r) => [r.id]);
      return { items: page.items.map(toPo), nextCursor: page.nextCursor };
    },
  });

  app.get('/inventory/purchase-orders/:id', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'A purchase order',
      params: z.object({ id: id('po') }),
      response: { 200: poView },
    },
    handler: async (req) => toPo(await loadPurchaseOrder(ctx.db, staff(req), req.params.id)),
  });

  app.post('/inventory/purchase-orders/:id/send', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Send a draft purchase order',
      params: z.object({ id: id('po') }),
      response: { 200: poView },
    },
    handler: async (req) =>
      toPo(
        await ctx.db.transaction((tx) => sendPurchaseOrder(tx, staff(req), req.params.id, ctx.clock.now())),
      ),
  });

  app.post('/inventory/purchase-orders/:id/receive', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Receive (part of) a sent purchase order; more than ordered is a 422 inventory.over_receipt',
      params: z.object({ id: id('po') }),
      body: z.object({
        lines: z
          .array(z.object({ partId: id('prt'), qty, bin: text(32).optional(), ...unitFacts }))
          .min(1)
          .max(500),
      }),
      response: {
        200: z.object({ purchaseOrder: poView, traceCodes: z.record(z.string(), z.array(z.string())) }),
      },
    },
    handler: async (req) =>
      ctx.db.transaction(async (tx) => {
        const p = staff(req);
        const lines = await parseLines(tx, p, req.body.lines);
        const r = await receivePurchaseOrder(tx, p, req.params.id, {
          lines: lines.map((l) => ({
            partId: l.part.id,
            qtyMilli: l.qtyMilli,
            bin: l.bin,
            facts: { batch: l.batch, serials: l.serials, dotWeek: l.dotWeek, expiresOn: l.expiresOn },
          })),
          at: ctx.clock.now(),
        });
        return { purchaseOrder: toPo(r.po), traceCodes: r.traceCodes };
      }),
  });

  // ── stocktakes ────────────────────────────────────────────────────────────────────────────────
  app.post('/inventory/stocktakes', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Record a count at a location; the variance against the book is posted on approval',
      body: z.object({
        locationId: id('loc'),
        counts: z
          .array(z.object({ partId: id('prt'), qty }))
          .min(1)
          .max(2000),
      }),
      response: { 201: stocktakeView },
    },
    handler: async (req, reply) =>
      toStocktake(
        await idempotent(ctx.db, req, reply, 201, async (tx) => {
          const p = staff(req);
          const counts = await parseLines(tx, p, req.body.counts, { allowZero: true });
          return countStock(tx, p, {
            locationId: req.body.locationId,
            counts: counts.map((c) => ({ partId: c.part.id, qtyMilli: c.qtyMilli })),
            at: ctx.clock.now(),
          });
        }),
      ),
  });

  app.get('/inventory/stocktakes/:id', {
    config: { access: 'inventory:read' },
    schema: {
      tags: TAGS,
      summary: 'A stocktake with its variances',
      params: z.object({ id: id('stk') }),
      response: { 200: stocktakeView },
    },
    handler: async (req) => toStocktake(await loadStocktake(ctx.db, staff(req), req.params.id)),
  });

  app.post('/inventory/stocktakes/:id/approve', {
    config: { access: 'inventory:write' },
    schema: {
      tags: TAGS,
      summary: 'Approve a stocktake (a second person): posts each variance to the ledger',
      params: z.object({ id: id('stk') }),
      response: { 200: stocktakeView },
    },
    handler: async (req) =>
      toStocktake(
        await ctx.db.transaction((tx) => approveStocktake(tx, staff(req), req.params.id, ctx.clock.now())),
      ),
  });
};
