import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeElmResponse } from './decode-elm-response.js';
import { encodeDtcAnswer } from './dtc-code.js';
import { formatElmLines, type ElmFormatOptions } from './elm-format.js';
import { encodeMode01Answer } from './encode-pid.js';
import { MODE01_PIDS } from './pid-table.js';
import type { DecodedFrame } from './types.js';
import { encodeVinAnswer } from './vin.js';

const RPM = { kind: 'pid', mode: '01', pid: '0C', name: 'Engine speed', value: 1726, unit: 'rpm' };
const VIN = '1D4GP00R55B123456';

describe('ELM327 line shapes', () => {
  it.each([
    ['spaces', ['41 0C 1A F8']],
    ['no spaces', ['410C1AF8']],
    ['lower case', ['41 0c 1a f8']],
    ['prompt and CR', ['41 0C 1A F8\r\r>']],
    ['SEARCHING first', ['SEARCHING...', '41 0C 1A F8']],
    ['SEARCHING on the same line', ['SEARCHING...41 0C 1A F8']],
    ['BUS INIT', ['BUS INIT: ...OK\r41 0C 1A F8']],
    ['echo', ['010C\r41 0C 1A F8\r\r>']],
    ['PCI without header', ['04 41 0C 1A F8']],
  ])('%s', (_name, lines) => {
    expect(decodeElmResponse(lines)).toEqual([RPM]);
  });

  it.each([
    ['11-bit header', '7E8 04 41 0C 1A F8', '7E8'],
    ['11-bit header, no spaces', '7E804410C1AF8', '7E8'],
    ['11-bit header, padded frame', '7E8 04 41 0C 1A F8 00 00 00', '7E8'],
    ['29-bit header, compact', '18DAF110 04 41 0C 1A F8', '18DAF110'],
    ['29-bit header, bytes', '18 DA F1 10 04 41 0C 1A F8', '18DAF110'],
    ['29-bit header, no spaces', '18DAF11004410C1AF8', '18DAF110'],
    ['legacy header and checksum', '48 6B 10 41 0C 1A F8 C0', '486B10'],
    ['KWP header and checksum', '84 F1 11 41 0C 1A F8 D6', '84F111'],
  ])('%s', (_name, line, ecu) => {
    expect(decodeElmResponse([line])).toEqual([{ ...RPM, ecu }]);
  });

  it('returns every ECU of a multi-ECU answer, in order', () => {
    const frames = decodeElmResponse(['7E8 06 41 00 BE 3F A8 13', '7E9 06 41 00 98 18 80 10', '', '>']);
    expect(frames.map((f) => [f.kind, f.ecu])).toEqual([
      ['supported-pids', '7E8'],
      ['supported-pids', '7E9'],
    ]);
    expect(decodeElmResponse('41 0D 32\r41 0D 33\r')).toMatchObject([{ value: 50 }, { value: 51 }]);
  });

  it('reports ELM327 conditions as errors', () => {
    expect(decodeElmResponse(['NO DATA'])).toMatchObject([{ kind: 'error', code: 'no_data' }]);
    expect(decodeElmResponse(['SEARCHING...', 'UNABLE TO CONNECT'])).toMatchObject([
      { kind: 'error', code: 'elm_error' },
    ]);
    expect(decodeElmResponse(['?'])).toMatchObject([{ kind: 'error', code: 'elm_error' }]);
    expect(decodeElmResponse(['CAN ERROR'])).toMatchObject([{ kind: 'error', code: 'elm_error' }]);
    expect(decodeElmResponse(['41 0C 1A F8 <DATA ERROR'])).toMatchObject([
      { kind: 'error', code: 'elm_error' },
    ]);
    expect(decodeElmResponse([])).toMatchObject([{ kind: 'error', code: 'no_data' }]);
    expect(decodeElmResponse(['>', 'SEARCHING...'])).toMatchObject([{ kind: 'error', code: 'no_data' }]);
  });

  it('reports bad input as errors', () => {
    expect(decodeElmResponse(['41 0C 1A F'])).toMatchObject([{ kind: 'error', code: 'bad_hex' }]);
    expect(decodeElmResponse(['hello'])).toMatchObject([{ kind: 'error', code: 'bad_hex', input: 'HELLO' }]);
    expect(decodeElmResponse(['7E8 06 41 0C 1A F8'])).toMatchObject([
      { kind: 'error', code: 'bad_frame', ecu: '7E8' },
    ]);
    expect(decodeElmResponse(['7E8 41 0C 1A F8'])).toMatchObject([{ kind: 'error', code: 'bad_frame' }]);
    expect(decodeElmResponse(['42 0C 00 1A F8'])).toMatchObject([
      { kind: 'error', code: 'unsupported_mode' },
    ]);
    expect(decodeElmResponse(['49 04 01 41 42'])).toMatchObject([{ kind: 'error', code: 'unsupported_pid' }]);
  });

  it('reports negative responses, and waits out "response pending"', () => {
    expect(decodeElmResponse(['7E8 03 7F 01 12'])).toMatchObject([
      {
        kind: 'error',
        code: 'negative_response',
        message: 'ECU refused mode 01: sub-function not supported',
        ecu: '7E8',
      },
    ]);
    expect(decodeElmResponse(['7F 09 78', '41 0C 1A F8'])).toEqual([RPM]);
  });
});

