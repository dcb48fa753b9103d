import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { isAppError } from '../../platform/errors.js';
import { applyDelta } from './ledger.js';
import { formatQty, parseQty } from './quantity.js';

const codeOf = (f: () => unknown): string | undefined => {
  try {
    f();
    return undefined;
  } catch (e) {
    return isAppError(e) ? e.code : 'thrown';
  }
};

describe('parseQty', () => {
  it('reads decimal litres exactly as milli-units and round-trips through formatQty', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999_999 }), (milli) => {
        expect(parseQty(formatQty(milli), 'litre')).toBe(milli);
      }),
    );
  });

  it('takes whole pieces for unit-counted parts and refuses any fraction of one', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 999_999 }), fc.integer({ min: 1, max: 999 }), (whole, frac) => {
        expect(parseQty(whole, 'each')).toBe(whole * 1000);
        expect(codeOf(() => parseQty(`${whole}.${String(frac).padStart(3, '0')}`, 'each'))).toBe(
          'inventory.fractional_qty',
        );
      }),
    );
  });

  it('refuses negative quantities unless signed, and garbage always', () => {
    expect(codeOf(() => parseQty(-2, 'each'))).toBe('inventory.negative_qty');
    expect(parseQty('-2', 'each', { signed: true })).toBe(-2000);
    expect(codeOf(() => parseQty('1.2345', 'litre'))).toBe('inventory.bad_qty');
    expect(codeOf(() => parseQty(0, 'kg'))).toBe('inventory.bad_qty');
    expect(parseQty(0, 'kg', { allowZero: true })).toBe(0);
    expect(parseQty(0.1, 'litre')).toBe(100);
    expect(parseQty(' 4.25 ', 'litre')).toBe(4250);
    fc.assert(
      fc.property(fc.string(), (s) => {
        const c = codeOf(() => parseQty(s, 'litre'));
        if (c === undefined) expect(/^\s*\d{1,9}(\.\d{1,3})?\s*$/.test(s)).toBe(true);
        else expect(c).toMatch(/^inventory\./);
      }),
    );
  });
});

describe('applyDelta (the balance rule the database enforces)', () => {
  it('never lets on hand, reserved or available go negative', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -5000, max: 5000 }), fc.integer({ min: -5000, max: 5000 })), {
          maxLength: 60,
        }),
        (deltas) => {
          let b = { onHand: 0, reserved: 0 };
          for (const [dOn, dRes] of deltas) {
            const next = applyDelta(b, dOn, dRes);
            if (next) b = next;
            expect(b.onHand).toBeGreaterThanOrEqual(b.reserved);
            expect(b.reserved).toBeGreaterThanOrEqual(0);
          }
        },
      ),
    );
  });
});
