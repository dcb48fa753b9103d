/**
 * Pure quoting: items (packages expanded) for one vehicle model at one store's prices → labour and
 * part lines in fen, the package discount, the booked duration on the 15-minute grid, and what the
 * job needs (bay type, skills, certifications). No database access: callers pass a snapshot.
 */
import { AppError } from '../../platform/errors.js';
import type { BayType, Powertrain, SopStep } from './schema.js';

export interface CatalogItem {
  code: string;
  nameZh: string;
  nameEn: string;
  category: string;
  labourMinutes: number;
  skills: string[];
  certifications: string[];
  bayType: BayType;
  powertrains: Powertrain[];
  sopSteps: SopStep[];
  warrantyMonths: number;
  warrantyKm: number;
  packageItems: string[];
  packageDiscountBp: number;
  active: boolean;
  parts: Array<{
    partTypeCode: string;
    qtyMilli: number;
    perVehicle: 'oil_capacity' | 'cylinders' | 'wheels' | null;
    powertrains: Powertrain[] | null;
  }>;
}

export interface VehicleModel {
  id: string;
  make: string;
  makeZh: string;
  model: string;
  modelZh: string;
  powertrain: Powertrain;
  cylinders: number;
  oilCapacityMl: number;
  tier: 'economy' | 'mid' | 'premium';
  tyreSize: string;
}

export interface PartType {
  code: string;
  nameZh: string;
  nameEn: string;
  unit: 'each' | 'litre' | 'kg';
}

export interface PriceBook {
  labourRateFenPerHour: number;
  /** Unit price in fen per part type for a mid-tier vehicle. */
  partPrices: ReadonlyMap<string, number>;
  /** Part prices of the SKU the store would actually use (set by inventory), per part type. */
  skuPrices?: ReadonlyMap<string, { sku: string; unitPriceFen: number }>;
}

export interface QuoteLine {
  kind: 'labour' | 'part' | 'discount';
  itemCode: string;
  partTypeCode?: string | undefined;
  sku?: string | undefined;
  description: string;
  descriptionEn: string;
  qtyMilli: number;
  unitPriceFen: number;
  amountFen: number;
}

export interface Quote {
  vehicleModelId: string;
  items: Array<{ code: string; nameZh: string; nameEn: string; labourMinutes: number; amountFen: number }>;
  lines: QuoteLine[];
  labourFen: number;
  partsFen: number;
  discountFen: number;
  totalFen: number;
  /** Labour minutes rounded up to the 15-minute booking grid. */
  durationMinutes: number;
  bayType: BayType;
  skills: string[];
  certifications: string[];
  warrantyMonths: number;
  warrantyKm: number;
}

export const GRID_MINUTES = 15;
const TIER_BP = { economy: 8000, mid: 10_000, premium: 16_000 } as const;
const BAY_PRIORITY: BayType[] = ['nev_safe', 'alignment', 'tyre', 'general_lift', 'quick'];

/** Bay types that can host a job needing `required`. */
export const COMPATIBLE_BAYS: Record<BayType, readonly BayType[]> = {
  quick: ['quick', 'general_lift', 'nev_safe', 'tyre', 'alignment'],
  general_lift: ['general_lift', 'nev_safe'],
  tyre: ['tyre', 'general_lift'],
  alignment: ['alignment'],
  nev_safe: ['nev_safe'],
};

/** Integer rounding half away from zero of a/b for non-negative a, positive b. */
const divRound = (a: number, b: number): number => Math.floor((2 * a + b) / (2 * b));

export function expandItems(
  catalog: ReadonlyMap<string, CatalogItem>,
  codes: readonly string[],
): Array<{ item: CatalogItem; packageCode: string | null }> {
  const out: Array<{ item: CatalogItem; packageCode: string | null }> = [];
  const seen = new Set<string>();
  for (const code of codes) {
    const item = catalog.get(code);
    if (!item || !item.active)
      throw new AppError('catalog.unknown_item', 'validation', `No active service item ${code}`);
    const children = item.packageItems.length ? item.packageItems : [code];
    for (const c of children) {
      if (seen.has(c)) continue;
      const child = catalog.get(c);
      if (!child)
        throw new AppError('catalog.unknown_item', 'validation', `Package ${code} lists unknown item ${c}`);
      seen.add(c);
      out.push({ item: child, packageCode: item.packageItems.length ? code : null });
    }
  }
  return out;
}

