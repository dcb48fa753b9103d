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
import { vehicleMessages, type Scenario, type ScenarioVehicle } from './scenario.js';

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
}

export interface SimulatedVehicle {
  key: string;
  vehicleId: string;
  deviceId: string;
  serial: string;
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
  return { key: v.key, vehicleId: veh.id, deviceId: dev.id, serial, credential: dev.credential };
}

function connect(url: string, username: string, password: string): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, {
      username,
      password,
      clientId: username,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
    });
    c.once('connect', () => resolve(c));
    c.once('error', (e) => {
      c.end(true);
      reject(e);
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
  const setUp: Array<Awaited<ReturnType<typeof setUpVehicle>>> = [];
  for (const v of o.scenario.vehicles) setUp.push(await setUpVehicle(api, op, v, tag));
  log(`simulate: ${setUp.length} vehicles set up (run ${tag}); publishing to ${o.mqttUrl}`);
  const began = Date.now();
  const simStart = Date.parse(o.scenario.start);
  const inflight = o.inflight ?? 16;
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
      return { key: s.key, vehicleId: s.vehicleId, deviceId: s.deviceId, serial: s.serial, published };
    }),
  );
  const seconds = (Date.now() - began) / 1000;
  return { vehicles: results, published: results.reduce((a, r) => a + r.published, 0), seconds };
}
