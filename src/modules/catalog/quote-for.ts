/** Quote for items on a vehicle model at a store's prices (the store's org path resolves the price book). */
import { AppError } from '../../platform/errors.js';
import { together, type Executor } from '../../platform/db/types.js';
import { catalogSnapshot, priceBookFor } from './catalog-data.js';
import { buildQuote, type PriceBook, type Quote } from './quote.js';
import type { Powertrain } from './schema.js';

/** Prices parts at the SKU a store would use (registered by inventory); undefined = part-type prices. */
export type SkuPricer = (
  ex: Executor,
  q: { storeOrgPath: string; vehicleModelId: string; powertrain: Powertrain },
) => Promise<PriceBook['skuPrices'] | undefined>;
let skuPricer: SkuPricer | undefined;
export function registerSkuPricer(fn: SkuPricer): void {
  skuPricer = fn;
}
/** The SKU prices a store would charge for a vehicle model (undefined: part-type prices apply). */
export function skuPricesFor(
  ex: Executor,
  q: { storeOrgPath: string; vehicleModelId: string; powertrain: Powertrain },
): Promise<PriceBook['skuPrices'] | undefined> {
  return skuPricer ? skuPricer(ex, q) : Promise.resolve(undefined);
}

export async function quoteFor(
  root: object,
  ex: Executor,
  q: {
    storeOrgPath: string;
    vehicleModelId: string;
    items: readonly string[];
    skuPrices?: PriceBook['skuPrices'];
  },
): Promise<Quote> {
  const [cat, prices] = await together(ex, [
    () => catalogSnapshot(root, ex),
    () => priceBookFor(root, ex, q.storeOrgPath),
  ]);
  const model = cat.models.get(q.vehicleModelId);
  if (!model)
    throw new AppError('catalog.unknown_vehicle_model', 'validation', `No vehicle model ${q.vehicleModelId}`);
  const skuPrices =
    q.skuPrices ??
    (skuPricer
      ? await skuPricer(ex, {
          storeOrgPath: q.storeOrgPath,
          vehicleModelId: q.vehicleModelId,
          powertrain: model.powertrain,
        })
      : undefined);
  return buildQuote(cat.items, cat.partTypes, skuPrices ? { ...prices, skuPrices } : prices, model, q.items);
}
