/** Public API of booking: search, holds and bookings, payments, door-to-door, settlement. */
export { searchOptions, NOTICE_MINUTES, type SearchOption, type SearchQuery } from './search.js';
export { slotsForStores, planDay, claimedCells } from './load-availability.js';
export {
  rankOptions,
  registerRanking,
  defaultRanking,
  type RankFn,
  type OptionFacts,
  type RankedOption,
  type Reason,
} from './rank-options.js';
export {
  createHold,
  confirmBooking,
  cancelBooking,
  rescheduleBooking,
  markNoShow,
  markCheckedIn,
  markCompleted,
  cancelFromWorkOrder,
  expireHolds,
  loadBooking,
  listBookings,
  bookingsByIds,
  HOLD_MINUTES,
  type Booking,
  type HoldInput,
} from './bookings.js';
export {
  recordInStorePayment,
  paidTotal,
  paymentsFor,
  refundPayment,
  handleCallback,
  sandbox,
  type Payment,
} from './payments.js';
export { requestDoorToDoor, listDoorToDoor, type DoorToDoor } from './door-to-door.js';
export { dailySettlement, commissionOf } from './settlement.js';
export { flushFunnel } from './funnel.js';
export { registerBookingNotifications, sendDayBeforeReminders } from './notifications.js';
export {
  bookingRoutes,
  toBookingView,
  toPaymentView,
  paymentView,
  bookingView,
  ownerOrStaff,
} from './routes.js';
export {
  importBookingHistory,
  type DemoBookingRow,
  type DemoPaymentRow,
  type DemoFunnelRow,
  type DemoBookingHistoryRow,
} from './demo-history.js';
export { funnelByDay, bookedMinutesByStore, type DayCounts } from './stats.js';
export { claimCellsFor } from './claims.js';
export { invalidateAvailability } from './load-availability.js';
