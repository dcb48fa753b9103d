/**
 * `npm run bench -- booking [--seconds 10] [--connections 20] [--seed 42] [--warmup 2]`
 *
 * Slot search and booking creation under concurrent load (autocannon) against a real `pitlane serve`
 * on the demo city, with a trivial route (GET /livez, no database) measured in the same run as the
 * baseline. Each route gets `--warmup` seconds of unmeasured load first (the same requests), so the
 * figures are steady state rather than the first requests after boot. Prints req/s and p50/p99 for
 * each and ends with one JSON line {"bench":"booking",…}.
 * Target: slot search at ≥ 25 % of the trivial route's req/s with p99 < 50 ms.
 */
import autocannon from 'autocannon';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli, startServerProcess } from '../src/testing/process.js';
import { Api } from '../src/testing/api-client.js';
import { vehicleModelId } from '../src/modules/catalog/index.js';
import { addDays, utcToLocal } from '../src/platform/time.js';

interface Result {
  rps: number;
  p50: number;
  p99: number;
  requests: number;
  non2xx: number;
  errors: number;
}

function arg(argv: string[], name: string, def: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
}

/** Seconds of unmeasured load before each measured run (JIT, connection pools, caches). */
let warmupSeconds = 2;

async function load(opts: autocannon.Options, afterWarmup?: () => void): Promise<Result> {
  if (warmupSeconds > 0)
    await autocannon({
      ...opts,
      duration: warmupSeconds,
      renderProgressBar: false,
      renderResultsTable: false,
    } as autocannon.Options);
  afterWarmup?.();
  const r = await autocannon({
    ...opts,
    renderProgressBar: false,
    renderResultsTable: false,
  } as autocannon.Options);
  return {
    rps: Math.round(r.requests.average),
    p50: r.latency.p50,
    p99: r.latency.p99,
    requests: r.requests.total,
    non2xx: r.non2xx,
    errors: r.errors,
  };
}

