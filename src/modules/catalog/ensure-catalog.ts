/** Loads the shipped catalog on first start (idempotent: existing rows are left as operators edited them). */

import type { Executor } from '../../platform/db/types.js';
import { stableId } from '../../platform/domain/stable-id.js';
import {
  partTypePrices,
  partTypes,
  priceLists,
  serviceItemParts,
  serviceItems,
  vehicleModels,
} from './schema.js';
import { SEED_ITEMS, SEED_LABOUR_RATE_FEN_PER_HOUR, SEED_MODELS, SEED_PART_TYPES } from './seed.js';

export const vehicleModelId = (make: string, model: string): string => stableId('vm', `${make}|${model}`);

export async function ensureCatalog(ex: Executor, platform: { id: string; path: string }): Promise<void> {
  await ex
    .insert(partTypes)
    .values(SEED_PART_TYPES.map(({ priceFen: _p, ...t }) => t))
    .onConflictDoNothing();
  await ex
    .insert(serviceItems)
    .values(
      SEED_ITEMS.map((it, i) => ({
        code: it.code,
        nameZh: it.nameZh,
        nameEn: it.nameEn,
        category: it.category,
        labourMinutes: it.labourMinutes,
        skills: it.skills,
        certifications: it.certifications,
        bayType: it.bayType,
        powertrains: it.powertrains,
        sopSteps: it.sopSteps,
        warrantyMonths: it.warrantyMonths,
        warrantyKm: it.warrantyKm,
        packageItems: it.packageItems ?? [],
        packageDiscountBp: it.packageDiscountBp ?? 0,
        sort: i,
      })),
    )
    .onConflictDoNothing();
  const bom = SEED_ITEMS.flatMap((it) =>
    it.parts.map((p) => ({
      itemCode: it.code,
      partTypeCode: p.partType,
      qtyMilli: p.qtyMilli,
      perVehicle: p.perVehicle ?? null,
      powertrains: p.powertrains ?? null,
    })),
  );
  if (bom.length) await ex.insert(serviceItemParts).values(bom).onConflictDoNothing();
  await ex
    .insert(vehicleModels)
    .values(SEED_MODELS.map(({ weight: _w, ...m }) => ({ id: vehicleModelId(m.make, m.model), ...m })))
    .onConflictDoNothing();
  await ex
    .insert(priceLists)
    .values({
      orgId: platform.id,
      orgPath: platform.path,
      labourRateFenPerHour: SEED_LABOUR_RATE_FEN_PER_HOUR,
    })
    .onConflictDoNothing();
  await ex
    .insert(partTypePrices)
    .values(
      SEED_PART_TYPES.map((t) => ({
        orgId: platform.id,
        orgPath: platform.path,
        partTypeCode: t.code,
        unitPriceFen: t.priceFen,
      })),
    )
    .onConflictDoNothing();
}
