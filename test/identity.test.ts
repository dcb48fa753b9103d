import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, TEST_PASSWORD, type Harness } from '../src/testing/harness.js';
import { ensurePlatform } from '../src/modules/identity/bootstrap.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(async () => h.close());

describe('first start and setup', () => {
  it('setup needs the one-time token, works once, and then the token is spent', async () => {
    const fresh = await createHarness();
    const token = await ensurePlatform(fresh.ctx);
    expect(token).toMatch(/^setup-/);
    const wrong = await fresh.request('POST', '/api/v1/setup', {
      body: { setupToken: 'setup-wrong', login: 'op-1', name: 'Op', password: TEST_PASSWORD },
    });
    expect(wrong.status).toBe(401);
    const weak = await fresh.request('POST', '/api/v1/setup', {
      body: { setupToken: token, login: 'op-1', name: 'Op', password: 'short' },
    });
    expect(weak.status).toBe(422);
    const ok = await fresh.request('POST', '/api/v1/setup', {
      body: { setupToken: token, login: 'operator', name: 'Op', password: TEST_PASSWORD },
    });
    expect(ok.status).toBe(201);
    const again = await fresh.request('POST', '/api/v1/setup', {
      body: { setupToken: token, login: 'op-2', name: 'Op', password: TEST_PASSWORD },
    });
    expect(again.status).toBe(401);
    expect(await ensurePlatform(fresh.ctx)).toBeNull();
    await fresh.close();
  });
});

describe('staff sessions', () => {
  beforeAll(async () => {
    await h.operator();
  });
  it('signs in, refreshes with rotation, detects refresh reuse, and logout revokes', async () => {
    const r = await h.request<{ accessToken: string; refreshToken: string }>(
      'POST',
      '/api/v1/auth/staff/sign-in',
      {
        body: { login: 'OPERATOR', password: TEST_PASSWORD },
      },
    );
    expect(r.status).toBe(200);
    const me = await h.request<{ role: string; permissions: string[] }>('GET', '/api/v1/me', {
      token: r.body.accessToken,
    });
    expect(me.body.role).toBe('platform_operator');
    expect(me.body.permissions).toContain('orgs:write');

    const ref = await h.request<{ accessToken: string; refreshToken: string }>(
      'POST',
      '/api/v1/auth/refresh',
      {
        body: { refreshToken: r.body.refreshToken },
      },
    );
    expect(ref.status).toBe(200);
    // The first refresh token was rotated away; presenting it again ends the session.
    const reuse = await h.request('POST', '/api/v1/auth/refresh', {
      body: { refreshToken: r.body.refreshToken },
    });
    expect(reuse.status).toBe(401);
    const afterReuse = await h.request('GET', '/api/v1/me', { token: ref.body.accessToken });
    expect(afterReuse.status).toBe(401);

    const s2 = await h.request<{ accessToken: string }>('POST', '/api/v1/auth/staff/sign-in', {
      body: { login: 'operator', password: TEST_PASSWORD },
    });
    expect((await h.request('POST', '/api/v1/auth/logout', { token: s2.body.accessToken })).status).toBe(204);
    const after = await h.request('GET', '/api/v1/me', { token: s2.body.accessToken });
    expect(after.status).toBe(401);
    expect(after.body).toMatchObject({ error: { code: 'auth.session_ended' } });
  });

  it('expired access tokens are refused with a clear code', async () => {
    const short = await createHarness({ accessTokenTtl: 900 });
    const op = await short.operator();
    short.clock.advance(901_000);
    const me = await short.request('GET', '/api/v1/me', { token: op.token });
    expect(me.status).toBe(401);
    expect(me.body).toMatchObject({ error: { code: 'auth.token_expired' } });
    await short.close();
  });

  it('backs off exponentially per account and address, capped short for the account alone', async () => {
    const bad = (ip: string) =>
      h.app.inject({
        method: 'POST',
        url: '/api/v1/auth/staff/sign-in',
        remoteAddress: ip,
        payload: { login: 'operator', password: 'wrong-password-123' },
      });
    const codes: number[] = [];
    for (let i = 0; i < 5; i++) codes.push((await bad('10.0.0.1')).statusCode);
    expect(codes.slice(0, 3)).toEqual([401, 401, 401]);
    expect(codes.slice(3)).toContain(429);
    // The right password from the attacker's address is still blocked while backing off…
    const blocked = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/staff/sign-in',
      remoteAddress: '10.0.0.1',
      payload: { login: 'operator', password: TEST_PASSWORD },
    });
    expect(blocked.statusCode).toBe(429);
    expect(blocked.headers['retry-after']).toBeTruthy();
    // …while the real person from another address waits at most the short account cap.
    h.clock.advance(61_000);
    const owner = await h.app.inject({
      method: 'POST',
      url: '/api/v1/auth/staff/sign-in',
      remoteAddress: '10.0.0.2',
      payload: { login: 'operator', password: TEST_PASSWORD },
    });
    expect(owner.statusCode).toBe(200);
  });
});

