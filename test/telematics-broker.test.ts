/**
 * Device messages through a real MQTT broker, published with mqtt.js: the embedded Aedes broker
 * (authentication, own topics only, PUBACK after commit, rejects counted, port fallback, disabled
 * devices) and, when Mosquitto answers on 127.0.0.1:1883, the external-broker consumers with a shared
 * subscription (including a disabled device's messages: dropped and acknowledged).
 */
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
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
import { auditLog } from '../src/platform/schema.js';
import { newReadyStore } from '../src/testing/o2o.js';

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

function setDisabled(deviceId: string, verb: 'disable' | 'enable', reason: unknown, token = op.token) {
  return h.request<{ id: string; disabledAt: string | null }>(
    'POST',
    `/api/v1/telematics/devices/${deviceId}/${verb}`,
    { token, body: { reason } },
  );
}

async function metric(re: RegExp): Promise<number> {
  const m = re.exec(String((await h.request('GET', '/metrics')).body));
  return m ? Number(m[1]) : 0;
}
const BATCHES = /pitlane_telemetry_batches_total (\d+)/;
const DISABLED_REJECTS = /pitlane_telemetry_rejected_total\{reason="device_disabled"\} (\d+)/;

describe('disabling a device', () => {
  it('is for the operator, with a reason, audited, and shown in the device list', async () => {
    const dev = await newDevice();
    const store = await newReadyStore(h);
    expect((await setDisabled(dev.id, 'disable', 'stolen', store.manager.token)).status).toBe(403);
    const noReason = await setDisabled(dev.id, 'disable', ' ');
    expect(noReason.status).toBe(422);
    expect(JSON.stringify(noReason.body)).toContain('say why');
    expect((await setDisabled('dev_01j9z3k8q4m2x7v5r0t6n8w1yc', 'disable', 'lost')).status).toBe(404);
    expect((await setDisabled(dev.id, 'enable', 'not disabled yet')).status).toBe(409);

    const off = await setDisabled(dev.id, 'disable', 'reported stolen by the owner');
    expect(off.status).toBe(200);
    expect(off.body.disabledAt).toBe(h.clock.now().toISOString());
    const again = await setDisabled(dev.id, 'disable', 'twice');
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'telematics.device_state' } });
    const list = await h.request<{ items: Array<{ id: string; disabledAt: string | null }> }>(
      'GET',
      '/api/v1/telematics/devices?limit=200',
      { token: op.token },
    );
    expect(list.body.items.find((d) => d.id === dev.id)?.disabledAt).toBe(off.body.disabledAt);

    const on = await setDisabled(dev.id, 'enable', 'recovered');
    expect(on.status).toBe(200);
    expect(on.body.disabledAt).toBeNull();
    const trail = await h.request<{
      items: Array<{ action: string; actorId: string; details: { reason: string } }>;
    }>('GET', `/api/v1/audit?resourceType=device&resourceId=${dev.id}`, { token: op.token });
    expect(trail.status).toBe(200);
    expect(
      trail.body.items
        .filter((i) => i.action !== 'telematics.device.create')
        .map((i) => [i.action, i.actorId, i.details.reason]),
    ).toEqual([
      ['telematics.device.enable', op.userId, 'recovered'],
      ['telematics.device.disable', op.userId, 'reported stolen by the owner'],
    ]);
  });

  it('refuses a disabled device at CONNECT, drops what it sends while connected, and lets it back when enabled', async () => {
    const dev = await newDevice();
    const c = await connect(broker.url, dev.id, dev.credential);
    await c.publishAsync(topicOf(dev.id, 'status'), JSON.stringify({ id: 'before', ts: T0 }), { qos: 1 });
    const rejectsBefore = await metric(DISABLED_REJECTS);
    expect((await setDisabled(dev.id, 'disable', 'SIM reported lost')).status).toBe(200);

    // Still connected from before: its next message is not stored and the connection is closed.
    const closed = new Promise<void>((r) => c.once('close', () => r()));
    c.publish(topicOf(dev.id, 'status'), JSON.stringify({ id: 'while-disabled', ts: T0 + 1 }), { qos: 1 });
    await closed;
    c.end(true);
    await expect(connect(broker.url, dev.id, dev.credential)).rejects.toThrow(/Not authorized/i);
    expect((await rowsOf(dev.id)).map((r) => r.messageId)).toEqual(['before']);
    expect(await metric(DISABLED_REJECTS)).toBe(rejectsBefore + 2);
    expect(await metric(/pitlane_telemetry_connections_total\{result="disabled"\} (\d+)/)).toBeGreaterThan(0);

    expect((await setDisabled(dev.id, 'enable', 'SIM found')).status).toBe(200);
    const back = await connect(broker.url, dev.id, dev.credential);
    await back.publishAsync(topicOf(dev.id, 'status'), JSON.stringify({ id: 'after', ts: T0 + 2 }), {
      qos: 1,
    });
    expect((await rowsOf(dev.id)).map((r) => r.messageId).sort()).toEqual(['after', 'before']);
    await back.endAsync();
  });

  it('still refuses a wrong credential for a disabled device as bad credentials', async () => {
    const dev = await newDevice();
    expect((await setDisabled(dev.id, 'disable', 'returned to the shop')).status).toBe(200);
    await expect(connect(broker.url, dev.id, 'dk_wrong')).rejects.toThrow(/Bad username or password/i);
    const rows = await h.ctx.db
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.resourceId, dev.id), eq(auditLog.action, 'telematics.device.disable')));
    expect(rows).toHaveLength(1);
    expect(rows[0]!.details).toMatchObject({ reason: 'returned to the shop' });
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
  it('consumes with a shared subscription, many messages in flight per connection, each stored once', async () => {
    const dev = await newDevice();
    const consumerIngestor = new Ingestor(h.ctx);
    const prefix = `pitlane-test-${process.pid}-${Date.now() % 100000}`;
    // One connection: batching can then come only from messages in flight on that connection.
    const ext = await startExternalConsumer(h.ctx, consumerIngestor, {
      url: MOSQUITTO,
      consumers: 1,
      window: 100,
      clientIdPrefix: prefix,
    });
    // Let the consumer subscribe before publishing.
    await new Promise((r) => setTimeout(r, 500));
    const batchesBefore = await metric(BATCHES);
    const c = await connect(MOSQUITTO, dev.id, dev.credential, { clientId: `dev-${dev.id}`.slice(0, 23) });
    try {
      await Promise.all(
        Array.from({ length: 300 }, (_, i) =>
          c.publishAsync(
            topicOf(dev.id, 'status'),
            JSON.stringify({ id: `ext-${i}`, ts: T0 + i, battery12vV: 12.4 }),
            { qos: 1 },
          ),
        ),
      );
      // Mosquitto acknowledged the device; Pitlane commits then acknowledges Mosquitto.
      let rows = await rowsOf(dev.id);
      for (let i = 0; i < 100 && rows.length < 300; i++) {
        await new Promise((r) => setTimeout(r, 100));
        rows = await rowsOf(dev.id);
      }
      expect(new Set(rows.map((r) => r.messageId)).size).toBe(300);
      expect(rows).toHaveLength(300);
      // A consumer that held one unacknowledged message at a time (mqtt.js) made 300 batches.
      expect((await metric(BATCHES)) - batchesBefore).toBeLessThan(100);
    } finally {
      await c.endAsync();
      await ext.stop();
      // Drop the persistent session this test made on the shared broker.
      const cl = await connect(MOSQUITTO, '', '', { clientId: `${prefix}-0`, clean: true });
      await cl.endAsync();
    }
  });
});

