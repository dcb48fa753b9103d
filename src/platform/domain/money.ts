/**
 * Money in CNY as an integer number of fen (分, 1/100 yuan). Floats never hold yuan: amounts are
 * parsed from decimal strings exactly and all arithmetic is integer (BigInt where a product could
 * leave the safe-integer range). Every result is checked to be a safe integer.
 *
 * Rounding rule (one for the whole platform): **round half away from zero** (四舍五入), the rule
 * Chinese invoices and receipts use; it is symmetric, so `percentOf(-x, r) === -percentOf(x, r)`.
 */
import { DomainError } from './errors.js';

/** An amount in fen (1/100 CNY): always a safe integer, never -0. */
export type Fen = number;

const MAX = BigInt(Number.MAX_SAFE_INTEGER);

/** Whether `value` is a valid {@link Fen} (a safe integer). */
export function isFen(value: unknown): value is Fen {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/** Checks that `value` is a safe integer and returns it as {@link Fen} (turning -0 into 0). */
export function fen(value: number): Fen {
  if (!isFen(value)) {
    throw new DomainError('money.not_integer', `Amount must be a safe integer number of fen, got ${value}`);
  }
  return value === 0 ? 0 : value;
}

function fromBig(value: bigint, what: string): Fen {
  if (value > MAX || value < -MAX) {
    throw new DomainError('money.overflow', `${what} is out of the safe range: ${value} fen`);
  }
  return fen(Number(value));
}

function checkInteger(value: number, code: string, what: string): bigint {
  if (!Number.isSafeInteger(value))
    throw new DomainError(code, `${what} must be a safe integer, got ${value}`);
  return BigInt(value);
}

const AMOUNT = /^([+-])?¥?(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d{1,2}))?$/;

/**
 * Parses a yuan amount exactly: `"12.34"` → 1234, `"-0.5"` → -50, `"¥1,234.56"` → 123456.
 * Accepts an optional sign, `¥`/`￥`, correct thousands separators, full-width digits and at most
 * two decimals; anything else (`"1.234"`, `"1e3"`, `""`) throws `money.invalid_amount`.
 */
export function yuanToFen(text: string): Fen {
  const match = AMOUNT.exec(text.normalize('NFKC').trim());
  if (!match) {
    throw new DomainError(
      'money.invalid_amount',
      `Not a yuan amount with at most 2 decimals: ${JSON.stringify(text)}`,
    );
  }
  const [, sign, integer = '0', fraction = ''] = match;
  const abs = BigInt(integer.replaceAll(',', '')) * 100n + BigInt(fraction.padEnd(2, '0'));
  return fromBig(sign === '-' ? -abs : abs, 'Amount');
}

/** The plain decimal yuan string of an amount: 123456 → `"1234.56"`, -5 → `"-0.05"`. */
export function fenToYuanString(amount: Fen): string {
  const value = fen(amount);
  const abs = Math.abs(value);
  const integer = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${value < 0 ? '-' : ''}${integer}.${cents}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * Formats an amount as CNY: `formatFen(123456)` → `"¥1,234.56"`, negatives `"-¥12.34"`.
 * Without `locale` the output is fixed (and equals the `zh-CN` output); with a locale, `Intl`
 * formats the exact decimal string with the narrow `¥` symbol.
 */
export function formatFen(amount: Fen, locale?: string): string {
  const decimal = fenToYuanString(amount);
  if (locale === undefined) {
    const negative = decimal.startsWith('-');
    const [integer = '0', cents = '00'] = (negative ? decimal.slice(1) : decimal).split('.');
    const grouped = integer.replace(/\B(?=(\d{3})+$)/g, ',');
    return `${negative ? '-' : ''}¥${grouped}.${cents}`;
  }
  let formatter = formatters.get(locale);
  if (!formatter) {
    formatter = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency: 'CNY',
      currencyDisplay: 'narrowSymbol',
    });
    formatters.set(locale, formatter);
  }
  return formatter.format(decimal as Intl.StringNumericLiteral);
}

/** `a + b`, throwing `money.overflow` outside the safe range. */
export function addFen(a: Fen, b: Fen): Fen {
  return fromBig(BigInt(fen(a)) + BigInt(fen(b)), 'Sum');
}

/** `a - b`, throwing `money.overflow` outside the safe range. */
export function subFen(a: Fen, b: Fen): Fen {
  return fromBig(BigInt(fen(a)) - BigInt(fen(b)), 'Difference');
}

/** The exact sum of a list of amounts (0 for an empty list). */
export function sumFen(amounts: readonly Fen[]): Fen {
  let total = 0n;
  for (const amount of amounts) total += BigInt(fen(amount));
  return fromBig(total, 'Sum');
}

/**
 * Unit price × integer quantity. Fractional quantities (1.5 L of oil) are priced per smaller unit
 * (per mL) or through {@link percentOf}, so no rounding happens here.
 */
export function mulFen(unitPrice: Fen, quantity: number): Fen {
  const qty = checkInteger(quantity, 'money.invalid_quantity', 'Quantity');
  return fromBig(BigInt(fen(unitPrice)) * qty, 'Product');
}

/** Integer division rounding half away from zero (the platform's rounding rule). */
function divRoundHalfAway(numerator: bigint, denominator: bigint): bigint {
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator;
  const twice = (remainder < 0n ? -remainder : remainder) * 2n;
  if (twice >= denominator) return quotient + (numerator < 0n ? -1n : 1n);
  return quotient;
}

/**
 * `amount × basisPoints / 10 000`, rounded half away from zero: `percentOf(1005, 1300)` (13 % VAT
 * of ¥10.05) → 131 (130.65 rounds up), `percentOf(-1005, 1300)` → -131. 1 basis point = 0.01 %.
 */
export function percentOf(amount: Fen, basisPoints: number): Fen {
  const bp = checkInteger(basisPoints, 'money.invalid_rate', 'Basis points');
  return fromBig(divRoundHalfAway(BigInt(fen(amount)) * bp, 10_000n), 'Percentage');
}

/**
 * Splits `total` into integer parts proportional to `weights` that sum exactly to `total`
 * (largest-remainder method). Each part is the exact share rounded down (toward zero for a
 * negative total); the leftover fen go one each to the largest remainders, ties to the earlier
 * index. Weights are non-negative safe integers with a positive sum: `allocate(100, [1, 1, 1])`
 * → `[34, 33, 33]`.
 */
export function allocate(total: Fen, weights: readonly number[]): Fen[] {
  const amount = BigInt(fen(total));
  const ws = weights.map((w) => {
    const big = checkInteger(w, 'money.invalid_weights', 'Each weight');
    if (big < 0n) throw new DomainError('money.invalid_weights', `Weights must not be negative, got ${w}`);
    return big;
  });
  const weightSum = ws.reduce((sum, w) => sum + w, 0n);
  if (weightSum === 0n) {
    throw new DomainError('money.invalid_weights', 'allocate needs at least one positive weight');
  }
  const abs = amount < 0n ? -amount : amount;
  const parts = ws.map((w) => (abs * w) / weightSum);
  let leftover = abs - parts.reduce((sum, p) => sum + p, 0n);
  const order = ws
    .map((w, index) => ({ index, remainder: (abs * w) % weightSum }))
    .sort((x, y) => (x.remainder === y.remainder ? x.index - y.index : x.remainder > y.remainder ? -1 : 1));
  for (const { index } of order) {
    if (leftover === 0n) break;
    parts[index] = (parts[index] ?? 0n) + 1n;
    leftover -= 1n;
  }
  return parts.map((p) => fen(Number(amount < 0n ? -p : p)));
}
