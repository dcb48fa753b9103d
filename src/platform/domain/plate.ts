/**
 * Chinese motor-vehicle plates (GA 36-2018).
 *
 * A plate is province abbreviation + issuing-authority letter + serial:
 * - `ordinary` (7): 5 serial characters from digits and letters except I and O (`京A12345`, `粤B1C2D3`);
 * - `nev_small` (8): an energy letter, one letter or digit, 4 digits (`京AD12345`);
 * - `nev_large` (8): 5 digits, an energy letter (`京A12345D`);
 * - `special` (7): 4 serial characters and one of 学 警 挂 港 澳 (`京A1234学`); 港/澳 only with `粤Z`.
 *
 * Choices checked against GA 36 and current practice:
 * - authority letter: A–Z except I. `O` stays allowed: provincial departments use it (`陕O1313警`);
 * - energy letters: GA 36-2018 introduced D (battery-electric) and F (other); since 2021 the Ministry
 *   of Public Security extended them to D A B C E and F G H J K, and such plates are on the road
 *   (`粤BA12345`), so all ten are accepted;
 * - the number of letters within an ordinary serial is not limited here (issuing offices differ);
 * - plates outside these shapes (使, 领, 应急, military, WJ) are invalid.
 *
 * Normalisation: NFKC (full-width → half-width), upper-case, and `·`, `•`, `.`, spaces and `-` removed.
 * Errors are stable codes (`length`, `province`, `authority`, `serial`, `special_prefix`; namespace
 * them as `plate.<code>`) with one human message per code in `issues`.
 */
import { type Issue } from './errors.js';
import { pickChar, pickChars, randomInt, type Rng } from './random.js';

/** The 31 province-level abbreviations of mainland China. */
export const PROVINCES = '京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼';
/** Issuing-authority letters: A–Z without I. */
export const AUTHORITY_LETTERS = 'ABCDEFGHJKLMNOPQRSTUVWXYZ';
/** Serial characters: digits and letters except I and O. */
export const SERIAL_CHARS = '0123456789ABCDEFGHJKLMNPQRSTUVWXYZ';
/** Energy letters of new-energy plates: battery-electric first, then other new-energy. */
export const NEV_LETTERS = { electric: 'DABCE', other: 'FGHJK' } as const;
/** Suffixes of the special plates supported here. */
export const SPECIAL_SUFFIXES = '学警挂港澳';

export const PLATE_KINDS = ['ordinary', 'nev_small', 'nev_large', 'special'] as const;
export type PlateKind = (typeof PLATE_KINDS)[number];
export type PlateErrorCode = 'length' | 'province' | 'authority' | 'serial' | 'special_prefix';

export interface PlateResult {
  /** The input exactly as given. */
  input: string;
  /** Half-width, upper-case, without separators (`京A12345`). */
  normalized: string;
  valid: boolean;
  errors: PlateErrorCode[];
  issues: Issue<PlateErrorCode>[];
  /** The plate's kind, or null when it is invalid. */
  kind: PlateKind | null;
  /** The province abbreviation when the first character is one. */
  province: string | null;
}

const NEV_ENERGY = NEV_LETTERS.electric + NEV_LETTERS.other;
const SERIAL = `[${SERIAL_CHARS}]`;
const NEV_SMALL = new RegExp(`^[${NEV_ENERGY}]${SERIAL}\\d{4}$`);
const NEV_LARGE = new RegExp(`^\\d{5}[${NEV_ENERGY}]$`);
const SEPARATORS = /[\s·•.\-‧・∙⋅]+/g;

/** NFKC, upper-case, separators removed; idempotent. */
export function normalizePlate(input: string): string {
  return input.normalize('NFKC').toUpperCase().normalize('NFKC').replace(SEPARATORS, '');
}

function serialIssue(serial: string, expected: string): Issue<PlateErrorCode> {
  const io = /[IO]/.test(serial) ? ' (the letters I and O are not used)' : '';
  return { code: 'serial', message: `Serial '${serial}' must be ${expected}${io}` };
}

