// Mode 09 PID 02: vehicle identification number, CAN (one ISO-TP message) or legacy (five messages).
import type { DtcLayout } from './dtc-code.js';
import type { ObdErrorFrame, VinFrame } from './types.js';

export const VIN_NAME = 'Vehicle identification number';

/** 17 characters, digits and capital letters. I, O and Q are not allowed by ISO 3779 but some ECUs send them anyway. */
const VIN_PATTERN = /^[A-Z0-9]{17}$/;

function vinFrame(chars: readonly number[]): VinFrame | ObdErrorFrame {
  let start = 0;
  let end = chars.length;
  const isPad = (b: number | undefined): boolean => b === 0x00 || b === 0x20 || b === 0xff;
  while (start < end && isPad(chars[start])) start++;
  while (end > start && isPad(chars[end - 1])) end--;
  const body = chars.slice(start, end);
  const printable = body.every((b) => b >= 0x20 && b < 0x7f);
  const vin = printable ? String.fromCharCode(...body) : '';
  if (!VIN_PATTERN.test(vin)) {
    const shown = printable ? JSON.stringify(vin) : 'non-printable bytes';
    return { kind: 'error', code: 'bad_vin', message: `VIN must be 17 letters/digits, got ${shown}` };
  }
  return { kind: 'vin', mode: '09', pid: '02', name: VIN_NAME, vin };
}

/** CAN layout: `49 02 <NODI=01> <17 ASCII bytes>`. */
export function vinFromCanPayload(payload: readonly number[]): VinFrame | ObdErrorFrame {
  if (payload[0] !== 0x49 || payload[1] !== 0x02 || payload.length < 3) {
    return { kind: 'error', code: 'bad_vin', message: 'not a mode 09 PID 02 answer' };
  }
  return vinFrame(payload.slice(3));
}

/**
 * Legacy layout: five messages `49 02 <n> <4 bytes>`, n = 1..5; the first carries three `00` pad bytes
 * before the first character. Messages may arrive in any order.
 */
export function vinFromLegacyMessages(messages: readonly (readonly number[])[]): VinFrame | ObdErrorFrame {
  const sorted = [...messages].sort((a, b) => (a[2] ?? 0) - (b[2] ?? 0));
  const chars: number[] = [];
  for (const [i, message] of sorted.entries()) {
    if (message[0] !== 0x49 || message[1] !== 0x02 || message[2] !== i + 1) {
      const got = sorted.map((m) => m[2] ?? '?').join(',');
      return {
        kind: 'error',
        code: 'bad_vin',
        message: `legacy VIN messages must be numbered 1..n, got ${got}`,
      };
    }
    chars.push(...message.slice(3));
  }
  return vinFrame(chars);
}

/**
 * Builds the answer payloads for a VIN (simulator side). Throws RangeError for a malformed VIN.
 * CAN → one payload; legacy → five payloads of four bytes each.
 */
export function encodeVinAnswer(vin: string, layout: DtcLayout): number[][] {
  if (!VIN_PATTERN.test(vin)) throw new RangeError(`Not a VIN: ${JSON.stringify(vin)}`);
  const chars = [...vin].map((c) => c.charCodeAt(0));
  if (layout === 'can') return [[0x49, 0x02, 0x01, ...chars]];
  const padded = [0, 0, 0, ...chars];
  return [0, 1, 2, 3, 4].map((i) => [0x49, 0x02, i + 1, ...padded.slice(i * 4, i * 4 + 4)]);
}
