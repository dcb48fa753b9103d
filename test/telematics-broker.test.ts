/**
 * Device messages through a real MQTT broker, published with mqtt.js: the embedded Aedes broker
 * (authentication, own topics only, PUBACK after commit, rejects counted, port fallback) and, when
 * Mosquitto answers on 127.0.0.1:1883, the external-broker consumers with a shared subscription.
 */
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import mqtt, { type MqttClient } from 'mqtt';
import { createHarness, type Harness, type Session } from '../src/testing/harness.js';
import {
  Ingestor,
  startEmbeddedBroker,
  startExternalConsumer,
  topicOf,
  type BrokerHandle,
} from '../src/modules/telematics/index.js';
import { telematicsReadings } from '../src/modules/telematics/schema.js';

let h: Harness;
let op: Session;
let ingestor: Ingestor;
let broker: BrokerHandle;
const printed: string[] = [];
beforeAll(async () => {
  h = await createHarness();
  op = await h.operator();
  ingestor = new Ingestor(h.ctx);
  broker = await startEmbeddedBroker(h.ctx, ingestor, {
    port: 0,
    host: '127.0.0.1',
    print: (l) => printed.push(l),
  });
});
afterAll(async () => {
  await broker?.stop();
  await h.close();
});

let n = 0;
async function newDevice() {
  const r = await h.request<{ id: string; credential: string }>('POST', '/api/v1/telematics/devices', {
    token: op.token,
    body: { serial: `MQ-${++n}-${Date.now() % 100000}` },
  });
  expect(r.status).toBe(201);
  return r.body;
}

function connect(
  url: string,
  username: string,
  password: string,
  extra: mqtt.IClientOptions = {},
): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const c = mqtt.connect(url, { username, password, reconnectPeriod: 0, connectTimeout: 5000, ...extra });
    c.once('connect', () => resolve(c));
    c.once('error', (e) => {
      c.end(true);
      reject(e);
    });
  });
}

async function rowsOf(deviceId: string) {
  return h.ctx.db.select().from(telematicsReadings).where(eq(telematicsReadings.deviceId, deviceId));
}

const T0 = Date.parse('2026-06-01T01:00:00Z');

