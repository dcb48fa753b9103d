/** Public API of the catalog: items, vehicle models, prices, and quoting. */
export {
  buildQuote,
  expandItems,
  COMPATIBLE_BAYS,
  GRID_MINUTES,
  type Quote,
  type QuoteLine,
  type CatalogItem,
  type VehicleModel,
  type PriceBook,
} from './quote.js';
export {
  catalogSnapshot,
  priceBookFor,
  invalidateCatalogCache,
  partTypePricesFor,
  setPriceBook,
  type CatalogSnapshot,
} from './catalog-data.js';
export { ensureCatalog, vehicleModelId } from './ensure-catalog.js';
export { quoteFor, registerSkuPricer, skuPricesFor, type SkuPricer } from './quote-for.js';
export { catalogRoutes } from './routes.js';
export { SEED_MODELS, SEED_ITEMS } from './seed.js';
export type { BayType, Powertrain } from './schema.js';
