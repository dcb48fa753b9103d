/**
 * Vehicle identification numbers (ISO 3779 structure as required by GB 16735 and 49 CFR 565).
 *
 * - Normalisation: NFKC (full-width → half-width), trim, upper-case, spaces and `-` dropped.
 * - 17 characters from `0-9 A-Z` without I, O and Q.
 * - Position 9 is a **mandatory** check digit (transliteration × weights, mod 11, 10 → `X`);
 *   a mismatch makes the VIN invalid, Chinese `L…` VINs alike.
 * - Position 10 is the model-year code; `U`, `Z` and `0` are not year codes, so they are invalid.
 *
 * Model-year cycles repeat every 30 years (`A` = 1980 or 2010). For North-American WMIs (first
 * character 1–5) 49 CFR 565.15 decides: a digit at position 7 means 1980–2009, a letter 2010–2039.
 * For every other VIN (Chinese `L…`, European, Japanese …) the most recent cycle not later than
 * `now`'s year + 1 is taken (a model year can run one year ahead of the calendar).
 *
 * Errors are stable codes in `errors` (`length`, `charset`, `check_digit`, `model_year`; namespace
 * them as `vin.<code>` in API errors) with one human message per code in `issues`. `wmi` and
 * `modelYear` are reported whenever they can be read, even when the VIN is invalid; trust them only
 * when `valid` is true.
 */
import { DomainError, type Issue } from './errors.js';
import { pickChar, pickChars, type Rng } from './random.js';

/** Characters a VIN may use: digits and letters except I, O, Q. */
export const VIN_CHARSET = '0123456789ABCDEFGHJKLMNPRSTUVWXYZ';
/** Weights per position 1–17 for the check digit (position 9 itself weighs 0). */
export const VIN_WEIGHTS: readonly number[] = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];
/** Model-year codes in order; index i means 1980 + i (+ 30 k). */
export const MODEL_YEAR_CODES = 'ABCDEFGHJKLMNPRSTVWXY123456789';

const TRANSLITERATION: Readonly<Record<string, number>> = {
  A: 1, B: 2, C: 3, D: 4, E: 5, F: 6, G: 7, H: 8,
  J: 1, K: 2, L: 3, M: 4, N: 5, P: 7, R: 9,
  S: 2, T: 3, U: 4, V: 5, W: 6, X: 7, Y: 8, Z: 9,
}; // prettier-ignore

export type VinErrorCode = 'length' | 'charset' | 'check_digit' | 'model_year';

export interface VinResult {
  /** The input exactly as given. */
  input: string;
  /** Trimmed, half-width, upper-case, without spaces or `-`. */
  normalized: string;
  valid: boolean;
  /** Stable codes, in the order the checks ran. */
  errors: VinErrorCode[];
  /** One human message per code. */
  issues: Issue<VinErrorCode>[];
  /** World manufacturer identifier (positions 1–3) when readable; a `9` at position 3 marks a small
   * maker whose full code continues at positions 12–14, which is not combined here. */
  wmi: string | null;
  modelYear: number | null;
}

/** NFKC, trim, upper-case and drop whitespace and hyphens. */
export function normalizeVin(input: string): string {
  return input
    .normalize('NFKC')
    .toUpperCase()
    .normalize('NFKC')
    .replace(/[\s-]+/g, '');
}

/** The numeric value of a VIN character (digits as is, letters transliterated), or null. */
export function vinCharValue(char: string): number | null {
  if (char.length === 1 && char >= '0' && char <= '9') return Number(char);
  return TRANSLITERATION[char] ?? null;
}

/**
 * The check digit (`0`–`9` or `X`) of a normalised 17-character VIN; position 9 is ignored.
 * Throws `vin.invalid` when the string is not 17 VIN characters.
 */
export function computeCheckDigit(vin: string): string {
  if (vin.length !== 17) throw new DomainError('vin.invalid', `A VIN has 17 characters, got ${vin.length}`);
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const value = vinCharValue(vin.charAt(i));
    if (value === null) throw new DomainError('vin.invalid', `Not a VIN character: '${vin.charAt(i)}'`);
    sum += value * (VIN_WEIGHTS[i] ?? 0);
  }
  const check = sum % 11;
  return check === 10 ? 'X' : String(check);
}

function isNorthAmericanWmi(wmi: string): boolean {
  const first = wmi.charAt(0);
  return first >= '1' && first <= '5';
}

/**
 * The model year of a normalised 17-character VIN (see the module notes for the 30-year cycle),
 * or null when position 10 is not a model-year code.
 */
export function modelYearFromVin(vin: string, now: Date = new Date()): number | null {
  const index = MODEL_YEAR_CODES.indexOf(vin.charAt(9));
  if (vin.length !== 17 || index < 0) return null;
  const base = 1980 + index;
  if (isNorthAmericanWmi(vin)) {
    const position7 = vin.charAt(6);
    if (!VIN_CHARSET.includes(position7)) return null;
    return position7 >= '0' && position7 <= '9' ? base : base + 30;
  }
  const latest = now.getUTCFullYear() + 1;
  if (base > latest) return base;
  return base + 30 * Math.floor((latest - base) / 30);
}

const describe = (char: string): string => (char.trim() === '' ? JSON.stringify(char) : `'${char}'`);

