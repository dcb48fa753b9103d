/**
 * A small client for a running Pitlane over HTTP (benchmarks, crash tests): set-up through the same
 * public API a person uses.
 */
import { makeVin } from '../platform/domain/vin.js';
import { makePlate } from '../platform/domain/plate.js';
import { seededRng } from '../platform/domain/random.js';

export class Api {
  constructor(public readonly base: string) {}

  async call<T = Record<string, unknown>>(
    method: string,
    path: string,
    opts: { token?: string | undefined; body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<{ status: number; body: T }> {
    const r = await fetch(this.base + path, {
      method,
      headers: {
        ...(opts.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(opts.token ? { authorization: `Bearer ${opts.token}` } : {}),
        ...(opts.headers ?? {}),
      },
      ...(opts.body !== undefined ? { body: JSON.stringify(opts.body) } : {}),
    });
    const text = await r.text();
    let body: unknown = text;
    try {
      body = text ? JSON.parse(text) : null;
    } catch {
      /* not JSON */
    }
    return { status: r.status, body: body as T };
  }

  async must<T = Record<string, unknown>>(
    method: string,
    path: string,
    status: number,
    opts: Parameters<Api['call']>[2] = {},
  ): Promise<T> {
    const r = await this.call<T>(method, path, opts);
    if (r.status !== status)
      throw new Error(`${method} ${path}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  }

  async staffToken(login: string, password: string): Promise<string> {
    return (
      await this.must<{ accessToken: string }>('POST', '/api/v1/auth/staff/sign-in', 200, {
        body: { login, password },
      })
    ).accessToken;
  }

  /** Signs an owner in with the code read from the development outbox (needs an operator token). */
  async ownerToken(phone: string, operatorToken: string): Promise<string> {
    await this.must('POST', '/api/v1/auth/owner/code', 200, { body: { phone } });
    const out = await this.must<{ items: Array<{ payload: { otp: string } }> }>(
      'GET',
      `/api/v1/outbox?to=${phone}&limit=1`,
      200,
      { token: operatorToken },
    );
    const code = out.items[0]!.payload.otp;
    return (
      await this.must<{ accessToken: string }>('POST', '/api/v1/auth/owner/sign-in', 200, {
        body: { phone, code },
      })
    ).accessToken;
  }

  async addVehicle(ownerToken: string, vehicleModelId: string, seed: number): Promise<string> {
    const rng = seededRng(seed);
    const v = await this.must<{ id: string }>('POST', '/api/v1/me/vehicles', 201, {
      token: ownerToken,
      body: { vin: makeVin(rng), plate: makePlate(rng, 'ordinary'), vehicleModelId },
    });
    return v.id;
  }
}
