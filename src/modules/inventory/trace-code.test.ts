import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  TRACE_ALPHABET,
  checkChar,
  isValidTraceCode,
  makeTraceCode,
  normalizeTraceCode,
} from './trace-code.js';

const bytes = fc.uint8Array({ minLength: 8, maxLength: 8 });

describe('trace codes', () => {
  it('every issued code validates, also after look-alike and separator noise', () => {
    fc.assert(
      fc.property(bytes, (b) => {
        const code = makeTraceCode(b);
        expect(isValidTraceCode(code)).toBe(true);
        const noisy =
          code.slice(0, 6) + '-' + code.slice(6).toLowerCase().replace(/1/g, 'l').replace(/0/g, 'o');
        expect(normalizeTraceCode(noisy)).toBe(code);
      }),
    );
  });

  it('the check character catches every single-character change', () => {
    fc.assert(
      fc.property(
        bytes,
        fc.integer({ min: 2, max: 14 }),
        fc.integer({ min: 1, max: 31 }),
        (b, pos, shift) => {
          const code = makeTraceCode(b);
          const i = TRACE_ALPHABET.indexOf(code[pos]!);
          const changed = code.slice(0, pos) + TRACE_ALPHABET[(i + shift) % 32] + code.slice(pos + 1);
          expect(isValidTraceCode(changed)).toBe(false);
        },
      ),
    );
  });

  it('the check character catches adjacent transpositions of different characters', () => {
    fc.assert(
      fc.property(bytes, fc.integer({ min: 2, max: 13 }), (b, pos) => {
        const code = makeTraceCode(b);
        fc.pre(code[pos] !== code[pos + 1]);
        const swapped = code.slice(0, pos) + code[pos + 1] + code[pos] + code.slice(pos + 2);
        expect(isValidTraceCode(swapped)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('catches the swaps Luhn mod 32 misses (0 ↔ Z)', () => {
    const body = '0Z0000000000';
    const code = 'PL' + body + checkChar(body);
    expect(isValidTraceCode(code)).toBe(true);
    expect(isValidTraceCode('PLZ00000000000' + code.slice(-1))).toBe(false);
  });

  it('exhaustively: every substitution and every adjacent swap of 200 codes is caught', () => {
    for (let k = 0; k < 200; k++) {
      const code = makeTraceCode(Uint8Array.from({ length: 8 }, (_, i) => (k * 37 + i * 101) % 256));
      for (let pos = 2; pos < code.length; pos++) {
        for (const c of TRACE_ALPHABET) {
          if (c === code[pos]) continue;
          expect(isValidTraceCode(code.slice(0, pos) + c + code.slice(pos + 1))).toBe(false);
        }
        if (pos + 1 < code.length && code[pos] !== code[pos + 1])
          expect(isValidTraceCode(code.slice(0, pos) + code[pos + 1] + code[pos] + code.slice(pos + 2))).toBe(
            false,
          );
      }
    }
  });

  it('rejects wrong length or prefix', () => {
    const body = 'ABCDEFGHJKMN';
    expect(isValidTraceCode('PL' + body + checkChar(body))).toBe(true);
    expect(isValidTraceCode('PX' + body + checkChar(body))).toBe(false);
    expect(isValidTraceCode('PL' + body)).toBe(false);
  });
});
