/**
 * The real CLI as a person runs it: first start prints a setup token, data survives a restart and a
 * SIGKILL, a second process on the same data dir is refused, backup/restore round-trips.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, startServerProcess, type ServerProcess } from '../src/testing/process.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pitlane-proc-'));
const env = { PITLANE_DATA_DIR: path.join(dir, 'data') };
let server: ServerProcess | undefined;

afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function json(
  url: string,
  init?: RequestInit,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const r = await fetch(url, {
    ...init,
    headers: { 'content-type': 'application/json', ...(init?.headers ?? {}) },
  });
  return { status: r.status, body: (await r.json()) as Record<string, unknown> };
}

describe.skipIf(!!process.env.DATABASE_URL)(
  'pitlane serve on the embedded database',
  { timeout: 300_000 },
  () => {
    let token = '';
    let chainId = '';

    it('first start prints a setup token that creates the operator', async () => {
      server = await startServerProcess(env);
      expect(server.setupToken).toMatch(/^setup-/);
      expect((await json(`${server.url}/healthz`)).body.status).toBe('ok');
      const setup = await json(`${server.url}/api/v1/setup`, {
        method: 'POST',
        body: JSON.stringify({
          setupToken: server.setupToken,
          login: 'admin',
          name: 'Admin',
          password: 'a-long-password',
        }),
      });
      expect(setup.status).toBe(201);
      token = setup.body.accessToken as string;
      const orgs = await json(`${server.url}/api/v1/orgs?kind=platform`, {
        headers: { authorization: `Bearer ${token}` },
      });
      const platformId = (orgs.body.items as Array<{ id: string }>)[0]!.id;
      const chain = await json(`${server.url}/api/v1/orgs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ kind: 'chain', name: '县城小店', parentId: platformId }),
      });
      expect(chain.status).toBe(201);
      chainId = chain.body.id as string;
    });

    it('refuses a second process on the same data dir with a clear message', async () => {
      const second = await runCli(['migrate'], env);
      expect(second.code).toBe(3);
      expect(second.stderr).toContain('is in use by another Pitlane process');
    });

    it('keeps data across a clean restart and across SIGKILL', async () => {
      expect(await server!.stop('SIGTERM')).toBe(0);
      server = await startServerProcess(env);
      expect(server.setupToken).toBeNull();
      const signIn = await json(`${server.url}/api/v1/auth/staff/sign-in`, {
        method: 'POST',
        body: JSON.stringify({ login: 'admin', password: 'a-long-password' }),
      });
      token = signIn.body.accessToken as string;
      const got = await json(`${server.url}/api/v1/orgs/${chainId}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(got.body.name).toBe('县城小店');

      const store = await json(`${server.url}/api/v1/orgs`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}` },
        body: JSON.stringify({ kind: 'store', name: '一号店', parentId: chainId }),
      });
      expect(store.status).toBe(201);
      await server!.stop('SIGKILL');
      server = await startServerProcess(env);
      const after = await json(`${server.url}/api/v1/orgs/${store.body.id as string}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(after.status).toBe(200);
      expect(after.body.name).toBe('一号店');
    });

    it('backs up and restores the embedded data dir with the server stopped', async () => {
      expect(await runCli(['backup', path.join(dir, 'b.tgz')], env).then((r) => r.code)).toBe(3); // running: refused
      await server!.stop('SIGTERM');
      server = undefined;
      const b = await runCli(['backup', path.join(dir, 'b.tgz')], env);
      expect(b.code).toBe(0);
      const r = await runCli(['restore', path.join(dir, 'b.tgz')], env);
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('previous data was moved');
      server = await startServerProcess(env);
      const signIn = await json(`${server.url}/api/v1/auth/staff/sign-in`, {
        method: 'POST',
        body: JSON.stringify({ login: 'admin', password: 'a-long-password' }),
      });
      expect(signIn.status).toBe(200);
    });

    it('a bad configuration value names the variable and exits non-zero', async () => {
      const r = await runCli(['migrate'], {
        ...env,
        PORT: 'eighty',
        PITLANE_DATA_DIR: path.join(dir, 'other'),
      });
      expect(r.code).toBe(2);
      expect(r.stderr).toContain('PORT="eighty"');
    });
  },
);
