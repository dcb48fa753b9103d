/**
 * `npm run bench -- ingest [--messages 60000] [--devices 20] [--inflight 50] [--pg [postgres://…]]`
 *
 * Device messages from MQTT publish to committed row, against a real `pitlane serve` on embedded
 * PGlite, or with `--pg` on PostgreSQL (readings by COPY): a fresh database per server run, created
 * on the given server (default DATABASE_URL, else postgres://postgres@127.0.0.1:5432/test) and
 * dropped at the end. (1) Through its embedded Aedes broker, (2) through a Mosquitto this benchmark starts on a
 * free port (queue limits raised) with Pitlane consuming via shared subscription. Baselines in the
 * same run, by the same publisher: raw QoS 1 throughput of a bare Aedes and of that Mosquitto. Reports
 * msgs/s, p50/p99 publish→committed latency, the ratio to raw, and verifies that every acknowledged
 * message was stored exactly once. Ends with one JSON line {"bench":"ingest",…}.
 * Target (issue 6): end to end ≥ 50 % of the raw broker throughput and ≥ 20,000 msgs/s.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import mqtt, { type MqttClient } from 'mqtt';
import pg from 'pg';
import { freePort, startServerProcess, type ServerProcess } from '../src/testing/process.js';
import { Api } from '../src/testing/api-client.js';
import { topicOf } from '../src/modules/telematics/payloads.js';

/** `--pg` alone: DATABASE_URL or the local test server; `--pg <url>`: that server. */
function pgOption(argv: string[]): string | undefined {
  const i = argv.indexOf('--pg');
  if (i < 0) return undefined;
  const next = argv[i + 1];
  if (next && !next.startsWith('--')) return next;
  return process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';
}

async function onPg<T>(url: string, f: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return await f(c);
  } finally {
    await c.end();
  }
}

function arg(argv: string[], name: string, def: number): number {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : def;
}

const pct = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const r1 = (x: number) => Math.round(x * 10) / 10;

/** CPU seconds used so far by a process and all its threads (Linux /proc; USER_HZ = 100). */
function procCpuS(pid: number | undefined): number {
  if (pid === undefined) return 0;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return (Number(f[11]) + Number(f[12])) / 100;
  } catch {
    return 0;
  }
}

/** CPU seconds used so far by every process named `postgres` (the server's backends). */
function postgresCpuS(): number {
  let sum = 0;
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      if (readFileSync(`/proc/${d}/comm`, 'utf8').trim() === 'postgres') sum += procCpuS(Number(d));
    } catch {
      // gone meanwhile
    }
  }
  return sum;
}

/**
 * CPU time per message of each part of a run (µs): the publisher (this process), the broker or
 * Pitlane process(es), and PostgreSQL when used. Their sum bounds what the machine can carry:
 * `cores / total` messages per second, whatever the wall clock of one run says.
 */
function cpuMeter(parts: Record<string, number | undefined>, withPostgres: boolean) {
  const start = {
    publisher: process.cpuUsage(),
    procs: Object.fromEntries(Object.entries(parts).map(([k, pid]) => [k, procCpuS(pid)])),
    postgres: withPostgres ? postgresCpuS() : 0,
  };
  return (messages: number): Record<string, number> => {
    const pub = process.cpuUsage(start.publisher);
    const out: Record<string, number> = { publisher: (pub.user + pub.system) / messages };
    for (const [k, pid] of Object.entries(parts))
      out[k] = ((procCpuS(pid) - start.procs[k]!) * 1e6) / messages;
    if (withPostgres) out.postgres = ((postgresCpuS() - start.postgres) * 1e6) / messages;
    const total = Object.values(out).reduce((a, b) => a + b, 0);
    const rounded = Object.fromEntries(Object.entries(out).map(([k, v]) => [k, r1(v)]));
    return {
      ...rounded,
      total: r1(total),
      ceilingMsgsPerSec: Math.round((os.availableParallelism() * 1e6) / total),
    };
  };
}