describe('embedded Aedes broker', () => {
  it('acknowledges a QoS 1 message only once it is committed, and dedupes a resend', async () => {
    const dev = await newDevice();
    const c = await connect(broker.url, dev.id, dev.credential);
    const body = JSON.stringify({ id: 'q1-1', ts: T0, battery12vV: 12.6, ignition: false });
    for (let i = 0; i < 3; i++) {
      await c.publishAsync(topicOf(dev.id, 'status'), body, { qos: 1 });
      // The PUBACK arrived: the row must already be there (no waiting).
      const rows = await rowsOf(dev.id);
      expect(rows).toHaveLength(1);
    }
    // A batch of many messages in flight at once: each acknowledged one is stored exactly once.
    await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        c.publishAsync(
          topicOf(dev.id, 'status'),
          JSON.stringify({ id: `q1-b${i}`, ts: T0 + i, battery12vV: 12.5 }),
          {
            qos: 1,
          },
        ),
      ),
    );
    expect(await rowsOf(dev.id)).toHaveLength(201);
    await c.endAsync();
    const list = await h.request<{
      items: Array<{ id: string; lastSeenAt: string | null; online: boolean }>;
    }>('GET', '/api/v1/telematics/devices?limit=200', { token: op.token });
    expect(list.body.items.find((d) => d.id === dev.id)).toMatchObject({ online: true });
  });

  it('refuses a wrong credential and an unknown device at CONNECT', async () => {
    const dev = await newDevice();
    await expect(connect(broker.url, dev.id, 'dk_wrong')).rejects.toThrow(
      /Bad username or password|Not authorized/i,
    );
    await expect(connect(broker.url, 'dev_01j9z3k8q4m2x7v5r0t6n8w1yc', 'x')).rejects.toThrow();
    const m = String((await h.request('GET', '/metrics')).body);
    expect(m).toMatch(/pitlane_telemetry_rejected_total\{reason="bad_credentials"\} [1-9]/);
    expect(m).toMatch(/pitlane_telemetry_connections_total\{result="unknown_device"\} [1-9]/);
  });

  it('disconnects a device that publishes to another device’s topic and stores nothing', async () => {
    const a = await newDevice();
    const b = await newDevice();
    const c = await connect(broker.url, a.id, a.credential);
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(topicOf(b.id, 'status'), JSON.stringify({ id: 'spoof', ts: T0 }), { qos: 1 });
    await closed;
    c.end(true);
    expect(await rowsOf(b.id)).toHaveLength(0);
    expect(await rowsOf(a.id)).toHaveLength(0);
    expect(String((await h.request('GET', '/metrics')).body)).toMatch(
      /pitlane_telemetry_rejected_total\{reason="wrong_topic"\} [1-9]/,
    );
  });

  it('acknowledges and drops malformed and oversized payloads, and keeps serving the device', async () => {
    const dev = await newDevice();
    const c = await connect(broker.url, dev.id, dev.credential);
    await c.publishAsync(topicOf(dev.id, 'gps'), '{not json', { qos: 1 });
    await c.publishAsync(
      topicOf(dev.id, 'obd'),
      JSON.stringify({ id: 'big', ts: T0, responses: ['41 0C'.repeat(4000)] }),
      {
        qos: 1,
      },
    );
    await c.publishAsync(
      topicOf(dev.id, 'status'),
      JSON.stringify({ id: 'ok-after', ts: T0, battery12vV: 12 }),
      { qos: 1 },
    );
    const rows = await rowsOf(dev.id);
    expect(rows.map((r) => r.messageId)).toEqual(['ok-after']);
    await c.endAsync();
  });

  it('listens on a free port, and says so in one line, when the configured port is taken', async () => {
    const blocker = net.createServer();
    await new Promise<void>((r) => blocker.listen(0, '127.0.0.1', () => r()));
    const taken = (blocker.address() as net.AddressInfo).port;
    const lines: string[] = [];
    const other = await startEmbeddedBroker(h.ctx, new Ingestor(h.ctx), {
      port: taken,
      host: '127.0.0.1',
      print: (l) => lines.push(l),
    });
    try {
      expect(other.port).not.toBe(taken);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(`port ${taken} is taken`);
      expect(lines[0]).toContain(`listens on port ${other.port}`);
      expect(lines[0]).toContain(`PITLANE_MQTT_URL=mqtt://127.0.0.1:${taken}`);
      const dev = await newDevice();
      const c = await connect(other.url, dev.id, dev.credential);
      await c.publishAsync(topicOf(dev.id, 'status'), JSON.stringify({ id: 'alt', ts: T0 }), { qos: 1 });
      expect(await rowsOf(dev.id)).toHaveLength(1);
      await c.endAsync();
    } finally {
      await other.stop();
      blocker.close();
    }
  });
});

const MOSQUITTO = 'mqtt://127.0.0.1:1883';
async function reachable(): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(1883, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
    setTimeout(() => {
      s.destroy();
      resolve(false);
    }, 1000);
  });
}
const haveMosquitto = await reachable();
if (!haveMosquitto)
  console.warn('SKIP external-broker suite: no MQTT broker at 127.0.0.1:1883 (start Mosquitto to run it)');

describe.skipIf(!haveMosquitto)('external broker (Mosquitto at 127.0.0.1:1883)', () => {
  it('consumes with a shared subscription and stores every message exactly once', async () => {
    const dev = await newDevice();
    const consumerIngestor = new Ingestor(h.ctx);
    const prefix = `pitlane-test-${process.pid}-${Date.now() % 100000}`;
    const ext = await startExternalConsumer(h.ctx, consumerIngestor, {
      url: MOSQUITTO,
      consumers: 4,
      clientIdPrefix: prefix,
    });
    // Let every consumer subscribe before publishing.
    await new Promise((r) => setTimeout(r, 500));
    const c = await connect(MOSQUITTO, dev.id, dev.credential, { clientId: `dev-${dev.id}`.slice(0, 23) });
    try {
      await Promise.all(
        Array.from({ length: 100 }, (_, i) =>
          c.publishAsync(
            topicOf(dev.id, 'status'),
            JSON.stringify({ id: `ext-${i}`, ts: T0 + i, battery12vV: 12.4 }),
            {
              qos: 1,
            },
          ),
        ),
      );
      // Mosquitto acknowledged the device; Pitlane commits then acknowledges Mosquitto.
      let rows = await rowsOf(dev.id);
      for (let i = 0; i < 100 && rows.length < 100; i++) {
        await new Promise((r) => setTimeout(r, 100));
        rows = await rowsOf(dev.id);
      }
      expect(new Set(rows.map((r) => r.messageId)).size).toBe(100);
      expect(rows).toHaveLength(100);
    } finally {
      await c.endAsync();
      await ext.stop();
      // Drop the persistent sessions this test made on the shared broker.
      for (let i = 0; i < 4; i++) {
        const cl = await connect(MOSQUITTO, '', '', { clientId: `${prefix}-${i}`, clean: true });
        await cl.endAsync();
      }
    }
  });
});

