/** Quote for items on a vehicle model at a store's prices (the store's org path resolves the price book). */
import { AppError } from '../../platform/errors.js';
import type { Executor } from '../../platform/db/types.js';
import { catalogSnapshot, priceBookFor } from './catalog-data.js';
import { buildQuote, type PriceBook, type Quote } from './quote.js';

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
  const [cat, prices] = await Promise.all([
    catalogSnapshot(root, ex),
    priceBookFor(root, ex, q.storeOrgPath),
  ]);
  const model = cat.models.get(q.vehicleModelId);
  if (!model)
    throw new AppError('catalog.unknown_vehicle_model', 'validation', `No vehicle model ${q.vehicleModelId}`);
  return buildQuote(
    cat.items,
    cat.partTypes,
    q.skuPrices ? { ...prices, skuPrices: q.skuPrices } : prices,
    model,
    q.items,
  );
}