/** Waits until the server counted `n` messages stored or duplicate (its /metrics; cheap to poll). */
async function waitCommitted(url: string, n: number, waitMs: number): Promise<void> {
  const deadline = Date.now() + waitMs;
  for (;;) {
    const text = await (await fetch(`${url}/metrics`)).text();
    let done = 0;
    for (const m of text.matchAll(/^pitlane_telemetry_messages_total\{[^}]*\} (\d+)$/gm))
      done += Number(m[1]);
    if (done >= n || Date.now() > deadline) return;
    await new Promise((r) => setTimeout(r, 100));
  }
}

const cpuLine = (c: Record<string, number>): string =>
  `CPU µs/msg ${Object.entries(c)
    .filter(([k]) => k !== 'ceilingMsgsPerSec')
    .map(([k, v]) => `${k} ${v}`)
    .join(', ')} → at most ${c.ceilingMsgsPerSec} msgs/s on ${os.availableParallelism()} cores`;

function connect(url: string, opts: mqtt.IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { reconnectPeriod: 0, connectTimeout: 10_000, ...opts });
    c.once('connect', () => resolve(c));
    c.once('error', reject);
  });
}

interface Device {
  id: string;
  credential: string;
}

interface PublishRun {
  seconds: number;
  acked: Map<string, string[]>;
  ackLatencies: number[];
  sentAt: Map<string, number>;
  started: number;
}