describe('owners sign in with phone and code', () => {
  it('sends a code through the outbox and signs in once with it', async () => {
    const phone = '13812345678';
    const c = await h.request('POST', '/api/v1/auth/owner/code', { body: { phone: '+86 138-1234-5678' } });
    expect(c.status).toBe(200);
    expect(c.body).toMatchObject({ sentTo: '138****5678' });
    const again = await h.request('POST', '/api/v1/auth/owner/code', { body: { phone } });
    expect(again.status).toBe(429);
    const op = await h.operator();
    const outbox = await h.request<{ items: Array<{ payload: { otp: string }; recipientAddress: string }> }>(
      'GET',
      `/api/v1/outbox?to=${phone}`,
      { token: op.token },
    );
    const code = outbox.body.items[0]!.payload.otp;
    const wrong = await h.request('POST', '/api/v1/auth/owner/sign-in', {
      body: { phone, code: code === '000000' ? '111111' : '000000' },
    });
    expect(wrong.status).toBe(401);
    const ok = await h.request<{ user: { kind: string } }>('POST', '/api/v1/auth/owner/sign-in', {
      body: { phone, code },
    });
    expect(ok.status).toBe(200);
    expect(ok.body.user.kind).toBe('owner');
    const reuse = await h.request('POST', '/api/v1/auth/owner/sign-in', { body: { phone, code } });
    expect(reuse.status).toBe(401);
  });

  it('rejects numbers that are not mainland mobiles', async () => {
    const r = await h.request('POST', '/api/v1/auth/owner/code', { body: { phone: '12345' } });
    expect(r.status).toBe(422);
    expect(r.body).toMatchObject({ error: { code: 'phone.invalid' } });
  });

  it('owners cannot reach staff routes', async () => {
    const o = await h.owner();
    expect((await h.request('GET', '/api/v1/orgs', { token: o.token })).status).toBe(403);
  });
});

