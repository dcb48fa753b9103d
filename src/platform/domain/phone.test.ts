import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { maskPhone, normalizePhone, toE164, validatePhone } from './phone.js';

const mobile = fc
  .tuple(
    fc.integer({ min: 3, max: 9 }),
    fc.array(fc.integer({ min: 0, max: 9 }), { minLength: 9, maxLength: 9 }),
  )
  .map(([second, rest]) => `1${second}${rest.join('')}`);

describe('validatePhone', () => {
  it.each([
    '13812345678',
    '+86 138 1234 5678',
    '0086-138-1234-5678',
    '8613812345678',
    '(+86) 138.1234.5678',
    '１３８１２３４５６７８',
  ])('accepts %j', (input) => {
    expect(validatePhone(input)).toMatchObject({ normalized: '13812345678', valid: true, errors: [] });
  });

  it.each([
    ['', ['length']],
    ['1381234567', ['length']],
    ['138123456789', ['length']],
    ['12812345678', ['prefix']],
    ['02112345678', ['prefix']],
    ['1381234567a', ['charset']],
    ['+1 650 555 1234', ['country_code']],
    ['0044 7700 900123', ['country_code']],
  ])('rejects %j with %j', (input, errors) => {
    const r = validatePhone(input);
    expect(r.valid).toBe(false);
    expect(r.errors).toEqual(errors);
  });

  it('accepts every 1[3-9] number in every written form', () => {
    const prefix = fc.constantFrom('', '+86', '+86 ', '0086', '86', '(+86)');
    fc.assert(
      fc.property(mobile, prefix, fc.constantFrom('', ' ', '-'), (phone, p, sep) => {
        const written = `${p}${phone.slice(0, 3)}${sep}${phone.slice(3, 7)}${sep}${phone.slice(7)}`;
        expect(validatePhone(written)).toMatchObject({ normalized: phone, valid: true });
        expect(normalizePhone(normalizePhone(written))).toBe(phone);
      }),
    );
  });
});

describe('maskPhone and toE164', () => {
  it('masks the middle four digits', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138 1234 5678')).toBe('138****5678');
    expect(maskPhone('not a phone')).toBe('****');
    fc.assert(
      fc.property(mobile, (phone) => {
        const masked = maskPhone(phone);
        expect(masked).toHaveLength(11);
        expect(masked.slice(3, 7)).toBe('****');
        expect(masked.slice(0, 3) + phone.slice(3, 7) + masked.slice(7)).toBe(phone);
      }),
    );
  });

  it('gives the E.164 form of valid numbers only', () => {
    expect(toE164('138-1234-5678')).toBe('+8613812345678');
    expect(() => toE164('12345')).toThrow(DomainError);
  });
});
