/**
 * Parts, stock and traceability. The ledger (`inv_movements`) is append-only: every change of on-hand
 * or reserved quantity is one row, and `inv_balances` is derived from it (kept in step inside the same
 * transaction, with CHECK constraints so the database itself refuses negative stock or
 * over-reservation); `reconcile` proves the two agree. Quantities are integer milli-units
 * (1 each = 1000, 1 litre = 1000); money is integer fen.
 */
import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  check,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
} from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const UNITS = ['each', 'litre', 'kg'] as const;
export type Unit = (typeof UNITS)[number];
export const LOCATION_KINDS = ['central_warehouse', 'regional_warehouse', 'store', 'van'] as const;
export type LocationKind = (typeof LOCATION_KINDS)[number];
export const MOVEMENT_KINDS = [
  'receipt',
  'reservation',
  'release',
  'consumption',
  'transfer_out',
  'transfer_in',
  'adjustment',
  'stocktake_variance',
  'return_to_supplier',
  'customer_return',
] as const;
export type MovementKind = (typeof MOVEMENT_KINDS)[number];
export type PartPowertrain = 'ICE' | 'NEV' | 'ANY';

/** The parts catalogue of a chain (or a store): one row per SKU. */
export const invParts = pgTable(
  'inv_parts',
  {
    id: text('id').primaryKey(),
    orgPath: text('org_path').notNull(),
    sku: text('sku').notNull(),
    name: text('name').notNull(),
    brand: text('brand').notNull(),
    oeNumbers: text('oe_numbers').array().notNull().default([]),
    category: text('category').notNull(),
    /** The catalog part type this SKU fulfils (engine_oil, oil_filter, …). */
    partTypeCode: text('part_type_code').notNull(),
    /** Vehicle model ids it fits; empty means universal. */
    fitment: text('fitment').array().notNull().default([]),
    unit: text('unit').$type<Unit>().notNull(),
    /** Per whole unit (one each, one litre, one kg). */
    costFen: integer('cost_fen').notNull(),
    priceFen: integer('price_fen').notNull(),
    powertrain: text('powertrain').$type<PartPowertrain>().notNull(),
    shelfLifeDays: integer('shelf_life_days'),
    /** Every unit carries its own trace code (recorded at receipt, scanned at consumption). */
    traced: boolean('traced').notNull().default(false),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [
    uniqueIndex('inv_parts_sku_idx').on(t.orgPath, t.sku),
    index('inv_parts_type_idx').on(t.partTypeCode),
  ],
);

export const invLocations = pgTable(
  'inv_locations',
  {
    id: text('id').primaryKey(),
    orgPath: text('org_path').notNull(),
    kind: text('kind').$type<LocationKind>().notNull(),
    name: text('name').notNull(),
    /** The store a store location (or a van) belongs to. */
    storeId: text('store_id'),
    bins: text('bins').array().notNull().default([]),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('inv_locations_org_idx').on(t.orgPath), index('inv_locations_store_idx').on(t.storeId)],
);

/** Derived balances per part and location (the bin is where the part is shelved there). */
export const invBalances = pgTable(
  'inv_balances',
  {
    partId: text('part_id').notNull(),
    locationId: text('location_id').notNull(),
    orgPath: text('org_path').notNull(),
    bin: text('bin'),
    onHandMilli: integer('on_hand_milli').notNull().default(0),
    reservedMilli: integer('reserved_milli').notNull().default(0),
    reorderPointMilli: integer('reorder_point_milli'),
    orderUpToMilli: integer('order_up_to_milli'),
    updatedAt: ts('updated_at').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.partId, t.locationId] }),
    index('inv_balances_location_idx').on(t.locationId),
    check('inv_balances_on_hand_nonneg', sql`${t.onHandMilli} >= 0`),
    check('inv_balances_reserved_nonneg', sql`${t.reservedMilli} >= 0`),
    check('inv_balances_reserved_le_on_hand', sql`${t.reservedMilli} <= ${t.onHandMilli}`),
  ],
);

/** The append-only ledger. */
export const invMovements = pgTable(
  'inv_movements',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgPath: text('org_path').notNull(),
    partId: text('part_id').notNull(),
    locationId: text('location_id').notNull(),
    kind: text('kind').$type<MovementKind>().notNull(),
    onHandDeltaMilli: integer('on_hand_delta_milli').notNull(),
    reservedDeltaMilli: integer('reserved_delta_milli').notNull(),
    unitCostFen: integer('unit_cost_fen').notNull(),
    refType: text('ref_type'),
    refId: text('ref_id'),
    workOrderLineId: text('work_order_line_id'),
    traceCode: text('trace_code'),
    batch: text('batch'),
    actorId: text('actor_id'),
    note: text('note'),
    at: ts('at').notNull(),
  },
  (t) => [
    index('inv_movements_part_idx').on(t.partId, t.locationId, t.id),
    index('inv_movements_ref_idx').on(t.refType, t.refId),
    index('inv_movements_location_at_idx').on(t.locationId, t.at),
  ],
);

export type ReservationStatus = 'active' | 'released' | 'consumed' | 'expired';

