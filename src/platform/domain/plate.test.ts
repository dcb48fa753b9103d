import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatPlate, makePlate, normalizePlate, PLATE_KINDS, PROVINCES, validatePlate } from './plate.js';
import { seededRng } from './random.js';

const kind = fc.constantFrom(...PLATE_KINDS);
const anyPlate = fc
  .tuple(fc.integer(), kind)
  .map(([seed, k]) => ({ kind: k, plate: makePlate(seededRng(seed), k) }));

/** Full-width form of printable ASCII (what Chinese IMEs produce). */
const toFullWidth = (s: string): string =>
  s.replace(/[!-~]/g, (c) => String.fromCharCode(c.charCodeAt(0) + 0xfee0));

describe('validatePlate', () => {
  it.each([
    ['京A12345', 'ordinary'],
    ['粤B1C2D3', 'ordinary'],
    ['沪AD12345', 'nev_small'],
    ['沪AFA1234', 'nev_small'],
    ['粤BA12345', 'nev_small'], // energy letters extended beyond D/F
    ['甘G23459F', 'nev_large'],
    ['京A1234学', 'special'],
    ['陕O1313警', 'special'],
    ['京AA250警', 'special'],
    ['苏E1234挂', 'special'],
    ['粤Z1234港', 'special'],
    ['粤ZA123澳', 'special'],
  ])('accepts %s as %s', (plate, expected) => {
    const r = validatePlate(plate);
    expect(r.errors).toEqual([]);
    expect(r.valid).toBe(true);
    expect(r.kind).toBe(expected);
    expect(r.province).toBe(plate.charAt(0));
  });

  it.each([
    ['', ['length']],
    ['京A1234', ['length']],
    ['京A123456789', ['length']],
    ['台A12345', ['province']],
    ['使A12345', ['province']],
    ['京I12345', ['authority']],
    ['京112345', ['authority']],
    ['京A1234O', ['serial']],
    ['京AI2345', ['serial']],
    ['京AD1234X', ['serial']],
    ['京A1234DF', ['serial']],
    ['京AX12345', ['serial']], // X is not an energy letter
    ['京A12345学', ['length']],
    ['京A123O学', ['serial']],
    ['京A1234港', ['special_prefix']],
    ['X112345', ['province', 'authority']],
  ])('rejects %j with %j', (plate, errors) => {
    const r = validatePlate(plate);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual(errors);
    expect(r.kind).toBeNull();
    expect(r.issues.map((i) => i.code)).toEqual(errors);
  });

  it('normalises case, full-width characters, dots and spaces', () => {
    for (const input of [
      '京a·12345',
      '京Ａ·１２３４５',
      ' 京 A-12345 ',
      '京A.12345',
      '京A•12345',
      '京Ａ　12345',
    ]) {
      expect(validatePlate(input)).toMatchObject({ normalized: '京A12345', valid: true, kind: 'ordinary' });
    }
  });

  it('knows the 31 province abbreviations', () => {
    expect([...PROVINCES]).toHaveLength(31);
    expect(new Set(PROVINCES).size).toBe(31);
  });

  it('validates every generated plate with its kind', () => {
    fc.assert(
      fc.property(anyPlate, ({ kind: k, plate }) => {
        const r = validatePlate(plate);
        expect(r.errors).toEqual([]);
        expect(r.kind).toBe(k);
        expect(r.normalized).toBe(plate);
      }),
    );
  });

  it('validates full-width, lower-case and separated variants to the same normalised plate', () => {
    const separator = fc.constantFrom('·', ' ', '-', '.', '•', '　', '');
    fc.assert(
      fc.property(anyPlate, separator, fc.boolean(), fc.boolean(), ({ kind: k, plate }, sep, wide, lower) => {
        let variant = `${plate.slice(0, 2)}${sep}${plate.slice(2)}`;
        if (lower) variant = variant.toLowerCase();
        if (wide) variant = toFullWidth(variant);
        expect(validatePlate(variant)).toMatchObject({ normalized: plate, valid: true, kind: k });
      }),
    );
  });

  it('rejects I and O anywhere in the serial', () => {
    fc.assert(
      fc.property(anyPlate, fc.nat(), fc.constantFrom('I', 'O'), ({ plate }, n, letter) => {
        const chars = [...plate];
        const serialEnd = /[学警挂港澳]$/.test(plate) ? chars.length - 1 : chars.length;
        const i = 2 + (n % (serialEnd - 2));
        chars[i] = letter;
        expect(validatePlate(chars.join('')).valid).toBe(false);
      }),
    );
  });

  it('normalises idempotently and never throws', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 12 }), (s) => {
        expect(normalizePlate(normalizePlate(s))).toBe(normalizePlate(s));
        const r = validatePlate(s);
        expect(r.valid).toBe(r.errors.length === 0);
        expect(r.kind === null).toBe(!r.valid);
      }),
    );
  });
});

describe('formatPlate', () => {
  it('adds the customary dot to valid plates only', () => {
    expect(formatPlate('京a12345')).toBe('京A·12345');
    expect(formatPlate('粤BD12345')).toBe('粤B·D12345');
    expect(formatPlate('nonsense')).toBe('nonsense');
  });
});