describe('trouble codes through ELM327', () => {
  it('uses the legacy layout by default and the CAN layout when asked', () => {
    expect(decodeElmResponse(['43 01 04 00 00 00 00'])).toEqual([
      { kind: 'dtcs', mode: '03', dtcs: ['P0104'] },
    ]);
    expect(decodeElmResponse(['43 02 01 04 C1 23'], { can: true })).toEqual([
      { kind: 'dtcs', mode: '03', dtcs: ['P0104', 'U0123'] },
    ]);
  });

  it('a CAN header or PCI byte implies the CAN layout', () => {
    expect(decodeElmResponse(['7E8 06 43 02 01 04 C1 23'])).toMatchObject([
      { dtcs: ['P0104', 'U0123'], ecu: '7E8' },
    ]);
    expect(decodeElmResponse(['06 43 02 01 04 C1 23'])).toMatchObject([{ dtcs: ['P0104', 'U0123'] }]);
  });

  it('legacy multi-message answers give one frame per message', () => {
    const lines = ['43 01 04 01 71 03 00', '43 04 20 00 00 00 00'];
    expect(decodeElmResponse(lines)).toMatchObject([
      { dtcs: ['P0104', 'P0171', 'P0300'] },
      { dtcs: ['P0420'] },
    ]);
  });

  it('reassembles a multi-frame CAN answer', () => {
    const lines = ['7E8 10 0B 43 04 01 04 01 71', '7E8 21 03 00 04 20 00 00 00'];
    expect(decodeElmResponse(lines)).toMatchObject([
      { dtcs: ['P0104', 'P0171', 'P0300', 'P0420'], ecu: '7E8' },
    ]);
  });
});

