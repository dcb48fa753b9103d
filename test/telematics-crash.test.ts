/**
 * SIGKILL of `pitlane serve` while a device publishes QoS 1 messages to the embedded broker: every
 * message the broker acknowledged (PUBACK) is stored after the restart, exactly once (embedded
 * PGlite; on PostgreSQL durability is the server's).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import mqtt from 'mqtt';
import { startServerProcess, type ServerProcess } from '../src/testing/process.js';
import { Api } from '../src/testing/api-client.js';
import { topicOf } from '../src/modules/telematics/payloads.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pitlane-tcrash-'));
const env = { PITLANE_DATA_DIR: path.join(dir, 'data'), PITLANE_RATE_LIMIT: '0' };
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

const mqttUrlOf = (s: ServerProcess): string => {
  const m = /embedded MQTT broker at (mqtt:\/\/[^\s]+:\d+)/.exec(s.output());
  if (!m) throw new Error(`no MQTT line in:\n${s.output()}`);
  return m[1]!;
};

describe.skipIf(!!process.env.DATABASE_URL)('telemetry under SIGKILL', { timeout: 600_000 }, () => {
  it('keeps every acknowledged message, once', async () => {
    server = await startServerProcess(env);
    let api = new Api(server.url);
    const setup = await api.must<{ accessToken: string }>('POST', '/api/v1/setup', 201, {
      body: { setupToken: server.setupToken, login: 'admin', name: 'Admin', password: 'a-long-password' },
    });
    const op = setup.accessToken;
    const dev = await api.must<{ id: string; credential: string }>(
      'POST',
      '/api/v1/telematics/devices',
      201,
      {
        token: op,
        body: { serial: 'CRASH-0001' },
      },
    );
    const client = mqtt.connect(mqttUrlOf(server), {
      username: dev.id,
      password: dev.credential,
      reconnectPeriod: 0,
      clientId: 'crash-device',
    });
    await new Promise<void>((resolve, reject) => {
      client.once('connect', () => resolve());
      client.once('error', reject);
    });
    client.on('error', () => undefined);
    const acked: string[] = [];
    let next = 0;
    let dead = false;
    client.once('close', () => {
      dead = true;
    });
    const base = Date.now() - 3600_000;
    const worker = async () => {
      while (!dead) {
        const k = next++;
        const id = `c-${k}`;
        try {
          await client.publishAsync(
            topicOf(dev.id, 'status'),
            JSON.stringify({ id, ts: base + k * 100, battery12vV: 12.5, speedKmh: k % 90 }),
            { qos: 1 },
          );
          acked.push(id);
        } catch {
          // The connection died with the server: no PUBACK, so nothing is promised.
          return;
        }
      }
    };
    const workers = Array.from({ length: 20 }, worker);
    while (acked.length < 400) await new Promise((r) => setTimeout(r, 10));
    await server.stop('SIGKILL');
    await Promise.race([Promise.all(workers), new Promise((r) => setTimeout(r, 5000))]);
    client.end(true);
    const ackedAtKill = [...acked];
    expect(ackedAtKill.length).toBeGreaterThanOrEqual(400);

    server = await startServerProcess(env);
    api = new Api(server.url);
    const token = (
      await api.must<{ accessToken: string }>('POST', '/api/v1/auth/staff/sign-in', 200, {
        body: { login: 'admin', password: 'a-long-password' },
      })
    ).accessToken;
    const stored: string[] = [];
    let cursor: string | null = null;
    let total = 0;
    do {
      const q: string = cursor ? `&cursor=${cursor}` : '';
      const page: { total: number; items: Array<{ messageId: string }>; nextCursor: string | null } =
        await api.must('GET', `/api/v1/telematics/devices/${dev.id}/messages?limit=1000${q}`, 200, { token });
      total = page.total;
      stored.push(...page.items.map((i) => i.messageId));
      cursor = page.nextCursor;
    } while (cursor);
    expect(stored.length).toBe(total);
    expect(new Set(stored).size).toBe(stored.length);
    const have = new Set(stored);
    expect(ackedAtKill.filter((id) => !have.has(id))).toEqual([]);
  });
});
