/** Deterministic ids for reference data (catalog seeds), same shape as newId: `vm_0…` (26 chars). */
import { createHash } from 'node:crypto';
import { ID_ALPHABET } from './ids.js';

export function stableId(prefix: string, key: string): string {
  const h = createHash('sha256').update(`${prefix}:${key}`).digest();
  let body = '0';
  for (let i = 0; body.length < 26; i++) body += ID_ALPHABET.charAt(h[i]! % 32);
  return `${prefix}_${body}`;
}