/** Validates a plate; never throws. */
export function validatePlate(input: string): PlateResult {
  const normalized = normalizePlate(input);
  const chars = [...normalized];
  const issues: Issue<PlateErrorCode>[] = [];
  const first = chars[0] ?? '';
  const province = first !== '' && PROVINCES.includes(first) ? first : null;
  const last = chars.at(-1) ?? '';
  let kind: PlateKind | null = null;

  if (chars.length === 0) {
    issues.push({ code: 'length', message: 'Plate is empty' });
    return { input, normalized, valid: false, errors: ['length'], issues, kind, province };
  }
  if (province === null) {
    issues.push({ code: 'province', message: `'${first}' is not one of the 31 province abbreviations` });
  }
  const authority = chars[1];
  if (authority !== undefined && !AUTHORITY_LETTERS.includes(authority)) {
    issues.push({
      code: 'authority',
      message: `Issuing-authority code must be a letter A–Z except I, got '${authority}'`,
    });
  }
  const serial = chars.slice(2).join('');
  const serialOk = (s: string): boolean => [...s].every((c) => SERIAL_CHARS.includes(c));

  if (chars.length > 1 && SPECIAL_SUFFIXES.includes(last)) {
    kind = 'special';
    if (chars.length !== 7) {
      issues.push({ code: 'length', message: `A '${last}' plate has 7 characters, got ${chars.length}` });
    } else if (!serialOk(serial.slice(0, 4))) {
      issues.push(serialIssue(serial.slice(0, 4), `4 digits or letters before '${last}'`));
    }
    if ((last === '港' || last === '澳') && `${first}${authority ?? ''}` !== '粤Z') {
      issues.push({ code: 'special_prefix', message: `'${last}' plates are issued as 粤Z only` });
    }
  } else if (chars.length === 7) {
    kind = 'ordinary';
    if (!serialOk(serial)) issues.push(serialIssue(serial, '5 digits or letters'));
  } else if (chars.length === 8) {
    kind = NEV_SMALL.test(serial) ? 'nev_small' : NEV_LARGE.test(serial) ? 'nev_large' : null;
    if (kind === null) {
      issues.push(
        serialIssue(
          serial,
          `a new-energy serial: an energy letter (${NEV_ENERGY}), a letter or digit and 4 digits, or 5 digits and an energy letter`,
        ),
      );
    }
  } else {
    issues.push({
      code: 'length',
      message: `Plate must have 7 characters (8 for new-energy vehicles), got ${chars.length}`,
    });
  }

  const valid = issues.length === 0;
  return {
    input,
    normalized,
    valid,
    errors: issues.map((issue) => issue.code),
    issues,
    kind: valid ? kind : null,
    province,
  };
}

/** Whether the plate is valid (shorthand for `validatePlate(input).valid`). */
export function isValidPlate(input: string): boolean {
  return validatePlate(input).valid;
}

/** Display form of a valid plate with the customary dot: `京A12345` → `京A·12345`. */
export function formatPlate(input: string): string {
  const result = validatePlate(input);
  if (!result.valid) return input;
  const chars = [...result.normalized];
  return `${chars.slice(0, 2).join('')}·${chars.slice(2).join('')}`;
}

const DIGITS = '0123456789';
const SERIAL_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/** A serial of `length` characters with at most two letters, like most issued plates. */
function ordinarySerial(rng: Rng, length: number): string {
  const chars = [...pickChars(rng, DIGITS, length)];
  const letters = randomInt(rng, 3);
  for (let i = 0; i < letters; i++) chars[randomInt(rng, length)] = pickChar(rng, SERIAL_LETTERS);
  return chars.join('');
}

/** A random valid plate of `kind` in normalised form, for tests and demo data. */
export function makePlate(rng: Rng = Math.random, kind: PlateKind = 'ordinary'): string {
  const province = pickChar(rng, PROVINCES);
  const authority = pickChar(rng, 'ABCDEFGHJKLMNPQRSTUVWXY');
  switch (kind) {
    case 'ordinary':
      return province + authority + ordinarySerial(rng, 5);
    case 'nev_small':
      return (
        province +
        authority +
        pickChar(rng, NEV_ENERGY) +
        pickChar(rng, SERIAL_CHARS) +
        pickChars(rng, DIGITS, 4)
      );
    case 'nev_large':
      return province + authority + pickChars(rng, DIGITS, 5) + pickChar(rng, NEV_ENERGY);
    case 'special': {
      const suffix = pickChar(rng, SPECIAL_SUFFIXES);
      const prefix = suffix === '港' || suffix === '澳' ? '粤Z' : province + authority;
      return prefix + ordinarySerial(rng, 4) + suffix;
    }
  }
}