export const invReservations = pgTable(
  'inv_reservations',
  {
    id: text('id').primaryKey(),
    orgPath: text('org_path').notNull(),
    partId: text('part_id').notNull(),
    locationId: text('location_id').notNull(),
    qtyMilli: integer('qty_milli').notNull(),
    /** Still held (qty minus consumed minus released). */
    openMilli: integer('open_milli').notNull(),
    status: text('status').$type<ReservationStatus>().notNull(),
    bookingId: text('booking_id'),
    workOrderId: text('work_order_id'),
    partTypeCode: text('part_type_code'),
    expiresAt: ts('expires_at'),
    createdAt: ts('created_at').notNull(),
    closedAt: ts('closed_at'),
  },
  (t) => [
    index('inv_reservations_booking_idx').on(t.bookingId),
    index('inv_reservations_wo_idx').on(t.workOrderId),
    index('inv_reservations_expiry_idx').on(t.status, t.expiresAt),
    check('inv_reservations_open_range', sql`${t.openMilli} >= 0 and ${t.openMilli} <= ${t.qtyMilli}`),
  ],
);

export type TraceStatus = 'in_stock' | 'in_transit' | 'consumed' | 'returned';

/** One row per physical unit of a traced part. */
export const invTraceUnits = pgTable(
  'inv_trace_units',
  {
    code: text('code').primaryKey(),
    orgPath: text('org_path').notNull(),
    partId: text('part_id').notNull(),
    locationId: text('location_id'),
    batch: text('batch'),
    serial: text('serial'),
    /** Tyres: the DOT week (YYWW); fluids: best-before. */
    dotWeek: text('dot_week'),
    expiresOn: text('expires_on'),
    status: text('status').$type<TraceStatus>().notNull(),
    transferId: text('transfer_id'),
    receivedAt: ts('received_at').notNull(),
    receiptRef: text('receipt_ref'),
    consumedAt: ts('consumed_at'),
    workOrderId: text('work_order_id'),
    workOrderLineId: text('work_order_line_id'),
    vehicleId: text('vehicle_id'),
    consumedBy: text('consumed_by'),
  },
  (t) => [
    index('inv_trace_units_part_idx').on(t.partId, t.locationId, t.status),
    index('inv_trace_units_wo_idx').on(t.workOrderId),
    index('inv_trace_units_line_idx').on(t.workOrderLineId),
  ],
);

export type ScanResult =
  'consumed' | 'unknown' | 'already_consumed' | 'wrong_sku' | 'wrong_location' | 'expired';

/** Every scan, good or bad; bad ones are the operator's counterfeit signals. */
export const invScans = pgTable(
  'inv_scans',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgPath: text('org_path').notNull(),
    code: text('code').notNull(),
    result: text('result').$type<ScanResult>().notNull(),
    workOrderId: text('work_order_id'),
    actorId: text('actor_id'),
    details: jsonb('details'),
    at: ts('at').notNull(),
  },
  (t) => [index('inv_scans_org_idx').on(t.orgPath, t.id), index('inv_scans_code_idx').on(t.code)],
);

export interface DocLine {
  partId: string;
  qtyMilli: number;
  receivedMilli: number;
  unitCostFen?: number | undefined;
}

export type TransferStatus = 'in_transit' | 'received' | 'received_with_discrepancy';
export const invTransfers = pgTable(
  'inv_transfers',
  {
    id: text('id').primaryKey(),
    orgPath: text('org_path').notNull(),
    fromLocationId: text('from_location_id').notNull(),
    toLocationId: text('to_location_id').notNull(),
    fromOrgPath: text('from_org_path').notNull(),
    toOrgPath: text('to_org_path').notNull(),
    status: text('status').$type<TransferStatus>().notNull(),
    lines: jsonb('lines').$type<DocLine[]>().notNull(),
    shippedAt: ts('shipped_at').notNull(),
    receivedAt: ts('received_at'),
    note: text('note'),
  },
  (t) => [
    index('inv_transfers_to_idx').on(t.toLocationId),
    index('inv_transfers_from_idx').on(t.fromLocationId),
  ],
);

export type PoStatus = 'draft' | 'sent' | 'partly_received' | 'received' | 'cancelled';
export const invPurchaseOrders = pgTable(
  'inv_purchase_orders',
  {
    id: text('id').primaryKey(),
    orgPath: text('org_path').notNull(),
    locationId: text('location_id').notNull(),
    supplier: text('supplier').notNull(),
    status: text('status').$type<PoStatus>().notNull(),
    lines: jsonb('lines').$type<DocLine[]>().notNull(),
    createdAt: ts('created_at').notNull(),
    sentAt: ts('sent_at'),
    receivedAt: ts('received_at'),
  },
  (t) => [index('inv_pos_location_idx').on(t.locationId, t.createdAt)],
);

export interface CountLine {
  partId: string;
  expectedMilli: number;
  countedMilli: number;
}
export const invStocktakes = pgTable(
  'inv_stocktakes',
  {
    id: text('id').primaryKey(),
    orgPath: text('org_path').notNull(),
    locationId: text('location_id').notNull(),
    status: text('status').$type<'counted' | 'approved' | 'rejected'>().notNull(),
    lines: jsonb('lines').$type<CountLine[]>().notNull(),
    countedBy: text('counted_by').notNull(),
    countedAt: ts('counted_at').notNull(),
    approvedBy: text('approved_by'),
    approvedAt: ts('approved_at'),
  },
  (t) => [index('inv_stocktakes_location_idx').on(t.locationId)],
);

/** Demand seen at a location (reservations for bookings, consumption at completion): fill rate, stock-outs. */
export const invDemand = pgTable(
  'inv_demand',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    orgPath: text('org_path').notNull(),
    locationId: text('location_id').notNull(),
    partId: text('part_id'),
    partTypeCode: text('part_type_code'),
    requestedMilli: integer('requested_milli').notNull(),
    filledMilli: integer('filled_milli').notNull(),
    refType: text('ref_type').notNull(),
    refId: text('ref_id').notNull(),
    at: ts('at').notNull(),
  },
  (t) => [index('inv_demand_location_idx').on(t.locationId, t.at)],
);