describe.skipIf(!haveMosquitto)('external broker: a disabled device', () => {
  it('has its messages dropped, counted and acknowledged (not delivered again)', async () => {
    const dev = await newDevice();
    expect((await setDisabled(dev.id, 'disable', 'fleet contract ended')).status).toBe(200);
    const prefix = `pitlane-dis-${process.pid}-${Date.now() % 100000}`;
    const start = () =>
      startExternalConsumer(h.ctx, new Ingestor(h.ctx), {
        url: MOSQUITTO,
        consumers: 2,
        clientIdPrefix: prefix,
      });
    let ext = await start();
    await new Promise((r) => setTimeout(r, 500));
    const before = await metric(DISABLED_REJECTS);
    const c = await connect(MOSQUITTO, dev.id, dev.credential, { clientId: `dis-${dev.id}`.slice(0, 23) });
    try {
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          c.publishAsync(topicOf(dev.id, 'status'), JSON.stringify({ id: `dis-${i}`, ts: T0 + i }), {
            qos: 1,
          }),
        ),
      );
      for (let i = 0; i < 100 && (await metric(DISABLED_REJECTS)) < before + 10; i++)
        await new Promise((r) => setTimeout(r, 100));
      expect(await metric(DISABLED_REJECTS)).toBe(before + 10);
      expect(await rowsOf(dev.id)).toHaveLength(0);
      // Pitlane acknowledged them: the persistent sessions hold nothing to deliver again.
      await ext.stop();
      ext = await start();
      await new Promise((r) => setTimeout(r, 1500));
      expect(await metric(DISABLED_REJECTS)).toBe(before + 10);
      // Enabled again, the same device's messages are stored.
      expect((await setDisabled(dev.id, 'enable', 'contract renewed')).status).toBe(200);
      await c.publishAsync(topicOf(dev.id, 'status'), JSON.stringify({ id: 'dis-back', ts: T0 + 99 }), {
        qos: 1,
      });
      let rows = await rowsOf(dev.id);
      for (let i = 0; i < 100 && rows.length === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        rows = await rowsOf(dev.id);
      }
      expect(rows.map((r) => r.messageId)).toEqual(['dis-back']);
    } finally {
      await c.endAsync();
      await ext.stop();
      for (let i = 0; i < 2; i++) {
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
