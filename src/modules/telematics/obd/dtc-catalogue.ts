// Generic trouble-code catalogue (SAE J2012 codes with community descriptions, MIT-licensed sources).
//
// Sources, highest precedence first (a code takes its description from the first source that has it):
//   1. OBDIICodes_codes.json — fabiovila/OBDIICodes (MIT, © 2023 Fabio): 2099 codes, P0/P2/P3.
//      Its lost quotes are repaired ("Fuel Shutoff ValveAControl" → 'Fuel Shutoff Valve "A" Control');
//      range rows ("P340B, P340C … ISO/SAE Reserved") and reserved codes are dropped.
//   2. dtcdb_generic.csv — todrobbins/dtcdb (MIT, © 2013 trobbins): P0100..P0804; fills gaps.
//      Split at the first comma (fields are not RFC 4180 quoted); duplicates: first wins; "Bank I" → "Bank 1".
//   3. A few network/chassis codes written here (source `pitlane`), since both lists are P-codes only.
// Descriptions paraphrase SAE J2012 / ISO 15031-6: use them for display, not as a normative reference.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isDtcCode } from './dtc-code.js';
import { severityOf, type DtcSeverity } from './dtc-severity.js';

export type DtcSystem = 'powertrain' | 'chassis' | 'body' | 'network';
export type DtcSource = 'OBDIICodes' | 'dtcdb' | 'pitlane';

export interface DtcEntry {
  code: string;
  description: string;
  system: DtcSystem;
  severity: DtcSeverity;
  source: DtcSource;
}

export interface DtcCatalogue {
  lookup(code: string): DtcEntry | undefined;
  readonly size: number;
  entries(): DtcEntry[];
  /** Attribution and licence texts of the sources that were loaded: show it wherever descriptions are shown. */
  readonly attribution: string;
}

/** `../shared/data/obd-dtc` relative to the repository root. */
export const DEFAULT_DTC_DATA_DIR = fileURLToPath(
  new URL('../../../../../shared/data/obd-dtc/', import.meta.url),
);

interface SourceFile {
  source: Exclude<DtcSource, 'pitlane'>;
  file: string;
  licence: string;
  origin: string;
  parse: (text: string) => Map<string, string>;
}

const SYSTEMS: Readonly<Record<string, DtcSystem>> = {
  P: 'powertrain',
  C: 'chassis',
  B: 'body',
  U: 'network',
};

export function systemOf(code: string): DtcSystem | undefined {
  return isDtcCode(code) ? SYSTEMS[code[0] ?? ''] : undefined;
}

const tidy = (text: string): string => text.replace(/\s+/g, ' ').trim();
const isReserved = (description: string): boolean => /ISO\/SAE Reserved|^Reserved$/i.test(description);

/** Puts back the quotes the OBDIICodes export lost around single-letter designators. */
export function repairLostQuotes(description: string): string {
  return tidy(
    description
      .replace(/(^|[\s/])([A-L])(?=[A-Z][a-z])/g, '$1"$2" ')
      .replace(/([a-z)])([A-L])(?=[A-Z][a-z]|[\s/]|$)/g, '$1 "$2" '),
  );
}

/** fabiovila/OBDIICodes codes.json: `[{"Code","Description"}]`. Malformed entries are skipped. */
export function parseObdiiCodesJson(text: string): Map<string, string> {
  const out = new Map<string, string>();
  const data: unknown = JSON.parse(text);
  if (!Array.isArray(data)) return out;
  for (const entry of data as unknown[]) {
    if (typeof entry !== 'object' || entry === null) continue;
    const { Code: code, Description: description } = entry as Record<string, unknown>;
    if (typeof code !== 'string' || typeof description !== 'string') continue;
    const clean = repairLostQuotes(description);
    if (!isDtcCode(code) || out.has(code) || clean.length === 0 || isReserved(clean)) continue;
    out.set(code, clean);
  }
  return out;
}

/** todrobbins/dtcdb generic.csv: `dtc, description` with section titles and blank lines mixed in. */
export function parseDtcdbCsv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const line of text.split(/\r?\n/)) {
    const comma = line.indexOf(',');
    if (comma < 0) continue;
    const code = line.slice(0, comma).trim();
    const description = tidy(line.slice(comma + 1)).replace(/\bBank I\b/g, 'Bank 1');
    if (!/^P[0-9A-F]{4}$/.test(code) || out.has(code) || description.length === 0) continue;
    out.set(code, description);
  }
  return out;
}

