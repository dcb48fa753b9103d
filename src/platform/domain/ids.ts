/**
 * Prefixed opaque ids: `bk_01j9z3k8q4m2x7v5r0t6n8w1yc`.
 *
 * The prefix (2–4 lower-case letters) names the entity. The body is 26 Crockford base-32 characters,
 * ULID-like: 48 bits of Unix milliseconds then 80 random bits, **lower-case** (like TypeID) so ids
 * read well next to the prefix. Ids sort by creation time; within one generator, ids made in the
 * same millisecond (or after a clock step back) increment the random part, so they stay strictly
 * increasing. Treat ids as opaque strings: `idTime` exists for debugging and sorting only.
 */
import { DomainError } from './errors.js';

/** Crockford base 32, lower case (no i, l, o, u). */
export const ID_ALPHABET = '0123456789abcdefghjkmnpqrstvwxyz';
/** `<prefix>_<26 chars>`; the first body character is 0–7 because the time has 48 bits. */
export const ID_PATTERN = /^([a-z]{2,4})_([0-7][0-9a-hjkmnp-tv-z]{25})$/;
const PREFIX = /^[a-z]{2,4}$/;

const TIME_MAX = 2n ** 48n - 1n;
const RANDOM_LIMIT = 2n ** 80n;

/** An id with a known prefix. */
export type Id<P extends string = string> = `${P}_${string}`;

export interface IdGeneratorOptions {
  /** Clock in Unix milliseconds (default `Date.now`). */
  now?: () => number;
  /** Fills a byte array with random values (default `crypto.getRandomValues`). */
  randomBytes?: (bytes: Uint8Array) => void;
}

function encode(value: bigint, length: number): string {
  let out = '';
  let rest = value;
  for (let i = 0; i < length; i++) {
    out = ID_ALPHABET.charAt(Number(rest & 31n)) + out;
    rest >>= 5n;
  }
  return out;
}

function assertPrefix(prefix: string): void {
  if (!PREFIX.test(prefix)) {
    throw new DomainError('id.invalid_prefix', `Id prefix must be 2–4 lower-case letters, got '${prefix}'`);
  }
}

/** Makes an id generator with its own clock, randomness and monotonic state. */
export function createIdGenerator(options: IdGeneratorOptions = {}): <P extends string>(prefix: P) => Id<P> {
  const now = options.now ?? Date.now;
  const fill = options.randomBytes ?? ((bytes: Uint8Array) => void crypto.getRandomValues(bytes));
  let lastTime = -1n;
  let lastRandom = 0n;

  return <P extends string>(prefix: P): Id<P> => {
    assertPrefix(prefix);
    const ms = now();
    if (!Number.isSafeInteger(ms) || ms < 0 || BigInt(ms) > TIME_MAX) {
      throw new DomainError(
        'id.invalid_time',
        `Clock must give a non-negative 48-bit millisecond time, got ${ms}`,
      );
    }
    let time = BigInt(ms);
    let random: bigint;
    if (time <= lastTime) {
      time = lastTime;
      random = lastRandom + 1n;
      if (random === RANDOM_LIMIT) {
        time += 1n;
        random = 0n;
      }
    } else {
      const bytes = new Uint8Array(10);
      fill(bytes);
      random = bytes.reduce((acc, b) => (acc << 8n) | BigInt(b), 0n);
    }
    lastTime = time;
    lastRandom = random;
    return `${prefix}_${encode(time, 10)}${encode(random, 16)}`;
  };
}

/** A new id with the given prefix, from the process-wide generator: `newId('bk')` → `bk_01j9…`. */
export const newId: <P extends string>(prefix: P) => Id<P> = createIdGenerator();

/** Whether `value` is a well-formed id, optionally with exactly this prefix. */
export function isId<P extends string>(value: unknown, prefix?: P): value is Id<P> {
  if (typeof value !== 'string') return false;
  const match = ID_PATTERN.exec(value);
  return match !== null && (prefix === undefined || match[1] === prefix);
}

/** The creation time (Unix ms) encoded in an id; throws `id.invalid` for a malformed id. */
export function idTime(id: string): number {
  const match = ID_PATTERN.exec(id);
  if (!match) throw new DomainError('id.invalid', `Not an id: '${id}'`);
  let time = 0;
  for (const char of (match[2] ?? '').slice(0, 10)) time = time * 32 + ID_ALPHABET.indexOf(char);
  return time;
}
