/**
 * Device messages in: an embedded Aedes broker (no PITLANE_MQTT_URL) or consumers on an external
 * broker (PITLANE_MQTT_URL, shared subscription `$share/pitlane/…`). Either way a QoS 1 message is
 * acknowledged only after the ingestor committed it.
 *
 * Embedded: devices sign in with username = device id, password = credential; each may publish only
 * to `pitlane/v1/devices/{its id}/{kind}` (anything else closes the connection, MQTT-3.3.5-2). The
 * PUBACK is held by answering Aedes' `authorizePublish` only once the message is committed (Aedes
 * writes the PUBACK after that hook). A message with a bad payload is acknowledged and dropped
 * (counted), so a device does not resend a poison message forever. A disabled device is refused at
 * CONNECT (return code 5, not authorized); one disabled while connected is disconnected at its next
 * message, which is not stored.
 */
import net from 'node:net';
import os from 'node:os';
import { Aedes, type AuthenticateError, type Client, type PublishPacket } from 'aedes';
import type { AppContext } from '../../platform/context.js';
import { errorSummary } from '../../platform/errors.js';
import { credentialMatches, deviceForAuth } from './devices.js';
import type { Ingestor } from './ingest.js';
import { MqttConsumer } from './mqtt-consumer.js';
import { MAX_PAYLOAD_BYTES, MESSAGE_KINDS, parseTopic, TOPIC_PREFIX } from './payloads.js';

export interface BrokerHandle {
  kind: 'embedded' | 'external';
  /** Where devices connect (embedded) or where Pitlane consumes (external). */
  url: string;
  port: number | undefined;
  stop(): Promise<void>;
}

/** Aedes' `publish` as its handlers call it (the typed one omits the client). */
type RoutePublish = (packet: PublishPacket, client: Client | null, done?: (err?: Error) => void) => void;

function authError(message: string, returnCode: number): AuthenticateError {
  return Object.assign(new Error(message), { returnCode }) as AuthenticateError;
}

function listen(server: net.Server, port: number, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (e: Error) => {
      server.off('listening', onListening);
      reject(e);
    };
    const onListening = () => {
      server.off('error', onError);
      const a = server.address();
      resolve(typeof a === 'object' && a ? a.port : port);
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(port, host);
  });
}

export async function startEmbeddedBroker(
  ctx: AppContext,
  ingestor: Ingestor,
  opts: { port: number; host: string; print: (line: string) => void },
): Promise<BrokerHandle> {
  const deviceOf = new WeakMap<Client, string>();
  const m = ingestor.metrics;
  const broker = await Aedes.createBroker({
    // Devices may queue many QoS 1 messages while we hold acks; keep Aedes from dropping them.
    queueLimit: 10_000,
    concurrency: 1000,
    authenticate: (client, username, password, done) => {
      const deviceId = username ?? '';
      const credential = password?.toString('utf8') ?? '';
      deviceForAuth(ctx.db, deviceId)
        .then((d) => {
          if (!d) {
            m.connections.inc({ result: 'unknown_device' });
            ingestor.reject(
              deviceId.slice(0, 40),
              undefined,
              'unknown_device',
              'connect from unknown device',
            );
            return done(authError('unknown device', 4), false);
          }
          if (!credentialMatches(credential, d.credentialHash)) {
            m.connections.inc({ result: 'bad_credentials' });
            ingestor.reject(deviceId, undefined, 'bad_credentials', 'wrong device credential');
            return done(authError('bad credentials', 4), false);
          }
          // Checked after the credential, so that a disabled device's state is told only to itself.
          if (d.disabledAt) {
            m.connections.inc({ result: 'disabled' });
            ingestor.reject(d.id, undefined, 'device_disabled', 'connect from a disabled device');
            return done(authError('device disabled', 5), false);
          }
          deviceOf.set(client, d.id);
          m.connections.inc({ result: 'accepted' });
          done(null, true);
        })
        .catch((e: unknown) => {
          ctx.log.error({ err: errorSummary(e) }, 'device authentication failed');
          done(authError('server unavailable', 3), false);
        });
    },
    authorizePublish: (client, packet, done) => {
      const deviceId = client ? deviceOf.get(client) : undefined;
      const t = parseTopic(packet.topic);
      if (!deviceId || !t || t.deviceId !== deviceId) {
        ingestor.reject(deviceId, undefined, 'wrong_topic', `publish to a topic not its own`);
        return done(new Error('not authorised for this topic'));
      }
      if (packet.payload.length > MAX_PAYLOAD_BYTES) {
        ingestor.reject(deviceId, t.kind, 'oversized', `payload of ${packet.payload.length} bytes`);
        return done(null);
      }
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      ingestor.submit(deviceId, t.kind, payload).then(
        // Disabled while connected: close the connection (it cannot sign in again); nothing stored.
        (o) =>
          done(
            o.status === 'rejected' && o.reason === 'device_disabled' ? new Error('device disabled') : null,
          ),
        // Not committed (stopping): close without PUBACK so the device sends it again.
        (e: Error) => done(e),
      );
    },
    authorizeSubscribe: (client, sub, done) => {
      const deviceId = deviceOf.get(client);
      if (deviceId && sub.topic.startsWith(`${TOPIC_PREFIX}${deviceId}/`)) return done(null, sub);
      return done(new Error('devices may subscribe only to their own topics'));
    },
    // Device messages are for Pitlane, not for other clients.
    authorizeForward: () => null,
  });
  // A device's message, once acknowledged, is done with: `authorizeForward` gives it to no
  // subscriber, so Aedes' routing after the PUBACK (retained store, subscription match, offline
  // queues) would be work for nothing, about 5 % of a message's CPU here. Skipped for messages from
  // signed-in devices; anything else (none today) is still routed.
  const route = broker.publish.bind(broker) as unknown as RoutePublish;
  (broker as unknown as { publish: RoutePublish }).publish = (packet, client, done) => {
    if (client && deviceOf.has(client)) return done?.();
    route(packet, client, done);
  };
  broker.on('clientError', (client, err) => {
    ctx.log.debug({ deviceId: deviceOf.get(client), err: err.message }, 'device connection error');
  });
  const server = net.createServer(broker.handle);
  let port: number;
  try {
    port = await listen(server, opts.port, opts.host);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw e;
    port = await listen(server, 0, opts.host);
    opts.print(
      `MQTT port ${opts.port} is taken (another broker runs there?): the embedded broker listens on port ${port} instead; ` +
        `to use the existing broker set PITLANE_MQTT_URL=mqtt://127.0.0.1:${opts.port} (or PITLANE_MQTT_PORT to choose a port).`,
    );
  }
  const shownHost = opts.host === '0.0.0.0' || opts.host === '::' ? 'localhost' : opts.host;
  const url = `mqtt://${shownHost}:${port}`;
  return {
    kind: 'embedded',
    url,
    port,
    async stop() {
      server.close();
      await ingestor.stop();
      await new Promise<void>((r) => broker.close(() => r()));
    },
  };
}

