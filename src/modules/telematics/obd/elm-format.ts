// Payload → ELM327 text lines, as a real adapter prints them (simulator side; inverse of elm-parse.ts).
import { hex2 } from './pid-table.js';

export type ElmProtocol = 'can11' | 'can29' | 'legacy';

export interface ElmFormatOptions {
  /** Default `can11` (ISO 15765-4, 11-bit, 500 kbaud — the common case). */
  protocol?: ElmProtocol;
  /** ATH1: print headers (and, on CAN, the PCI bytes). Default false. */
  headers?: boolean;
  /** ATS1: spaces between bytes. Default true. */
  spaces?: boolean;
  /** Header of the answering ECU. Defaults: `7E8`, `18DAF110`, `486B10`. */
  ecu?: string;
  /** CAN with headers: pad every frame to 8 bytes with `00`, as many ECUs do. Default false. */
  padFrames?: boolean;
}

const DEFAULT_ECU: Readonly<Record<ElmProtocol, string>> = {
  can11: '7E8',
  can29: '18DAF110',
  legacy: '486B10',
};

function hexBytes(hex: string): number[] {
  const out: number[] = [];
  for (let i = 0; i + 1 < hex.length; i += 2) out.push(parseInt(hex.slice(i, i + 2), 16));
  return out;
}

/** ISO-TP frames (PCI byte first) for one payload. */
export function isoTpFrames(payload: readonly number[], pad = false): number[][] {
  const padded = (frame: number[]): number[] =>
    pad ? [...frame, ...new Array<number>(8).fill(0)].slice(0, 8) : frame;
  if (payload.length <= 7) return [padded([payload.length, ...payload])];
  if (payload.length > 0xfff) throw new RangeError(`ISO-TP payload too long: ${payload.length} bytes`);
  const frames = [[0x10 | (payload.length >> 8), payload.length & 0xff, ...payload.slice(0, 6)]];
  for (let i = 6, seq = 1; i < payload.length; i += 7, seq = (seq + 1) & 0x0f) {
    frames.push(padded([0x20 | seq, ...payload.slice(i, i + 7)]));
  }
  return frames;
}

/** ELM327 text lines for one message payload (service byte first). */
export function formatElmLines(payload: readonly number[], opts: ElmFormatOptions = {}): string[] {
  const protocol = opts.protocol ?? 'can11';
  const sep = (opts.spaces ?? true) ? ' ' : '';
  const join = (bytes: readonly number[]): string => bytes.map(hex2).join(sep);
  const ecu = (opts.ecu ?? DEFAULT_ECU[protocol]).toUpperCase();

  if (protocol === 'legacy') {
    if (!opts.headers) return [join(payload)];
    const header = hexBytes(ecu);
    const all = [...header, ...payload];
    const checksum = all.reduce((sum, b) => (sum + b) & 0xff, 0);
    return [join([...all, checksum])];
  }
  if (opts.headers) {
    // ELM327 prints a 29-bit header as four bytes, an 11-bit one as three hex digits.
    const header = protocol === 'can29' ? join(hexBytes(ecu)) : ecu;
    return isoTpFrames(payload, opts.padFrames ?? false).map((frame) => `${header}${sep}${join(frame)}`);
  }
  if (payload.length <= 7) return [join(payload)];
  // CAN auto-formatting without headers: total length, then numbered lines of 6, 7, 7 … bytes.
  const lines = [payload.length.toString(16).toUpperCase().padStart(3, '0')];
  lines.push(`0:${sep}${join(payload.slice(0, 6))}`);
  for (let i = 6, n = 1; i < payload.length; i += 7, n = (n + 1) & 0x0f) {
    lines.push(`${n.toString(16).toUpperCase()}:${sep}${join(payload.slice(i, i + 7))}`);
  }
  return lines;
}