export function buildQuote(
  catalog: ReadonlyMap<string, CatalogItem>,
  partTypes: ReadonlyMap<string, PartType>,
  prices: PriceBook,
  model: VehicleModel,
  codes: readonly string[],
): Quote {
  if (codes.length === 0)
    throw new AppError('catalog.no_items', 'validation', 'Choose at least one service item');
  for (const code of codes) {
    const it = catalog.get(code);
    if (it && !it.powertrains.includes(model.powertrain)) {
      throw new AppError(
        'catalog.not_applicable',
        'validation',
        `${it.nameEn} (${it.nameZh}) does not apply to a ${model.powertrain} vehicle (${model.make} ${model.model})`,
      );
    }
  }
  const expanded = expandItems(catalog, codes).filter(({ item }) =>
    item.powertrains.includes(model.powertrain),
  );
  const lines: QuoteLine[] = [];
  const items: Quote['items'] = [];
  const packageSums = new Map<string, number>();
  let minutes = 0;
  const skills = new Set<string>();
  const certs = new Set<string>();
  let bayType: BayType = 'quick';
  let warrantyMonths = 0;
  let warrantyKm = 0;
  for (const { item, packageCode } of expanded) {
    let itemFen = 0;
    if (item.labourMinutes > 0) {
      const amount = divRound(item.labourMinutes * prices.labourRateFenPerHour, 60);
      lines.push({
        kind: 'labour',
        itemCode: item.code,
        description: `${item.nameZh} 工时`,
        descriptionEn: `${item.nameEn} labour`,
        qtyMilli: item.labourMinutes * 1000,
        unitPriceFen: divRound(prices.labourRateFenPerHour, 60),
        amountFen: amount,
      });
      itemFen += amount;
    }
    for (const p of item.parts) {
      if (p.powertrains && !p.powertrains.includes(model.powertrain)) continue;
      const factor =
        p.perVehicle === 'oil_capacity'
          ? model.oilCapacityMl
          : p.perVehicle === 'cylinders'
            ? model.cylinders * 1000
            : p.perVehicle === 'wheels'
              ? 4000
              : 1000;
      const qtyMilli = divRound(p.qtyMilli * factor, 1000);
      if (qtyMilli <= 0) continue;
      const pt = partTypes.get(p.partTypeCode);
      const sku = prices.skuPrices?.get(p.partTypeCode);
      const base = prices.partPrices.get(p.partTypeCode);
      if (!pt || (base === undefined && !sku)) {
        throw new AppError(
          'catalog.no_price',
          'conflict',
          `No price for part type ${p.partTypeCode} at this store`,
        );
      }
      const unit = sku ? sku.unitPriceFen : divRound(base! * TIER_BP[model.tier], 10_000);
      const amount = divRound(qtyMilli * unit, 1000);
      lines.push({
        kind: 'part',
        itemCode: item.code,
        partTypeCode: p.partTypeCode,
        sku: sku?.sku,
        description: pt.nameZh,
        descriptionEn: pt.nameEn,
        qtyMilli,
        unitPriceFen: unit,
        amountFen: amount,
      });
      itemFen += amount;
    }
    items.push({
      code: item.code,
      nameZh: item.nameZh,
      nameEn: item.nameEn,
      labourMinutes: item.labourMinutes,
      amountFen: itemFen,
    });
    if (packageCode) packageSums.set(packageCode, (packageSums.get(packageCode) ?? 0) + itemFen);
    minutes += item.labourMinutes;
    item.skills.forEach((s) => skills.add(s));
    item.certifications.forEach((c) => certs.add(c));
    if (BAY_PRIORITY.indexOf(item.bayType) < BAY_PRIORITY.indexOf(bayType)) bayType = item.bayType;
    warrantyMonths = Math.max(warrantyMonths, item.warrantyMonths);
    warrantyKm = Math.max(warrantyKm, item.warrantyKm);
  }
  for (const [pkg, sum] of packageSums) {
    const p = catalog.get(pkg)!;
    if (p.packageDiscountBp <= 0) continue;
    const d = divRound(sum * p.packageDiscountBp, 10_000);
    lines.push({
      kind: 'discount',
      itemCode: pkg,
      description: `${p.nameZh} 套餐优惠`,
      descriptionEn: `${p.nameEn} package discount`,
      qtyMilli: 1000,
      unitPriceFen: -d,
      amountFen: -d,
    });
  }
  const labourFen = lines.filter((l) => l.kind === 'labour').reduce((s, l) => s + l.amountFen, 0);
  const partsFen = lines.filter((l) => l.kind === 'part').reduce((s, l) => s + l.amountFen, 0);
  const discountFen = -lines.filter((l) => l.kind === 'discount').reduce((s, l) => s + l.amountFen, 0);
  return {
    vehicleModelId: model.id,
    items,
    lines,
    labourFen,
    partsFen,
    discountFen,
    totalFen: labourFen + partsFen - discountFen,
    durationMinutes: Math.max(GRID_MINUTES, Math.ceil(minutes / GRID_MINUTES) * GRID_MINUTES),
    bayType,
    skills: [...skills].sort(),
    certifications: [...certs].sort(),
    warrantyMonths,
    warrantyKm,
  };
}
