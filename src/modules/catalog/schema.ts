/**
 * The service catalog: standard items (SOP steps, labour minutes, skills, bay type, parts bill of
 * materials by part type), packages, the vehicle-model catalogue for fitment, and prices per org
 * (a chain default overridable per franchisee or store).
 */
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, timestamp } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export type Powertrain = 'ICE' | 'HEV' | 'PHEV' | 'BEV';
export type BayType = 'general_lift' | 'alignment' | 'tyre' | 'nev_safe' | 'quick';
export type Unit = 'each' | 'litre' | 'kg';

export interface SopStep {
  code: string;
  zh: string;
  en: string;
  minutes: number;
}

export const vehicleModels = pgTable('vehicle_models', {
  id: text('id').primaryKey(),
  make: text('make').notNull(),
  makeZh: text('make_zh').notNull(),
  model: text('model').notNull(),
  modelZh: text('model_zh').notNull(),
  yearFrom: integer('year_from').notNull(),
  yearTo: integer('year_to').notNull(),
  powertrain: text('powertrain').$type<Powertrain>().notNull(),
  engine: text('engine'),
  cylinders: integer('cylinders').notNull().default(0),
  oilCapacityMl: integer('oil_capacity_ml').notNull().default(0),
  oilSpec: text('oil_spec'),
  tyreSize: text('tyre_size').notNull(),
  batteryKwh: integer('battery_kwh'),
  /** Price tier: economy / mid / premium; drives part-type price multipliers. */
  tier: text('tier').$type<'economy' | 'mid' | 'premium'>().notNull().default('mid'),
});

export const partTypes = pgTable('part_types', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  unit: text('unit').$type<Unit>().notNull(),
  category: text('category').notNull(),
});

export const serviceItems = pgTable('service_items', {
  code: text('code').primaryKey(),
  nameZh: text('name_zh').notNull(),
  nameEn: text('name_en').notNull(),
  category: text('category').notNull(),
  labourMinutes: integer('labour_minutes').notNull(),
  skills: text('skills').array().notNull().default([]),
  certifications: text('certifications').array().notNull().default([]),
  bayType: text('bay_type').$type<BayType>().notNull(),
  /** Powertrains the item applies to. */
  powertrains: text('powertrains').array().$type<Powertrain[]>().notNull(),
  sopSteps: jsonb('sop_steps').$type<SopStep[]>().notNull(),
  warrantyMonths: integer('warranty_months').notNull().default(0),
  warrantyKm: integer('warranty_km').notNull().default(0),
  /** A package (e.g. 小保养) lists other items; its own labour/BOM are theirs. */
  packageItems: text('package_items').array().notNull().default([]),
  /** Package discount in basis points of the items' sum. */
  packageDiscountBp: integer('package_discount_bp').notNull().default(0),
  active: boolean('active').notNull().default(true),
  sort: integer('sort').notNull().default(0),
});

/**
 * Bill of materials by part type. Quantity is fixed (milli-units) or per vehicle: `perVehicle`
 * names a vehicle-model field (oil capacity, cylinders, wheels) multiplied by `qtyMilli / 1000`.
 */
export const serviceItemParts = pgTable(
  'service_item_parts',
  {
    itemCode: text('item_code').notNull(),
    partTypeCode: text('part_type_code').notNull(),
    qtyMilli: integer('qty_milli').notNull(),
    perVehicle: text('per_vehicle').$type<'oil_capacity' | 'cylinders' | 'wheels' | null>(),
    /** Only for these powertrains (null = all the item applies to). */
    powertrains: text('powertrains').array().$type<Powertrain[]>(),
  },
  (t) => [primaryKey({ columns: [t.itemCode, t.partTypeCode] })],
);

/** Labour rate and part-type prices set by an org (chain default, overridden lower in the tree). */
export const priceLists = pgTable('price_lists', {
  orgId: text('org_id').primaryKey(),
  orgPath: text('org_path').notNull(),
  labourRateFenPerHour: integer('labour_rate_fen_per_hour').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const partTypePrices = pgTable(
  'part_type_prices',
  {
    orgId: text('org_id').notNull(),
    orgPath: text('org_path').notNull(),
    partTypeCode: text('part_type_code').notNull(),
    /** Price per unit (each, litre, kg) in fen, for a mid-tier vehicle. */
    unitPriceFen: integer('unit_price_fen').notNull(),
  },
  (t) => [
    primaryKey({ columns: [t.orgId, t.partTypeCode] }),
    index('part_type_prices_path_idx').on(t.orgPath),
  ],
);
