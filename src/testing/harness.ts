/**
 * Test harness: a fresh database, the real app (buildApp) on a fixed clock, and factories that
 * create orgs and sign people in through the HTTP API, so tests exercise what clients do.
 */
import type { FastifyInstance, InjectOptions } from 'fastify';
import { and, desc, eq } from 'drizzle-orm';
import { testConfig, type Config } from '../config.js';
import { createContext, type AppContext } from '../platform/context.js';
import { FixedClock } from '../platform/clock.js';
import { buildApp } from '../app.js';
import type { RegisteredRoute } from '../platform/http/guard.js';
import type { StaffRole } from '../platform/auth/roles.js';
import { notifications } from '../platform/schema.js';
import { createLogger } from '../platform/log.js';
import { InMemoryBlobStore } from '../platform/blobs/index.js';
import { freshDatabase } from './database.js';
import { ensurePlatform } from '../modules/identity/bootstrap.js';
import { getPlatformOrg } from '../modules/identity/orgs.js';
import { ensureReferenceData } from '../modules/reference-data.js';

export interface Res<T = Record<string, unknown>> {
  status: number;
  body: T;
  headers: Record<string, string | string[] | number | undefined>;
}

export interface Session {
  token: string;
  refreshToken: string;
  userId: string;
  orgId: string | null;
}

export interface Harness {
  ctx: AppContext;
  app: FastifyInstance;
  routes: RegisteredRoute[];
  clock: FixedClock;
  request<T = Record<string, unknown>>(
    method: InjectOptions['method'],
    url: string,
    opts?: {
      token?: string | undefined;
      body?: unknown;
      headers?: Record<string, string>;
      payload?: string | Buffer;
    },
  ): Promise<Res<T>>;
  /** The first platform operator, created through /setup. */
  operator(): Promise<Session>;
  /** A chain (and optionally a store under it) created by the operator. */
  newChain(name?: string): Promise<{ chainId: string; storeId: string }>;
  newStore(parentId: string, name?: string): Promise<string>;
  /** A staff member with a role in an org, invited and signed in. */
  staff(orgId: string, role: StaffRole, name?: string): Promise<Session>;
  /** A car owner signed in with the SMS code read from the outbox. */
  owner(phone?: string): Promise<Session>;
  close(): Promise<void>;
}

let seq = 0;
const PASSWORD = 'correct-horse-battery';

export async function createHarness(overrides: Partial<Config> = {}): Promise<Harness> {
  const database = await freshDatabase();
  const clock = new FixedClock();
  // Access tokens last a year so tests that move the clock by days keep their sessions.
  const config = testConfig({ rateLimit: 0, devOutbox: true, accessTokenTtl: 365 * 86_400, ...overrides });
  const ctx = await createContext(config, database, {
    clock,
    log: createLogger(process.env.PITLANE_TEST_LOG ?? 'silent'),
    blobs: new InMemoryBlobStore(),
  });
  await ctx.db.transaction((tx) => ensureReferenceData(tx, clock.now()));
  const { app, routes } = await buildApp(ctx);
  let operator: Session | undefined;

  const request: Harness['request'] = async (method, url, opts = {}) => {
    const headers: Record<string, string> = { ...(opts.headers ?? {}) };
    if (opts.token) headers.authorization = `Bearer ${opts.token}`;
    const res = await app.inject({
      method,
      url,
      headers,
      ...(opts.payload !== undefined
        ? { payload: opts.payload }
        : opts.body !== undefined
          ? { payload: opts.body as object }
          : {}),
    });
    let body: unknown = res.body;
    try {
      body = res.body ? JSON.parse(res.body) : null;
    } catch {
      /* not JSON */
    }
    return { status: res.statusCode, body: body as never, headers: res.headers };
  };

  const session = (b: Record<string, unknown>): Session => {
    const user = b.user as { id: string; orgId: string | null };
    return {
      token: b.accessToken as string,
      refreshToken: b.refreshToken as string,
      userId: user.id,
      orgId: user.orgId,
    };
  };

  const must = <T>(r: Res<T>, status: number, what: string): T => {
    if (r.status !== status)
      throw new Error(`${what}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  const h: Harness = {
    ctx,
    app,
    routes,
    clock,
    request,
    async operator() {
      if (operator) {
        // Sign in again each time: tests move the clock, and access tokens expire.
        const r = await request('POST', '/api/v1/auth/staff/sign-in', {
          body: { login: 'operator', password: PASSWORD },
        });
        return session(must(r, 200, 'operator sign-in'));
      }
      const token = await ensurePlatform(ctx);
      if (!token) throw new Error('platform already set up');
      const r = await request('POST', '/api/v1/setup', {
        body: { setupToken: token, login: 'operator', name: 'Platform Operator', password: PASSWORD },
      });
      operator = session(must(r, 201, 'setup'));
      return operator;
    },
    async newStore(parentId, name) {
      const op = await h.operator();
      const r = await request('POST', '/api/v1/orgs', {
        token: op.token,
        body: { kind: 'store', name: name ?? `Store ${++seq}`, parentId },
      });
      return must(r, 201, 'create store').id as string;
    },
    async newChain(name) {
      const op = await h.operator();
      const platform = await getPlatformOrg(ctx.db);
      const r = await request('POST', '/api/v1/orgs', {
        token: op.token,
        body: { kind: 'chain', name: name ?? `Chain ${++seq}`, parentId: platform!.id },
      });
      const chainId = must(r, 201, 'create chain').id as string;
      const storeId = await h.newStore(chainId);
      return { chainId, storeId };
    },
    async staff(orgId, role, name) {
      const op = await h.operator();
      const login = `${role.replace(/_/g, '-')}-${++seq}`;
      const inv = must(
        await request('POST', '/api/v1/users/invitations', {
          token: op.token,
          body: { orgId, role, name: name ?? login, login },
        }),
        201,
        'invite',
      );
      const r = await request('POST', '/api/v1/auth/accept-invite', {
        body: { inviteToken: inv.inviteToken, password: PASSWORD },
      });
      return session(must(r, 200, 'accept invite'));
    },
    async owner(phone) {
      const p = phone ?? `139${String(10_000_000 + ++seq).slice(-8)}`;
      must(await request('POST', '/api/v1/auth/owner/code', { body: { phone: p } }), 200, 'owner code');
      const [n] = await ctx.db
        .select()
        .from(notifications)
        .where(and(eq(notifications.recipientAddress, p), eq(notifications.template, 'sign_in_code')))
        .orderBy(desc(notifications.id))
        .limit(1);
      const code = (n!.payload as { otp: string }).otp;
      return session(
        must(
          await request('POST', '/api/v1/auth/owner/sign-in', { body: { phone: p, code } }),
          200,
          'owner sign-in',
        ),
      );
    },
    async close() {
      await app.close();
      await database.close();
    },
  };
  return h;
}

export const TEST_PASSWORD = PASSWORD;
