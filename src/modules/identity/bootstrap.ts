/**
 * First start on an empty database: create the platform org and a one-time setup token that is
 * printed once. `POST /api/v1/setup` with that token creates the first platform operator. Until
 * then each start prints a fresh token (the previous one stops working).
 */
import { and, eq } from 'drizzle-orm';
import { AppError } from '../../platform/errors.js';
import type { AppContext } from '../../platform/context.js';
import { randomToken, sha256 } from '../../platform/auth/tokens.js';
import { settings } from '../../platform/schema.js';
import { createPlatformOrg, getPlatformOrg } from './orgs.js';
import { createStaffUser } from './staff.js';
import { openSession, type ClientInfo, type TokenPair } from './sessions.js';
import { users } from './schema.js';

interface SetupState {
  tokenHash: string;
  createdAt: string;
  completedAt: string | null;
}

/** Returns a new setup token to print, or null when an operator already exists. */
export async function ensurePlatform(ctx: AppContext, name = 'Pitlane'): Promise<string | null> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const platform = (await getPlatformOrg(tx)) ?? (await createPlatformOrg(tx, name, now));
    const [operator] = await tx
      .select({ id: users.id })
      .from(users)
      .where(
        and(eq(users.orgId, platform.id), eq(users.role, 'platform_operator'), eq(users.status, 'active')),
      )
      .limit(1);
    if (operator) return null;
    const token = `setup-${randomToken(18)}`;
    const state: SetupState = { tokenHash: sha256(token), createdAt: now.toISOString(), completedAt: null };
    await tx
      .insert(settings)
      .values({ key: 'setup', value: state })
      .onConflictDoUpdate({ target: settings.key, set: { value: state, updatedAt: now } });
    return token;
  });
}

export async function completeSetup(
  ctx: AppContext,
  input: {
    setupToken: string;
    login: string;
    name: string;
    password: string;
    platformName?: string | undefined;
  },
  client: ClientInfo,
): Promise<TokenPair> {
  const now = ctx.clock.now();
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(settings).where(eq(settings.key, 'setup')).for('update');
    const state = row?.value as SetupState | undefined;
    if (!state || state.completedAt || state.tokenHash !== sha256(input.setupToken.trim())) {
      throw new AppError(
        'setup.bad_token',
        'unauthenticated',
        'The setup token is not valid (it is printed once at first start)',
      );
    }
    const platform = await getPlatformOrg(tx);
    if (!platform)
      throw new AppError('setup.no_platform', 'conflict', 'Restart the server to initialise the platform');
    const user = await createStaffUser(
      tx,
      {
        orgId: platform.id,
        orgPath: platform.path,
        role: 'platform_operator',
        name: input.name,
        login: input.login,
        password: input.password,
      },
      now,
    );
    await tx
      .update(settings)
      .set({ value: { ...state, completedAt: now.toISOString() }, updatedAt: now })
      .where(eq(settings.key, 'setup'));
    return openSession(ctx, tx, user, client);
  });
}
