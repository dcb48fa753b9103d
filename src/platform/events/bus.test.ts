/** The event bus: one inbox row per interested consumer, delivered once, filtered at publish time. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHarness, type Harness } from '../../testing/harness.js';
import { eventInbox } from '../schema.js';

describe('event bus', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h?.close());

  it('writes inbox rows only for consumers whose `when` accepts the payload, and delivers each once', async () => {
    const seen: Array<[string, number]> = [];
    h.ctx.bus.subscribe('test.all', ['test.ping'], async (_tx, ev) => {
      seen.push(['all', (ev.payload as { n: number }).n]);
    });
    h.ctx.bus.subscribe(
      'test.odd',
      ['test.ping'],
      async (_tx, ev) => {
        seen.push(['odd', (ev.payload as { n: number }).n]);
      },
      { when: (p) => (p as { n: number }).n % 2 === 1 },
    );
    const ids: number[] = [];
    await h.ctx.db.transaction(async (tx) => {
      for (const n of [1, 2, 3]) ids.push(await h.ctx.bus.publish(tx, 'test.ping', { n }));
    });
    const rows = await h.ctx.db.select().from(eventInbox).where(eq(eventInbox.consumer, 'test.odd'));
    expect(rows.map((r) => r.eventId).sort((a, b) => a - b)).toEqual([ids[0], ids[2]]);
    await h.ctx.bus.drain();
    await h.ctx.bus.drain();
    expect(seen.filter(([c]) => c === 'all').map(([, n]) => n)).toEqual([1, 2, 3]);
    expect(seen.filter(([c]) => c === 'odd').map(([, n]) => n)).toEqual([1, 3]);
    expect(() => h.ctx.bus.subscribe('test.all', ['x'], async () => undefined)).toThrow(/twice/);
  });
});
