/**
 * One consumer connection to an external MQTT broker, written on mqtt-packet (the codec under
 * mqtt.js and Aedes) because mqtt.js takes the next incoming PUBLISH only after the previous one was
 * acknowledged: with the PUBACK held until commit, a connection then carries one message per
 * transaction. Here every PUBLISH goes to the handler at once, and its PUBACK is written when the
 * handler resolves `true`; the broker keeps at most `window` messages unacknowledged (MQTT v5
 * receive maximum), which is the back-pressure.
 *
 * The session is persistent (clean start off, session expiry `sessionExpiryS`), so what was not
 * acknowledged is delivered again after a reconnect. A PUBACK is only ever written on the connection
 * that received the message: one that committed after its connection dropped is delivered again and
 * is a duplicate, which the message id makes harmless.
 */
import net from 'node:net';
import tls from 'node:tls';
import mqttPacket, {
  type IConnackPacket,
  type IPublishPacket,
  type ISubackPacket,
  type Packet,
} from 'mqtt-packet';
import type { Logger } from 'pino';

export interface ConsumerOptions {
  /** `mqtt://[user:password@]host[:port]` or `mqtts://…`. */
  url: string;
  clientId: string;
  /** Subscribed at QoS 1 on every (re)connect. */
  topic: string;
  /** Unacknowledged messages the broker may send (receive maximum, 1–65535). */
  window: number;
  keepaliveS?: number;
  sessionExpiryS?: number;
  reconnectMs?: number;
  log: Logger;
  /** Resolves `true` when the message may be acknowledged; `false` or a rejection leaves it unacknowledged. */
  onMessage: (topic: string, payload: Buffer) => Promise<boolean>;
}

const PROTOCOL = { protocolVersion: 5 } as const;

export class MqttConsumer {
  private socket: net.Socket | undefined;
  private stopping = false;
  private connected = false;
  private nextPacketId = 1;
  private pingTimer: NodeJS.Timeout | undefined;
  private reconnectTimer: NodeJS.Timeout | undefined;
  private awaitingPong = false;
  private corked = false;
  private readonly waiters: Array<() => void> = [];

  constructor(private readonly opts: ConsumerOptions) {}

  /** Connects (and keeps reconnecting until `stop`). */
  start(): void {
    this.open();
  }

