// Trouble-code bytes ↔ text (SAE J2012) and the mode 03/07/0A answer layouts.
//
// Two bytes per code: bits 15-14 letter (P, C, B, U), bits 13-12 first digit (0-3), then three hex
// nibbles. 0x0104 → P0104, 0xC123 → U0123, 0x4ABC → C0ABC.
import { hex2 } from './pid-table.js';
import type { DtcFrame, DtcMode, ObdErrorFrame } from './types.js';

const LETTERS = ['P', 'C', 'B', 'U'] as const;
export type DtcLetter = (typeof LETTERS)[number];

export const DTC_PATTERN = /^[PCBU][0-3][0-9A-F]{3}$/;

export function isDtcCode(code: string): boolean {
  return DTC_PATTERN.test(code);
}

/** Two bytes → `P0104`. */
export function dtcFromBytes(hi: number, lo: number): string {
  const letter = LETTERS[(hi >> 6) & 3] as DtcLetter;
  const digit = (hi >> 4) & 3;
  return `${letter}${digit}${(hi & 0x0f).toString(16)}${hex2(lo)}`.toUpperCase();
}

/** `P0104` → `[0x01, 0x04]`; undefined when the text is not a well-formed code. */
export function dtcToBytes(code: string): [number, number] | undefined {
  const upper = code.trim().toUpperCase();
  if (!isDtcCode(upper)) return undefined;
  const letter = LETTERS.indexOf(upper[0] as DtcLetter);
  const digit = Number(upper[1]);
  const rest = parseInt(upper.slice(2), 16);
  return [(letter << 6) | (digit << 4) | (rest >> 8), rest & 0xff];
}

export type DtcLayout = 'can' | 'legacy';

const SID_TO_MODE: Readonly<Record<number, DtcMode>> = { 0x43: '03', 0x47: '07', 0x4a: '0A' };

export function dtcModeOfSid(sid: number): DtcMode | undefined {
  return SID_TO_MODE[sid];
}

/**
 * Decodes a mode 03/07/0A answer (service byte included).
 * - legacy: 2-byte codes follow the service byte; `0000` pairs are padding; a trailing odd byte is ignored.
 * - can: the byte after the service byte is the number of codes, then that many 2-byte codes
 *   (anything after them is padding; fewer bytes than announced is an error).
 */
export function decodeDtcAnswer(payload: readonly number[], layout: DtcLayout): DtcFrame | ObdErrorFrame {
  const sid = payload[0] ?? -1;
  const mode = dtcModeOfSid(sid);
  if (mode === undefined) {
    return {
      kind: 'error',
      code: 'unsupported_mode',
      message: `not a trouble-code answer (service ${hex2(sid)})`,
    };
  }
  let end = payload.length;
  let start = 1;
  if (layout === 'can') {
    const count = payload[1];
    if (count === undefined) {
      return {
        kind: 'error',
        code: 'bad_dtc_count',
        message: `mode ${mode} CAN answer without a code count`,
      };
    }
    const available = Math.floor((payload.length - 2) / 2);
    if (count > available) {
      return {
        kind: 'error',
        code: 'bad_dtc_count',
        message: `mode ${mode} answer announces ${count} codes but carries ${available}`,
      };
    }
    start = 2;
    end = 2 + count * 2;
  }
  const dtcs: string[] = [];
  for (let i = start; i + 1 < end; i += 2) {
    const hi = payload[i] as number;
    const lo = payload[i + 1] as number;
    if (hi === 0 && lo === 0) continue;
    dtcs.push(dtcFromBytes(hi, lo));
  }
  return { kind: 'dtcs', mode, dtcs };
}

/**
 * Builds mode 03/07/0A answer payloads (service byte included), as an ECU would send them:
 * CAN → one message `43 <count> <codes…>`; legacy → messages of three codes each, padded with `0000`.
 * Throws RangeError on a malformed code (programming error in the caller, not bad vehicle input).
 */
export function encodeDtcAnswer(mode: DtcMode, codes: readonly string[], layout: DtcLayout): number[][] {
  const sid = mode === '03' ? 0x43 : mode === '07' ? 0x47 : 0x4a;
  const bytes: number[] = [];
  for (const code of codes) {
    const pair = dtcToBytes(code);
    if (pair === undefined || (pair[0] === 0 && pair[1] === 0)) {
      throw new RangeError(`Not a trouble code: ${JSON.stringify(code)}`);
    }
    bytes.push(...pair);
  }
  if (layout === 'can') return [[sid, codes.length, ...bytes]];
  const messages: number[][] = [];
  for (let i = 0; i === 0 || i < bytes.length; i += 6) {
    const chunk = bytes.slice(i, i + 6);
    while (chunk.length < 6) chunk.push(0);
    messages.push([sid, ...chunk]);
  }
  return messages;
}
