/**
 * Kill the server with SIGKILL in the middle of booking load: every booking that got a 2xx answer
 * must be there after the restart (embedded PGlite; on PostgreSQL durability is the server's).
 */
import { afterAll, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServerProcess, type ServerProcess } from '../src/testing/process.js';
import { Api } from '../src/testing/api-client.js';
import { vehicleModelId } from '../src/modules/catalog/index.js';

const dir = mkdtempSync(path.join(os.tmpdir(), 'pitlane-crash-'));
const env = { PITLANE_DATA_DIR: path.join(dir, 'data'), PITLANE_RATE_LIMIT: '0' };
let server: ServerProcess | undefined;
afterAll(async () => {
  await server?.stop('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

describe.skipIf(!!process.env.DATABASE_URL)('booking under SIGKILL', { timeout: 600_000 }, () => {
  it('keeps every acknowledged booking', async () => {
    server = await startServerProcess(env);
    let api = new Api(server.url);
    const setup = await api.must<{ accessToken: string }>('POST', '/api/v1/setup', 201, {
      body: { setupToken: server.setupToken, login: 'admin', name: 'Admin', password: 'a-long-password' },
    });
    const op = setup.accessToken;
    const platform = (
      await api.must<{ items: Array<{ id: string }> }>('GET', '/api/v1/orgs?kind=platform', 200, {
        token: op,
      })
    ).items[0]!.id;
    const chain = await api.must<{ id: string }>('POST', '/api/v1/orgs', 201, {
      token: op,
      body: { kind: 'chain', name: 'Crash chain', parentId: platform },
    });
    const store = await api.must<{ id: string }>('POST', '/api/v1/orgs', 201, {
      token: op,
      body: { kind: 'store', name: 'Crash store', parentId: chain.id },
    });
    const allDay = [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '00:00', close: '24:00' }));
    await api.must('PUT', `/api/v1/stores/${store.id}/profile`, 200, {
      token: op,
      body: { location: { lon: 120.15, lat: 30.27, coord: 'gcj02' }, hours: allDay },
    });
    for (let i = 0; i < 4; i++) {
      await api.must('POST', `/api/v1/stores/${store.id}/bays`, 201, {
        token: op,
        body: { name: `bay ${i}`, type: 'general_lift' },
      });
      await api.must('POST', `/api/v1/stores/${store.id}/technicians`, 201, {
        token: op,
        body: {
          name: `tech ${i}`,
          skills: ['general'],
          shifts: allDay.map((d) => ({ weekday: d.weekday, start: d.open, end: d.close })),
        },
      });
    }
    const owners: Array<{ token: string; vehicleId: string }> = [];
    for (let i = 0; i < 8; i++) {
      const token = await api.ownerToken(`1390000${String(1000 + i)}`, op);
      owners.push({
        token,
        vehicleId: await api.addVehicle(token, vehicleModelId('Volkswagen', 'Lavida'), 100 + i),
      });
    }

    // Book distinct quarter-hours from tomorrow on, 6 requests in flight, and kill the server midway.
    const base = Math.ceil((Date.now() + 86_400_000) / 900_000) * 900_000;
    const acked: Array<{ id: string; owner: number }> = [];
    let next = 0;
    let killed = false;
    const worker = async () => {
      while (!killed) {
        const k = next++;
        const o = k % owners.length;
        const startAt = new Date(base + Math.floor(k / 4) * 900_000 * 2).toISOString();
        try {
          const r = await api.call<{ id: string }>('POST', '/api/v1/bookings', {
            token: owners[o]!.token,
            body: {
              storeId: store.id,
              vehicleId: owners[o]!.vehicleId,
              items: ['wipers'],
              startAt,
              confirm: true,
            },
          });
          if (r.status === 201) acked.push({ id: r.body.id, owner: o });
        } catch {
          // The connection died with the server: no answer, so nothing is promised.
        }
      }
    };
    const workers = Array.from({ length: 6 }, worker);
    while (acked.length < 40) await new Promise((r) => setTimeout(r, 20));
    await server.stop('SIGKILL');
    killed = true;
    await Promise.all(workers);
    expect(acked.length).toBeGreaterThanOrEqual(40);

    server = await startServerProcess(env);
    api = new Api(server.url);
    const missing: string[] = [];
    for (const a of acked) {
      const r = await api.call<{ status: string }>('GET', `/api/v1/bookings/${a.id}`, {
        token: owners[a.owner]!.token,
      });
      if (r.status !== 200 || r.body.status !== 'confirmed') missing.push(`${a.id}: ${r.status}`);
    }
    expect(missing).toEqual([]);
  });
});
