import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeDtcAnswer, dtcFromBytes, dtcToBytes, encodeDtcAnswer, isDtcCode } from './dtc-code.js';

const bytesOf = (hex: string): number[] =>
  hex
    .split(' ')
    .filter(Boolean)
    .map((b) => parseInt(b, 16));

describe('trouble-code bytes', () => {
  it.each([
    [0x01, 0x04, 'P0104'],
    [0xc1, 0x23, 'U0123'],
    [0x41, 0x23, 'C0123'],
    [0x81, 0x23, 'B0123'],
    [0x03, 0x00, 'P0300'],
    [0x24, 0x20, 'P2420'],
    [0x3a, 0xbc, 'P3ABC'],
    [0xff, 0xff, 'U3FFF'],
    [0x11, 0x01, 'P1101'],
  ])('%i %i → %s', (hi, lo, code) => {
    expect(dtcFromBytes(hi, lo)).toBe(code);
    expect(dtcToBytes(code)).toEqual([hi, lo]);
  });

  it('bytes → text → bytes for every pair', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (hi, lo) => {
        const code = dtcFromBytes(hi, lo);
        expect(isDtcCode(code)).toBe(true);
        expect(dtcToBytes(code)).toEqual([hi, lo]);
      }),
    );
  });

  it('rejects malformed text', () => {
    for (const bad of ['', 'P04', 'X0104', 'P4104', 'P01045', 'p01g4'])
      expect(dtcToBytes(bad)).toBeUndefined();
    expect(dtcToBytes(' p0104 ')).toEqual([0x01, 0x04]);
  });
});

describe('mode 03/07/0A answers', () => {
  it('legacy: 2-byte codes, 0000 padding skipped', () => {
    expect(decodeDtcAnswer(bytesOf('43 01 04 00 00 00 00'), 'legacy')).toEqual({
      kind: 'dtcs',
      mode: '03',
      dtcs: ['P0104'],
    });
    expect(decodeDtcAnswer(bytesOf('43 01 04 00 00 C1 23'), 'legacy')).toMatchObject({
      dtcs: ['P0104', 'U0123'],
    });
    expect(decodeDtcAnswer(bytesOf('43 00 00 00 00 00 00'), 'legacy')).toMatchObject({ dtcs: [] });
    expect(decodeDtcAnswer(bytesOf('43'), 'legacy')).toMatchObject({ dtcs: [] });
  });

  it('legacy: a trailing odd byte is ignored', () => {
    expect(decodeDtcAnswer(bytesOf('43 01 04 C1'), 'legacy')).toMatchObject({ dtcs: ['P0104'] });
    expect(decodeDtcAnswer(bytesOf('43 03 00 01'), 'legacy')).toMatchObject({ dtcs: ['P0300'] });
  });

  it('CAN: the byte after the service id counts the codes', () => {
    expect(decodeDtcAnswer(bytesOf('43 02 01 04 C1 23'), 'can')).toMatchObject({ dtcs: ['P0104', 'U0123'] });
    expect(decodeDtcAnswer(bytesOf('43 00'), 'can')).toMatchObject({ dtcs: [] });
    expect(decodeDtcAnswer(bytesOf('43 01 01 04 AA AA 55'), 'can')).toMatchObject({ dtcs: ['P0104'] });
    expect(decodeDtcAnswer(bytesOf('43 03 01 04 C1 23'), 'can')).toMatchObject({
      kind: 'error',
      code: 'bad_dtc_count',
    });
    expect(decodeDtcAnswer(bytesOf('43'), 'can')).toMatchObject({ kind: 'error', code: 'bad_dtc_count' });
  });

  it('knows modes 07 and 0A', () => {
    expect(decodeDtcAnswer(bytesOf('47 01 01 71'), 'can')).toMatchObject({ mode: '07', dtcs: ['P0171'] });
    expect(decodeDtcAnswer(bytesOf('4A 01 71'), 'legacy')).toMatchObject({ mode: '0A', dtcs: ['P0171'] });
    expect(decodeDtcAnswer(bytesOf('41 01 71'), 'legacy')).toMatchObject({
      kind: 'error',
      code: 'unsupported_mode',
    });
  });

  const codeArb = fc
    .tuple(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }))
    .filter(([hi, lo]) => hi !== 0 || lo !== 0)
    .map(([hi, lo]) => dtcFromBytes(hi, lo));

  it('encode → decode round trip in both layouts', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('03' as const, '07' as const, '0A' as const),
        fc.array(codeArb, { maxLength: 20 }),
        fc.constantFrom('can' as const, 'legacy' as const),
        (mode, codes, layout) => {
          const decoded = encodeDtcAnswer(mode, codes, layout).flatMap((payload) => {
            const frame = decodeDtcAnswer(payload, layout);
            if (frame.kind === 'error') throw new Error(frame.message);
            return frame.dtcs;
          });
          expect(decoded).toEqual(codes);
        },
      ),
    );
  });

  it('legacy encoding pads to three codes per message', () => {
    expect(encodeDtcAnswer('03', ['P0104'], 'legacy')).toEqual([[0x43, 0x01, 0x04, 0, 0, 0, 0]]);
    expect(encodeDtcAnswer('03', [], 'legacy')).toEqual([[0x43, 0, 0, 0, 0, 0, 0]]);
    expect(() => encodeDtcAnswer('03', ['P0000'], 'can')).toThrow(RangeError);
  });
});
