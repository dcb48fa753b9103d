import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../src/testing/harness.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe('platform HTTP basics', () => {
  it('answers /healthz after checking the database', async () => {
    const r = await h.request('GET', '/healthz');
    expect(r.status).toBe(200);
    expect(r.body).toMatchObject({ status: 'ok' });
    expect(r.headers['x-request-id']).toBeTruthy();
  });

  it('keeps a sane incoming request id and replaces a hostile one', async () => {
    const ok = await h.request('GET', '/healthz', { headers: { 'x-request-id': 'abc-123' } });
    expect(ok.headers['x-request-id']).toBe('abc-123');
    const bad = await h.request('GET', '/healthz', { headers: { 'x-request-id': 'a b\u0000<script>' } });
    expect(bad.headers['x-request-id']).toMatch(/^req_/);
  });

  it('serves Prometheus metrics with route latency and database gauges', async () => {
    await h.request('GET', '/healthz');
    const r = await h.request('GET', '/metrics');
    expect(r.status).toBe(200);
    const text = String(r.body);
    expect(text).toContain('pitlane_http_request_duration_seconds_bucket');
    expect(text).toContain('route="/healthz"');
    expect(text).toContain('pitlane_db_up 1');
    expect(text).toContain('pitlane_db_ping_seconds');
  });

  it('publishes an OpenAPI 3.1 document and a docs UI', async () => {
    const r = await h.request<{ openapi: string; paths: Record<string, unknown> }>(
      'GET',
      '/api/v1/openapi.json',
    );
    expect(r.status).toBe(200);
    expect(r.body.openapi).toBe('3.1.0');
    expect(Object.keys(r.body.paths)).toContain('/api/v1/orgs');
    const docs = await h.request('GET', '/docs/');
    expect(docs.status).toBe(200);
  });

  it('answers an unknown route with the error envelope and 404', async () => {
    const r = await h.request('GET', '/api/v1/nope');
    expect(r.status).toBe(404);
    expect(r.body).toEqual({ error: { code: 'route.not_found', message: 'No route GET /api/v1/nope' } });
  });

  it('answers malformed JSON with 400', async () => {
    const r = await h.request('POST', '/api/v1/auth/staff/sign-in', {
      payload: '{"login": "x", ',
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(400);
    expect(r.body).toMatchObject({ error: { code: 'request.malformed_json' } });
  });

  it('answers a schema violation with 422 and field paths', async () => {
    const r = await h.request('POST', '/api/v1/auth/owner/sign-in', { body: { phone: 12, code: 'abc' } });
    expect(r.status).toBe(422);
    const details = (r.body as { error: { details: Array<{ path: string }> } }).error.details;
    expect(details.map((d) => d.path).sort()).toEqual(['body.code', 'body.phone']);
  });

  it('answers a too-large body with 413', async () => {
    const r = await h.request('POST', '/api/v1/auth/staff/sign-in', {
      payload: JSON.stringify({ login: 'x', password: 'y'.repeat(2 * 1024 * 1024) }),
      headers: { 'content-type': 'application/json' },
    });
    expect(r.status).toBe(413);
    expect(r.body).toMatchObject({ error: { code: 'request.too_large' } });
  });

  it('answers 401 without a token and 401 with a forged one', async () => {
    expect((await h.request('GET', '/api/v1/orgs')).status).toBe(401);
    const forged = await h.request('GET', '/api/v1/orgs', { token: 'eyJhbGciOiJIUzI1NiJ9.e30.x' });
    expect(forged.status).toBe(401);
    expect(forged.body).toMatchObject({ error: { code: 'auth.invalid_token' } });
  });

  it('every registered route declares its access', () => {
    const missing = h.routes.filter((r) => r.method !== 'HEAD' && r.access === undefined);
    expect(missing).toEqual([]);
    expect(h.routes.length).toBeGreaterThan(10);
  });
});
