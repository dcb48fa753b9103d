/**
 * The demo city, deterministic by seed: a chain HQ with 2 franchisees and 30 stores, staff with
 * sign-ins (README lists them), and 2,000 car owners. The steps in steps.ts add each module's part
 * (store set-up, vehicles, 60 days of history…), in order, on the same seeded generator.
 */
import { sql } from 'drizzle-orm';
import type { AppContext } from '../platform/context.js';
import type { StaffPrincipal } from '../platform/auth/principal.js';
import type { Executor } from '../platform/db/types.js';
import { seededRng, randomInt, type Rng } from '../platform/domain/random.js';
import { newId } from '../platform/domain/ids.js';
import { hashPassword } from '../platform/auth/passwords.js';
import type { StaffRole } from '../platform/auth/roles.js';
import { orgs, users } from '../modules/identity/schema.js';
import { createPlatformOrg, getPlatformOrg, ORG_PREFIX } from '../modules/identity/orgs.js';
import { cityOrThrow, type DemoCity, type DemoDistrict } from './city.js';
import { ensureReferenceData } from '../modules/reference-data.js';

export const DEMO_PASSWORD = 'pitlane-demo';

export interface DemoStore {
  id: string;
  path: string;
  name: string;
  district: DemoDistrict;
  /** GCJ-02 as a person would read it off a Chinese map. */
  gcj: { lon: number; lat: number };
  index: number;
}

export interface DemoOwner {
  userId: string;
  phone: string;
  name: string;
  district: DemoDistrict;
  home: { lon: number; lat: number };
}

export interface DemoWorld {
  rng: Rng;
  seed: number;
  city: DemoCity;
  now: Date;
  platform: { id: string; path: string };
  chain: { id: string; path: string };
  franchisees: Array<{ id: string; path: string }>;
  stores: DemoStore[];
  owners: DemoOwner[];
  staff: Array<{ userId: string; storeId: string | null; role: StaffRole; name: string; login: string }>;
  passwordHash: string;
  historyDays: number;
  vehicles: Array<{
    id: string;
    ownerIndex: number;
    modelId: string;
    powertrain: string;
    year: number;
    odometerKm: number;
  }>;
  summary: Record<string, number | string>;
}

/** The demo's platform operator as a principal, for steps that go through module services. */
export function demoOperator(w: DemoWorld): StaffPrincipal {
  const op = w.staff.find((s) => s.role === 'platform_operator')!;
  return {
    kind: 'staff',
    userId: op.userId,
    sessionId: 'demo',
    role: 'platform_operator',
    orgId: w.platform.id,
    orgPath: w.platform.path,
  };
}

/** A later module's contribution to the demo (stores' bays, vehicles, bookings…). */
export type DemoStep = (ctx: AppContext, tx: Executor, world: DemoWorld) => Promise<void>;

const SURNAMES =
  '王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈';
const GIVEN = '伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红娥玲芬燕彬鹏辉浩宇轩博文睿思雨欣怡晨阳';

export function personName(rng: Rng): string {
  const s = SURNAMES.charAt(randomInt(rng, SURNAMES.length));
  const n = 1 + randomInt(rng, 2);
  let g = '';
  for (let i = 0; i < n; i++) g += GIVEN.charAt(randomInt(rng, GIVEN.length));
  return s + g;
}

export function jitter(rng: Rng, d: DemoDistrict): { lon: number; lat: number } {
  // Roughly normal around the district centre.
  const g = () => (rng() + rng() + rng() - 1.5) / 1.5;
  return { lon: +(d.lon + g() * d.spread).toFixed(6), lat: +(d.lat + g() * d.spread).toFixed(6) };
}

const STORE_BRANDS = ['驰加', '养车坊', '快修站', '汽服中心', '车管家'];

async function insertBatches<T extends Record<string, unknown>>(
  tx: Executor,
  table: Parameters<Executor['insert']>[0],
  rows: T[],
  size = 500,
): Promise<void> {
  for (let i = 0; i < rows.length; i += size) {
    await tx.insert(table).values(rows.slice(i, i + size) as never);
  }
}

export { insertBatches };