const haveMosquittoBinary = spawnSync('mosquitto', ['-h']).error === undefined;
if (!haveMosquittoBinary) console.warn('SKIP broker-restart test: no mosquitto binary on PATH');

describe.skipIf(!haveMosquittoBinary)('external broker restart', { timeout: 120_000 }, () => {
  it('loses no acknowledged message when the broker restarts under load', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'pitlane-mosq-'));
    const port = await new Promise<number>((resolve) => {
      const s = net.createServer();
      s.listen(0, '127.0.0.1', () => {
        const p = (s.address() as net.AddressInfo).port;
        s.close(() => resolve(p));
      });
    });
    const conf = path.join(dir, 'mosquitto.conf');
    writeFileSync(
      conf,
      [
        `listener ${port} 127.0.0.1`,
        'allow_anonymous true',
        'user root',
        'persistence true',
        `persistence_location ${dir}/`,
        'max_queued_messages 100000',
        'log_type error',
      ].join('\n') + '\n',
    );
    const start = async (): Promise<ChildProcess> => {
      const p = spawn('mosquitto', ['-c', conf], { stdio: 'ignore' });
      for (let i = 0; i < 50; i++) {
        if (await reachableAt(port)) return p;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error('mosquitto did not start');
    };
    let mosq = await start();
    const url = `mqtt://127.0.0.1:${port}`;
    const dev = await newDevice();
    const ing = new Ingestor(h.ctx);
    const ext = await startExternalConsumer(h.ctx, ing, {
      url,
      shared: false,
      clientIdPrefix: `restart-${process.pid}`,
    });
    await new Promise((r) => setTimeout(r, 300));
    const acked: string[] = [];
    try {
      const send = async (from: number, to: number) => {
        const c = await connect(url, dev.id, dev.credential, { clientId: `dv-${process.pid}` });
        await Promise.all(
          Array.from({ length: to - from }, (_, i) =>
            c
              .publishAsync(
                topicOf(dev.id, 'status'),
                JSON.stringify({ id: `r-${from + i}`, ts: T0 + from + i }),
                { qos: 1 },
              )
              .then(() => acked.push(`r-${from + i}`)),
          ),
        );
        await c.endAsync();
      };
      await send(0, 200);
      // Graceful restart (Mosquitto saves its queues on SIGTERM).
      await new Promise<void>((r) => {
        mosq.once('exit', () => r());
        mosq.kill('SIGTERM');
      });
      mosq = await start();
      await send(200, 400);
      let rows = await rowsOf(dev.id);
      for (let i = 0; i < 600 && rows.length < acked.length; i++) {
        await new Promise((r) => setTimeout(r, 100));
        rows = await rowsOf(dev.id);
      }
      const ids = rows.map((r) => r.messageId);
      expect(new Set(ids).size).toBe(ids.length);
      expect(acked.filter((id) => !ids.includes(id))).toEqual([]);
      expect(acked).toHaveLength(400);
    } finally {
      await ext.stop();
      if (mosq.exitCode === null) {
        const exited = new Promise<void>((r) => mosq.once('exit', () => r()));
        mosq.kill('SIGTERM');
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      }
      rmSync(dir, { recursive: true, force: true, maxRetries: 5 });
    }
  });
});

function reachableAt(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => {
      s.destroy();
      resolve(true);
    });
    s.once('error', () => resolve(false));
  });
}
