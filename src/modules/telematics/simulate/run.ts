/**
 * `pitlane simulate`: sets the scenario's fleet up through the HTTP API (devices, owners, vehicles,
 * bindings, consents) and publishes its telemetry over MQTT, QoS 1, each vehicle on its own device
 * connection. Never touches the data dir. `speed` = simulated seconds per real second (0 = as fast
 * as the broker acknowledges).
 */
import { createHash } from 'node:crypto';
import mqtt, { type MqttClient } from 'mqtt';
import { Api } from '../../../testing/api-client.js';
import { makeVin } from '../../../platform/domain/vin.js';
import { makePlate } from '../../../platform/domain/plate.js';
import { seededRng } from '../../../platform/domain/random.js';
import { vehicleModelId } from '../../catalog/index.js';
import { topicOf } from '../payloads.js';
import { AppError, errorSummary } from '../../../platform/errors.js';
import {
  serviceRecordsOf,
  vehicleMessages,
  type Scenario,
  type ScenarioVehicle,
  type SimMessage,
} from './scenario.js';

export interface SimulateOptions {
  scenario: Scenario;
  url: string;
  mqttUrl: string;
  login: string;
  password: string;
  speed: number;
  /** Messages in flight per device connection. */
  inflight?: number;
  /** Distinguishes the serials/VINs of this run from earlier runs against the same server. */
  runTag?: string;
  log?: (line: string) => void;
  /**
   * Lock-step replay on a simulated clock (benchmarks): all vehicles' messages go out window by
   * window in time order; each window is published only after `before(windowEnd)` resolves and
   * `after(windowEnd)` runs once every message in it is acknowledged. `speed` is ignored.
   */
  step?: {
    windowMs: number;
    before(windowEnd: number): Promise<void>;
    after(windowEnd: number): Promise<void>;
  };
  /** Sees every message as it is published (e.g. to note when a trouble code was first sent). */
  observe?: (vehicleKey: string, m: SimMessage) => void;
  /** Vehicles set up at once (HTTP). */
  setupConcurrency?: number;
}

export interface SimulatedVehicle {
  key: string;
  vehicleId: string;
  deviceId: string;
  serial: string;
  /** The simulated owner's phone (they sign in with a code from the dev outbox). */
  ownerPhone: string;
  published: number;
}

export interface SimulateSummary {
  vehicles: SimulatedVehicle[];
  published: number;
  seconds: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** HTTP with patience for the rate limiter. */
async function must<T>(
  api: Api,
  method: string,
  path: string,
  status: number,
  opts: Parameters<Api['call']>[2] = {},
): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    const r = await api.call<T>(method, path, opts);
    if (r.status === status) return r.body;
    if (r.status === 429 && attempt < 30) {
      const wait =
        (r.body as { error?: { details?: { retryAfterSeconds?: number } } }).error?.details
          ?.retryAfterSeconds ?? 5;
      await sleep(wait * 1000);
      continue;
    }
    throw new Error(`${method} ${path}: expected ${status}, got ${r.status} ${JSON.stringify(r.body)}`);
  }
}

async function setUpVehicle(
  api: Api,
  op: string,
  s: Scenario,
  v: ScenarioVehicle,
  tag: string,
): Promise<Omit<SimulatedVehicle, 'published'> & { credential: string }> {
  const tagSeed = createHash('sha256').update(`${tag}|${v.key}`).digest().readUInt32BE(0);
  const rng = seededRng((v.seed ^ tagSeed) >>> 0);
  const serial = `SIM-${v.key}-${tag}`.slice(0, 40);
  const dev = await must<{ id: string; credential: string }>(api, 'POST', '/api/v1/telematics/devices', 201, {
    token: op,
    body: { serial, model: 'pitlane-sim' },
  });
  const phone = `139${String(tagSeed % 100_000_000).padStart(8, '0')}`;
  await must(api, 'POST', '/api/v1/auth/owner/code', 200, { body: { phone } });
  const out = await must<{ items: Array<{ payload: { otp: string } }> }>(
    api,
    'GET',
    `/api/v1/outbox?to=${phone}&limit=1`,
    200,
    { token: op },
  );
  const otp = out.items[0]?.payload.otp;
  if (!otp)
    throw new Error(
      'no sign-in code in the outbox: run the server in development mode (PITLANE_DEV_OUTBOX=true)',
    );
  const owner = (
    await must<{ accessToken: string }>(api, 'POST', '/api/v1/auth/owner/sign-in', 200, {
      body: { phone, code: otp },
    })
  ).accessToken;
  const veh = await must<{ id: string }>(api, 'POST', '/api/v1/me/vehicles', 201, {
    token: owner,
    body: {
      vin: makeVin(rng),
      plate: makePlate(rng, v.powertrain === 'ev' ? 'nev_small' : 'ordinary'),
      vehicleModelId: vehicleModelId(v.make, v.model),
      odometerKm: Math.round(v.odometerKm),
    },
  });
  await must(api, 'PUT', `/api/v1/me/vehicles/${veh.id}/device`, 200, { token: owner, body: { serial } });
  const { CONSENT_VERSION } = await import('../devices.js');
  for (const purpose of v.consents)
    await must(api, 'PUT', `/api/v1/me/vehicles/${veh.id}/consents/${purpose}`, 200, {
      token: owner,
      body: { granted: true, version: CONSENT_VERSION },
    });
  for (const r of serviceRecordsOf(s, v))
    await must(api, 'POST', `/api/v1/me/vehicles/${veh.id}/service-records`, 201, { token: owner, body: r });
  return {
    key: v.key,
    vehicleId: veh.id,
    deviceId: dev.id,
    serial,
    ownerPhone: phone,
    credential: dev.credential,
  };
}

