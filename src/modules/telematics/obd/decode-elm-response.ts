// The ingest entry point: raw ELM327 lines from a dongle → typed frames. Pure; never throws.
import { decodeMode01 } from './decode-pid.js';
import { decodeDtcAnswer, dtcModeOfSid, type DtcLayout } from './dtc-code.js';
import { parseElmLines, type ElmMessage } from './elm-parse.js';
import { hex2 } from './pid-table.js';
import type { DecodedFrame, DecodeOptions, ObdErrorFrame } from './types.js';
import { vinFromCanPayload, vinFromLegacyMessages } from './vin.js';

/** ISO 14229 negative response codes seen on OBD-II. */
const NRC_NAMES: Readonly<Record<number, string>> = {
  0x10: 'general reject',
  0x11: 'service not supported',
  0x12: 'sub-function not supported',
  0x21: 'busy, repeat request',
  0x22: 'conditions not correct',
  0x31: 'request out of range',
};
const RESPONSE_PENDING = 0x78;

const payloadHex = (bytes: readonly number[]): string => bytes.map(hex2).join(' ');

function withEcu<F extends DecodedFrame>(frame: F, ecu: string | undefined): F {
  return ecu === undefined ? frame : { ...frame, ecu };
}

function errorFrame(code: ObdErrorFrame['code'], message: string, m: ElmMessage): ObdErrorFrame {
  return withEcu({ kind: 'error', code, message, input: payloadHex(m.bytes) }, m.ecu);
}

function decodeMessage(m: ElmMessage, opts: DecodeOptions): DecodedFrame[] {
  const [sid, second, third] = m.bytes;
  if (sid === undefined) return [errorFrame('bad_frame', 'empty message', m)];
  if (sid === 0x7f) {
    if (third === RESPONSE_PENDING) return [];
    const service = second === undefined ? '??' : hex2(second);
    const reason = third === undefined ? 'no reason given' : (NRC_NAMES[third] ?? `code ${hex2(third)}`);
    return [errorFrame('negative_response', `ECU refused mode ${service}: ${reason}`, m)];
  }
  if (sid === 0x41) {
    return decodeMode01(m.bytes.slice(1)).map((f) =>
      f.kind === 'error' ? errorFrame(f.code, f.message, m) : withEcu(f, m.ecu),
    );
  }
  if (dtcModeOfSid(sid) !== undefined) {
    const layout: DtcLayout =
      m.framing === 'can' ? 'can' : m.framing === 'legacy' ? 'legacy' : opts.can ? 'can' : 'legacy';
    const frame = decodeDtcAnswer(m.bytes, layout);
    return [frame.kind === 'error' ? errorFrame(frame.code, frame.message, m) : withEcu(frame, m.ecu)];
  }
  if (sid === 0x49) {
    if (second !== 0x02) {
      const pid = second === undefined ? '??' : hex2(second);
      return [errorFrame('unsupported_pid', `mode 09 PID ${pid} is not decoded (only 02, VIN)`, m)];
    }
    const frame = vinFromCanPayload(m.bytes);
    return [frame.kind === 'error' ? errorFrame(frame.code, frame.message, m) : withEcu(frame, m.ecu)];
  }
  const mode = sid >= 0x40 ? hex2(sid - 0x40) : hex2(sid);
  return [
    errorFrame('unsupported_mode', `mode ${mode} answers are not decoded (service byte ${hex2(sid)})`, m),
  ];
}

/** A legacy (non-CAN) VIN part: `49 02 <n> <4 bytes>`. */
const isLegacyVinPart = (m: ElmMessage): boolean =>
  m.framing !== 'can' && m.bytes.length === 7 && m.bytes[0] === 0x49 && m.bytes[1] === 0x02;

/**
 * Decodes the lines an ELM327 printed for one request (CR/LF inside strings are fine too).
 * Returns one frame per answer — several ECUs give several frames — in arrival order, with errors as
 * `kind: 'error'` frames. Never throws and never returns an empty list.
 */
export function decodeElmResponse(
  lines: string | readonly string[],
  opts: DecodeOptions = {},
): DecodedFrame[] {
  try {
    const frames = decodeAll(lines, opts);
    return frames.length > 0 ? frames : [{ kind: 'error', code: 'no_data', message: 'empty response' }];
  } catch (err) {
    // Defensive: a decoder bug must not take the ingest loop down.
    const message = err instanceof Error ? err.message : String(err);
    return [{ kind: 'error', code: 'bad_frame', message: `internal decoder error: ${message}` }];
  }
}

function decodeAll(lines: string | readonly string[], opts: DecodeOptions): DecodedFrame[] {
  const slots: (DecodedFrame[] | { vinEcu: string })[] = [];
  const legacyVins = new Map<string, ElmMessage[]>();
  for (const item of parseElmLines(lines)) {
    if (item.kind === 'error') {
      slots.push([item.error]);
      continue;
    }
    const m = item.message;
    if (isLegacyVinPart(m)) {
      const key = m.ecu ?? '';
      const parts = legacyVins.get(key);
      if (parts === undefined) {
        legacyVins.set(key, [m]);
        slots.push({ vinEcu: key });
      } else {
        parts.push(m);
      }
      continue;
    }
    slots.push(decodeMessage(m, opts));
  }
  return slots.flatMap((slot) => {
    if (Array.isArray(slot)) return slot;
    const parts = legacyVins.get(slot.vinEcu) ?? [];
    const ecu = parts[0]?.ecu;
    const frame = vinFromLegacyMessages(parts.map((p) => p.bytes));
    return [
      withEcu(
        frame.kind === 'error' ? { ...frame, input: parts.map((p) => p.line).join(' | ') } : frame,
        ecu,
      ),
    ];
  });
}
