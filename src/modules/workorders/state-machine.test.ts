import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { WORK_ORDER_STATUSES, type WorkOrderStatus } from './schema.js';
import { TRANSITIONS, WORK_ORDER_EVENTS, eventsFrom, nextStatus } from './state-machine.js';

describe('work-order state machine', () => {
  it('walks the standard flow', () => {
    let s: WorkOrderStatus = 'checked_in';
    for (const e of [
      'start_inspection',
      'build_estimate',
      'send_estimate',
      'approve',
      'start_work',
      'finish_work',
      'qc_pass',
      'hand_over',
      'review',
    ] as const) {
      s = nextStatus(s, e);
    }
    expect(s).toBe('reviewed');
  });
  it('names both states when a transition is illegal', () => {
    expect(() => nextStatus('checked_in', 'hand_over')).toThrowError(/checked_in.*ready|checked_in/);
    try {
      nextStatus('reviewed', 'cancel');
    } catch (e) {
      expect((e as { details: unknown }).details).toEqual({
        from: 'reviewed',
        to: 'cancelled',
        event: 'cancel',
      });
    }
  });
  it('accepts exactly the events its table lists, from any state (property)', () => {
    fc.assert(
      fc.property(fc.constantFrom(...WORK_ORDER_STATUSES), fc.constantFrom(...WORK_ORDER_EVENTS), (s, e) => {
        const allowed = (TRANSITIONS[e].from as readonly string[]).includes(s);
        if (allowed) expect(nextStatus(s, e)).toBe(TRANSITIONS[e].to);
        else expect(() => nextStatus(s, e)).toThrow();
        expect(eventsFrom(s).includes(e)).toBe(allowed);
      }),
    );
  });
  it('has no way out of terminal states except review after hand-over', () => {
    expect(eventsFrom('reviewed')).toEqual([]);
    expect(eventsFrom('cancelled')).toEqual([]);
    expect(eventsFrom('handed_over')).toEqual(['review']);
  });
});
