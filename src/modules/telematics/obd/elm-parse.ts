// ELM327 text → OBD messages (service byte first), with headers stripped and ISO-TP frames reassembled.
//
// Accepted line shapes (case-insensitive, spaces optional, `>` prompts and CR/LF anywhere):
//   41 0C 1A F8                     no headers (CAN with auto-formatting, or a legacy protocol)
//   04 41 0C 1A F8                  CAN, auto-formatting off: PCI byte first
//   7E8 04 41 0C 1A F8              CAN 11-bit header + PCI
//   18DAF110 04 41 0C 1A F8         CAN 29-bit header + PCI (also `18 DA F1 10 04 …`)
//   48 6B 10 41 0C 1A F8 C4         legacy J1850/ISO 9141 header (3 bytes) + checksum; KWP `8x F1 ss …`
//   7E8 10 14 49 02 01 …  / 7E8 21 …   ISO-TP first/consecutive frames, per header
//   014 / 0: 49 02 01 … / 1: …      ELM327's own multi-frame layout (total length, numbered lines)
// Status lines (SEARCHING..., BUS INIT: ...OK, OK, command echo) are skipped; ELM327 errors (NO DATA, ?,
// CAN ERROR, STOPPED, …) become error items.
import { hex2 } from './pid-table.js';
import type { ObdErrorCode, ObdErrorFrame } from './types.js';

/** How the message was framed: proves the CAN layout, the legacy layout, or says nothing. */
export type Framing = 'can' | 'legacy' | 'unknown';

export interface ElmMessage {
  /** Payload, service byte first (`0x41`, `0x43`, `0x49`, `0x7F` …). */
  bytes: number[];
  ecu?: string;
  framing: Framing;
  /** First source line of the message, for error reports. */
  line: string;
}

export type ElmItem = { kind: 'message'; message: ElmMessage } | { kind: 'error'; error: ObdErrorFrame };

const SKIP_PREFIX = /^(?:SEARCHING\.*|BUS INIT:?\s*\.*\s*OK)\s*/;
const SKIP_LINE = /^(?:OK|ELM327.*|AT.*|BUS INIT:?\s*\.*)$/;
const NO_DATA = /^NO ?DATA$/;
const ELM_ERROR =
  /^(?:\?|UNABLE TO CONNECT|CAN ERROR|BUS ERROR|BUS BUSY|FB ERROR|DATA ERROR|BUFFER FULL|STOPPED|ACT ALERT|LV RESET|LP ALERT|ERR\d+)$|ERROR/;

const isResponseSid = (b: number | undefined): boolean =>
  b !== undefined && ((b >= 0x41 && b <= 0x4a) || b === 0x7f);

const toHex = (bytes: readonly number[], sep = ' '): string => bytes.map(hex2).join(sep);

