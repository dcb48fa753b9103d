/**
 * Starting Pitlane for real: open (and lock) the database, migrate, first-start setup, optional demo
 * data, the HTTP server and the background workers. `stop()` shuts down in reverse order.
 */
import type { FastifyInstance } from 'fastify';
import type { Config } from './config.js';
import { openDatabase, type Database } from './platform/db/connect.js';
import { runMigrations } from './platform/db/migrate.js';
import { createContext, type AppContext } from './platform/context.js';
import type { Clock } from './platform/clock.js';
import { createLogger } from './platform/log.js';
import { buildApp } from './app.js';
import { ensurePlatform } from './modules/identity/bootstrap.js';
import { ensureReferenceData } from './modules/reference-data.js';
import { ensureWebBuilt } from './platform/web/ensure-web-built.js';
import { NatsRelay } from './platform/events/nats-relay.js';

export interface Running {
  ctx: AppContext;
  app: FastifyInstance;
  url: string;
  setupToken: string | null;
  stop(): Promise<void>;
}

export interface ServeOptions {
  /** Load demo data first when the database has none. */
  demo?: { seed: number; city: string } | undefined;
  /** Print to stdout (CLI) — tests pass a no-op. */
  print?: (line: string) => void;
  /** The time source (benchmarks replay on a simulated clock); the system clock by default. */
  clock?: Clock;
}

export async function openAndMigrate(config: Config): Promise<Database> {
  const database = await openDatabase(config);
  try {
    await runMigrations(database);
  } catch (e) {
    await database.close();
    throw e;
  }
  return database;
}

export async function startServer(config: Config, opts: ServeOptions = {}): Promise<Running> {
  const print = opts.print ?? ((l: string) => console.log(l));
  const log = createLogger(config.logLevel);
  const database = await openAndMigrate(config);
  let ctx: AppContext | undefined;
  try {
    ctx = await createContext(config, database, { log, ...(opts.clock ? { clock: opts.clock } : {}) });
    const c = ctx;
    await c.db.transaction((tx) => ensureReferenceData(tx, c.clock.now()));
    if (opts.demo) {
      const { loadDemoIfEmpty } = await import('./demo/load-demo.js');
      const loaded = await loadDemoIfEmpty(ctx, opts.demo);
      if (loaded)
        print(
          `Demo city ${opts.demo.city} loaded (seed ${opts.demo.seed}). Sign-ins are listed in README.md.`,
        );
    }
    const setupToken = await ensurePlatform(ctx);
    if (config.webBuild === 'auto') await ensureWebBuilt((line) => log.info(line));
    const { app } = await buildApp(ctx);
    await app.listen({ port: config.port, host: config.host });
    const addr = app.server.address();
    const port = typeof addr === 'object' && addr ? addr.port : config.port;
    const url = `http://localhost:${port}`;
    ctx.bus.start();
    ctx.notifier.start();
    if (config.natsUrl) {
      const relay = new NatsRelay(config.natsUrl, c.db, c.clock, log, () => c.bus.kick());
      await relay.start();
      ctx.lifecycle.onStop(() => relay.stop());
    }
    const { startTelematics } = await import('./modules/telematics/index.js');
    const mqtt = await startTelematics(c, print);
    await ctx.lifecycle.start();
    print(
      `Pitlane is listening on ${url} (database: ${database.kind === 'pglite' ? `embedded PGlite in ${config.dataDir}` : 'PostgreSQL'}); API docs at ${url}/docs`,
    );
    print(
      mqtt.kind === 'embedded'
        ? `Devices connect to the embedded MQTT broker at ${mqtt.url} (docs/TELEMETRY.md)`
        : `Consuming device messages from the MQTT broker at ${mqtt.url}`,
    );
    if (setupToken) {
      print(
        `First start: create the platform operator with this one-time setup token (shown once):\n` +
          `  ${setupToken}\n` +
          `  curl -X POST ${url}/api/v1/setup -H 'content-type: application/json' \\\n` +
          `    -d '{"setupToken":"${setupToken}","login":"admin","name":"Admin","password":"<at least 10 characters>"}'`,
      );
    }
    const running: Running = {
      ctx,
      app,
      url,
      setupToken,
      async stop() {
        await ctx!.lifecycle.stop();
        await ctx!.bus.stop();
        await ctx!.notifier.stop();
        await app.close();
        await database.close();
      },
    };
    return running;
  } catch (e) {
    await ctx?.lifecycle.stop().catch(() => undefined);
    await database.close();
    throw e;
  }
}
