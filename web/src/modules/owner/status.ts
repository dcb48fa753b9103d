/** Status vocabularies shown as badges. */
import type { BookingStatus, WorkOrderStatus } from '../../api/types';

export const OPEN_BOOKING: readonly BookingStatus[] = ['held', 'confirmed', 'checked_in'];

export function isOpenBooking(s: BookingStatus): boolean {
  return OPEN_BOOKING.includes(s);
}

export function isClosedWorkOrder(s: WorkOrderStatus): boolean {
  return s === 'handed_over' || s === 'reviewed' || s === 'cancelled';
}
