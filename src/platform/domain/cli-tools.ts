/**
 * Pure bodies of the `pitlane vin|plate|geo` tools: one JSON line per argument, in order, and exit
 * code 0 when every input is valid (also when there are none), 1 otherwise. The CLI entry only
 * prints `lines` and exits with `exitCode`; argument parsing and usage errors stay there.
 */
import { DomainError } from './errors.js';
import { convert, parseCoordSystem, parseLonLat, roundCoord } from './geo.js';
import { validatePlate } from './plate.js';
import { validateVin } from './vin.js';

export interface CommandOutput {
  lines: string[];
  exitCode: 0 | 1;
}

function output(results: readonly { line: string; ok: boolean }[]): CommandOutput {
  return {
    lines: results.map((r) => r.line),
    exitCode: results.every((r) => r.ok) ? 0 : 1,
  };
}

/** `vin <VIN>…` → `{"input","valid","errors":[codes],"wmi","modelYear"}` per argument. */
export function vinCommand(args: readonly string[], now: Date = new Date()): CommandOutput {
  return output(
    args.map((input) => {
      const r = validateVin(input, now);
      const line = JSON.stringify({
        input,
        valid: r.valid,
        errors: r.errors,
        wmi: r.wmi,
        modelYear: r.modelYear,
      });
      return { line, ok: r.valid };
    }),
  );
}

/** `plate <PLATE>…` → `{"input","valid","errors":[codes],"kind"}` per argument. */
export function plateCommand(args: readonly string[]): CommandOutput {
  return output(
    args.map((input) => {
      const r = validatePlate(input);
      const line = JSON.stringify({ input, valid: r.valid, errors: r.errors, kind: r.kind });
      return { line, ok: r.valid };
    }),
  );
}

/**
 * `geo <lon,lat>… --from S --to S` → `{"input","lon","lat"}` rounded to 6 decimals, or
 * `{"input","error"}` for an unreadable point. An unknown system name is a usage error: it throws
 * `geo.unknown_system` before any line is produced.
 */
export function geoCommand(args: readonly string[], from: string, to: string): CommandOutput {
  const source = parseCoordSystem(from);
  const target = parseCoordSystem(to);
  return output(
    args.map((input) => {
      try {
        const { lon, lat } = roundCoord(convert(parseLonLat(input), source, target), 6);
        return { line: JSON.stringify({ input, lon, lat }), ok: true };
      } catch (error) {
        if (!(error instanceof DomainError)) throw error;
        return { line: JSON.stringify({ input, error: error.message }), ok: false };
      }
    }),
  );
}
