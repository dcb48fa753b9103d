import { describe, expect, it, vi } from 'vitest';
import { ApiClient, ApiError } from './client';
import type { TokenPair } from './types';

const pair = (n: number): TokenPair => ({
  accessToken: `access-${n}`,
  refreshToken: `refresh-${n}`,
  tokenType: 'Bearer',
  expiresIn: 900,
  user: { id: 'usr_1', kind: 'owner', name: '车主', role: 'owner', orgId: null },
});

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

describe('ApiClient', () => {
  it('refreshes once on a 401 and retries with the new token', async () => {
    const seen: string[] = [];
    const fetchImpl = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
      const u = String(url);
      const auth = (init?.headers as Record<string, string>).authorization ?? '';
      seen.push(`${u} ${auth}`);
      if (u.endsWith('/auth/refresh')) return json(200, pair(2));
      if (auth === 'Bearer access-1')
        return json(401, { error: { code: 'auth.token_expired', message: 'expired' } });
      return json(200, { ok: true });
    });
    const api = new ApiClient('owner', fetchImpl as typeof fetch);
    api.setTokens(pair(1));
    const [a, b] = await Promise.all([api.get('/me'), api.get('/me/vehicles')]);
    expect(a).toEqual({ ok: true });
    expect(b).toEqual({ ok: true });
    expect(seen.filter((s) => s.includes('/auth/refresh'))).toHaveLength(1);
    expect(api.current()?.accessToken).toBe('access-2');
    expect(JSON.parse(localStorage.getItem('pitlane.session.owner') ?? '{}').refreshToken).toBe('refresh-2');
  });

  it('signs out when the refresh is refused', async () => {
    const fetchImpl = vi.fn(async (url: RequestInfo | URL) =>
      String(url).endsWith('/auth/refresh')
        ? json(401, { error: { code: 'auth.session_ended', message: 'ended' } })
        : json(401, { error: { code: 'auth.token_expired', message: 'expired' } }),
    );
    const api = new ApiClient('staff', fetchImpl as typeof fetch);
    api.setTokens(pair(1));
    const seen: unknown[] = [];
    api.subscribe((s) => seen.push(s));
    await expect(api.get('/me')).rejects.toMatchObject({ status: 401, code: 'auth.token_expired' });
    expect(api.current()).toBeNull();
    expect(seen.at(-1)).toBeNull();
  });

  it('turns every failure into an ApiError', async () => {
    const api = new ApiClient(
      'owner',
      vi.fn(async (url: RequestInfo | URL) => {
        const u = String(url);
        if (u.includes('slot'))
          return json(409, {
            error: { code: 'booking.slot_taken', message: 'Taken', details: { startAt: 'x' } },
          });
        if (u.includes('html')) return new Response('<html>bad gateway</html>', { status: 502 });
        if (u.includes('validation'))
          return json(422, {
            error: {
              code: 'request.validation',
              message: 'Invalid',
              details: [{ path: 'body.phone', message: 'Too small' }],
            },
          });
        throw new TypeError('Failed to fetch');
      }) as typeof fetch,
    );
    const slot = await api.post('/slot').catch((e: unknown) => e);
    expect(slot).toBeInstanceOf(ApiError);
    expect(slot).toMatchObject({ status: 409, code: 'booking.slot_taken', message: 'Taken' });
    await expect(api.get('/html')).rejects.toMatchObject({ status: 502, code: 'internal' });
    await expect(api.get('/down')).rejects.toMatchObject({ status: 0, code: 'network' });
    const v = (await api.get('/validation').catch((e: unknown) => e)) as ApiError;
    expect(v.fieldErrors()).toEqual([{ path: 'body.phone', message: 'Too small' }]);
  });

  it('builds query strings without empty values and sends idempotency keys', async () => {
    const fetchImpl = vi.fn(async (_url: RequestInfo | URL, _init?: RequestInit) => json(201, {}));
    const api = new ApiClient('owner', fetchImpl as typeof fetch);
    await api.get('/stores', { lon: 120.1, lat: 30.2, coord: 'gcj02', cursor: null, q: '' });
    expect(String(fetchImpl.mock.calls[0]?.[0])).toBe('/api/v1/stores?lon=120.1&lat=30.2&coord=gcj02');
    await api.post('/me/vehicles', { plate: 'x' }, { idempotencyKey: 'key-12345678' });
    const headers = fetchImpl.mock.calls[1]?.[1]?.headers as Record<string, string>;
    expect(headers['idempotency-key']).toBe('key-12345678');
    expect(headers['content-type']).toBe('application/json');
  });
});