export default async function bench(argv: string[]): Promise<void> {
  const seconds = arg(argv, 'seconds', 10);
  const connections = arg(argv, 'connections', 20);
  const seed = arg(argv, 'seed', 42);
  warmupSeconds = arg(argv, 'warmup', 2);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitlane-bench-booking-'));
  const env = {
    PITLANE_DATA_DIR: path.join(dir, 'data'),
    PITLANE_RATE_LIMIT: '0',
    PITLANE_LOG_LEVEL: 'warn',
  };
  console.log(`Loading the demo city (seed ${seed}) into ${env.PITLANE_DATA_DIR} …`);
  const demo = await runCli(['demo', '--seed', String(seed)], env, 900_000);
  if (demo.code !== 0) throw new Error(`demo load failed: ${demo.stderr}`);
  const server = await startServerProcess(env);
  try {
    const api = new Api(server.url);
    const op = await api.staffToken('operator', 'pitlane-demo');
    const stores = (
      await api.must<{ items: Array<{ id: string }> }>(
        'GET',
        '/api/v1/stores?lon=120.2&lat=30.28&coord=gcj02&radiusKm=60&limit=100',
        200,
      )
    ).items.map((s) => s.id);
    const lavida = vehicleModelId('Volkswagen', 'Lavida');
    const owners: Array<{ token: string; vehicleId: string }> = [];
    for (let i = 0; i < 40; i++) {
      const token = await api.ownerToken(`1380000${String(1000 + i)}`, op);
      owners.push({ token, vehicleId: await api.addVehicle(token, lavida, 500 + i) });
    }
    const tomorrow = addDays(utcToLocal(new Date(), 'Asia/Shanghai').day, 1);
    const browseModels = [
      lavida,
      vehicleModelId('Volkswagen', 'Sagitar'),
      vehicleModelId('Nissan', 'Sylphy'),
      vehicleModelId('Toyota', 'Corolla'),
    ];
    const browseJobs = ['minor_service', 'brake_pads_front', 'wipers', 'tyre_rotate'];
    const host = server.url;
    console.log(
      `Server ${host}; ${stores.length} stores; ${owners.length} owners; ${connections} connections × ${seconds} s per run`,
    );

    // Other work on the machine skews the ratio (the server and autocannon share its cores): the
    // 1-minute load average before the baseline and after the slot search run is reported with it.
    const loadBefore = Math.round(os.loadavg()[0]! * 100) / 100;
    const trivial = await load({ url: `${host}/livez`, connections, duration: seconds });
    let i = 0;
    const slot = await load({
      url: host,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'GET',
          setupRequest: (req) => {
            // Varied questions, as owners browsing ask them: 30 stores × 4 models × 4 jobs × 7 days
            // (3,360 distinct), so repeats within a second are the minority.
            const n = i++;
            const s = stores[n % stores.length]!;
            const model = browseModels[Math.floor(n / 7) % browseModels.length]!;
            const job = browseJobs[Math.floor(n / 11) % browseJobs.length]!;
            const day = addDays(tomorrow, Math.floor(n / 13) % 7);
            return {
              ...req,
              path: `/api/v1/stores/${s}/availability?vehicleModelId=${model}&items=${job}&day=${day}`,
            };
          },
        },
      ],
    });
    const loadAfter = Math.round(os.loadavg()[0]! * 100) / 100;
    const search = await load({
      url: host,
      connections,
      duration: seconds,
      requests: [
        {
          method: 'POST',
          path: '/api/v1/search',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            near: { lon: 120.16, lat: 30.27, coord: 'gcj02' },
            radiusKm: 8,
            vehicleModelId: lavida,
            items: ['minor_service'],
            days: 2,
            maxStores: 10,
          }),
        },
      ],
    });
    let k = 0;
    let created = 0;
    let conflicts = 0;
    const base = Date.parse(`${tomorrow}T01:00:00.000Z`);
    const booking = await load(
      {
        url: host,
        connections,
        duration: seconds,
        requests: [
          {
            method: 'POST',
            setupRequest: (req) => {
              const n = k++;
              const o = owners[n % owners.length]!;
              const store = stores[Math.floor(n / 7) % stores.length]!;
              const startAt = new Date(
                base + (n % 28) * 15 * 60_000 + Math.floor(n / (28 * stores.length)) * 86_400_000,
              ).toISOString();
              return {
                ...req,
                path: '/api/v1/bookings',
                headers: { 'content-type': 'application/json', authorization: `Bearer ${o.token}` },
                body: JSON.stringify({
                  storeId: store,
                  vehicleId: o.vehicleId,
                  items: ['wipers'],
                  startAt,
                  confirm: true,
                }),
              };
            },
            onResponse: (status) => {
              if (status === 201) created++;
              else if (status === 409) conflicts++;
            },
          },
        ],
      },
      () => {
        created = 0;
        conflicts = 0;
      },
    );

    const ratio = Math.round((slot.rps / trivial.rps) * 1000) / 1000;
    const row = (name: string, r: Result) =>
      `${name.padEnd(22)} ${String(r.rps).padStart(7)} req/s   p50 ${String(r.p50).padStart(4)} ms   p99 ${String(r.p99).padStart(4)} ms   (${r.requests} requests, ${r.non2xx} non-2xx, ${r.errors} errors)`;
    console.log(row('trivial GET /livez', trivial));
    console.log(row('slot search (1 store)', slot));
    console.log(row('search (10 stores)', search));
    console.log(row('booking create', booking) + `   created ${created}, slot taken ${conflicts}`);
    const met = ratio >= 0.25 && slot.p99 < 50;
    console.log(
      `slot search / trivial = ${ratio} (target ≥ 0.25), slot search p99 ${slot.p99} ms (target < 50 ms): ${met ? 'met' : 'NOT met'}`,
    );
    console.log(
      `machine load average (1 min): ${loadBefore} before the baseline, ${loadAfter} after slot search`,
    );
    console.log(
      JSON.stringify({
        bench: 'booking',
        seconds,
        warmupSeconds,
        connections,
        trivial,
        slotSearch: slot,
        search,
        booking: { ...booking, created, conflicts },
        slotSearchRatio: ratio,
        targetMet: met,
        loadAvg1m: { before: loadBefore, after: loadAfter },
      }),
    );
  } finally {
    await server.stop('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
  }
}