/** Validates a VIN; never throws. `now` fixes the clock for the model-year cycle. */
export function validateVin(input: string, now: Date = new Date()): VinResult {
  const normalized = normalizeVin(input);
  const chars = [...normalized];
  const issues: Issue<VinErrorCode>[] = [];

  if (chars.length !== 17) {
    issues.push({ code: 'length', message: `VIN must have 17 characters, got ${chars.length}` });
  }
  const bad = chars.flatMap((c, i) =>
    VIN_CHARSET.includes(c) ? [] : [`${describe(c)} at position ${i + 1}`],
  );
  if (bad.length > 0) {
    issues.push({
      code: 'charset',
      message: `VIN may only use digits and letters other than I, O and Q; found ${bad.join(', ')}`,
    });
  }

  const complete = chars.length === 17 && normalized.length === 17;
  let modelYear: number | null = null;
  if (complete && VIN_CHARSET.includes(normalized.charAt(9))) {
    modelYear = modelYearFromVin(normalized, now);
    if (modelYear === null) {
      issues.push({
        code: 'model_year',
        message: `Position 10 must be a model-year code (not U, Z or 0), found '${normalized.charAt(9)}'`,
      });
    }
  }
  if (complete && bad.length === 0) {
    const expected = computeCheckDigit(normalized);
    const found = normalized.charAt(8);
    if (expected !== found) {
      issues.push({
        code: 'check_digit',
        message: `Check digit (position 9) should be '${expected}', found '${found}'`,
      });
    }
  }

  const wmi = normalized.slice(0, 3);
  const order: readonly VinErrorCode[] = ['length', 'charset', 'check_digit', 'model_year'];
  issues.sort((a, b) => order.indexOf(a.code) - order.indexOf(b.code));
  return {
    input,
    normalized,
    valid: issues.length === 0,
    errors: issues.map((issue) => issue.code),
    issues,
    wmi: complete && [...wmi].every((c) => VIN_CHARSET.includes(c)) ? wmi : null,
    modelYear,
  };
}

/** Whether the VIN is valid (shorthand for `validateVin(input).valid`). */
export function isValidVin(input: string): boolean {
  return validateVin(input).valid;
}

/** Known WMIs used by {@link makeVin} when none is given: mostly Chinese plants, a few imports. */
export const DEMO_WMIS: readonly string[] = [
  'LSV', // SAIC Volkswagen
  'LFV', // FAW-Volkswagen
  'LSG', // SAIC-GM
  'LVG', // GAC Toyota
  'LHG', // GAC Honda
  'LBV', // BMW Brilliance
  'LE4', // Beijing Benz
  'LGB', // Dongfeng Nissan
  'LRW', // Tesla Shanghai
  'LGX', // BYD
  'WVW', // Volkswagen (Germany)
  'JTD', // Toyota (Japan)
];

/** Parts of a VIN to fix in {@link makeVin}; anything left out is random. */
export interface VinFields {
  /** Positions 1–3. */
  wmi?: string;
  /** Positions 4–8 (vehicle descriptor). */
  vds?: string;
  /** A calendar model year (1980 or later); encoded at position 10. */
  modelYear?: number;
  /** Position 11. */
  plant?: string;
  /** Positions 12–17. */
  serial?: string;
}

const DIGITS = '0123456789';
const LETTERS = 'ABCDEFGHJKLMNPRSTUVWXYZ';

function field(value: string | undefined, length: number, name: string, random: () => string): string {
  if (value === undefined) return random();
  const normalized = normalizeVin(value);
  if (normalized.length !== length || ![...normalized].every((c) => VIN_CHARSET.includes(c))) {
    throw new DomainError('vin.invalid_fields', `${name} must be ${length} VIN characters, got '${value}'`);
  }
  return normalized;
}

/**
 * A valid VIN (correct check digit and model-year code) for tests and demo data. With a North-American
 * WMI and a `modelYear`, position 7 is chosen so the year decodes back; elsewhere the year decodes
 * back when it lies within the 30 years before `now`'s year + 1.
 */
export function makeVin(rng: Rng = Math.random, fields: VinFields = {}): string {
  const wmi = field(fields.wmi, 3, 'wmi', () => DEMO_WMIS[Math.floor(rng() * DEMO_WMIS.length)] ?? 'LSV');
  const { modelYear } = fields;
  let yearCode: string;
  if (modelYear === undefined) {
    yearCode = pickChar(rng, MODEL_YEAR_CODES);
  } else {
    if (!Number.isSafeInteger(modelYear) || modelYear < 1980) {
      throw new DomainError('vin.invalid_fields', `modelYear must be an integer from 1980, got ${modelYear}`);
    }
    yearCode = MODEL_YEAR_CODES.charAt((modelYear - 1980) % 30);
  }
  const naRule = isNorthAmericanWmi(wmi) && modelYear !== undefined;
  if (naRule && modelYear > 2039) {
    throw new DomainError('vin.invalid_fields', `A North-American VIN encodes 1980–2039, got ${modelYear}`);
  }
  const vds = field(fields.vds, 5, 'vds', () => {
    const position7 = naRule
      ? pickChar(rng, modelYear < 2010 ? DIGITS : LETTERS)
      : pickChar(rng, VIN_CHARSET);
    return pickChars(rng, VIN_CHARSET, 3) + position7 + pickChar(rng, VIN_CHARSET);
  });
  if (naRule && /\d/.test(vds.charAt(3)) !== modelYear < 2010) {
    throw new DomainError(
      'vin.invalid_fields',
      `Position 7 '${vds.charAt(3)}' contradicts model year ${modelYear} for North-American WMI ${wmi}`,
    );
  }
  const plant = field(fields.plant, 1, 'plant', () => pickChar(rng, VIN_CHARSET));
  const serial = field(fields.serial, 6, 'serial', () => pickChars(rng, DIGITS, 6));
  const draft = `${wmi}${vds}0${yearCode}${plant}${serial}`;
  return `${draft.slice(0, 8)}${computeCheckDigit(draft)}${draft.slice(9)}`;
}
