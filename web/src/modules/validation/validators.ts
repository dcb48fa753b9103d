/**
 * Form validation before anything is sent. Phone, plate and VIN rules are the server's own pure
 * validators (src/platform/domain), so the browser and the API never disagree; each returns an
 * i18n message key (with values) or null when the input is fine.
 */
import { validatePhone } from '../../../../src/platform/domain/phone.js';
import { validatePlate } from '../../../../src/platform/domain/plate.js';
import { validateVin } from '../../../../src/platform/domain/vin.js';
import { parseYuanToFen } from '../../ui/format';

export interface Problem {
  key: string;
  values?: Record<string, string | number>;
}

export type Check = (value: string) => Problem | null;

export const required: Check = (v) => (v.trim() === '' ? { key: 'validation.required' } : null);

export function phoneProblem(value: string): Problem | null {
  if (value.trim() === '') return { key: 'validation.required' };
  const r = validatePhone(value);
  const code = r.errors[0];
  return code ? { key: `validation.phone.${code}` } : null;
}

export function otpProblem(value: string): Problem | null {
  if (value.trim() === '') return { key: 'validation.required' };
  return /^\d{6}$/.test(value.trim()) ? null : { key: 'validation.otp' };
}

export function plateProblem(value: string): Problem | null {
  if (value.trim() === '') return { key: 'validation.required' };
  const r = validatePlate(value);
  const code = r.errors[0];
  return code ? { key: `validation.plate.${code}` } : null;
}

/** The VIN is optional on a vehicle; when given it must pass the check digit. */
export function vinProblem(value: string, now: Date = new Date()): Problem | null {
  if (value.trim() === '') return null;
  const r = validateVin(value, now);
  const code = r.errors[0];
  if (!code) return null;
  if (code === 'length') return { key: 'validation.vin.length', values: { count: r.normalized.length } };
  if (code === 'check_digit') {
    const m = /should be '(.)'/.exec(r.issues.find((i) => i.code === 'check_digit')?.message ?? '');
    return { key: 'validation.vin.check_digit', values: { expected: m?.[1] ?? '?' } };
  }
  return { key: `validation.vin.${code}` };
}

export function normalizedPlate(value: string): string {
  return validatePlate(value).normalized;
}

export function normalizedVin(value: string): string {
  return validateVin(value).normalized;
}

export function normalizedPhone(value: string): string {
  return validatePhone(value).normalized;
}

/** A whole number within [min, max]; empty is fine unless `needed`. */
export function intProblem(value: string, min: number, max: number, needed = false): Problem | null {
  const v = value.trim();
  if (v === '') return needed ? { key: 'validation.required' } : null;
  if (!/^\d+$/.test(v)) return { key: 'validation.integer' };
  const n = Number(v);
  return n < min || n > max ? { key: 'validation.range', values: { min, max } } : null;
}

export function yearProblem(value: string, now: Date = new Date()): Problem | null {
  return intProblem(value, 1980, now.getFullYear() + 1);
}

export function loginProblem(value: string): Problem | null {
  const v = value.trim();
  if (v === '') return { key: 'validation.required' };
  if (v.length < 3 || v.length > 64 || !/^[A-Za-z0-9._@-]+$/.test(v)) return { key: 'validation.login' };
  return null;
}

export function passwordProblem(value: string, minLength = 1): Problem | null {
  if (value === '') return { key: 'validation.required' };
  return value.length < minLength ? { key: 'validation.password_length', values: { min: minLength } } : null;
}

export function timeProblem(value: string): Problem | null {
  return /^([01]\d|2[0-3]):[0-5]\d$|^24:00$/.test(value.trim()) ? null : { key: 'validation.time' };
}

// ---- Estimate lines ----

export interface EstimateLineDraft {
  kind: 'labour' | 'part';
  description: string;
  /** Quantity as typed (hours for labour, units for parts), up to 3 decimals. */
  qty: string;
  /** Unit price in yuan as typed. */
  unitPrice: string;
}

export type EstimateLineProblems = Partial<Record<'description' | 'qty' | 'unitPrice', Problem>>;

/** Quantity typed as a decimal with up to 3 places → milli-units, or null. */
export function parseQtyMilli(input: string): number | null {
  const s = input.trim();
  if (!/^\d{1,6}(\.\d{1,3})?$/.test(s)) return null;
  const [whole = '0', frac = ''] = s.split('.');
  return Number(whole) * 1000 + Number(frac.padEnd(3, '0'));
}

export function estimateLineProblems(line: EstimateLineDraft): EstimateLineProblems {
  const out: EstimateLineProblems = {};
  const d = line.description.trim();
  if (d === '') out.description = { key: 'validation.required' };
  else if (d.length > 120) out.description = { key: 'validation.too_long', values: { max: 120 } };
  const qty = parseQtyMilli(line.qty);
  if (line.qty.trim() === '') out.qty = { key: 'validation.required' };
  else if (qty === null) out.qty = { key: 'validation.quantity' };
  else if (qty <= 0) out.qty = { key: 'validation.positive' };
  else if (qty > 1_000_000) out.qty = { key: 'validation.range', values: { min: 0.001, max: 1000 } };
  const price = parseYuanToFen(line.unitPrice);
  if (line.unitPrice.trim() === '') out.unitPrice = { key: 'validation.required' };
  else if (price === null) out.unitPrice = { key: 'validation.money' };
  return out;
}

/** Line amount in fen (rounded half up), or null when the draft is not valid. */
export function lineAmountFen(line: EstimateLineDraft): number | null {
  const qty = parseQtyMilli(line.qty);
  const price = parseYuanToFen(line.unitPrice);
  if (qty === null || price === null) return null;
  return Math.round((qty * price) / 1000);
}

export function hasProblems(p: object): boolean {
  return Object.values(p).some((v) => v !== null && v !== undefined);
}
