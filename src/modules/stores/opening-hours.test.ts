import { describe, expect, it } from 'vitest';
import { openingOn } from './opening-hours.js';

const week = [1, 2, 3, 4, 5]
  .map((weekday) => ({ weekday, openMin: 540, closeMin: 1080 }))
  .concat([{ weekday: 6, openMin: 600, closeMin: 960 }]);
const none = new Map();

describe('openingOn', () => {
  it('uses the weekday pattern and is closed on Sundays without hours', () => {
    expect(openingOn('2026-06-01', week, none, undefined, 'weekend')).toMatchObject({
      openMin: 540,
      closeMin: 1080,
      reason: 'regular',
    });
    expect(openingOn('2026-06-07', week, none, undefined, 'weekend')).toBeNull();
  });
  it('applies public holidays by the store’s holiday mode', () => {
    const h = { kind: 'holiday' as const };
    expect(openingOn('2026-10-01', week, none, h, 'closed')).toBeNull();
    expect(openingOn('2026-10-01', week, none, h, 'weekend')).toMatchObject({
      openMin: 600,
      closeMin: 960,
      reason: 'holiday',
      effectiveWeekday: 6,
    });
    expect(openingOn('2026-10-01', week, none, h, 'normal')).toMatchObject({
      openMin: 540,
      reason: 'holiday',
    });
  });
  it('opens with Monday’s hours on a make-up working Sunday (调休)', () => {
    // 2026-09-20 is a Sunday that is a working day before National Day.
    expect(openingOn('2026-09-20', week, none, { kind: 'workday' }, 'weekend')).toMatchObject({
      openMin: 540,
      closeMin: 1080,
      reason: 'makeup_workday',
      effectiveWeekday: 1,
    });
  });
  it('lets a store exception win over everything', () => {
    const ex = new Map([['2026-06-01', { day: '2026-06-01', closed: true, openMin: null, closeMin: null }]]);
    expect(openingOn('2026-06-01', week, ex, undefined, 'weekend')).toBeNull();
    const special = new Map([
      ['2026-10-01', { day: '2026-10-01', closed: false, openMin: 480, closeMin: 720 }],
    ]);
    expect(openingOn('2026-10-01', week, special, { kind: 'holiday' }, 'closed')).toMatchObject({
      openMin: 480,
      closeMin: 720,
      reason: 'exception',
    });
  });
});