/**
 * Consumers on an external broker (Mosquitto, EMQX): `consumers` MQTT v5 connections in the shared
 * subscription group `pitlane`, each with up to `window` unacknowledged messages (receive maximum),
 * acknowledging each message after its batch committed (see mqtt-consumer.ts). Sessions are
 * persistent with stable client ids, so unacknowledged messages are delivered again after a restart.
 */
export async function startExternalConsumer(
  ctx: AppContext,
  ingestor: Ingestor,
  opts: { url: string; consumers?: number; window?: number; clientIdPrefix?: string; shared?: boolean },
): Promise<BrokerHandle> {
  const shared = opts.shared ?? true;
  const prefix = opts.clientIdPrefix ?? `pitlane-${os.hostname()}`.slice(0, 40);
  // Shared: N connections in the group `pitlane`. Not shared: one connection per message kind, each
  // with a plain subscription (one Pitlane process only; survives a Mosquitto restart, see TELEMETRY.md).
  const subs = shared
    ? Array.from({ length: opts.consumers ?? 4 }, (_, i) => ({
        id: String(i),
        topic: `$share/pitlane/${TOPIC_PREFIX}+/+`,
      }))
    : MESSAGE_KINDS.map((k) => ({ id: k, topic: `${TOPIC_PREFIX}+/${k}` }));
  const consumers = subs.map(
    (sub) =>
      new MqttConsumer({
        url: opts.url,
        clientId: `${prefix}-${sub.id}`,
        topic: sub.topic,
        window: opts.window ?? 256,
        log: ctx.log,
        onMessage: (topic, payload) => {
          const parsed = parseTopic(topic);
          if (!parsed) {
            ingestor.reject(undefined, undefined, 'wrong_topic', 'message on an unexpected topic');
            return Promise.resolve(true);
          }
          // Acknowledged once committed (or rejected for good); not when the ingestor stopped first.
          return ingestor.submit(parsed.deviceId, parsed.kind, payload).then(() => true);
        },
      }),
  );
  for (const c of consumers) c.start();
  // Wait for the first connection so start-up reports a broken URL clearly.
  await consumers[0]!.whenConnected(15_000).catch(async (e: unknown) => {
    await Promise.all(consumers.map((c) => c.stop()));
    throw e;
  });
  return {
    kind: 'external',
    url: opts.url,
    port: undefined,
    async stop() {
      await ingestor.stop();
      await Promise.all(consumers.map((c) => c.stop()));
    },
  };
}
