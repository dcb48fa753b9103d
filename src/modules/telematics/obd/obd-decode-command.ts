// `pitlane obd decode [--can] <hex…>`: one JSON line per argument, in order; exit 1 if any failed.
import { decodeElmResponse } from './decode-elm-response.js';
import type { DecodedFrame } from './types.js';

export interface ObdDecodeCommandResult {
  lines: string[];
  exitCode: 0 | 1;
}

type CliObject = Record<string, unknown>;

/** The CLI shape of a successful frame (key order is part of the output contract). */
function toCliObject(frame: Exclude<DecodedFrame, { kind: 'error' }>): CliObject {
  switch (frame.kind) {
    case 'pid':
      return { mode: frame.mode, pid: frame.pid, name: frame.name, value: frame.value, unit: frame.unit };
    case 'supported-pids':
    case 'monitor-status':
      return { mode: frame.mode, pid: frame.pid, name: frame.name, value: frame.value };
    case 'dtcs':
      return { mode: frame.mode, dtcs: frame.dtcs };
    case 'vin':
      return { mode: frame.mode, pid: frame.pid, name: frame.name, vin: frame.vin };
    default: {
      const never: never = frame;
      return never;
    }
  }
}

/**
 * Decodes each argument as one ELM327 response (spaces, headers and CR/LF-separated lines allowed).
 * A response that yields one frame prints as an object; several (multi-ECU) as an array of objects with
 * their `ecu`; a response with any error prints `{"input","error"}` and makes the exit code 1.
 */
export function obdDecodeCommand(args: readonly string[], opts: { can: boolean }): ObdDecodeCommandResult {
  let exitCode: 0 | 1 = 0;
  const lines = args.map((input) => {
    const frames = decodeElmResponse([input], { can: opts.can });
    const failed = frames.find((f) => f.kind === 'error');
    if (failed !== undefined) {
      exitCode = 1;
      return JSON.stringify({ input, error: failed.message });
    }
    const ok = frames.filter((f): f is Exclude<DecodedFrame, { kind: 'error' }> => f.kind !== 'error');
    if (ok.length === 1 && ok[0] !== undefined) return JSON.stringify(toCliObject(ok[0]));
    return JSON.stringify(
      ok.map((f) => (f.ecu === undefined ? toCliObject(f) : { ...toCliObject(f), ecu: f.ecu })),
    );
  });
  return { lines, exitCode };
}
