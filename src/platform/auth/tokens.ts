/**
 * JWT access tokens (HS256, short-lived) and opaque refresh tokens (random, stored hashed).
 * The access token carries the session id; the guard checks the session is not revoked.
 */
import { SignJWT, jwtVerify, errors as joseErrors } from 'jose';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { AppError } from '../errors.js';

export interface AccessClaims {
  sub: string;
  sid: string;
  ver: number;
}

export class TokenService {
  private readonly key: Uint8Array;
  constructor(
    secret: string,
    private readonly accessTtlSeconds: number,
  ) {
    this.key = new TextEncoder().encode(secret);
  }

  async signAccess(claims: AccessClaims, now: Date): Promise<string> {
    const iat = Math.floor(now.getTime() / 1000);
    return new SignJWT({ sid: claims.sid, ver: claims.ver })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.sub)
      .setIssuer('pitlane')
      .setIssuedAt(iat)
      .setExpirationTime(iat + this.accessTtlSeconds)
      .sign(this.key);
  }

  async verifyAccess(token: string, now: Date): Promise<AccessClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        issuer: 'pitlane',
        algorithms: ['HS256'],
        currentDate: now,
      });
      if (
        typeof payload.sub !== 'string' ||
        typeof payload.sid !== 'string' ||
        typeof payload.ver !== 'number'
      ) {
        throw new Error('claims');
      }
      return { sub: payload.sub, sid: payload.sid, ver: payload.ver };
    } catch (e) {
      const expired = e instanceof joseErrors.JWTExpired;
      throw new AppError(
        expired ? 'auth.token_expired' : 'auth.invalid_token',
        'unauthenticated',
        expired
          ? 'Your session token has expired; refresh it or sign in again'
          : 'The access token is not valid',
      );
    }
  }

  /** HMAC-SHA256 with the token key, for signed links and code hashes. */
  hmac(data: string): string {
    return createHmac('sha256', this.key).update(data).digest('base64url');
  }

  verifyHmac(data: string, mac: string): boolean {
    const expected = Buffer.from(this.hmac(data));
    const given = Buffer.from(mac);
    return expected.length === given.length && timingSafeEqual(expected, given);
  }
}

export const randomToken = (bytes = 32): string => randomBytes(bytes).toString('base64url');
export const sha256 = (s: string): string => createHash('sha256').update(s).digest('base64url');
