/** Public API of the stores module. */
export {
  getStoreRaw,
  getStoreScoped,
  upsertStoreProfile,
  createBay,
  updateBay,
  listBays,
  storesByIds,
  storesInCells,
  listStoresScoped,
  setWeeklyHours,
  countStores,
  recordStoreRating,
  setStoreRating,
  H3_RES,
  type StoreRow,
  type BayRow,
  type StoreProfileInput,
} from './store-profile.js';
export {
  storeSetups,
  storeSetupFresh,
  holidaysCached,
  invalidateStoreSetup,
  invalidateHolidays,
  onStoreSetupInvalidated,
  type StoreSetup,
} from './store-setup.js';
export { openingOn, type OpenInterval } from './opening-hours.js';
export { ensureHolidays, holidaysBetween, packagedHolidays, type HolidayRow } from './holidays.js';
export { storesNearPoint } from './stores-near.js';
export { storesRoutes } from './routes.js';
