/**
 * The external-broker consumer against a scripted MQTT 5 peer (mqtt-packet on a TCP server): what it
 * asks for at CONNECT, that it takes many messages at once, that a PUBACK leaves only when the
 * handler says so and only on the connection that delivered the message, and that it subscribes
 * afresh on a restored session. The end-to-end runs against a real Mosquitto are in
 * test/telematics-broker.test.ts.
 */
import net from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import mqttPacket, { type IConnectPacket, type Packet } from 'mqtt-packet';
import pino from 'pino';
import { MqttConsumer } from './mqtt-consumer.js';

const PROTOCOL = { protocolVersion: 5 } as const;

/** One accepted connection of the scripted broker. */
interface Peer {
  socket: net.Socket;
  packets: Packet[];
  send(p: Packet): void;
  /** Resolves with the next packet of this command (already received or still to come). */
  next(cmd: Packet['cmd']): Promise<Packet>;
}

async function scriptedBroker(opts: { sessionPresent?: (n: number) => boolean } = {}) {
  const peers: Peer[] = [];
  const waiting: Array<() => void> = [];
  const server = net.createServer((socket) => {
    const packets: Packet[] = [];
    const taken = new Set<Packet>();
    let changed: Array<() => void> = [];
    const peer: Peer = {
      socket,
      packets,
      send: (p) => socket.write(mqttPacket.generate(p, PROTOCOL)),
      next: (cmd) =>
        new Promise((resolve) => {
          const check = () => {
            const p = packets.find((x) => x.cmd === cmd && !taken.has(x));
            if (!p) return changed.push(check);
            taken.add(p);
            resolve(p);
          };
          check();
        }),
    };
    const parser = mqttPacket.parser(PROTOCOL);
    parser.on('packet', (p: Packet) => {
      packets.push(p);
      if (p.cmd === 'connect') {
        peer.send({
          cmd: 'connack',
          sessionPresent: opts.sessionPresent?.(peers.length) ?? false,
          reasonCode: 0,
        });
        peers.push(peer);
        for (const w of waiting.splice(0)) w();
      }
      const run = changed;
      changed = [];
      for (const l of run) l();
    });
    socket.on('data', (d: Buffer) => parser.parse(d));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;
  return {
    url: `mqtt://127.0.0.1:${port}`,
    peers,
    /** Resolves with the `n`-th connection (0-based) once it has said CONNECT. */
    connection: (n: number) =>
      new Promise<Peer>((resolve) => {
        const check = () => (peers[n] ? resolve(peers[n]) : waiting.push(check));
        check();
      }),
    close: () =>
      new Promise<void>((r) => {
        for (const p of peers) p.socket.destroy();
        server.close(() => r());
      }),
  };
}

const publish = (messageId: number, body: string): Packet => ({
  cmd: 'publish',
  topic: 'pitlane/v1/devices/dev_x/status',
  payload: Buffer.from(body),
  qos: 1,
  dup: false,
  retain: false,
  messageId,
});

const log = pino({ level: 'silent' });
const cleanups: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** A handler whose answers the test gives: `release(body, ack)`. */
function heldHandler() {
  const held = new Map<string, (ack: boolean) => void>();
  const arrived: string[] = [];
  return {
    arrived,
    onMessage: (_topic: string, payload: Buffer) =>
      new Promise<boolean>((resolve) => {
        arrived.push(payload.toString());
        held.set(payload.toString(), resolve);
      }),
    release: (body: string, ack = true) => held.get(body)!(ack),
  };
}

const until = async (cond: () => boolean, what: string) => {
  for (let i = 0; i < 200 && !cond(); i++) await new Promise((r) => setTimeout(r, 10));
  if (!cond()) throw new Error(`timed out waiting for ${what}`);
};

describe('MQTT consumer (scripted MQTT 5 broker)', () => {
  it('connects with a persistent session and its window, then subscribes at QoS 1', async () => {
    const b = await scriptedBroker();
    cleanups.push(b.close);
    const c = new MqttConsumer({
      url: b.url.replace('mqtt://', 'mqtt://pitlane:s3cr%40t@'),
      clientId: 'pl-0',
      topic: '$share/pitlane/pitlane/v1/devices/+/+',
      window: 300,
      log,
      onMessage: () => Promise.resolve(true),
    });
    cleanups.push(() => c.stop());
    c.start();
    await c.whenConnected(5000);
    const peer = await b.connection(0);
    const connect = peer.packets[0] as IConnectPacket;
    expect(connect).toMatchObject({
      clientId: 'pl-0',
      clean: false,
      protocolVersion: 5,
      username: 'pitlane',
    });
    expect(connect.password?.toString()).toBe('s3cr@t');
    expect(connect.properties).toMatchObject({ receiveMaximum: 300, sessionExpiryInterval: 7 * 86_400 });
    expect(await peer.next('subscribe')).toMatchObject({
      subscriptions: [{ topic: '$share/pitlane/pitlane/v1/devices/+/+', qos: 1 }],
    });
  });

  it('takes many messages at once and acknowledges each only when its handler says so', async () => {
    const b = await scriptedBroker();
    cleanups.push(b.close);
    const h = heldHandler();
    const c = new MqttConsumer({ url: b.url, clientId: 'pl-1', topic: 't/#', window: 100, log, ...h });
    cleanups.push(() => c.stop());
    c.start();
    const peer = await b.connection(0);
    await peer.next('subscribe');
    for (let i = 1; i <= 5; i++) peer.send(publish(i, `m${i}`));
    // All five reach the handler while none is acknowledged (mqtt.js would have handed over one).
    await until(() => h.arrived.length === 5, 'five messages at the handler');
    expect(peer.packets.filter((p) => p.cmd === 'puback')).toHaveLength(0);
    h.release('m3');
    expect(await peer.next('puback')).toMatchObject({ messageId: 3 });
    h.release('m1');
    h.release('m2', false); // not committed: stays unacknowledged for the broker to resend
    expect(await peer.next('puback')).toMatchObject({ messageId: 1 });
    h.release('m4');
    h.release('m5');
    await until(() => peer.packets.filter((p) => p.cmd === 'puback').length === 4, 'four PUBACKs');
    const acked = peer.packets.filter((p) => p.cmd === 'puback').map((p) => p.messageId);
    expect(acked.sort()).toEqual([1, 3, 4, 5]);
  });

  it('acknowledges nothing on a new connection for a message the old one delivered, and resubscribes', async () => {
    // The second connection finds its session restored (a Mosquitto restart kept it).
    const b = await scriptedBroker({ sessionPresent: (n) => n > 0 });
    cleanups.push(b.close);
    const h = heldHandler();
    const c = new MqttConsumer({
      url: b.url,
      clientId: 'pl-2',
      topic: 't/#',
      window: 10,
      reconnectMs: 20,
      log,
      ...h,
    });
    cleanups.push(() => c.stop());
    c.start();
    const first = await b.connection(0);
    await first.next('subscribe');
    first.send(publish(7, 'old'));
    await until(() => h.arrived.includes('old'), 'the message at the handler');
    first.socket.destroy(); // the connection drops before the commit
    const second = await b.connection(1);
    // A restored session: drop the old subscription and subscribe afresh.
    expect(await second.next('unsubscribe')).toMatchObject({ unsubscriptions: ['t/#'] });
    await second.next('subscribe');
    h.release('old'); // committed now: the broker will deliver it again, so no PUBACK here
    second.send(publish(7, 'again'));
    await until(() => h.arrived.includes('again'), 'the redelivery at the handler');
    h.release('again');
    expect(await second.next('puback')).toMatchObject({ messageId: 7 });
    await new Promise((r) => setTimeout(r, 50));
    expect(second.packets.filter((p) => p.cmd === 'puback')).toHaveLength(1);
  });

  it('says DISCONNECT when it stops, and does not come back', async () => {
    const b = await scriptedBroker();
    cleanups.push(b.close);
    const c = new MqttConsumer({
      url: b.url,
      clientId: 'pl-3',
      topic: 't/#',
      window: 10,
      reconnectMs: 20,
      log,
      onMessage: () => Promise.resolve(true),
    });
    c.start();
    const peer = await b.connection(0);
    await peer.next('subscribe');
    await c.stop();
    expect(peer.packets.at(-1)).toMatchObject({ cmd: 'disconnect' });
    await new Promise((r) => setTimeout(r, 100));
    expect(b.peers).toHaveLength(1);
  });

  it('says which broker it cannot reach', async () => {
    const c = new MqttConsumer({
      url: 'mqtt://u:hunter2@127.0.0.1:1',
      clientId: 'pl-4',
      topic: 't/#',
      window: 10,
      reconnectMs: 10_000,
      log,
      onMessage: () => Promise.resolve(true),
    });
    c.start();
    cleanups.push(() => c.stop());
    const err = await c.whenConnected(200).catch((e: unknown) => e as Error);
    expect(String(err)).toContain('cannot reach the MQTT broker at mqtt://u:***@127.0.0.1:1');
    expect(String(err)).not.toContain('hunter2');
  });
});