  /** Resolves at the first accepted CONNACK, or rejects after `timeoutMs`. */
  whenConnected(timeoutMs: number): Promise<void> {
    if (this.connected) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(
        () => reject(new Error(`cannot reach the MQTT broker at ${redact(this.opts.url)}`)),
        timeoutMs,
      );
      this.waiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  /** Says DISCONNECT (the session stays on the broker) and closes. */
  async stop(): Promise<void> {
    this.stopping = true;
    clearTimeout(this.reconnectTimer);
    clearInterval(this.pingTimer);
    const s = this.socket;
    if (!s || s.destroyed) return;
    await new Promise<void>((resolve) => {
      s.once('close', () => resolve());
      if (this.connected) s.end(mqttPacket.generate({ cmd: 'disconnect', reasonCode: 0 }, PROTOCOL));
      else s.destroy();
      setTimeout(() => s.destroy(), 2000).unref();
    });
  }

  private open(): void {
    const u = new URL(this.opts.url);
    const secure = u.protocol === 'mqtts:' || u.protocol === 'ssl:';
    const port = Number(u.port) || (secure ? 8883 : 1883);
    const host = u.hostname;
    const socket = secure ? tls.connect({ host, port, servername: host }) : net.connect({ host, port });
    socket.setNoDelay(true);
    this.socket = socket;
    const parser = mqttPacket.parser(PROTOCOL);
    parser.on('packet', (p: Packet) => this.onPacket(socket, p));
    parser.on('error', (e: Error) => {
      this.opts.log.warn({ err: e.message, clientId: this.opts.clientId }, 'bad packet from the MQTT broker');
      socket.destroy();
    });
    socket.on('data', (d: Buffer) => parser.parse(d));
    socket.once(secure ? 'secureConnect' : 'connect', () => {
      socket.write(
        mqttPacket.generate(
          {
            cmd: 'connect',
            protocolId: 'MQTT',
            protocolVersion: 5,
            clientId: this.opts.clientId,
            clean: false,
            keepalive: this.opts.keepaliveS ?? 30,
            ...(u.username ? { username: decodeURIComponent(u.username) } : {}),
            ...(u.password ? { password: Buffer.from(decodeURIComponent(u.password)) } : {}),
            properties: {
              sessionExpiryInterval: this.opts.sessionExpiryS ?? 7 * 86_400,
              receiveMaximum: this.opts.window,
            },
          },
          PROTOCOL,
        ),
      );
    });
    socket.on('error', (e) => {
      this.opts.log.warn(
        { err: e.message, clientId: this.opts.clientId },
        'external MQTT broker connection error',
      );
    });
    socket.once('close', () => {
      if (this.socket === socket) {
        this.connected = false;
        clearInterval(this.pingTimer);
      }
      if (!this.stopping) this.reconnectTimer = setTimeout(() => this.open(), this.opts.reconnectMs ?? 1000);
    });
  }

  private send(socket: net.Socket, p: Packet): void {
    if (!socket.destroyed) socket.write(mqttPacket.generate(p, PROTOCOL));
  }

  private onPacket(socket: net.Socket, p: Packet): void {
    switch (p.cmd) {
      case 'connack':
        return this.onConnack(socket, p);
      case 'publish':
        return this.onPublish(socket, p);
      case 'suback':
        return this.onSuback(p);
      case 'pingresp':
        this.awaitingPong = false;
        return;
      case 'pubrel':
        // Only if a broker sent QoS 2 despite the QoS 1 subscription: finish its handshake.
        this.send(socket, { cmd: 'pubcomp', messageId: p.messageId! });
        return;
      case 'unsuback':
        return;
      case 'disconnect':
        this.opts.log.warn(
          { reasonCode: p.reasonCode, clientId: this.opts.clientId },
          'the MQTT broker closed the consumer connection',
        );
        socket.destroy();
        return;
      default:
        return;
    }
  }

  private onConnack(socket: net.Socket, p: IConnackPacket): void {
    const code = p.reasonCode ?? p.returnCode ?? 0;
    if (code !== 0) {
      this.opts.log.error(
        { reasonCode: code, clientId: this.opts.clientId },
        'the MQTT broker refused the consumer connection',
      );
      socket.destroy();
      return;
    }
    this.connected = true;
    this.awaitingPong = false;
    const keepaliveMs = (this.opts.keepaliveS ?? 30) * 1000;
    clearInterval(this.pingTimer);
    this.pingTimer = setInterval(() => {
      // No answer to the last ping within half a keep-alive: the connection is dead.
      if (this.awaitingPong) return socket.destroy();
      this.awaitingPong = true;
      this.send(socket, { cmd: 'pingreq' });
    }, keepaliveMs / 2);
    this.pingTimer.unref();
    // A session restored from the broker's persistence may hold a shared subscription that no longer
    // routes new messages (seen with Mosquitto 2.0 after a restart): subscribe afresh. Messages
    // already queued for the session are still delivered.
    if (p.sessionPresent)
      this.send(socket, {
        cmd: 'unsubscribe',
        messageId: this.packetId(),
        unsubscriptions: [this.opts.topic],
      });
    this.send(socket, {
      cmd: 'subscribe',
      messageId: this.packetId(),
      subscriptions: [{ topic: this.opts.topic, qos: 1 }],
    });
    for (const w of this.waiters.splice(0)) w();
  }

  private onSuback(p: ISubackPacket): void {
    const code = typeof p.granted[0] === 'number' ? p.granted[0] : 0x80;
    if (code >= 0x80)
      this.opts.log.error(
        { reasonCode: code, topic: this.opts.topic, clientId: this.opts.clientId },
        'the MQTT broker refused the consumer subscription',
      );
  }

  private onPublish(socket: net.Socket, p: IPublishPacket): void {
    const payload = Buffer.isBuffer(p.payload) ? p.payload : Buffer.from(p.payload);
    const messageId = p.messageId;
    if (p.qos === 0 || messageId === undefined) {
      void this.opts.onMessage(p.topic, payload).catch(() => undefined);
      return;
    }
    this.opts.onMessage(p.topic, payload).then(
      (ack) => {
        // Only on the connection that delivered it; otherwise the broker delivers it again.
        if (ack && this.socket === socket && this.connected)
          this.ack(socket, p.qos === 2 ? 0x50 : 0x40, messageId);
      },
      // Not acknowledged: the broker delivers it again after a reconnect.
      () => undefined,
    );
  }

  /**
   * PUBACK (or PUBREC) with reason "success": the 4-byte short form (MQTT 5 §3.4.2.1). The acks of a
   * committed batch come in one burst; corking sends them in one write.
   */
  private ack(socket: net.Socket, type: 0x40 | 0x50, messageId: number): void {
    if (socket.destroyed) return;
    if (!this.corked) {
      this.corked = true;
      socket.cork();
      process.nextTick(() => {
        this.corked = false;
        socket.uncork();
      });
    }
    socket.write(Buffer.from([type, 2, messageId >> 8, messageId & 0xff]));
  }

  private packetId(): number {
    const id = this.nextPacketId;
    this.nextPacketId = id >= 65_535 ? 1 : id + 1;
    return id;
  }
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return '(invalid URL)';
  }
}