/** The same publisher for every run: `devices` connections, `inflight` QoS 1 messages each. */
async function publish(
  url: string,
  devices: Array<{ id: string; username?: string; password?: string }>,
  total: number,
  inflight: number,
  tag: string,
): Promise<PublishRun> {
  const clients = await Promise.all(
    devices.map((d, i) =>
      connect(url, {
        clientId: `bench-${tag}-${i}`,
        ...(d.username ? { username: d.username, password: d.password } : {}),
      }),
    ),
  );
  const per = Math.ceil(total / devices.length);
  const acked = new Map<string, string[]>();
  const sentAt = new Map<string, number>();
  const ackLatencies: number[] = [];
  const started = Date.now();
  const t0 = performance.now();
  await Promise.all(
    clients.map(async (c, i) => {
      const dev = devices[i]!;
      const mine: string[] = [];
      acked.set(dev.id, mine);
      let next = 0;
      const worker = async () => {
        for (;;) {
          const k = next++;
          if (k >= per) return;
          const id = `${tag}-${k}`;
          const now = Date.now();
          sentAt.set(`${dev.id}|${id}`, now);
          const body = JSON.stringify({
            id,
            ts: now,
            battery12vV: 12.5,
            speedKmh: k % 100,
            odometerKm: 10_000 + k / 100,
          });
          const t = performance.now();
          await c.publishAsync(topicOf(dev.id, 'status'), body, { qos: 1 });
          ackLatencies.push(performance.now() - t);
          mine.push(id);
        }
      };
      await Promise.all(Array.from({ length: inflight }, worker));
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  await Promise.all(clients.map((c) => c.endAsync()));
  return { seconds, acked, ackLatencies: ackLatencies.sort((a, b) => a - b), sentAt, started };
}

/** Reads what the server stored per device (ids and receivedAt) through the HTTP API. */
async function stored(
  api: Api,
  token: string,
  deviceId: string,
): Promise<Array<{ messageId: string; receivedAt: string }>> {
  const out: Array<{ messageId: string; receivedAt: string }> = [];
  let cursor: string | null = null;
  do {
    const q: string = cursor ? `&cursor=${cursor}` : '';
    const page: { items: Array<{ messageId: string; receivedAt: string }>; nextCursor: string | null } =
      await api.must('GET', `/api/v1/telematics/devices/${deviceId}/messages?limit=1000${q}`, 200, { token });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return out;
}

interface E2E {
  msgsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  acked: number;
  exactlyOnce: boolean;
  missing: number;
  duplicates: number;
  /** Seconds from the first publish: until the last PUBACK, the first and the last committed row. */
  publishS: number;
  firstCommitS: number;
  lastCommitS: number;
}

/** Waits until every acknowledged message is stored, then checks exactly-once and latency. */
async function verify(api: Api, token: string, run: PublishRun, waitMs: number): Promise<E2E> {
  const deadline = Date.now() + waitMs;
  let rows: Array<{ dev: string; messageId: string; receivedAt: string }> = [];
  let ackedCount = 0;
  for (const ids of run.acked.values()) ackedCount += ids.length;
  for (;;) {
    rows = [];
    for (const dev of run.acked.keys())
      rows.push(...(await stored(api, token, dev)).map((r) => ({ dev, ...r })));
    if (rows.length >= ackedCount || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 500));
  }
  const seen = new Map<string, number>();
  for (const r of rows) seen.set(`${r.dev}|${r.messageId}`, (seen.get(`${r.dev}|${r.messageId}`) ?? 0) + 1);
  let missing = 0;
  for (const [dev, ids] of run.acked) for (const id of ids) if (!seen.has(`${dev}|${id}`)) missing++;
  const duplicates = [...seen.values()].filter((n) => n > 1).length;
  const lat: number[] = [];
  let last = 0;
  let first = Infinity;
  for (const r of rows) {
    const sent = run.sentAt.get(`${r.dev}|${r.messageId}`);
    const at = Date.parse(r.receivedAt);
    if (sent !== undefined) lat.push(at - sent);
    last = Math.max(last, at);
    first = Math.min(first, at);
  }
  lat.sort((a, b) => a - b);
  const seconds = Math.max(run.seconds, (last - run.started) / 1000);
  return {
    msgsPerSec: Math.round(rows.length / seconds),
    p50Ms: r1(pct(lat, 50)),
    p99Ms: r1(pct(lat, 99)),
    acked: ackedCount,
    exactlyOnce: missing === 0 && duplicates === 0,
    missing,
    duplicates,
    publishS: r1(run.seconds),
    firstCommitS: r1((first - run.started) / 1000),
    lastCommitS: r1((last - run.started) / 1000),
  };
}

async function setUp(
  server: ServerProcess,
  n: number,
  tag: string,
): Promise<{ api: Api; token: string; devices: Device[] }> {
  const api = new Api(server.url);
  let token: string;
  if (server.setupToken) {
    token = (
      await api.must<{ accessToken: string }>('POST', '/api/v1/setup', 201, {
        body: { setupToken: server.setupToken, login: 'bench', name: 'Bench', password: 'bench-password-1' },
      })
    ).accessToken;
  } else token = await api.staffToken('bench', 'bench-password-1');
  const devices: Device[] = [];
  for (let i = 0; i < n; i++)
    devices.push(
      await api.must<Device>('POST', '/api/v1/telematics/devices', 201, {
        token,
        body: { serial: `BENCH-${tag}-${i}` },
      }),
    );
  return { api, token, devices };
}

function startMosquitto(port: number, dir: string): ChildProcess | undefined {
  if (spawnSync('mosquitto', ['-h']).error) return undefined;
  const conf = path.join(dir, 'mosquitto.conf');
  writeFileSync(
    conf,
    [
      `listener ${port} 127.0.0.1`,
      'allow_anonymous true',
      'persistence false',
      'max_inflight_messages 0',
      'max_queued_messages 1000000',
      'max_queued_bytes 0',
      'set_tcp_nodelay true',
      'log_type error',
    ].join('\n') + '\n',
  );
  return spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
}

async function waitPort(port: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((r) => {
      const s = net.connect(port, '127.0.0.1');
      s.once('connect', () => {
        s.destroy();
        r(true);
      });
      s.once('error', () => r(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing listens on ${port}`);
}

export default async function bench(argv: string[]): Promise<void> {
  const total = arg(argv, 'messages', 60_000);
  const nDevices = arg(argv, 'devices', 20);
  const inflight = arg(argv, 'inflight', 50);
  const pgUrl = pgOption(argv);
  const profileDir = argv.includes('--profile') ? argv[argv.indexOf('--profile') + 1] : undefined;
  /** `--profile <dir>`: a V8 CPU profile of each server run, written when it stops. */
  const nodeArgs = (tag: string): string[] =>
    profileDir ? ['--cpu-prof', `--cpu-prof-dir=${path.join(profileDir, tag)}`] : [];
  // The servers get their database from here only, never from an inherited DATABASE_URL.
  delete process.env.DATABASE_URL;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitlane-bench-ingest-'));
  const children: ChildProcess[] = [];
  const databases: string[] = [];
  /** Environment for one server run: its own data dir, and its own PostgreSQL database with --pg. */
  const serverEnv = async (tag: string): Promise<Record<string, string>> => {
    const env: Record<string, string> = { PITLANE_DATA_DIR: path.join(dir, tag), PITLANE_RATE_LIMIT: '0' };
    if (!pgUrl) return env;
    const name = `pitlane_bench_ingest_${tag}_${process.pid}`;
    await onPg(pgUrl, async (c) => {
      await c.query(`drop database if exists "${name}" with (force)`);
      await c.query(`create database "${name}"`);
    });
    databases.push(name);
    const u = new URL(pgUrl);
    u.pathname = `/${name}`;
    return { ...env, DATABASE_URL: u.toString() };
  };
  const result: Record<string, unknown> = {
    bench: 'ingest',
    database: pgUrl ? 'postgresql' : 'pglite',
    messages: total,
    devices: nDevices,
    inflight,
  };
  console.log(
    `database: ${pgUrl ? `PostgreSQL (${new URL(pgUrl).host}, readings by COPY)` : 'embedded PGlite'}`,
  );
  try {
    // Raw Aedes baseline.
    const here = path.dirname(fileURLToPath(import.meta.url));
    const raw = spawn(process.execPath, ['--import', 'tsx', path.join(here, '_aedes-raw.ts')], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    children.push(raw);
    const rawPort = await new Promise<number>((resolve) => {
      raw.stdout!.on('data', (d: Buffer) => {
        const m = /port (\d+)/.exec(d.toString());
        if (m) resolve(Number(m[1]));
      });
    });
    const fake = Array.from({ length: nDevices }, (_, i) => ({ id: `dev_raw${i}` }));
    let meter = cpuMeter({ broker: raw.pid }, false);
    const rawAedes = await publish(`mqtt://127.0.0.1:${rawPort}`, fake, total, inflight, 'raw');
    const rawAedesCpu = meter(total);
    const rawAedesRate = Math.round(total / rawAedes.seconds);
    raw.kill('SIGTERM');
    console.log(
      `raw Aedes QoS 1: ${rawAedesRate} msgs/s (p50 ${r1(pct(rawAedes.ackLatencies, 50))} ms, p99 ${r1(pct(rawAedes.ackLatencies, 99))} ms); ${cpuLine(rawAedesCpu)}`,
    );

    // Pitlane with its embedded broker.
    let server = await startServerProcess(await serverEnv('embedded'), [], undefined, nodeArgs('embedded'));
    let mqttUrl = /embedded MQTT broker at (mqtt:\/\/\S+:\d+)/
      .exec(server.output())![1]!
      .replace('localhost', '127.0.0.1');
    let s = await setUp(server, nDevices, 'emb');
    meter = cpuMeter({ pitlane: server.child.pid }, pgUrl !== undefined);
    const emb = await publish(
      mqttUrl,
      s.devices.map((d) => ({ id: d.id, username: d.id, password: d.credential })),
      total,
      inflight,
      'emb',
    );
    // A PUBACK from the embedded broker means committed: nothing is left to wait for.
    const embCpu = meter(total);
    const embE2e = await verify(s.api, s.token, emb, 10_000);
    // Through the embedded broker a PUBACK means committed: its latency is publish→committed.
    const embedded = {
      ...embE2e,
      msgsPerSec: Math.round(total / emb.seconds),
      p50Ms: r1(pct(emb.ackLatencies, 50)),
      p99Ms: r1(pct(emb.ackLatencies, 99)),
      rawMsgsPerSec: rawAedesRate,
      ratio: Math.round((total / emb.seconds / rawAedesRate) * 1000) / 1000,
      cpuUsPerMsg: embCpu,
      rawCpuUsPerMsg: rawAedesCpu,
    };
    console.log(
      `Pitlane + embedded Aedes: ${embedded.msgsPerSec} msgs/s, p50 ${embedded.p50Ms} ms, p99 ${embedded.p99Ms} ms, ` +
        `ratio ${embedded.ratio}, exactly once: ${embedded.exactlyOnce}; ${cpuLine(embCpu)}`,
    );
    result.embedded = embedded;
    await server.stop();

    // Mosquitto started here.
    const mport = await freePort();
    const mosq = startMosquitto(mport, dir);
    if (!mosq) {
      console.log('SKIP Mosquitto runs: no mosquitto binary on PATH');
      result.mosquitto = null;
    } else {
      children.push(mosq);
      await waitPort(mport);
      const murl = `mqtt://127.0.0.1:${mport}`;
      meter = cpuMeter({ mosquitto: mosq.pid }, false);
      const rawM = await publish(murl, fake, total, inflight, 'rawm');
      const rawMCpu = meter(total);
      const rawMRate = Math.round(total / rawM.seconds);
      console.log(
        `raw Mosquitto QoS 1: ${rawMRate} msgs/s (p50 ${r1(pct(rawM.ackLatencies, 50))} ms); ${cpuLine(rawMCpu)}`,
      );
      server = await startServerProcess(
        { ...(await serverEnv('external')), PITLANE_MQTT_URL: murl },
        [],
        undefined,
        nodeArgs('external'),
      );
      mqttUrl = murl;
      s = await setUp(server, nDevices, 'ext');
      await new Promise((r) => setTimeout(r, 1000)); // consumers subscribed
      meter = cpuMeter({ mosquitto: mosq.pid, pitlane: server.child.pid }, pgUrl !== undefined);
      const ext = await publish(
        murl,
        s.devices.map((d) => ({ id: d.id })),
        total,
        inflight,
        'ext',
      );
      await waitCommitted(server.url, total, 300_000);
      const extCpu = meter(total);
      const extE2e = await verify(s.api, s.token, ext, 300_000);
      const external = {
        ...extE2e,
        rawMsgsPerSec: rawMRate,
        ratio: Math.round((extE2e.msgsPerSec / rawMRate) * 1000) / 1000,
        cpuUsPerMsg: extCpu,
        rawCpuUsPerMsg: rawMCpu,
      };
      console.log(
        `Pitlane via Mosquitto: ${external.msgsPerSec} msgs/s publish→committed, p50 ${external.p50Ms} ms, p99 ${external.p99Ms} ms, ` +
          `ratio ${external.ratio}, exactly once: ${external.exactlyOnce}; ${cpuLine(extCpu)}`,
      );
      result.mosquitto = external;
      await server.stop();
    }
  } finally {
    for (const c of children) if (c.exitCode === null) c.kill('SIGTERM');
    rmSync(dir, { recursive: true, force: true });
    if (pgUrl)
      for (const name of databases)
        await onPg(pgUrl, (c) => c.query(`drop database if exists "${name}" with (force)`)).catch(
          (e: unknown) => console.error(`could not drop ${name}: ${String(e)}`),
        );
  }
  console.log(JSON.stringify(result));
}
