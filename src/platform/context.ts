/**
 * The application context: what every service and route receives. Built once per process (or per
 * test) from the config and an open database.
 */
import type { Logger } from 'pino';
import { eq } from 'drizzle-orm';
import type { Config } from '../config.js';
import type { Database } from './db/connect.js';
import type { Db, DbKind } from './db/types.js';
import { systemClock, type Clock } from './clock.js';
import { createLogger } from './log.js';
import { EventBus } from './events/bus.js';
import {
  DevLogAdapter,
  InAppAdapter,
  Notifier,
  WebhookAdapter,
  type ChannelAdapter,
} from './notify/notifier.js';
import { TokenService, randomToken } from './auth/tokens.js';
import { Metrics } from './http/metrics.js';
import { settings } from './schema.js';
import type { Channel } from './notify/outbox.js';
import { createBlobStore, type BlobStore } from './blobs/index.js';

export interface AppContext {
  config: Config;
  database: Database;
  db: Db;
  dbKind: DbKind;
  clock: Clock;
  log: Logger;
  bus: EventBus;
  notifier: Notifier;
  tokens: TokenService;
  metrics: Metrics;
  /** Files (inspection photos, reports): local disk under the data dir by default. */
  blobs: BlobStore;
  /** Module services register start/stop hooks here (pollers, MQTT…); `serve` runs them. */
  lifecycle: Lifecycle;
}

export interface Lifecycle {
  onStart(fn: () => Promise<void> | void): void;
  onStop(fn: () => Promise<void> | void): void;
  start(): Promise<void>;
  stop(): Promise<void>;
}

function lifecycle(): Lifecycle {
  const starts: Array<() => Promise<void> | void> = [];
  const stops: Array<() => Promise<void> | void> = [];
  return {
    onStart: (fn) => void starts.push(fn),
    onStop: (fn) => void stops.push(fn),
    async start() {
      for (const fn of starts) await fn();
    },
    async stop() {
      for (const fn of [...stops].reverse()) await fn();
    },
  };
}

/** Reads a setting, creating it with `make()` when absent (race-safe across processes). */
export async function ensureSetting<T>(db: Db, key: string, make: () => T): Promise<T> {
  await db
    .insert(settings)
    .values({ key, value: make() as object })
    .onConflictDoNothing();
  const [row] = await db.select().from(settings).where(eq(settings.key, key));
  return row!.value as T;
}

export async function createContext(
  config: Config,
  database: Database,
  opts: {
    clock?: Clock;
    log?: Logger;
    adapters?: Partial<Record<Channel, ChannelAdapter>>;
    blobs?: BlobStore;
  } = {},
): Promise<AppContext> {
  const log = opts.log ?? createLogger(config.logLevel);
  const clock = opts.clock ?? systemClock;
  const db = database.db;
  const secret = config.tokenSecret ?? (await ensureSetting(db, 'token_secret', () => randomToken(48)));
  const tokens = new TokenService(secret, config.accessTokenTtl);
  const fallback: ChannelAdapter = config.devOutbox
    ? new DevLogAdapter(log)
    : { send: () => Promise.reject(new Error('no provider configured for this channel')) };
  const adapters: Record<Channel, ChannelAdapter> = {
    in_app: new InAppAdapter(),
    sms: config.smsWebhookUrl ? new WebhookAdapter(config.smsWebhookUrl, secret) : fallback,
    wechat: config.wechatWebhookUrl ? new WebhookAdapter(config.wechatWebhookUrl, secret) : fallback,
    ...opts.adapters,
  };
  const metrics = new Metrics(config.env !== 'test');
  metrics.dbInfo.set({ kind: database.kind }, 1);
  return {
    config,
    database,
    db,
    dbKind: database.kind,
    clock,
    log,
    bus: new EventBus(db, clock, log),
    notifier: new Notifier(db, clock, log, adapters),
    tokens,
    metrics,
    blobs: opts.blobs ?? createBlobStore(config.dataDir),
    lifecycle: lifecycle(),
  };
}