function hexBytes(hex: string): number[] | undefined {
  if (hex.length % 2 !== 0 || !/^[0-9A-F]*$/.test(hex)) return undefined;
  const out: number[] = [];
  for (let i = 0; i < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

interface ParsedLine {
  header?: string;
  headerKind: 'none' | 'can' | 'legacy';
  /** ELM327 multi-frame line number (`0:` …), when present. */
  index?: number;
  /** A bare 3-digit ELM327 multi-frame length line (`014`). */
  totalLength?: number;
  bytes: number[];
}

function parseDataLine(line: string): ParsedLine | string {
  const numbered = /^([0-9A-F]{1,2}):\s*(.*)$/.exec(line);
  const body = (numbered ? (numbered[2] ?? '') : line).trim();
  if (!/^[0-9A-F ]+$/.test(body)) return 'not hexadecimal';
  const tokens = body.split(' ').filter((t) => t.length > 0);
  if (numbered) {
    const bytes = hexBytes(tokens.join(''));
    if (bytes === undefined || tokens.some((t) => t.length % 2 !== 0)) return 'odd number of hex digits';
    return { headerKind: 'none', index: parseInt(numbered[1] ?? '0', 16), bytes };
  }
  const first = tokens[0] ?? '';
  if (tokens.length === 1 && first.length === 3) {
    return { headerKind: 'none', totalLength: parseInt(first, 16), bytes: [] };
  }
  let header: string | undefined;
  let rest: string[] = tokens;
  if (tokens.length > 1 && (first.length === 3 || first.length === 8)) {
    header = first;
    rest = tokens.slice(1);
  } else if (tokens.length === 1 && first.length % 2 === 1 && first.length > 3) {
    header = first.slice(0, 3);
    rest = [first.slice(3)];
  }
  if (rest.some((t) => t.length % 2 !== 0)) return 'odd number of hex digits';
  const bytes = hexBytes(rest.join(''));
  if (bytes === undefined) return 'odd number of hex digits';
  if (header !== undefined) return { header, headerKind: 'can', bytes };

  // Headers printed as bytes: 29-bit CAN `18 DA F1 xx`, legacy `48 6B ss` / `68 6B ss`, KWP `8x F1 ss`.
  const [b0 = -1, b1 = -1] = bytes;
  if (b0 === 0x18 && (b1 === 0xda || b1 === 0xdb) && bytes.length >= 6) {
    return { header: toHex(bytes.slice(0, 4), ''), headerKind: 'can', bytes: bytes.slice(4) };
  }
  const legacyHeader = (b0 === 0x48 || b0 === 0x68) && b1 === 0x6b;
  const kwpHeader = (b0 & 0xc0) === 0x80 && b1 === 0xf1 && (b0 & 0x3f) === bytes.length - 4;
  if ((legacyHeader || kwpHeader) && bytes.length >= 5) {
    return { header: toHex(bytes.slice(0, 3), ''), headerKind: 'legacy', bytes: bytes.slice(3, -1) };
  }
  return { headerKind: 'none', bytes };
}

interface Pending {
  ecu?: string;
  line: string;
  expected?: number;
  data: number[];
  next: number;
  numbered: boolean;
}

function error(code: ObdErrorCode, message: string, input: string, ecu?: string): ElmItem {
  const frame: ObdErrorFrame = { kind: 'error', code, message, input };
  if (ecu !== undefined) frame.ecu = ecu;
  return { kind: 'error', error: frame };
}

function splitLines(input: string | readonly string[]): string[] {
  const joined = typeof input === 'string' ? input : input.join('\n');
  return joined
    .split(/[\r\n]+/)
    .map((l) => l.replace(/>/g, ' ').replace(/\s+/g, ' ').trim().toUpperCase())
    .map((l) => l.replace(SKIP_PREFIX, ''))
    .filter((l) => l.length > 0 && !SKIP_LINE.test(l));
}

/** Parses ELM327 output into messages and error items, in arrival order. Never throws. */
export function parseElmLines(input: string | readonly string[]): ElmItem[] {
  const items: ElmItem[] = [];
  const pending = new Map<string, Pending>();

  const emit = (line: string, ecu: string | undefined, bytes: number[]): void => {
    const message: ElmMessage = { bytes, framing: 'can', line };
    if (ecu !== undefined) message.ecu = ecu;
    items.push({ kind: 'message', message });
  };
  const abandon = (key: string, why: string): void => {
    const p = pending.get(key);
    if (p === undefined) return;
    pending.delete(key);
    if (p.numbered && p.expected === undefined) {
      emit(p.line, p.ecu, p.data);
      return;
    }
    const got = `${p.data.length} of ${p.expected ?? '?'} bytes`;
    items.push(error('multiframe', `incomplete multi-frame message (${got}): ${why}`, p.line, p.ecu));
  };
  const append = (key: string, p: Pending, data: readonly number[]): void => {
    p.data.push(...data);
    p.next = (p.next + 1) & 0x0f;
    if (p.expected !== undefined && p.data.length >= p.expected) {
      pending.delete(key);
      emit(p.line, p.ecu, p.data.slice(0, p.expected));
    }
  };

  for (const line of splitLines(input)) {
    if (NO_DATA.test(line)) {
      items.push(error('no_data', 'NO DATA: the vehicle did not answer', line));
      continue;
    }
    if (ELM_ERROR.test(line)) {
      items.push(error('elm_error', `ELM327 reported: ${line}`, line));
      continue;
    }
    const parsed = parseDataLine(line);
    if (typeof parsed === 'string') {
      items.push(error('bad_hex', `not an ELM327 data line (${parsed})`, line));
      continue;
    }
    const key = parsed.header ?? '';
    const ecu = parsed.header;

    // ELM327's own multi-frame layout: `014`, then `0: …`, `1: …`.
    if (parsed.totalLength !== undefined) {
      abandon(key, 'a new message started');
      pending.set(key, { line, expected: parsed.totalLength, data: [], next: 0, numbered: true });
      continue;
    }
    if (parsed.index !== undefined) {
      let p = pending.get(key);
      if ((p === undefined || !p.numbered) && parsed.index === 0) {
        abandon(key, 'a new message started');
        p = { line, data: [], next: 0, numbered: true };
        pending.set(key, p);
      }
      if (p === undefined || !p.numbered || p.next !== parsed.index) {
        abandon(key, 'line numbers out of sequence');
        items.push(error('multiframe', `unexpected multi-frame line ${parsed.index}`, line));
        continue;
      }
      append(key, p, parsed.bytes);
      continue;
    }

    const bytes = parsed.bytes;
    if (parsed.headerKind === 'legacy') {
      const message: ElmMessage = { bytes, framing: 'legacy', line };
      if (ecu !== undefined) message.ecu = ecu;
      items.push({ kind: 'message', message });
      continue;
    }

    // ISO-TP PCI byte: mandatory after a CAN header, recognised without one by what follows it.
    const pciType = (bytes[0] ?? 0xff) >> 4;
    const pciLow = (bytes[0] ?? 0) & 0x0f;
    const hasHeader = parsed.headerKind === 'can';
    const single = pciType === 0 && pciLow >= 1 && (hasHeader || isResponseSid(bytes[1]));
    const firstFrame = pciType === 1 && bytes.length >= 3 && (hasHeader || isResponseSid(bytes[2]));
    const consecutive = pciType === 2 && (hasHeader || pending.has(key));

    if (single) {
      if (pciLow > bytes.length - 1) {
        items.push(
          error('bad_frame', `frame says ${pciLow} bytes but carries ${bytes.length - 1}`, line, ecu),
        );
        continue;
      }
      emit(line, ecu, bytes.slice(1, 1 + pciLow));
      continue;
    }
    if (firstFrame) {
      abandon(key, 'a new first frame arrived');
      const expected = (pciLow << 8) | (bytes[1] ?? 0);
      const data = bytes.slice(2);
      if (data.length >= expected) {
        emit(line, ecu, data.slice(0, expected));
        continue;
      }
      const p: Pending = { line, expected, data, next: 1, numbered: false };
      if (ecu !== undefined) p.ecu = ecu;
      pending.set(key, p);
      continue;
    }
    if (consecutive) {
      const p = pending.get(key);
      if (p === undefined || p.numbered || p.next !== pciLow) {
        const expected = p === undefined ? 'no first frame' : `expected sequence ${p.next}`;
        abandon(key, 'consecutive frame out of sequence');
        items.push(error('multiframe', `consecutive frame ${pciLow} out of order (${expected})`, line, ecu));
        continue;
      }
      append(key, p, bytes.slice(1));
      continue;
    }
    if (hasHeader) {
      items.push(error('bad_frame', `not an ISO-TP frame (PCI byte ${hex2(bytes[0] ?? 0)})`, line, ecu));
      continue;
    }
    // Plain payload. A request echo (`010C`, `03`) starts with a request service id: skip it.
    const sid = bytes[0];
    if (sid !== undefined && sid >= 0x01 && sid <= 0x0a && bytes.length <= 3) continue;
    items.push({ kind: 'message', message: { bytes, framing: 'unknown', line } });
  }
  for (const key of [...pending.keys()]) abandon(key, 'the response ended');
  return items;
}
