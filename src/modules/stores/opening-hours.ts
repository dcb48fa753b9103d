/**
 * Pure rule: is the store open on a local day, and when. Order of precedence: a store exception for
 * that day; a public holiday (closed, normal or weekend hours, per the store's holiday mode); a
 * make-up working day (调休, uses Monday's hours even on a weekend); otherwise the weekday's hours.
 */
import { weekdayOf } from '../../platform/time.js';

export interface WeeklyHours {
  weekday: number;
  openMin: number;
  closeMin: number;
}
export interface HourException {
  day: string;
  closed: boolean;
  openMin: number | null;
  closeMin: number | null;
}
export type HolidayMode = 'closed' | 'normal' | 'weekend';

export interface OpenInterval {
  openMin: number;
  closeMin: number;
  reason: 'regular' | 'exception' | 'holiday' | 'makeup_workday';
  /** The weekday whose pattern applies (technician shifts follow it): Monday on a make-up day. */
  effectiveWeekday: number;
}

export function openingOn(
  day: string,
  hours: readonly WeeklyHours[],
  exceptions: ReadonlyMap<string, HourException>,
  holiday: { kind: 'holiday' | 'workday' } | undefined,
  holidayMode: HolidayMode,
): OpenInterval | null {
  const ex = exceptions.get(day);
  if (ex) {
    if (ex.closed || ex.openMin === null || ex.closeMin === null || ex.closeMin <= ex.openMin) return null;
    return {
      openMin: ex.openMin,
      closeMin: ex.closeMin,
      reason: 'exception',
      effectiveWeekday: weekdayOf(day),
    };
  }
  const byDay = (wd: number) => hours.find((h) => h.weekday === wd);
  const wd = weekdayOf(day);
  let h: WeeklyHours | undefined;
  let reason: OpenInterval['reason'] = 'regular';
  if (holiday?.kind === 'holiday') {
    reason = 'holiday';
    if (holidayMode === 'closed') return null;
    h = holidayMode === 'weekend' ? (byDay(6) ?? byDay(7) ?? byDay(wd)) : byDay(wd);
  } else if (holiday?.kind === 'workday') {
    reason = 'makeup_workday';
    h = byDay(1) ?? byDay(wd);
  } else {
    h = byDay(wd);
  }
  if (!h || h.closeMin <= h.openMin) return null;
  return { openMin: h.openMin, closeMin: h.closeMin, reason, effectiveWeekday: h.weekday };
}
