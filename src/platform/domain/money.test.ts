import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import {
  addFen,
  allocate,
  fen,
  fenToYuanString,
  formatFen,
  mulFen,
  percentOf,
  subFen,
  sumFen,
  yuanToFen,
} from './money.js';

const MAX = Number.MAX_SAFE_INTEGER;
const anyFen = fc.integer({ min: -MAX, max: MAX });
const smallFen = fc.integer({ min: -(2 ** 40), max: 2 ** 40 });

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (error) {
    if (error instanceof DomainError) return error.code;
    throw error;
  }
  return undefined;
}

describe('fen', () => {
  it('accepts safe integers and turns -0 into 0', () => {
    expect(fen(1234)).toBe(1234);
    expect(Object.is(fen(-0), 0)).toBe(true);
  });

  it.each([1.5, NaN, Infinity, MAX + 1])('rejects %s', (value) => {
    expect(code(() => fen(value))).toBe('money.not_integer');
  });
});

describe('yuanToFen', () => {
  it.each([
    ['12.34', 1234],
    ['12', 1200],
    ['12.3', 1230],
    ['0.05', 5],
    ['-0.05', -5],
    ['+7', 700],
    ['-0.00', 0],
    ['¥1,234.56', 123456],
    ['-¥12.34', -1234],
    ['￥８.８０', 880],
    ['  3.10 ', 310],
    ['90071992547409.91', MAX],
  ])('parses %s exactly', (text, expected) => {
    expect(Object.is(yuanToFen(text), expected)).toBe(true);
  });

  it.each(['', '1.234', '1e3', '.5', '5.', '12,34.00', '1,2345', '¥-1', 'abc', '0x10', '1 000'])(
    'rejects %j',
    (text) => {
      expect(code(() => yuanToFen(text))).toBe('money.invalid_amount');
    },
  );

  it('rejects amounts beyond the safe range', () => {
    expect(code(() => yuanToFen('90071992547409.92'))).toBe('money.overflow');
  });
});

describe('formatFen', () => {
  it.each([
    [1234, '¥12.34'],
    [-1234, '-¥12.34'],
    [5, '¥0.05'],
    [-5, '-¥0.05'],
    [0, '¥0.00'],
    [123456789, '¥1,234,567.89'],
    [MAX, '¥90,071,992,547,409.91'],
  ])('formats %d as %s', (amount, text) => {
    expect(formatFen(amount)).toBe(text);
  });

  it('uses the locale when one is given', () => {
    expect(formatFen(123450, 'en-US')).toBe('¥1,234.50');
    expect(formatFen(-123450, 'zh-CN')).toBe('-¥1,234.50');
  });

  it('round-trips through yuanToFen for every safe amount', () => {
    fc.assert(
      fc.property(anyFen, (amount) => {
        expect(yuanToFen(formatFen(amount))).toBe(amount);
        expect(yuanToFen(fenToYuanString(amount))).toBe(amount);
      }),
    );
  });

  it('matches Intl zh-CN formatting without a locale', () => {
    fc.assert(
      fc.property(anyFen, (amount) => {
        expect(formatFen(amount)).toBe(formatFen(amount, 'zh-CN'));
      }),
      { numRuns: 200 },
    );
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and sums exactly', () => {
    fc.assert(
      fc.property(smallFen, smallFen, (a, b) => {
        expect(addFen(a, b)).toBe(a + b);
        expect(subFen(addFen(a, b), b)).toBe(a);
        expect(addFen(a, b)).toBe(addFen(b, a));
      }),
    );
    fc.assert(
      fc.property(fc.array(smallFen, { maxLength: 50 }), (amounts) => {
        const exact = amounts.reduce((s, a) => s + BigInt(a), 0n);
        expect(BigInt(sumFen(amounts))).toBe(exact);
        expect(sumFen(amounts)).toBe(amounts.reduce((s, a) => addFen(s, a), 0));
      }),
    );
  });

  it('throws on overflow instead of losing precision', () => {
    expect(code(() => addFen(MAX, 1))).toBe('money.overflow');
    expect(code(() => subFen(-MAX, 1))).toBe('money.overflow');
    expect(code(() => sumFen([MAX, 1]))).toBe('money.overflow');
    expect(code(() => mulFen(MAX, 2))).toBe('money.overflow');
  });

  it('multiplies by integer quantities exactly', () => {
    fc.assert(
      fc.property(smallFen, fc.integer({ min: -1000, max: 1000 }), (price, qty) => {
        expect(BigInt(mulFen(price, qty))).toBe(BigInt(price) * BigInt(qty));
      }),
    );
    expect(code(() => mulFen(100, 1.5))).toBe('money.invalid_quantity');
  });
});

