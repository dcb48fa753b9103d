import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { seededRng } from './random.js';
import {
  computeCheckDigit,
  makeVin,
  MODEL_YEAR_CODES,
  normalizeVin,
  validateVin,
  VIN_CHARSET,
  vinCharValue,
} from './vin.js';

const NOW = new Date('2025-06-01T00:00:00Z');
const vinChar = fc.constantFrom(...VIN_CHARSET);
const vinString = (length: number): fc.Arbitrary<string> =>
  fc.array(vinChar, { minLength: length, maxLength: length }).map((cs) => cs.join(''));
const anyVin = fc.integer().map((seed) => makeVin(seededRng(seed)));

/** Replaces the character at 0-based `index`. */
const replaceAt = (s: string, index: number, char: string): string =>
  s.slice(0, index) + char + s.slice(index + 1);

describe('validateVin', () => {
  it('accepts known VINs', () => {
    const r = validateVin('1M8GDM9AXKP042788', NOW);
    expect(r).toEqual({
      input: '1M8GDM9AXKP042788',
      normalized: '1M8GDM9AXKP042788',
      valid: true,
      errors: [],
      issues: [],
      wmi: '1M8',
      modelYear: 1989,
    });
    expect(validateVin('11111111111111111', NOW).valid).toBe(true);
  });

  it('normalises case, full-width characters, spaces and hyphens', () => {
    for (const input of [
      ' 1m8gdm9axkp042788 ',
      '1M8-GDM9AX-KP042788',
      '１Ｍ８ＧＤＭ９ＡＸＫＰ０４２７８８',
      '1M8 GDM\u30009AXKP042788',
    ]) {
      const r = validateVin(input, NOW);
      expect(r.normalized).toBe('1M8GDM9AXKP042788');
      expect(r.valid).toBe(true);
    }
  });

  it('reports the length', () => {
    const r = validateVin('1M8GDM9AXKP04278', NOW);
    expect(r.errors).toEqual(['length']);
    expect(r.issues[0]?.message).toBe('VIN must have 17 characters, got 16');
    expect(r.wmi).toBeNull();
    expect(r.modelYear).toBeNull();
    expect(validateVin('', NOW).errors).toEqual(['length']);
  });

  it('reports forbidden characters with their positions', () => {
    const r = validateVin('1M8GDM9AXKP04278O', NOW);
    expect(r.errors).toEqual(['charset']);
    expect(r.issues[0]?.message).toContain("'O' at position 17");
    expect(validateVin('1M8GDM9AXKP0427#8', NOW).errors).toEqual(['charset']);
  });

  it('makes the check digit mandatory and says what was expected', () => {
    const r = validateVin('1M8GDM9A1KP042788', NOW);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual(['check_digit']);
    expect(r.issues[0]?.message).toBe("Check digit (position 9) should be 'X', found '1'");
    expect(r.wmi).toBe('1M8');
  });

  it('rejects U, Z and 0 at position 10', () => {
    for (const code of ['U', 'Z', '0']) {
      const draft = replaceAt('LSVAU2180N2183294', 9, code);
      const vin = replaceAt(draft, 8, computeCheckDigit(draft));
      const r = validateVin(vin, NOW);
      expect(r.errors).toEqual(['model_year']);
      expect(r.modelYear).toBeNull();
    }
  });

  it('resolves the model-year cycle by position 7 for North-American WMIs', () => {
    expect(
      validateVin(makeVin(seededRng(1), { wmi: '1HG', vds: 'CM826', modelYear: 2003 }), NOW).modelYear,
    ).toBe(2003);
    expect(
      validateVin(makeVin(seededRng(1), { wmi: '5YJ', vds: '3E1EA', modelYear: 2019 }), NOW).modelYear,
    ).toBe(2019);
    // Same year code 'K', digit vs letter at position 7.
    expect(
      validateVin(makeVin(seededRng(2), { wmi: '1HG', vds: 'CM826', modelYear: 1989 }), NOW).modelYear,
    ).toBe(1989);
    expect(
      validateVin(makeVin(seededRng(2), { wmi: '1HG', vds: 'CM8A6', modelYear: 2019 }), NOW).modelYear,
    ).toBe(2019);
  });

  it('takes the latest cycle up to next year for other WMIs, Chinese ones included', () => {
    const year = (code: string, now = NOW): number | null => {
      const draft = replaceAt('LSVAU2180N2183294', 9, code);
      return validateVin(replaceAt(draft, 8, computeCheckDigit(draft)), now).modelYear;
    };
    expect(year('A')).toBe(2010);
    expect(year('S')).toBe(2025);
    expect(year('T')).toBe(2026); // model year one ahead of the calendar
    expect(year('V')).toBe(1997);
    expect(year('9')).toBe(2009);
    expect(year('A', new Date('2039-12-31T00:00:00Z'))).toBe(2040);
  });

  it('validates every generated VIN', () => {
    fc.assert(
      fc.property(anyVin, (vin) => {
        const r = validateVin(vin, NOW);
        expect(r.errors).toEqual([]);
        expect(r.normalized).toBe(vin);
        expect(r.wmi).toBe(vin.slice(0, 3));
      }),
    );
  });

  it('decodes the model year a generated VIN was made with', () => {
    const fields = fc.record({
      wmi: vinString(3),
      vds: vinString(5),
      plant: vinString(1),
      serial: vinString(6),
      modelYear: fc.integer({ min: 1997, max: 2026 }),
    });
    fc.assert(
      fc.property(fields, fc.integer(), (f, seed) => {
        const northAmerican = f.wmi >= '1' && f.wmi < '6';
        const vin = makeVin(seededRng(seed), northAmerican ? { ...f, vds: undefined } : f);
        const r = validateVin(vin, NOW);
        expect(r.valid).toBe(true);
        expect(r.modelYear).toBe(f.modelYear);
      }),
    );
  });

  it('catches every single-character substitution that changes the transliterated value', () => {
    const position = fc.integer({ min: 0, max: 16 }).filter((i) => i !== 8);
    fc.assert(
      fc.property(anyVin, position, vinChar, (vin, i, char) => {
        fc.pre(vinCharValue(char) !== vinCharValue(vin.charAt(i)));
        expect(validateVin(replaceAt(vin, i, char), NOW).errors).toContain('check_digit');
      }),
    );
  });

  it('keeps a VIN valid when a character is swapped for one of equal value (outside position 10)', () => {
    const position = fc.integer({ min: 0, max: 16 }).filter((i) => i !== 8 && i !== 9);
    fc.assert(
      fc.property(anyVin, position, vinChar, (vin, i, char) => {
        fc.pre(vinCharValue(char) === vinCharValue(vin.charAt(i)));
        expect(validateVin(replaceAt(vin, i, char), NOW).valid).toBe(true);
      }),
    );
  });

  it('rejects any other check digit', () => {
    fc.assert(
      fc.property(anyVin, fc.constantFrom(...'0123456789X'), (vin, digit) => {
        fc.pre(digit !== vin.charAt(8));
        expect(validateVin(replaceAt(vin, 8, digit), NOW).errors).toEqual(['check_digit']);
      }),
    );
  });

  it('rejects I, O and Q anywhere', () => {
    fc.assert(
      fc.property(anyVin, fc.integer({ min: 0, max: 16 }), fc.constantFrom('I', 'O', 'Q'), (vin, i, char) => {
        const r = validateVin(replaceAt(vin, i, char), NOW);
        expect(r.valid).toBe(false);
        expect(r.errors).toContain('charset');
      }),
    );
  });

  it('normalises idempotently and ignores case and spacing', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(normalizeVin(normalizeVin(s))).toBe(normalizeVin(s));
      }),
    );
    fc.assert(
      fc.property(anyVin, (vin) => {
        const spaced = `${vin.slice(0, 3)} ${vin.slice(3, 9).toLowerCase()}-${vin.slice(9)}`;
        expect(validateVin(spaced, NOW)).toMatchObject({ normalized: vin, valid: true });
      }),
    );
  });

  it('never throws on arbitrary input', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 30 }), (s) => {
        const r = validateVin(s, NOW);
        expect(r.valid).toBe(r.errors.length === 0);
        expect(r.issues.map((i) => i.code)).toEqual(r.errors);
      }),
    );
  });
});