describe('VIN (mode 09 PID 02)', () => {
  const vinFrame = { kind: 'vin', mode: '09', pid: '02', name: 'Vehicle identification number', vin: VIN };

  it('CAN with headers: first frame and consecutive frames', () => {
    const lines = [
      '7E8 10 14 49 02 01 31 44 34',
      '7E8 21 47 50 30 30 52 35 35',
      '7E8 22 42 31 32 33 34 35 36',
    ];
    expect(decodeElmResponse(lines)).toEqual([{ ...vinFrame, ecu: '7E8' }]);
  });

  it('CAN with headers and padded last frame, as one CR-separated string', () => {
    const text = '7E8 10 14 49 02 01 31 44 34\r7E8 21 47 50 30 30 52 35 35\r7E8 22 42 31 32 33 34 35 36\r\r>';
    expect(decodeElmResponse(text)).toEqual([{ ...vinFrame, ecu: '7E8' }]);
    const padded = [
      '7E8 10 12 49 02 01 31 44 34',
      '7E8 21 47 50 30 30 52 35 35',
      '7E8 22 42 31 32 33 34 00 00',
    ];
    expect(decodeElmResponse(padded)).toMatchObject([{ kind: 'error', code: 'bad_vin' }]);
  });

  it('CAN without headers: ELM327 numbered lines, with and without the length line', () => {
    const numbered = ['014', '0: 49 02 01 31 44 34', '1: 47 50 30 30 52 35 35', '2: 42 31 32 33 34 35 36'];
    expect(decodeElmResponse(numbered)).toEqual([vinFrame]);
    expect(decodeElmResponse(numbered.slice(1))).toEqual([vinFrame]);
    expect(decodeElmResponse(['014', '0:490201314434', '1:47503030523535', '2:42313233343536'])).toEqual([
      vinFrame,
    ]);
  });

  it('CAN without headers but with PCI bytes', () => {
    const lines = ['10 14 49 02 01 31 44 34', '21 47 50 30 30 52 35 35', '22 42 31 32 33 34 35 36'];
    expect(decodeElmResponse(lines)).toEqual([vinFrame]);
  });

  it('two ECUs interleaved, each reassembled on its own', () => {
    const lines = [
      '7E8 10 14 49 02 01 31 44 34',
      '7E9 10 14 49 02 01 31 44 34',
      '7E8 21 47 50 30 30 52 35 35',
      '7E9 21 47 50 30 30 52 35 35',
      '7E8 22 42 31 32 33 34 35 36',
      '7E9 22 42 31 32 33 34 35 36',
    ];
    expect(decodeElmResponse(lines).map((f) => f.ecu)).toEqual(['7E8', '7E9']);
  });

  it('legacy multi-line VIN, also out of order and with legacy headers', () => {
    const lines = [
      '49 02 01 00 00 00 31',
      '49 02 02 44 34 47 50',
      '49 02 03 30 30 52 35',
      '49 02 04 35 42 31 32',
      '49 02 05 33 34 35 36',
    ];
    expect(decodeElmResponse(lines)).toEqual([vinFrame]);
    expect(decodeElmResponse([...lines].reverse())).toEqual([vinFrame]);
    const withHeaders = lines.map((l) => `48 6B 10 ${l} 00`);
    expect(decodeElmResponse(withHeaders)).toEqual([{ ...vinFrame, ecu: '486B10' }]);
  });

  it('reports broken multi-frame answers', () => {
    expect(decodeElmResponse(['7E8 10 14 49 02 01 31 44 34', '7E8 21 47 50 30 30 52 35 35'])).toMatchObject([
      { kind: 'error', code: 'multiframe', ecu: '7E8' },
    ]);
    expect(decodeElmResponse(['7E8 10 14 49 02 01 31 44 34', '7E8 22 47 50 30 30 52 35 35'])).toMatchObject([
      { kind: 'error', code: 'multiframe' },
      { kind: 'error', code: 'multiframe' },
    ]);
    expect(decodeElmResponse(['7E8 21 47 50 30 30 52 35 35'])).toMatchObject([
      { kind: 'error', code: 'multiframe' },
    ]);
    expect(decodeElmResponse(['49 02 01 00 00 00 31', '49 02 03 30 30 52 35'])).toMatchObject([
      { kind: 'error', code: 'bad_vin' },
    ]);
    expect(decodeElmResponse(['014', '0: 49 02 01 31 44 34', '2: 42 31 32 33 34 35 36'])).toMatchObject([
      { kind: 'error', code: 'multiframe' },
      { kind: 'error', code: 'multiframe' },
    ]);
  });
});