describe('percentOf', () => {
  it.each([
    [1005, 1300, 131], // 130.65
    [-1005, 1300, -131],
    [1, 5000, 1], // 0.5 rounds away from zero
    [-1, 5000, -1],
    [3, 5000, 2], // 1.5
    [5, 5000, 3], // 2.5: half away from zero, not to even
    [1, 4999, 0],
    [12345, 10000, 12345],
    [12345, 0, 0],
  ])('percentOf(%d, %d) = %d', (amount, bp, expected) => {
    expect(percentOf(amount, bp)).toBe(expected);
  });

  it('rounds to the nearest fen, halves away from zero', () => {
    fc.assert(
      fc.property(smallFen, fc.integer({ min: -100_000, max: 100_000 }), (amount, bp) => {
        const result = BigInt(percentOf(amount, bp));
        const exact = BigInt(amount) * BigInt(bp); // in 1/10 000 fen
        const diff = result * 10_000n - exact;
        const absDiff = diff < 0n ? -diff : diff;
        expect(absDiff <= 5_000n).toBe(true);
        if (absDiff === 5_000n) expect(diff > 0n === exact > 0n).toBe(true);
        expect(percentOf(-amount, bp)).toBe(-percentOf(amount, bp) || 0);
      }),
    );
  });

  it('rejects fractional basis points', () => {
    expect(code(() => percentOf(100, 12.5))).toBe('money.invalid_rate');
  });
});

describe('allocate', () => {
  it.each([
    [100, [1, 1, 1], [34, 33, 33]],
    [-100, [1, 1, 1], [-34, -33, -33]],
    [5, [3, 7], [2, 3]], // 1.5 / 3.5: tie goes to the earlier index
    [1000, [0, 1, 0], [0, 1000, 0]],
    [0, [2, 5], [0, 0]],
  ])('allocate(%d, %j) = %j', (total, weights, parts) => {
    expect(allocate(total, weights)).toEqual(parts);
  });

  it('splits into parts that sum exactly and stay within 1 fen of the exact share', () => {
    const weights = fc
      .array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 20 })
      .filter((ws) => ws.some((w) => w > 0));
    fc.assert(
      fc.property(anyFen, weights, (total, ws) => {
        const parts = allocate(total, ws);
        expect(parts).toHaveLength(ws.length);
        expect(parts.reduce((s, p) => s + BigInt(p), 0n)).toBe(BigInt(total));
        const weightSum = BigInt(ws.reduce((s, w) => s + w, 0));
        parts.forEach((part, i) => {
          const w = BigInt(ws[i] ?? 0);
          const diff = BigInt(part) * weightSum - BigInt(total) * w;
          expect((diff < 0n ? -diff : diff) < weightSum).toBe(true);
          if (w === 0n) expect(part).toBe(0);
          expect(part === 0 || part > 0 === total > 0).toBe(true);
        });
      }),
    );
  });

  it.each([[[]], [[0, 0]], [[1, -1]], [[0.5, 1]]])('rejects weights %j', (ws) => {
    expect(code(() => allocate(100, ws))).toBe('money.invalid_weights');
  });
});
