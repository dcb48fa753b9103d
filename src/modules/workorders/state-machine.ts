/**
 * The standardized service flow as an explicit table: event → allowed from-states → to-state.
 * Every transition goes through `nextStatus`; an illegal one is a 409 naming both states.
 */
import { AppError } from '../../platform/errors.js';
import type { WorkOrderStatus } from './schema.js';

export const TRANSITIONS = {
  start_inspection: { from: ['checked_in'], to: 'inspection' },
  build_estimate: { from: ['inspection'], to: 'estimate' },
  send_estimate: { from: ['estimate'], to: 'awaiting_approval' },
  reopen_estimate: { from: ['awaiting_approval'], to: 'estimate' },
  approve: { from: ['awaiting_approval'], to: 'approved' },
  start_work: { from: ['approved'], to: 'in_progress' },
  finish_work: { from: ['in_progress'], to: 'quality_check' },
  qc_pass: { from: ['quality_check'], to: 'ready' },
  qc_fail: { from: ['quality_check'], to: 'in_progress' },
  hand_over: { from: ['ready'], to: 'handed_over' },
  review: { from: ['handed_over'], to: 'reviewed' },
  cancel: {
    from: ['checked_in', 'inspection', 'estimate', 'awaiting_approval', 'approved'],
    to: 'cancelled',
  },
} as const satisfies Record<string, { from: readonly WorkOrderStatus[]; to: WorkOrderStatus }>;

export type WorkOrderEvent = keyof typeof TRANSITIONS;
export const WORK_ORDER_EVENTS = Object.keys(TRANSITIONS) as WorkOrderEvent[];

export function nextStatus(from: WorkOrderStatus, event: WorkOrderEvent): WorkOrderStatus {
  const t = TRANSITIONS[event];
  if (!(t.from as readonly WorkOrderStatus[]).includes(from)) {
    throw new AppError(
      'workorder.illegal_transition',
      'conflict',
      `A work order that is ${from} cannot ${event.replace(/_/g, ' ')} (it would become ${t.to})`,
      {
        from,
        to: t.to,
        event,
      },
    );
  }
  return t.to;
}

/** Events possible from a state (for the UI's buttons). */
export function eventsFrom(status: WorkOrderStatus): WorkOrderEvent[] {
  return WORK_ORDER_EVENTS.filter((e) =>
    (TRANSITIONS[e].from as readonly WorkOrderStatus[]).includes(status),
  );
}