describe('computeCheckDigit', () => {
  it('computes X for a remainder of 10', () => {
    expect(computeCheckDigit('1M8GDM9A0KP042788')).toBe('X');
  });

  it('ignores position 9', () => {
    fc.assert(
      fc.property(vinString(17), vinChar, (vin, c) => {
        expect(computeCheckDigit(replaceAt(vin, 8, c))).toBe(computeCheckDigit(vin));
      }),
    );
  });

  it('rejects strings that are not 17 VIN characters', () => {
    expect(() => computeCheckDigit('1M8')).toThrow(DomainError);
    expect(() => computeCheckDigit('1M8GDM9A0KP04278O')).toThrow(DomainError);
  });
});

describe('makeVin', () => {
  it('is deterministic for a seed and uses known WMIs by default', () => {
    expect(makeVin(seededRng(7))).toBe(makeVin(seededRng(7)));
    expect(MODEL_YEAR_CODES).toHaveLength(30);
  });

  it('rejects fields it cannot honour', () => {
    expect(() => makeVin(seededRng(1), { wmi: 'LS' })).toThrow(DomainError);
    expect(() => makeVin(seededRng(1), { plant: 'O' })).toThrow(DomainError);
    expect(() => makeVin(seededRng(1), { modelYear: 1979 })).toThrow(DomainError);
    expect(() => makeVin(seededRng(1), { wmi: '1HG', vds: 'CM8A6', modelYear: 2005 })).toThrow(DomainError);
  });
});
