/**
 * The NATS relay against the real NATS JetStream server on 127.0.0.1:4222 (skipped, with a message,
 * when it is not running): committed events reach the stream once, in order, and are marked relayed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { connect, StringCodec, AckPolicy, DeliverPolicy, type NatsConnection } from 'nats';
import { eq, isNull } from 'drizzle-orm';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { reachable } from '../src/testing/services.js';
import { NatsRelay, STREAM, SUBJECT_PREFIX } from '../src/platform/events/nats-relay.js';
import { events } from '../src/platform/schema.js';

const NATS_URL = process.env.NATS_URL ?? 'nats://127.0.0.1:4222';
const url = new URL(NATS_URL.replace(/^nats:/, 'http:'));
const available = await reachable(url.hostname, Number(url.port || 4222));
if (!available) console.warn(`NATS is not reachable at ${NATS_URL}: skipping the NATS relay suite`);

describe.skipIf(!available)('NATS relay', () => {
  let h: Harness;
  let relay: NatsRelay;
  let nc: NatsConnection;
  const sc = StringCodec();
  // A unique event type per run, so earlier runs' messages on the shared stream don't interfere.
  const type = `test.relay_${Date.now().toString(36)}`;
  let kicks = 0;

  beforeAll(async () => {
    h = await createHarness();
    relay = new NatsRelay(NATS_URL, h.ctx.db, h.clock, h.ctx.log, () => kicks++);
    await relay.start(60_000);
    nc = await connect({ servers: NATS_URL });
  });
  afterAll(async () => {
    await relay?.stop();
    await nc?.drain();
    await h?.close();
  });

  it('publishes each committed event once, in order, and marks it relayed', async () => {
    const ids: number[] = [];
    for (let i = 0; i < 3; i++) ids.push(await h.ctx.bus.publish(h.ctx.db, type, { n: i }, '/p/'));
    // A rolled-back event never leaves the database.
    await h.ctx.db
      .transaction(async (tx) => {
        await h.ctx.bus.publish(tx, type, { n: 'rolled back' }, '/p/');
        throw new Error('roll back');
      })
      .catch(() => undefined);

    expect(await relay.relay()).toBeGreaterThanOrEqual(3);
    expect(await relay.relay()).toBe(0);
    const left = await h.ctx.db.select().from(events).where(isNull(events.relayedAt));
    expect(left).toEqual([]);

    const js = nc.jetstream();
    const jsm = await nc.jetstreamManager();
    const consumer = await jsm.consumers.add(STREAM, {
      filter_subject: `${SUBJECT_PREFIX}${type}`,
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.All,
    });
    const c = await js.consumers.get(STREAM, consumer.name);
    const got: Array<{ id: number; type: string; payload: { n: unknown } }> = [];
    const batch = await c.fetch({ max_messages: 10, expires: 2_000 });
    for await (const m of batch) {
      got.push(JSON.parse(sc.decode(m.data)) as (typeof got)[number]);
      if (got.length === 3) break;
    }
    expect(got.map((g) => g.id)).toEqual(ids);
    expect(got.map((g) => g.payload.n)).toEqual([0, 1, 2]);
    expect(got.every((g) => g.type === type)).toBe(true);
    await jsm.consumers.delete(STREAM, consumer.name);
  });

  it('drops a re-publish of the same event as a duplicate (crash between publish and mark)', async () => {
    const id = await h.ctx.bus.publish(h.ctx.db, type, { n: 'again' }, '/p/');
    await relay.relay();
    // Simulate a crash after publishing but before the relayed mark committed.
    await h.ctx.db.update(events).set({ relayedAt: null }).where(eq(events.id, id));
    await relay.relay();
    const jsm = await nc.jetstreamManager();
    const info = await jsm.streams.getMessage(STREAM, { last_by_subj: `${SUBJECT_PREFIX}${type}` });
    expect((JSON.parse(sc.decode(info.data)) as { id: number }).id).toBe(id);
    const consumer = await jsm.consumers.add(STREAM, {
      filter_subject: `${SUBJECT_PREFIX}${type}`,
      ack_policy: AckPolicy.None,
      deliver_policy: DeliverPolicy.All,
    });
    expect(consumer.num_pending).toBe(4);
    await jsm.consumers.delete(STREAM, consumer.name);
  });

  it('wakes the local dispatcher when events arrive on the stream', async () => {
    const before = kicks;
    await h.ctx.bus.publish(h.ctx.db, type, { n: 'wake' }, '/p/');
    await relay.relay();
    await nc.flush();
    await expect.poll(() => kicks, { timeout: 5_000 }).toBeGreaterThan(before);
  });
});