describe('properties', () => {
  const noThrow = (lines: string[]): void => {
    const frames = decodeElmResponse(lines);
    expect(frames.length).toBeGreaterThan(0);
  };

  it('never throws on arbitrary strings', () => {
    fc.assert(fc.property(fc.array(fc.string({ maxLength: 60 }), { maxLength: 6 }), noThrow), {
      numRuns: 500,
    });
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 80 }), (s) => noThrow([s])),
      { numRuns: 300 },
    );
  });

  it('never throws on ELM327-looking noise', () => {
    const token = fc.oneof(
      fc.constantFrom(
        '41',
        '43',
        '47',
        '49',
        '02',
        '01',
        '0C',
        '10',
        '14',
        '21',
        '22',
        '7E8',
        '7E9',
        '18DAF110',
      ),
      fc.constantFrom(
        '0:',
        '1:',
        '014',
        '>',
        '\r',
        '\n',
        'NO DATA',
        'SEARCHING...',
        '7F',
        '00',
        'FF',
        ' ',
        '?',
      ),
      fc.integer({ min: 0, max: 255 }).map((b) => b.toString(16).padStart(2, '0')),
    );
    const line = fc.array(token, { maxLength: 12 }).map((t) => t.join(' '));
    fc.assert(fc.property(fc.array(line, { maxLength: 8 }), noThrow), { numRuns: 1000 });
  });

  const formatArb: fc.Arbitrary<ElmFormatOptions> = fc.record({
    protocol: fc.constantFrom('can11' as const, 'can29' as const, 'legacy' as const),
    headers: fc.boolean(),
    spaces: fc.boolean(),
    padFrames: fc.boolean(),
  });

  it('simulator output decodes back to the value (every PID, every line format)', () => {
    const pids = [...MODE01_PIDS.values()].filter((d) => d.kind === 'linear');
    fc.assert(
      fc.property(
        fc.constantFrom(...pids),
        fc.double({ noNaN: true, min: -1e6, max: 1e6 }),
        formatArb,
        (def, v, fmt) => {
          const payload = encodeMode01Answer(def.pid, v);
          const [frame] = decodeElmResponse(formatElmLines(payload, fmt)) as [DecodedFrame];
          const direct = decodeElmResponse([payload.map((b) => b.toString(16).padStart(2, '0')).join('')]);
          expect(frame).toEqual({ ...direct[0], ...(fmt.headers ? { ecu: frame.ecu } : {}) });
          expect(frame.kind).toBe('pid');
        },
      ),
      { numRuns: 400 },
    );
  });

  it('simulator VINs and DTC lists decode back (every line format)', () => {
    const vinArb = fc.string({
      unit: fc.constantFrom(...'ABCDEFGHJKLMNPRSTUVWXYZ0123456789'),
      minLength: 17,
      maxLength: 17,
    });
    fc.assert(
      fc.property(vinArb, formatArb, (vin, fmt) => {
        const layout = fmt.protocol === 'legacy' ? 'legacy' : 'can';
        const lines = encodeVinAnswer(vin, layout).flatMap((p) => formatElmLines(p, fmt));
        expect(decodeElmResponse(lines)).toMatchObject([{ kind: 'vin', vin }]);
      }),
      { numRuns: 200 },
    );
    const codes = fc.array(fc.constantFrom('P0104', 'P0171', 'U0123', 'C0035', 'B1234', 'P2420'), {
      maxLength: 9,
    });
    fc.assert(
      fc.property(codes, formatArb, (dtcs, fmt) => {
        const layout = fmt.protocol === 'legacy' ? 'legacy' : 'can';
        const lines = encodeDtcAnswer('07', dtcs, layout).flatMap((p) => formatElmLines(p, fmt));
        const frames = decodeElmResponse(lines, { can: layout === 'can' });
        expect(frames.flatMap((f) => (f.kind === 'dtcs' ? f.dtcs : [f.kind]))).toEqual(dtcs);
      }),
      { numRuns: 200 },
    );
  });
});
