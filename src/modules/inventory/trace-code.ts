/**
 * Per-unit trace codes: "PL" + 12 Crockford base-32 characters + one check character over GF(32),
 * which catches every single-character error and every adjacent transposition. Pure.
 */
import { randomBytes } from 'node:crypto';

export const TRACE_ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
const PREFIX = 'PL';
const BODY = 12;

/** Multiplication by x in GF(32) = GF(2)[x] / (x⁵ + x² + 1). */
const times2 = (v: number): number => ((v << 1) ^ (v & 0x10 ? 0x25 : 0)) & 0x1f;

/**
 * The check character: the code is read as a polynomial over GF(32) (Horner with factor x), and
 * the check character makes it vanish. Changing any one character changes the sum; swapping two
 * adjacent different characters a, b changes it by (x + 1)(a + b) ≠ 0.
 */
export function checkChar(body: string): string {
  let acc = 0;
  for (const c of body) {
    const v = TRACE_ALPHABET.indexOf(c);
    if (v < 0) throw new Error(`not a trace character: ${c}`);
    acc = times2(acc) ^ v;
  }
  return TRACE_ALPHABET[times2(acc)]!;
}

/** Upper-cases, drops spaces and dashes, and maps the look-alikes I/L → 1 and O → 0. */
export function normalizeTraceCode(raw: string): string {
  return raw
    .toUpperCase()
    .replace(/[\s-]/g, '')
    .replace(/[IL]/g, (c, i: number) => (i < PREFIX.length ? c : '1'))
    .replace(/O/g, '0');
}

export function isValidTraceCode(code: string): boolean {
  if (code.length !== PREFIX.length + BODY + 1 || !code.startsWith(PREFIX)) return false;
  const body = code.slice(PREFIX.length, -1);
  for (const c of body) if (!TRACE_ALPHABET.includes(c)) return false;
  return checkChar(body) === code.slice(-1);
}

export function makeTraceCode(bytes: Uint8Array = randomBytes(8)): string {
  let body = '';
  let acc = 0n;
  for (const b of bytes) acc = (acc << 8n) | BigInt(b);
  for (let i = 0; i < BODY; i++) {
    body += TRACE_ALPHABET[Number(acc % 32n)];
    acc /= 32n;
  }
  return PREFIX + body + checkChar(body);
}
