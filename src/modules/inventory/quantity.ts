/**
 * Quantities as exact integer milli-units. Measured units (litre, kg) take up to three decimals;
 * unit-counted parts (each) take whole numbers only. Pure: no database, no framework.
 */
import { AppError } from '../../platform/errors.js';
import type { Unit } from './schema.js';

const DECIMAL = /^(\d{1,9})(?:\.(\d{1,3}))?$/;
export const MAX_QTY_MILLI = 1_000_000_000;

/**
 * Parses a quantity given as a JSON number or a decimal string ("1.5") into milli-units.
 * `signed` allows a leading minus (adjustments); otherwise a negative quantity is a 422.
 */
export function parseQty(
  input: number | string,
  unit: Unit,
  opts: { signed?: boolean; allowZero?: boolean } = {},
): number {
  let s = typeof input === 'number' ? numberText(input) : input.trim();
  let sign = 1;
  if (s.startsWith('-')) {
    if (!opts.signed)
      throw new AppError('inventory.negative_qty', 'validation', `Quantity ${String(input)} is negative`);
    sign = -1;
    s = s.slice(1);
  }
  const m = DECIMAL.exec(s);
  if (!m)
    throw new AppError(
      'inventory.bad_qty',
      'validation',
      `Quantity ${String(input)} is not a decimal number with at most 3 decimals`,
    );
  const milli = Number(m[1]) * 1000 + Number((m[2] ?? '').padEnd(3, '0'));
  if (milli > MAX_QTY_MILLI)
    throw new AppError('inventory.bad_qty', 'validation', `Quantity ${String(input)} is too large`);
  if (milli === 0 && !opts.allowZero)
    throw new AppError('inventory.bad_qty', 'validation', 'Quantity must be more than zero');
  assertUnitQty(milli, unit, input);
  return sign * milli;
}

export function assertUnitQty(milli: number, unit: Unit, shown: unknown = milli / 1000): void {
  if (!Number.isSafeInteger(milli))
    throw new AppError('inventory.bad_qty', 'validation', `Quantity ${String(shown)} is not exact`);
  if (unit === 'each' && milli % 1000 !== 0)
    throw new AppError(
      'inventory.fractional_qty',
      'validation',
      `Parts counted by the piece take whole quantities; ${String(shown)} is fractional`,
      { unit },
    );
}

function numberText(n: number): string {
  if (!Number.isFinite(n)) return 'NaN';
  // Avoid exponent notation for tiny or huge values: they are rejected as malformed anyway.
  const t = String(n);
  return /e/i.test(t) ? 'NaN' : t;
}

/** 1500 → "1.5". */
export function formatQty(milli: number): string {
  const sign = milli < 0 ? '-' : '';
  const a = Math.abs(milli);
  const whole = Math.floor(a / 1000);
  const frac = String(a % 1000)
    .padStart(3, '0')
    .replace(/0+$/, '');
  return sign + (frac ? `${whole}.${frac}` : String(whole));
}

/** Value in fen of milli-units at a per-unit cost, rounded half up. */
export const valueFen = (milli: number, unitFen: number): number => Math.round((milli * unitFen) / 1000);
