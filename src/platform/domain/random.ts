/**
 * Small deterministic randomness helpers for generators (`makeVin`, `makePlate`) and demo data.
 * Not for secrets: ids use `crypto.getRandomValues`.
 */

/** A source of uniform floats in [0, 1), like `Math.random`. */
export type Rng = () => number;

/** A seeded PRNG (mulberry32): the same seed always yields the same sequence. */
export function seededRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** An integer in [0, n). */
export function randomInt(rng: Rng, n: number): number {
  return Math.min(n - 1, Math.floor(rng() * n));
}

/** One character of `alphabet`, chosen uniformly. */
export function pickChar(rng: Rng, alphabet: string): string {
  return alphabet.charAt(randomInt(rng, alphabet.length));
}

/** `length` characters of `alphabet`, each chosen uniformly. */
export function pickChars(rng: Rng, alphabet: string, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += pickChar(rng, alphabet);
  return out;
}
