/**
 * Standardized work orders: the lifecycle (an explicit transition table in state-machine.ts), the
 * timeline of every node with time and actor, digital inspection with photos, estimate lines
 * approved line by line by the owner, SOP step progress, quality check, reviews and warranty.
 */
import { bigserial, boolean, index, integer, jsonb, pgTable, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const WORK_ORDER_STATUSES = [
  'checked_in',
  'inspection',
  'estimate',
  'awaiting_approval',
  'approved',
  'in_progress',
  'quality_check',
  'ready',
  'handed_over',
  'reviewed',
  'cancelled',
] as const;
export type WorkOrderStatus = (typeof WORK_ORDER_STATUSES)[number];

export const workOrders = pgTable(
  'work_orders',
  {
    id: text('id').primaryKey(),
    number: text('number').notNull(),
    storeId: text('store_id').notNull(),
    orgPath: text('org_path').notNull(),
    bookingId: text('booking_id'),
    ownerId: text('owner_id').notNull(),
    vehicleId: text('vehicle_id').notNull(),
    plate: text('plate').notNull(),
    vehicleModelId: text('vehicle_model_id').notNull(),
    items: text('items').array().notNull(),
    status: text('status').$type<WorkOrderStatus>().notNull(),
    source: text('source').$type<'booking' | 'walk_in' | 'proposal' | 'comeback'>().notNull(),
    technicianId: text('technician_id'),
    bayId: text('bay_id'),
    odometerKm: integer('odometer_km'),
    fuelLevelPct: integer('fuel_level_pct'),
    /** Evidence carried over from predictive maintenance or the front desk. */
    notes: text('notes'),
    evidence: jsonb('evidence'),
    comebackOf: text('comeback_of'),
    totalFen: integer('total_fen').notNull().default(0),
    paidFen: integer('paid_fen').notNull().default(0),
    approvalVersion: integer('approval_version').notNull().default(0),
    warrantyUntil: ts('warranty_until'),
    warrantyKmUntil: integer('warranty_km_until'),
    createdAt: ts('created_at').notNull(),
    updatedAt: ts('updated_at').notNull(),
    handedOverAt: ts('handed_over_at'),
  },
  (t) => [
    index('work_orders_store_idx').on(t.storeId, t.createdAt),
    index('work_orders_vehicle_idx').on(t.vehicleId, t.createdAt),
    index('work_orders_owner_idx').on(t.ownerId),
    index('work_orders_booking_idx').on(t.bookingId),
  ],
);

export const workOrderEvents = pgTable(
  'work_order_events',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    workOrderId: text('work_order_id').notNull(),
    at: ts('at').notNull(),
    actorId: text('actor_id'),
    actorRole: text('actor_role'),
    event: text('event').notNull(),
    fromStatus: text('from_status'),
    toStatus: text('to_status'),
    data: jsonb('data'),
  },
  (t) => [index('work_order_events_wo_idx').on(t.workOrderId, t.id)],
);

export const inspectionItems = pgTable(
  'inspection_items',
  {
    id: text('id').primaryKey(),
    workOrderId: text('work_order_id').notNull(),
    code: text('code').notNull(),
    nameZh: text('name_zh').notNull(),
    nameEn: text('name_en').notNull(),
    result: text('result').$type<'green' | 'yellow' | 'red' | null>(),
    note: text('note'),
    /** Service item recommended when this point is yellow/red. */
    recommendItem: text('recommend_item'),
    sort: integer('sort').notNull(),
    checkedAt: ts('checked_at'),
    checkedBy: text('checked_by'),
  },
  (t) => [index('inspection_items_wo_idx').on(t.workOrderId)],
);

export const photos = pgTable(
  'photos',
  {
    id: text('id').primaryKey(),
    workOrderId: text('work_order_id').notNull(),
    inspectionItemId: text('inspection_item_id'),
    blobKey: text('blob_key').notNull(),
    contentType: text('content_type').notNull(),
    bytes: integer('bytes').notNull(),
    width: integer('width'),
    height: integer('height'),
    uploadedBy: text('uploaded_by'),
    createdAt: ts('created_at').notNull(),
  },
  (t) => [index('photos_wo_idx').on(t.workOrderId)],
);

export const estimateLines = pgTable(
  'estimate_lines',
  {
    id: text('id').primaryKey(),
    workOrderId: text('work_order_id').notNull(),
    kind: text('kind').$type<'labour' | 'part' | 'discount'>().notNull(),
    itemCode: text('item_code').notNull(),
    partTypeCode: text('part_type_code'),
    description: text('description').notNull(),
    qtyMilli: integer('qty_milli').notNull(),
    unitPriceFen: integer('unit_price_fen').notNull(),
    amountFen: integer('amount_fen').notNull(),
    /** From the inspection: extra work the store recommends (vs. what was booked). */
    recommended: boolean('recommended').notNull().default(false),
    approval: text('approval').$type<'pending' | 'approved' | 'declined'>().notNull(),
    decidedAt: ts('decided_at'),
    /** Declined lines are kept for follow-up reminders. */
    followUpAt: ts('follow_up_at'),
  },
  (t) => [index('estimate_lines_wo_idx').on(t.workOrderId)],
);

export const sopProgress = pgTable(
  'sop_progress',
  {
    id: text('id').primaryKey(),
    workOrderId: text('work_order_id').notNull(),
    itemCode: text('item_code').notNull(),
    stepCode: text('step_code').notNull(),
    stepIndex: integer('step_index').notNull(),
    zh: text('zh').notNull(),
    en: text('en').notNull(),
    standardMinutes: integer('standard_minutes').notNull(),
    startedAt: ts('started_at'),
    doneAt: ts('done_at'),
    doneBy: text('done_by'),
  },
  (t) => [index('sop_progress_wo_idx').on(t.workOrderId, t.stepIndex)],
);

export const qcChecks = pgTable(
  'qc_checks',
  {
    id: text('id').primaryKey(),
    workOrderId: text('work_order_id').notNull(),
    checkedBy: text('checked_by').notNull(),
    passed: boolean('passed').notNull(),
    notes: text('notes'),
    at: ts('at').notNull(),
  },
  (t) => [index('qc_checks_wo_idx').on(t.workOrderId)],
);

export const reviews = pgTable(
  'reviews',
  {
    id: text('id').primaryKey(),
    workOrderId: text('work_order_id').notNull(),
    storeId: text('store_id').notNull(),
    orgPath: text('org_path').notNull(),
    ownerId: text('owner_id').notNull(),
    technicianId: text('technician_id'),
    stars: integer('stars').notNull(),
    tags: text('tags').array().notNull().default([]),
    text: text('text'),
    at: ts('at').notNull(),
  },
  (t) => [index('reviews_store_idx').on(t.storeId, t.at)],
);
