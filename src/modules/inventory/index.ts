/** Public API of inventory: parts, locations, the ledger, reservations, trace codes, stock documents. */
export {
  createPart,
  createLocation,
  loadPart,
  loadLocation,
  partsByIds,
  skusForStore,
  storeLocation,
  stockAt,
  type Part,
  type Location,
  type PartInput,
  type LocationInput,
} from './catalogue.js';
export {
  post as postMovement,
  balanceOf,
  reconcile,
  setStockPolicy,
  type Balance,
  type MovementInput,
} from './ledger.js';
export { parseQty, formatQty } from './quantity.js';
export { reserve, releaseReservation, consume, reservationsFor, type Reservation } from './reservations.js';
export { traceCodesForLines, checkAuthenticity } from './trace.js';
export { isValidTraceCode, makeTraceCode } from './trace-code.js';
export {
  receive,
  adjust,
  shipTransfer,
  receiveTransfer,
  createPurchaseOrder,
  sendPurchaseOrder,
  receivePurchaseOrder,
  countStock,
  approveStocktake,
} from './stock-flows.js';
export { managerNumbers } from './manager-numbers.js';
export { registerInventory, expireReservations } from './hooks.js';
export { inventoryRoutes } from './routes.js';
export type { Unit, LocationKind, MovementKind } from './schema.js';
