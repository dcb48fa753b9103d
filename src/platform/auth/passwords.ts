/** Staff passwords: argon2id (OWASP parameters), verified in constant time by the library. */
import { hash, verify } from '@node-rs/argon2';
import { AppError } from '../errors.js';

export const MIN_PASSWORD_LENGTH = 10;

export function checkPasswordStrength(pw: string): void {
  if (pw.length < MIN_PASSWORD_LENGTH) {
    throw new AppError(
      'auth.weak_password',
      'validation',
      `Password must have at least ${MIN_PASSWORD_LENGTH} characters`,
    );
  }
  if (pw.length > 200)
    throw new AppError('auth.weak_password', 'validation', 'Password is too long (max 200)');
  if (/^(.)\1+$/.test(pw))
    throw new AppError('auth.weak_password', 'validation', 'Password must not repeat one character');
}

export const hashPassword = (pw: string): Promise<string> =>
  hash(pw, { memoryCost: 19456, timeCost: 2, parallelism: 1 });

/** A hash of a random string, verified against when the account does not exist (no timing oracle). */
let dummyHash: Promise<string> | undefined;
export async function verifyPassword(hashed: string | null | undefined, pw: string): Promise<boolean> {
  if (!hashed) {
    dummyHash ??= hashPassword('not-a-real-password-' + Math.random());
    await verify(await dummyHash, pw).catch(() => false);
    return false;
  }
  return verify(hashed, pw).catch(() => false);
}
