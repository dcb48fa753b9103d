/**
 * Mainland China mobile numbers: 11 digits starting 13–19, optionally written with a `+86`,
 * `0086` or `86` prefix, spaces, dashes, dots or parentheses. Stored and compared in the 11-digit
 * normalised form; {@link toE164} gives `+86…` for SMS gateways. Number-segment allocation
 * (which 1xx blocks exist) is deliberately not checked: it changes every few years.
 *
 * Errors are stable codes (`country_code`, `charset`, `length`, `prefix`; namespace them as
 * `phone.<code>`) with human messages in `issues`.
 */
import { DomainError, type Issue } from './errors.js';

export type PhoneErrorCode = 'country_code' | 'charset' | 'length' | 'prefix';

export interface PhoneResult {
  input: string;
  /** 11 digits when valid; otherwise the cleaned input. */
  normalized: string;
  valid: boolean;
  errors: PhoneErrorCode[];
  issues: Issue<PhoneErrorCode>[];
}

const CLEAN = /[\s\-().]+/g;

/**
 * Cleans a phone number: NFKC, separators removed, the `+86` / `0086` / `86` prefix dropped.
 * `'+86 138-1234-5678'` → `'13812345678'`. The result is not necessarily valid.
 */
export function normalizePhone(input: string): string {
  const cleaned = input.normalize('NFKC').replace(CLEAN, '');
  if (cleaned.startsWith('+86')) return cleaned.slice(3);
  if (cleaned.startsWith('0086')) return cleaned.slice(4);
  if (/^86\d{11}$/.test(cleaned)) return cleaned.slice(2);
  return cleaned;
}

/** Validates a mainland mobile number; never throws. */
export function validatePhone(input: string): PhoneResult {
  const normalized = normalizePhone(input);
  const issues: Issue<PhoneErrorCode>[] = [];
  if (/^(\+|00)/.test(normalized)) {
    issues.push({ code: 'country_code', message: 'Only mainland China (+86) mobile numbers are supported' });
  } else if (!/^\d*$/.test(normalized)) {
    issues.push({ code: 'charset', message: 'A mobile number has digits only' });
  } else {
    if (normalized.length !== 11) {
      issues.push({ code: 'length', message: `A mobile number has 11 digits, got ${normalized.length}` });
    }
    if (normalized.length > 0 && !/^1[3-9]/.test(normalized)) {
      issues.push({
        code: 'prefix',
        message: `A mobile number starts with 13–19, got '${normalized.slice(0, 2)}'`,
      });
    }
  }
  return { input, normalized, valid: issues.length === 0, errors: issues.map((i) => i.code), issues };
}

/** Whether the input is a valid mainland mobile number. */
export function isValidPhone(input: string): boolean {
  return validatePhone(input).valid;
}

/** Masks the middle four digits: `'13812345678'` → `'138****5678'`; invalid input → `'****'`. */
export function maskPhone(input: string): string {
  const { valid, normalized } = validatePhone(input);
  return valid ? `${normalized.slice(0, 3)}****${normalized.slice(7)}` : '****';
}

/** E.164 form for gateways: `'138 1234 5678'` → `'+8613812345678'`; throws `phone.invalid`. */
export function toE164(input: string): string {
  const result = validatePhone(input);
  if (!result.valid) {
    throw new DomainError('phone.invalid', result.issues.map((i) => i.message).join('; '));
  }
  return `+86${result.normalized}`;
}