/**
 * One device connection. A failure to connect the first time is an error; after that the client
 * reconnects by itself and resends unacknowledged QoS 1 messages. `keepalive` 0 (lock-step replays)
 * keeps idle devices connected while the server works through a long window.
 */
function connect(url: string, username: string, password: string, keepalive = 60): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, {
      username,
      password,
      clientId: username,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      keepalive,
    });
    const failed = (e: Error) => {
      c.end(true);
      reject(e);
    };
    c.once('error', failed);
    c.once('connect', () => {
      c.off('error', failed);
      // Later errors (a dropped connection) are the reconnect logic's business.
      c.on('error', () => undefined);
      resolve(c);
    });
  });
}

export async function runSimulation(o: SimulateOptions): Promise<SimulateSummary> {
  const log = o.log ?? (() => undefined);
  const api = new Api(o.url.replace(/\/$/, ''));
  let op: string;
  try {
    op = (
      await must<{ accessToken: string }>(api, 'POST', '/api/v1/auth/staff/sign-in', 200, {
        body: { login: o.login, password: o.password },
      })
    ).accessToken;
  } catch (e) {
    if (e instanceof TypeError)
      throw new AppError(
        'simulate.unreachable',
        'unavailable',
        `Cannot reach Pitlane at ${o.url} (${errorSummary(e.cause ?? e)})`,
      );
    throw e;
  }
  const tag = o.runTag ?? Date.now().toString(36);
  const setUp = await pool(o.scenario.vehicles, o.setupConcurrency ?? 1, (v) =>
    setUpVehicle(api, op, o.scenario, v, tag),
  );
  log(`simulate: ${setUp.length} vehicles set up (run ${tag}); publishing to ${o.mqttUrl}`);
  const began = Date.now();
  const simStart = Date.parse(o.scenario.start);
  const inflight = o.inflight ?? 16;
  if (o.step) {
    const clients = await pool(setUp, 8, (s) => connect(o.mqttUrl, s.deviceId, s.credential, 0));
    try {
      const published = await publishInSteps(o, setUp, clients, o.step, inflight);
      const seconds = (Date.now() - began) / 1000;
      const vehicles = setUp.map((s, i) => ({
        key: s.key,
        vehicleId: s.vehicleId,
        deviceId: s.deviceId,
        serial: s.serial,
        ownerPhone: s.ownerPhone,
        published: published[i]!,
      }));
      return { vehicles, published: published.reduce((a, n) => a + n, 0), seconds };
    } finally {
      await Promise.all(clients.map((c) => c.endAsync()));
    }
  }
  const results = await Promise.all(
    o.scenario.vehicles.map(async (v, i) => {
      const s = setUp[i]!;
      const client = await connect(o.mqttUrl, s.deviceId, s.credential);
      let published = 0;
      const pending = new Set<Promise<unknown>>();
      try {
        for (const m of vehicleMessages(o.scenario, v)) {
          if (o.speed > 0) {
            const due = began + (m.ts - simStart) / o.speed;
            const wait = due - Date.now();
            if (wait > 0) await sleep(wait);
          }
          while (pending.size >= inflight) await Promise.race(pending);
          o.observe?.(v.key, m);
          const p = client
            .publishAsync(topicOf(s.deviceId, m.kind), JSON.stringify(m.payload), { qos: 1 })
            .then(() => {
              published++;
              pending.delete(p);
            });
          pending.add(p);
        }
        await Promise.all(pending);
      } finally {
        await client.endAsync();
      }
      return {
        key: s.key,
        vehicleId: s.vehicleId,
        deviceId: s.deviceId,
        serial: s.serial,
        ownerPhone: s.ownerPhone,
        published,
      };
    }),
  );
  const seconds = (Date.now() - began) / 1000;
  return { vehicles: results, published: results.reduce((a, r) => a + r.published, 0), seconds };
}

/** Runs `fn` over `items`, at most `n` at a time, results in input order. */
async function pool<T, R>(items: readonly T[], n: number, fn: (t: T) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        out[i] = await fn(items[i]!);
      }
    }),
  );
  return out;
}

/** The lock-step replay: window by window, every vehicle's messages of the window, all acknowledged. */
async function publishInSteps(
  o: SimulateOptions,
  setUp: ReadonlyArray<{ key: string; deviceId: string }>,
  clients: MqttClient[],
  step: NonNullable<SimulateOptions['step']>,
  inflight: number,
): Promise<number[]> {
  const streams = o.scenario.vehicles.map((v) => vehicleMessages(o.scenario, v));
  const heads: Array<SimMessage | undefined> = streams.map((g) => g.next().value ?? undefined);
  const published = new Array<number>(streams.length).fill(0);
  const simStart = Date.parse(o.scenario.start);
  for (;;) {
    let first = Infinity;
    for (const h of heads) if (h && h.ts < first) first = h.ts;
    if (!Number.isFinite(first)) break;
    const windowEnd = simStart + (Math.floor((first - simStart) / step.windowMs) + 1) * step.windowMs;
    await step.before(windowEnd);
    await Promise.all(
      heads.map(async (_, i) => {
        const s = setUp[i]!;
        const pending = new Set<Promise<unknown>>();
        while (heads[i] && heads[i].ts < windowEnd) {
          const m = heads[i];
          heads[i] = streams[i]!.next().value ?? undefined;
          while (pending.size >= inflight) await Promise.race(pending);
          o.observe?.(s.key, m);
          const p = clients[i]!.publishAsync(topicOf(s.deviceId, m.kind), JSON.stringify(m.payload), {
            qos: 1,
          }).then(() => {
            published[i]!++;
            pending.delete(p);
          });
          pending.add(p);
        }
        await Promise.all(pending);
      }),
    );
    await step.after(windowEnd);
  }
  return published;
}
