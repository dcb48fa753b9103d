/**
 * The `pitlane` CLI: serve, migrate, demo, backup, restore, and the one-JSON-line-per-argument tools.
 */
import { Command, InvalidArgumentError } from 'commander';
import { ConfigError, loadConfig, type Config } from './config.js';
import { AppError } from './platform/errors.js';
import { DomainError } from './platform/domain/errors.js';
import { geoCommand, plateCommand, vinCommand } from './platform/domain/cli-tools.js';

function config(): Config {
  return loadConfig(process.env);
}

const int = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError(`${name} must be a whole number`);
  return n;
};
const positive = (name: string) => (v: string) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError(`${name} must be a positive number`);
  return n;
};
function emit(out: { lines: string[]; exitCode: 0 | 1 }): void {
  for (const l of out.lines) process.stdout.write(l + '\n');
  process.exitCode = out.exitCode;
}

const program = new Command()
  .name('pitlane')
  .description('Pitlane — open platform for the car aftermarket')
  .showHelpAfterError();

program
  .command('serve')
  .description('Run the server (migrates the database first; prints a setup token on first start)')
  .option('--demo', 'load the demo city first when the database is empty')
  .option('--seed <n>', 'demo seed', int('seed'), 42)
  .option('--city <name>', 'demo city', 'hangzhou')
  .action(async (o: { demo?: boolean; seed: number; city: string }) => {
    const { startServer } = await import('./server.js');
    const running = await startServer(config(), {
      demo: o.demo ? { seed: o.seed, city: o.city } : undefined,
    });
    let stopping = false;
    const stop = (signal: string): void => {
      if (stopping) return;
      stopping = true;
      running.ctx.log.info({ signal }, 'shutting down');
      running.stop().then(
        () => process.exit(0),
        (e: unknown) => {
          console.error(e);
          process.exit(1);
        },
      );
    };
    process.on('SIGINT', () => stop('SIGINT'));
    process.on('SIGTERM', () => stop('SIGTERM'));
  });

program
  .command('migrate')
  .description('Apply database migrations and exit')
  .action(async () => {
    const { openAndMigrate } = await import('./server.js');
    const db = await openAndMigrate(config());
    await db.close();
    console.log('Migrations applied.');
  });

program
  .command('demo')
  .description('Load the demo city into the database (server stopped)')
  .option('--seed <n>', 'seed', int('seed'), 42)
  .option('--city <name>', 'city', 'hangzhou')
  .action(async (o: { seed: number; city: string }) => {
    const { openAndMigrate } = await import('./server.js');
    const { createContext } = await import('./platform/context.js');
    const { createLogger } = await import('./platform/log.js');
    const { loadDemo } = await import('./demo/load-demo.js');
    const cfg = config();
    const db = await openAndMigrate(cfg);
    try {
      const ctx = await createContext(cfg, db, { log: createLogger(cfg.logLevel) });
      const summary = await loadDemo(ctx, o);
      console.log(JSON.stringify(summary));
    } finally {
      await db.close();
    }
  });

program
  .command('backup <file>')
  .description('Write the embedded database and the stored photos to a .tgz file (server stopped)')
  .action(async (file: string) => {
    const { backup } = await import('./cli/backup.js');
    const r = await backup(config(), file);
    console.log(
      `Backup written to ${r.file} (${r.bytes} bytes${r.blobs ? ', with the stored photos and files' : ''}).`,
    );
  });

program
  .command('restore <file>')
  .description('Replace the embedded database with a backup (server stopped; the old data is kept aside)')
  .action(async (file: string) => {
    const { restore } = await import('./cli/backup.js');
    const r = await restore(config(), file);
    console.log(
      `Restored from ${file}.${r.previous ? ` The previous data was moved to ${r.previous}.` : ''}${
        r.previousBlobs ? ` The previous stored files were moved to ${r.previousBlobs}.` : ''
      }`,
    );
  });

program
  .command('vin <vin...>')
  .description('Validate VINs: one JSON line each; exit 1 if any is invalid')
  .action((vins: string[]) => emit(vinCommand(vins)));

program
  .command('plate <plate...>')
  .description('Validate Chinese plates: one JSON line each; exit 1 if any is invalid')
  .action((plates: string[]) => emit(plateCommand(plates)));