describe('tenancy and roles', () => {
  it('a store manager of store A gets 404 on store B and cannot create orgs', async () => {
    const a = await h.newChain('Chain A');
    const b = await h.newChain('Chain B');
    const mgrA = await h.staff(a.storeId, 'store_manager');
    const own = await h.request('GET', `/api/v1/orgs/${a.storeId}`, { token: mgrA.token });
    expect(own.status).toBe(200);
    const other = await h.request('GET', `/api/v1/orgs/${b.storeId}`, { token: mgrA.token });
    expect(other.status).toBe(404);
    expect(other.body).toMatchObject({ error: { code: 'org.not_found' } });
    const list = await h.request<{ items: Array<{ id: string }> }>('GET', '/api/v1/orgs', {
      token: mgrA.token,
    });
    expect(list.body.items.map((o) => o.id)).toEqual([a.storeId]);
    const create = await h.request('POST', '/api/v1/orgs', {
      token: mgrA.token,
      body: { kind: 'store', name: 'X', parentId: a.chainId },
    });
    expect(create.status).toBe(403);
  });

  it('a chain admin sees its stores and staff but not another chain’s', async () => {
    const a = await h.newChain('Chain C');
    const b = await h.newChain('Chain D');
    const admin = await h.staff(a.chainId, 'chain_admin');
    const tech = await h.staff(a.storeId, 'technician');
    await h.staff(b.storeId, 'technician');
    const users = await h.request<{ items: Array<{ id: string }> }>('GET', '/api/v1/users', {
      token: admin.token,
    });
    expect(users.body.items.map((u) => u.id)).toContain(tech.userId);
    expect(users.body.items.every((u) => u.id !== undefined)).toBe(true);
    const storeB = await h.request('GET', `/api/v1/orgs/${b.storeId}`, { token: admin.token });
    expect(storeB.status).toBe(404);
    const patchB = await h.request('PATCH', `/api/v1/orgs/${b.storeId}`, {
      token: admin.token,
      body: { name: 'mine' },
    });
    expect(patchB.status).toBe(404);
  });

  it('a manager invites a technician, re-roles and disables them; disabling ends their sessions', async () => {
    const a = await h.newChain();
    const mgr = await h.staff(a.storeId, 'store_manager');
    const inv = await h.request<{ user: { id: string }; inviteToken: string }>(
      'POST',
      '/api/v1/users/invitations',
      {
        token: mgr.token,
        body: {
          orgId: a.storeId,
          role: 'technician',
          name: '李师傅',
          login: 'li-tech',
          phone: '13900001111',
        },
      },
    );
    expect(inv.status).toBe(201);
    const tooHigh = await h.request('POST', '/api/v1/users/invitations', {
      token: mgr.token,
      body: { orgId: a.storeId, role: 'platform_operator', name: 'x', login: 'sneaky' },
    });
    expect(tooHigh.status).toBe(422);
    const wrongOrgKind = await h.request('POST', '/api/v1/users/invitations', {
      token: mgr.token,
      body: { orgId: a.storeId, role: 'chain_admin', name: 'x', login: 'sneaky2' },
    });
    expect(wrongOrgKind.status).toBe(422);
    const accepted = await h.request<{ accessToken: string }>('POST', '/api/v1/auth/accept-invite', {
      body: { inviteToken: inv.body.inviteToken, password: TEST_PASSWORD },
    });
    expect(accepted.status).toBe(200);
    const tech = accepted.body.accessToken;
    expect((await h.request('GET', '/api/v1/me', { token: tech })).status).toBe(200);
    const rerole = await h.request<{ role: string }>('PATCH', `/api/v1/users/${inv.body.user.id}`, {
      token: mgr.token,
      body: { role: 'front_desk' },
    });
    expect(rerole.body.role).toBe('front_desk');
    expect((await h.request('GET', '/api/v1/me', { token: tech })).status).toBe(401);
    const dis = await h.request('PATCH', `/api/v1/users/${inv.body.user.id}`, {
      token: mgr.token,
      body: { status: 'disabled' },
    });
    expect(dis.status).toBe(200);
    const signIn = await h.request('POST', '/api/v1/auth/staff/sign-in', {
      body: { login: 'li-tech', password: TEST_PASSWORD },
    });
    expect(signIn.status).toBe(403);
    const self = await h.request('PATCH', `/api/v1/users/${mgr.userId}`, {
      token: mgr.token,
      body: { status: 'disabled' },
    });
    expect(self.status).toBe(409);
  });

  it('a technician may not list users (403)', async () => {
    const a = await h.newChain();
    const t = await h.staff(a.storeId, 'technician');
    expect((await h.request('GET', '/api/v1/users', { token: t.token })).status).toBe(403);
  });

  it('Idempotency-Key replays the first answer and refuses reuse for another request', async () => {
    const op = await h.operator();
    const a = await h.newChain();
    const body = { kind: 'store', name: 'Idem store', parentId: a.chainId };
    const headers = { 'idempotency-key': 'key-0001-abcdef' };
    const first = await h.request<{ id: string }>('POST', '/api/v1/orgs', { token: op.token, body, headers });
    const second = await h.request<{ id: string }>('POST', '/api/v1/orgs', {
      token: op.token,
      body,
      headers,
    });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body.id).toBe(first.body.id);
    expect(second.headers['idempotent-replayed']).toBe('true');
    const other = await h.request('POST', '/api/v1/orgs', {
      token: op.token,
      body: { ...body, name: 'Other' },
      headers,
    });
    expect(other.status).toBe(422);
    expect(other.body).toMatchObject({ error: { code: 'idempotency.key_reused' } });
  });
});
