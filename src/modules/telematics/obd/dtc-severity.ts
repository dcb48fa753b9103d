// Severity class of a trouble code, by rule. Pure: works without the description data.
//
// Classes: critical = stop soon, risk of engine/catalyst damage or a safety system off;
// high = drive to a workshop soon, driveability or emissions badly affected; medium = have it checked;
// low = emissions-only or comfort, no driveability impact.
//
// Rules are tried top to bottom; the first match wins. Range rules look at the code alone; keyword rules
// also look at the description when the caller has one (the catalogue passes it); the last rules are the
// defaults per letter. The table is the documentation: see also README.md beside this file.
import { isDtcCode } from './dtc-code.js';

export type DtcSeverity = 'critical' | 'high' | 'medium' | 'low';

export interface SeverityRule {
  /** Inclusive code range (same letter), or a letter/prefix default when `to` is omitted. */
  from: string;
  to?: string;
  /** Optional description test: the rule applies only when the description matches. */
  keyword?: RegExp;
  severity: DtcSeverity;
  reason: string;
}

// prettier-ignore
export const SEVERITY_RULES: readonly SeverityRule[] = [
  // critical
  { from: 'P0300', to: 'P0312', severity: 'critical', reason: 'Misfire: a catalyst-damaging misfire flashes the MIL' },
  { from: 'P0217', to: 'P0217', severity: 'critical', reason: 'Engine over-temperature' },
  { from: 'P0298', to: 'P0298', severity: 'critical', reason: 'Engine oil over-temperature' },
  { from: 'P0520', to: 'P0524', severity: 'critical', reason: 'Engine oil pressure sensor/switch or oil pressure too low' },
  { from: 'C0035', to: 'C0050', severity: 'critical', reason: 'Wheel speed sensor: ABS/stability control disabled' },
  { from: 'C', keyword: /brake|\bABS\b|anti-?lock|stability|wheel speed/i, severity: 'critical', reason: 'Brake-related chassis fault' },
  { from: 'P', keyword: /misfire detected/i, severity: 'critical', reason: 'Misfire detected' },
  // high
  { from: 'P0016', to: 'P0019', severity: 'high', reason: 'Crankshaft/camshaft correlation (timing)' },
  { from: 'P0087', to: 'P0088', severity: 'high', reason: 'Fuel rail/system pressure too low or too high' },
  { from: 'P0171', to: 'P0172', severity: 'high', reason: 'Fuel trim: system too lean/rich (bank 1)' },
  { from: 'P0174', to: 'P0175', severity: 'high', reason: 'Fuel trim: system too lean/rich (bank 2)' },
  { from: 'P0218', to: 'P0219', severity: 'high', reason: 'Transmission fluid over-temperature / engine overspeed' },
  { from: 'P0335', to: 'P0349', severity: 'high', reason: 'Crankshaft/camshaft position sensor: stall or no-start risk' },
  { from: 'P0420', to: 'P0439', severity: 'high', reason: 'Catalyst efficiency below threshold / catalyst temperature' },
  { from: 'P0600', to: 'P0606', severity: 'high', reason: 'Control module internal fault' },
  { from: 'U0100', to: 'U02FF', severity: 'high', reason: 'Lost communication with a control module' },
  { from: 'B0000', to: 'B00FF', severity: 'high', reason: 'Restraints (airbag) deployment/occupant sensing range' },
  { from: 'B', keyword: /airbag|restraint|deployment/i, severity: 'high', reason: 'Restraint system (airbag)' },
  // low
  { from: 'P0440', to: 'P0459', severity: 'low', reason: 'Evaporative emission system (e.g. small leak, fuel cap)' },
  { from: 'P0460', to: 'P0464', severity: 'low', reason: 'Fuel level sensor' },
  { from: 'P0530', to: 'P0534', severity: 'low', reason: 'A/C refrigerant pressure' },
  // defaults per letter
  { from: 'C', severity: 'high', reason: 'Chassis (brakes, steering, suspension): safety-related' },
  { from: 'P', severity: 'medium', reason: 'Powertrain sensor, actuator or circuit' },
  { from: 'U', severity: 'medium', reason: 'Network or communication' },
  { from: 'B', severity: 'medium', reason: 'Body' },
];

const codeValue = (code: string): number => parseInt(code.slice(1), 16);

function matches(rule: SeverityRule, code: string, description: string | undefined): boolean {
  if (rule.to === undefined) {
    if (!code.startsWith(rule.from)) return false;
  } else if (
    code[0] !== rule.from[0] ||
    codeValue(code) < codeValue(rule.from) ||
    codeValue(code) > codeValue(rule.to)
  ) {
    return false;
  }
  return rule.keyword === undefined || (description !== undefined && rule.keyword.test(description));
}

/** The rule that classifies a code, or undefined when the text is not a well-formed code. */
export function classifyDtc(code: string, description?: string): SeverityRule | undefined {
  const upper = code.trim().toUpperCase();
  if (!isDtcCode(upper)) return undefined;
  return SEVERITY_RULES.find((rule) => matches(rule, upper, description));
}

/** Severity class of a code (`P0301` → critical); undefined for a malformed code. */
export function severityOf(code: string, description?: string): DtcSeverity | undefined {
  return classifyDtc(code, description)?.severity;
}
