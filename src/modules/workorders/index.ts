/** Public API of work orders. */
export {
  loadWorkOrder,
  assignWorkOrderTechnician,
  checkInBooking,
  checkInWalkIn,
  createWorkOrder,
  listWorkOrders,
  type WorkOrder,
} from './work-orders.js';
export { handOver, qualityCheck, decideEstimate, sendEstimate } from './flow.js';
export { serviceBook, workOrderDetail } from './views.js';
export { TRANSITIONS, nextStatus, eventsFrom, type WorkOrderEvent } from './state-machine.js';
export { workOrderRoutes } from './routes.js';
export {
  importWorkOrderHistory,
  ratingsByStore,
  type DemoWorkOrderRow,
  type DemoEventRow,
  type DemoLineRow,
  type DemoReviewRow,
  type DemoStepRow,
  type DemoQcRow,
} from './demo-history.js';
export { revenueByDay, topServices, technicianWorkStats, type TechnicianWork } from './stats.js';