export async function loadDemo(
  ctx: AppContext,
  opts: { seed: number; city: string; owners?: number; historyDays?: number },
): Promise<Record<string, number | string>> {
  const { DEMO_STEPS } = await import('./steps.js');
  const city = cityOrThrow(opts.city);
  const rng = seededRng(opts.seed);
  const now = ctx.clock.now();
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  return ctx.db.transaction(async (tx) => {
    await ensureReferenceData(tx, now);
    const [{ n }] = (await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(orgs)
      .where(sql`${orgs.kind} <> 'platform'`)) as [{ n: number }];
    if (n > 0) throw new Error('The database already has orgs; the demo loads only into an empty database');
    const platform = (await getPlatformOrg(tx)) ?? (await createPlatformOrg(tx, 'Pitlane 平台', now));
    const mkOrg = async (
      kind: 'chain' | 'franchisee' | 'store',
      name: string,
      parent: { id: string; path: string },
    ) => {
      const id = newId(ORG_PREFIX[kind]);
      const path = `${parent.path}${id}/`;
      await tx.insert(orgs).values({ id, kind, name, parentId: parent.id, path, createdAt: now });
      return { id, path };
    };
    const chain = await mkOrg('chain', `${city.name}途安养车连锁`, platform);
    const franchisees = [
      await mkOrg('franchisee', `${city.name}西城加盟商`, chain),
      await mkOrg('franchisee', `${city.name}东城加盟商`, chain),
    ];
    const stores: DemoStore[] = [];
    for (let i = 0; i < 30; i++) {
      const district = city.districts[i % city.districts.length]!;
      const parent = i < 10 ? chain : franchisees[i < 20 ? 0 : 1]!;
      const name = `${STORE_BRANDS[i % STORE_BRANDS.length]}·${district.name}${i + 1}号店`;
      const o = await mkOrg('store', name, parent);
      stores.push({ ...o, name, district, gcj: jitter(rng, district), index: i + 1 });
    }

    const staff: DemoWorld['staff'] = [];
    const staffRows: Array<typeof users.$inferInsert> = [];
    const addStaff = (
      org: { id: string; path: string },
      storeId: string | null,
      role: StaffRole,
      login: string,
    ) => {
      const id = newId('usr');
      const name = personName(rng);
      staff.push({ userId: id, storeId, role, name, login });
      staffRows.push({
        id,
        kind: 'staff',
        name,
        login,
        orgId: org.id,
        orgPath: org.path,
        role,
        status: 'active',
        passwordHash,
        createdAt: now,
      });
    };
    addStaff(platform, null, 'platform_operator', 'operator');
    addStaff(platform, null, 'regulator', 'regulator');
    addStaff(chain, null, 'chain_admin', 'hq-admin');
    addStaff(chain, null, 'warehouse', 'hq-warehouse');
    franchisees.forEach((f, i) => addStaff(f, null, 'chain_admin', `franchisee${i + 1}-admin`));
    for (const s of stores) {
      addStaff(s, s.id, 'store_manager', `store${s.index}-manager`);
      addStaff(s, s.id, 'front_desk', `store${s.index}-desk`);
      const techs = 3 + randomInt(rng, 3);
      for (let t = 1; t <= techs; t++) addStaff(s, s.id, 'technician', `store${s.index}-tech${t}`);
    }
    await insertBatches(tx, users, staffRows);

    const ownerCount = opts.owners ?? 2000;
    const owners: DemoOwner[] = [];
    const ownerRows: Array<typeof users.$inferInsert> = [];
    const phones = new Set<string>();
    while (owners.length < ownerCount) {
      const prefix = city.phonePrefixes[randomInt(rng, city.phonePrefixes.length)]!;
      const phone = prefix + String(randomInt(rng, 100_000_000)).padStart(8, '0');
      if (phones.has(phone)) continue;
      phones.add(phone);
      const district = city.districts[randomInt(rng, city.districts.length)]!;
      const id = newId('usr');
      const name = personName(rng);
      owners.push({ userId: id, phone, name, district, home: jitter(rng, district) });
      ownerRows.push({ id, kind: 'owner', name, phone, role: 'owner', status: 'active', createdAt: now });
    }
    // A fixed, documented demo owner first in the list.
    owners[0]!.phone = '13800138000';
    ownerRows[0]!.phone = '13800138000';
    await insertBatches(tx, users, ownerRows);

    const world: DemoWorld = {
      rng,
      seed: opts.seed,
      city,
      now,
      platform: { id: platform.id, path: platform.path },
      chain,
      franchisees,
      stores,
      owners,
      staff,
      passwordHash,
      historyDays: opts.historyDays ?? 60,
      vehicles: [],
      summary: {
        city: city.key,
        seed: opts.seed,
        chains: 1,
        franchisees: 2,
        stores: stores.length,
        staff: staffRows.length,
        owners: owners.length,
      },
    };
    for (const step of DEMO_STEPS) await step(ctx, tx, world);
    return world.summary;
  });
}

/** Loads the demo when the database has no chain yet; returns whether it did. */
export async function loadDemoIfEmpty(
  ctx: AppContext,
  opts: { seed: number; city: string },
): Promise<boolean> {
  const [row] = await ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(orgs)
    .where(sql`${orgs.kind} <> 'platform'`);
  if ((row?.n ?? 0) > 0) return false;
  await loadDemo(ctx, opts);
  return true;
}
