/**
 * Notifications go through the outbox to channel adapters: SMS and WeChat as HTTP webhooks (tested
 * against a local server), retried with back-off, and failures visible to operators.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import http from 'node:http';
import { createHmac } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { newOwnerWithVehicle, newReadyStore } from '../src/testing/o2o.js';
import { MAX_DELIVERY_ATTEMPTS } from '../src/platform/notify/notifier.js';

let h: Harness;
let server: http.Server;
let url = '';
const received: Array<{ body: string; signature: string }> = [];
let failNext = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString()));
    req.on('end', () => {
      if (failNext > 0) {
        failNext--;
        res.writeHead(503).end();
        return;
      }
      received.push({ body, signature: String(req.headers['x-pitlane-signature']) });
      res.writeHead(200).end('ok');
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/sms`;
  h = await createHarness({ smsWebhookUrl: url, devOutbox: true });
});
afterAll(async () => {
  await h.close();
  server.close();
});

describe('notification delivery', () => {
  it('sends booking confirmations by SMS webhook with a verifiable signature, and in-app', async () => {
    const store = await newReadyStore(h);
    const { owner, vehicleId } = await newOwnerWithVehicle(h);
    await h.ctx.notifier.deliverDue(); // the sign-in code
    received.length = 0;
    const b = await h.request<{ id: string }>('POST', '/api/v1/bookings', {
      token: owner.token,
      body: {
        storeId: store.storeId,
        vehicleId,
        items: ['minor_service'],
        startAt: '2026-06-02T02:00:00.000Z',
        confirm: true,
      },
    });
    expect(b.status).toBe(201);
    await h.ctx.bus.drain();
    await h.ctx.notifier.deliverDue();
    const sms = received.map(
      (r) => JSON.parse(r.body) as { template: string; payload: { bookingId: string }; to: string },
    );
    const confirmation = sms.find((m) => m.template === 'booking_confirmed');
    expect(confirmation?.payload.bookingId).toBe(b.body.id);
    // The receiver can check the signature with the shared key (here: the generated token secret).
    const r0 = received.find((r) => r.body.includes('booking_confirmed'))!;
    expect(r0.signature).toMatch(/^[0-9a-f]{64}$/);
    const { settings } = await import('../src/platform/schema.js');
    const { eq } = await import('drizzle-orm');
    const [secret] = await h.ctx.db.select().from(settings).where(eq(settings.key, 'token_secret'));
    expect(
      createHmac('sha256', secret!.value as string)
        .update(r0.body)
        .digest('hex'),
    ).toBe(r0.signature);
  });

  it('retries with back-off and shows the failure to operators after the last attempt', async () => {
    const { enqueueNotification } = await import('../src/platform/notify/outbox.js');
    received.length = 0;
    failNext = 1_000;
    const id = await enqueueNotification(h.ctx.db, {
      channel: 'sms',
      template: 'test',
      recipientAddress: '13800000000',
      payload: { n: 1 },
      at: h.clock.now(),
    });
    for (let i = 0; i < MAX_DELIVERY_ATTEMPTS; i++) {
      await h.ctx.notifier.deliverDue();
      h.clock.advance(24 * 3600_000);
    }
    const op = await h.operator();
    const failed = await h.request<{
      items: Array<{ id: string; attempts: number; lastError: string; status: string }>;
    }>('GET', '/api/v1/outbox?status=failed', { token: op.token });
    const row = failed.body.items.find((x) => x.id === id)!;
    expect(row).toMatchObject({ status: 'failed', attempts: MAX_DELIVERY_ATTEMPTS });
    expect(row.lastError).toContain('503');
    failNext = 0;
  });

  it('a transient failure is retried until it succeeds', async () => {
    const { enqueueNotification } = await import('../src/platform/notify/outbox.js');
    received.length = 0;
    failNext = 2;
    await enqueueNotification(h.ctx.db, {
      channel: 'sms',
      template: 'retry_me',
      recipientAddress: '13800000001',
      payload: {},
      at: h.clock.now(),
    });
    await h.ctx.notifier.deliverDue();
    expect(received).toHaveLength(0);
    await h.ctx.notifier.deliverDue(); // not due yet: back-off
    h.clock.advance(3600_000);
    await h.ctx.notifier.deliverDue();
    h.clock.advance(3600_000);
    await h.ctx.notifier.deliverDue();
    expect(received.map((r) => (JSON.parse(r.body) as { template: string }).template)).toEqual(['retry_me']);
  });
});