const SOURCES: readonly SourceFile[] = [
  {
    source: 'OBDIICodes',
    file: 'OBDIICodes_codes.json',
    licence: 'LICENSE.OBDIICodes.txt',
    origin: 'fabiovila/OBDIICodes (codes.json), MIT License, Copyright (c) 2023 Fabio',
    parse: parseObdiiCodesJson,
  },
  {
    source: 'dtcdb',
    file: 'dtcdb_generic.csv',
    licence: 'LICENSE.dtcdb.txt',
    origin: 'todrobbins/dtcdb (generic.csv), MIT License, Copyright (c) 2013 trobbins',
    parse: parseDtcdbCsv,
  },
];

/** Codes outside the P-code lists, written from common usage of SAE J2012. Lowest precedence. */
export const BUILTIN_DTCS: ReadonlyMap<string, string> = new Map([
  ['C0035', 'Left Front Wheel Speed Sensor Circuit'],
  ['C0040', 'Right Front Wheel Speed Sensor Circuit'],
  ['C0045', 'Left Rear Wheel Speed Sensor Circuit'],
  ['C0050', 'Right Rear Wheel Speed Sensor Circuit'],
  ['U0001', 'High Speed CAN Communication Bus'],
  ['U0100', 'Lost Communication With ECM/PCM "A"'],
  ['U0101', 'Lost Communication With TCM'],
  ['U0121', 'Lost Communication With Anti-Lock Brake System (ABS) Control Module'],
  ['U0140', 'Lost Communication With Body Control Module'],
  ['U0151', 'Lost Communication With Restraints Control Module'],
  ['U0155', 'Lost Communication With Instrument Panel Cluster (IPC) Control Module'],
]);

/** Short attribution of the default sources, usable without loading anything. */
export function dtcCatalogueAttribution(): string {
  return [
    'Trouble-code descriptions from:',
    ...SOURCES.map((s) => `- ${s.origin}`),
    'Used under the MIT License. Descriptions paraphrase SAE J2012 / ISO 15031-6 and are for display only.',
  ].join('\n');
}

export interface CatalogueSource {
  source: DtcSource;
  codes: ReadonlyMap<string, string>;
}

/** Builds a catalogue from parsed sources, highest precedence first. Pure. */
export function buildDtcCatalogue(sources: readonly CatalogueSource[], attribution: string): DtcCatalogue {
  const byCode = new Map<string, DtcEntry>();
  for (const { source, codes } of sources) {
    for (const [code, description] of codes) {
      const system = systemOf(code);
      const severity = severityOf(code, description);
      if (byCode.has(code) || system === undefined || severity === undefined) continue;
      byCode.set(code, { code, description, system, severity, source });
    }
  }
  return {
    lookup: (code) => byCode.get(code.trim().toUpperCase()),
    get size() {
      return byCode.size;
    },
    entries: () => [...byCode.values()].sort((a, b) => a.code.localeCompare(b.code)),
    attribution,
  };
}

async function readIfPresent(path: string): Promise<string | undefined> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/**
 * Loads the catalogue from `dir` (default {@link DEFAULT_DTC_DATA_DIR}). Each source file present is
 * used; rejects when the directory holds none of them.
 */
export async function loadDtcCatalogue(dir: string = DEFAULT_DTC_DATA_DIR): Promise<DtcCatalogue> {
  const loaded: CatalogueSource[] = [];
  const notices: string[] = [];
  for (const spec of SOURCES) {
    const text = await readIfPresent(join(dir, spec.file));
    if (text === undefined) continue;
    loaded.push({ source: spec.source, codes: spec.parse(text) });
    const licence = await readIfPresent(join(dir, spec.licence));
    notices.push(`${spec.file}: ${spec.origin}${licence === undefined ? '' : `\n\n${licence.trim()}`}`);
  }
  if (loaded.length === 0) {
    const files = SOURCES.map((s) => s.file).join(', ');
    throw new Error(`No trouble-code data in ${dir}: expected ${files} (see shared/data/obd-dtc/README.md)`);
  }
  loaded.push({ source: 'pitlane', codes: BUILTIN_DTCS });
  const attribution = [
    'Trouble-code descriptions: SAE J2012 codes, community descriptions (display only, not normative).',
    ...notices,
  ].join('\n\n');
  return buildDtcCatalogue(loaded, attribution);
}