program
  .command('geo <point...>')
  .description('Convert lon,lat points between wgs84, gcj02 and bd09')
  .requiredOption('--from <system>', 'wgs84 | gcj02 | bd09')
  .requiredOption('--to <system>', 'wgs84 | gcj02 | bd09')
  .action((points: string[], o: { from: string; to: string }) => emit(geoCommand(points, o.from, o.to)));

const obd = program.command('obd').description('OBD-II tools');
obd
  .command('decode <hex...>')
  .description('Decode ELM327 responses (mode 01/03/07/0A/09): one JSON line each')
  .option('--can', 'mode 03/07/0A answers use the CAN layout (count byte after 43)')
  .action(async (hex: string[], o: { can?: boolean }) => {
    const { obdDecodeCommand } = await import('./modules/telematics/obd/index.js');
    emit(obdDecodeCommand(hex, { can: o.can === true }));
  });

const dispatch = program.command('dispatch').description('Dispatch tools');
dispatch
  .command('vrptw <solomon-file>')
  .description(
    'Solve a Solomon VRPTW instance; prints {"instance","vehicles","distance","routes"} (checked independently)',
  )
  .option('--seconds <s>', 'time limit', positive('--seconds'), 10)
  .option('--seed <n>', 'random seed (same seed, same answer for the same work)', int('--seed'), 1)
  .action(async (file: string, o: { seconds: number; seed: number }) => {
    const { vrptwCommand, SolomonFormatError } = await import('./modules/dispatch/vrptw/index.js');
    try {
      process.stdout.write(JSON.stringify(await vrptwCommand(file, o)) + '\n');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException | undefined)?.code;
      if (code === 'ENOENT' || code === 'EISDIR')
        throw new AppError('cli.no_file', 'not_found', `No instance file at ${file}`);
      if (e instanceof SolomonFormatError)
        throw new AppError('cli.bad_instance', 'validation', `${file}: ${e.message}`);
      throw e;
    }
  });

program
  .command('simulate')
  .description('Publish simulated telemetry for a scenario fleet over MQTT (set up through the HTTP API)')
  .requiredOption('--scenarios <file>', 'scenario file (docs/TELEMETRY.md)')
  .option('--speed <n>', 'simulated seconds per real second (0 = as fast as acknowledged)', '0')
  .option('--url <url>', 'Pitlane HTTP base URL', 'http://127.0.0.1:8080')
  .option('--mqtt <url>', 'MQTT broker the devices publish to', 'mqtt://127.0.0.1:1883')
  .option('--login <login>', 'operator login', 'operator')
  .option('--password <password>', 'operator password (or PITLANE_SIM_PASSWORD)')
  .action(
    async (o: {
      scenarios: string;
      speed: string;
      url: string;
      mqtt: string;
      login: string;
      password?: string;
    }) => {
      const { readFile } = await import('node:fs/promises');
      const { parseScenario } = await import('./modules/telematics/simulate/scenario.js');
      const { runSimulation } = await import('./modules/telematics/simulate/run.js');
      const speed = Number(o.speed);
      if (!Number.isFinite(speed) || speed < 0)
        throw new ConfigError([`--speed=${o.speed}: must be a number ≥ 0`]);
      const password = o.password ?? process.env.PITLANE_SIM_PASSWORD;
      if (!password) throw new ConfigError(['--password (or PITLANE_SIM_PASSWORD) is required']);
      const scenario = parseScenario(JSON.parse(await readFile(o.scenarios, 'utf8')));
      const r = await runSimulation({
        scenario,
        url: o.url,
        mqttUrl: o.mqtt,
        login: o.login,
        password,
        speed,
        log: (l) => console.error(l),
      });
      console.log(JSON.stringify({ simulate: 'done', ...r }));
    },
  );

function explain(e: unknown): number {
  if (e instanceof ConfigError) {
    console.error(e.message);
    return 2;
  }
  if (e instanceof AppError || e instanceof DomainError) {
    console.error(`pitlane: ${e.message}`);
    return e instanceof AppError && e.code === 'platform.data_dir_locked' ? 3 : 1;
  }
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'EADDRINUSE') {
    console.error(`pitlane: the HTTP port is taken (${(e as Error).message}); set PORT to another port`);
    return 1;
  }
  if (code === 'ECONNREFUSED') {
    console.error(`pitlane: cannot reach the database (${(e as Error).message}); check DATABASE_URL`);
    return 1;
  }
  console.error(e);
  return 1;
}

program.parseAsync(process.argv).catch((e: unknown) => {
  process.exit(explain(e));
});
