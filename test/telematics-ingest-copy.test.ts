/**
 * Readings by COPY on whichever database the harness runs (PGlite by default, PostgreSQL with
 * DATABASE_URL): a batch goes straight into the readings table; one holding a message already
 * stored falls back to the `ON CONFLICT DO NOTHING` path, which stores the rest once; awkward text
 * survives the CSV; a row the database refuses is isolated. The PostgreSQL-only details (staging
 * table, two writers at once) are in telematics-copy.test.ts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { Ingestor, type Outcome } from '../src/modules/telematics/index.js';
import { telematicsReadings } from '../src/modules/telematics/schema.js';
import { AWKWARD_TEXT } from '../src/testing/awkward-text.js';

let h: Harness;
let ingestor: Ingestor;
beforeAll(async () => {
  h = await createHarness();
  // COPY from 10 messages up on both databases (the PostgreSQL default starts at 400).
  ingestor = new Ingestor(h.ctx, { copyMinRows: 10 });
});
afterAll(async () => {
  await ingestor.stop();
  await h.close();
});

const T0 = Date.parse('2026-06-01T01:00:00Z');

async function newDevice(): Promise<string> {
  const op = await h.operator();
  const r = await h.request<{ id: string }>('POST', '/api/v1/telematics/devices', {
    token: op.token,
    body: { serial: `CPY-${Math.random().toString(36).slice(2, 10)}` },
  });
  expect(r.status).toBe(201);
  return r.body.id;
}

const rowsOf = (deviceId: string) =>
  h.ctx.db.select().from(telematicsReadings).where(eq(telematicsReadings.deviceId, deviceId));

async function copies(path: 'direct' | 'staged'): Promise<number> {
  const m = await h.ctx.metrics.registry.getSingleMetric('pitlane_telemetry_copy_batches_total')?.get();
  return m?.values.find((v) => v.labels.path === path)?.value ?? 0;
}

const status = (dev: string, ids: number[], extra: (i: number) => object = () => ({})) =>
  Promise.all(
    ids.map((i) =>
      ingestor.submit(dev, 'status', JSON.stringify({ id: `c-${i}`, ts: T0 + i, rssi: -60, ...extra(i) })),
    ),
  );

describe(`readings by COPY (${process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite'})`, () => {
  it('goes straight in, and takes the conflict-skipping way only for a batch with a stored message', async () => {
    const dev = await newDevice();
    const before = { direct: await copies('direct'), staged: await copies('staged') };
    const ids = Array.from({ length: 50 }, (_, i) => i);
    ids.splice(5, 0, 3); // message 3 twice in one batch: deduplicated before COPY
    const out = await status(dev, ids);
    expect(out[5]).toEqual({ status: 'duplicate' });
    expect(out.filter((o) => o.status === 'stored')).toHaveLength(50);
    expect(await copies('direct')).toBe(before.direct + 1);
    expect(await copies('staged')).toBe(before.staged);

    // Ten already stored (a broker redelivering) among twenty new.
    const again: Outcome[] = await status(
      dev,
      Array.from({ length: 30 }, (_, i) => 40 + i),
    );
    expect(again.slice(0, 10).every((o) => o.status === 'duplicate')).toBe(true);
    expect(again.slice(10).every((o) => o.status === 'stored')).toBe(true);
    expect(await copies('staged')).toBe(before.staged + 1);
    const rows = await rowsOf(dev);
    expect(rows).toHaveLength(70);
    expect(new Set(rows.map((r) => r.messageId)).size).toBe(70);
  });

  it('keeps quotes, commas, backslashes, line breaks and non-ASCII intact through COPY', async () => {
    const dev = await newDevice();
    const firmware = AWKWARD_TEXT;
    const ids = Array.from({ length: 12 }, (_, i) => i);
    const direct = await copies('direct');
    const out = await status(dev, ids, (i) => ({ firmware: firmware[i % firmware.length] }));
    expect(out.every((o) => o.status === 'stored')).toBe(true);
    // By COPY, in one go (a refused COPY would be split into batches too small for COPY).
    expect(await copies('direct')).toBe(direct + 1);
    const byId = new Map(
      (await rowsOf(dev)).map((r) => [r.messageId, (r.data as { firmware: string }).firmware]),
    );
    expect(ids.map((i) => byId.get(`c-${i}`))).toEqual(ids.map((i) => firmware[i % firmware.length]));
  });

  it('rejects only the row the database refuses, and goes on', async () => {
    const dev = await newDevice();
    const ids = Array.from({ length: 16 }, (_, i) => i);
    const out = await status(dev, ids, (i) => ({ firmware: i === 6 ? 'v1\u0000x' : 'v1' }));
    expect(out[6]).toMatchObject({ status: 'rejected', reason: 'malformed' });
    expect(out.filter((o) => o.status === 'stored')).toHaveLength(15);
    const next = await status(
      dev,
      ids.map((i) => 100 + i),
    );
    expect(next.every((o) => o.status === 'stored')).toBe(true);
    expect(await rowsOf(dev)).toHaveLength(31);
  });
});
