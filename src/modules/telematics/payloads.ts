/**
 * The device protocol: topics `pitlane/v1/devices/{deviceId}/{obd|gps|tpms|ev|status}` and one JSON
 * snapshot per PUBLISH (docs/TELEMETRY.md). Pure: parse, validate, decode; never throws.
 */
import { z } from 'zod';
import { decodeElmResponse } from './obd/index.js';
import type { DecodedFrame } from './obd/index.js';

export const TOPIC_PREFIX = 'pitlane/v1/devices/';
export const MESSAGE_KINDS = ['obd', 'gps', 'tpms', 'ev', 'status'] as const;
export type MessageKind = (typeof MESSAGE_KINDS)[number];
/** Largest accepted payload (bytes); one snapshot of ≤ ~20 PIDs is far below this. */
export const MAX_PAYLOAD_BYTES = 16 * 1024;
/** Timestamps further ahead of the server clock than this are refused. */
export const MAX_FUTURE_MS = 24 * 3600_000;
/** A device id: the `dev_` Pitlane id (also the MQTT username). */
const DEVICE_ID = /^dev_[0-9a-hjkmnp-tv-z]{26}$/;

export type RejectReason =
  | 'malformed'
  | 'unknown_device'
  | 'device_disabled'
  | 'wrong_topic'
  | 'oversized'
  | 'bad_credentials'
  | 'not_bound';

export function parseTopic(topic: string): { deviceId: string; kind: MessageKind } | undefined {
  if (!topic.startsWith(TOPIC_PREFIX)) return undefined;
  const rest = topic.slice(TOPIC_PREFIX.length).split('/');
  if (rest.length !== 2) return undefined;
  const [deviceId, kind] = rest as [string, string];
  if (!DEVICE_ID.test(deviceId)) return undefined;
  if (!(MESSAGE_KINDS as readonly string[]).includes(kind)) return undefined;
  return { deviceId, kind: kind as MessageKind };
}

export const topicOf = (deviceId: string, kind: MessageKind): string => `${TOPIC_PREFIX}${deviceId}/${kind}`;

const messageId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_.:-]+$/, 'letters, digits and _ . : - only');
/** ISO 8601 with offset, or Unix milliseconds. */
const timestamp = z.union([
  z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
  z
    .number()
    .int()
    .min(946_684_800_000)
    .max(4_102_444_800_000)
    .transform((n) => new Date(n)),
]);
const num = (min: number, max: number) => z.number().finite().min(min).max(max);

const base = { id: messageId, ts: timestamp };

export const obdPayload = z.strictObject({
  ...base,
  /** One entry per request: the ELM327 response text (CR/LF allowed) or its lines. */
  responses: z
    .array(z.union([z.string().min(1).max(2000), z.array(z.string().max(400)).min(1).max(64)]))
    .min(1)
    .max(32),
  /** Mode 03/07/0A answers use the CAN layout (count byte after 43). */
  can: z.boolean().optional(),
});
export const gpsPayload = z.strictObject({
  ...base,
  lat: num(-90, 90),
  lon: num(-180, 180),
  speedKmh: num(0, 400).optional(),
  heading: num(0, 360).optional(),
  altM: num(-500, 9000).optional(),
  hdop: num(0, 100).optional(),
});
const tyre = num(0, 1000).optional();
export const tpmsPayload = z.strictObject({
  ...base,
  /** Pressures in kPa (gauge). */
  tyresKpa: z.strictObject({ fl: tyre, fr: tyre, rl: tyre, rr: tyre }),
  tyresTempC: z
    .strictObject({
      fl: num(-60, 200).optional(),
      fr: num(-60, 200).optional(),
      rl: num(-60, 200).optional(),
      rr: num(-60, 200).optional(),
    })
    .optional(),
});
export const evPayload = z.strictObject({
  ...base,
  socPct: num(0, 100),
  packVoltageV: num(0, 1500).optional(),
  packCurrentA: num(-2000, 2000).optional(),
  packTempC: num(-60, 150).optional(),
  charging: z.boolean().optional(),
});
export const statusPayload = z.strictObject({
  ...base,
  ignition: z.boolean().optional(),
  battery12vV: num(0, 40).optional(),
  odometerKm: num(0, 5_000_000).optional(),
  /** Vehicle speed when known (km/h). */
  speedKmh: num(0, 400).optional(),
  /** The brake-pad wear sensor's warning, for dongles that read it from the instrument cluster. */
  brakePadWarning: z.boolean().optional(),
  firmware: z.string().max(40).optional(),
  rssi: num(-150, 0).optional(),
});

const schemas = {
  obd: obdPayload,
  gps: gpsPayload,
  tpms: tpmsPayload,
  ev: evPayload,
  status: statusPayload,
} as const;

/** What one message becomes before privacy and storage. */
export interface ParsedMessage {
  deviceId: string;
  kind: MessageKind;
  messageId: string;
  ts: Date;
  /** Decoded content (OBD frames decoded; GPS still with lat/lon). */
  data: Record<string, unknown>;
  /** For GPS: the fix (removed from `data` later without location consent). */
  position?: { lat: number; lon: number };
  /** Speed from OBD PID 0D, GPS or status (km/h), for trips. */
  speedKmh?: number;
  ignition?: boolean;
}

export type ParseResult =
  { ok: true; message: ParsedMessage } | { ok: false; reason: RejectReason; error: string };

/** Validates and decodes one payload. The error text never contains the payload. */
export function parseMessage(
  deviceId: string,
  kind: MessageKind,
  payload: Buffer | string,
  now: Date,
): ParseResult {
  const size = typeof payload === 'string' ? Buffer.byteLength(payload) : payload.length;
  if (size > MAX_PAYLOAD_BYTES)
    return { ok: false, reason: 'oversized', error: `payload of ${size} bytes (max ${MAX_PAYLOAD_BYTES})` };
  let json: unknown;
  try {
    json = JSON.parse(typeof payload === 'string' ? payload : payload.toString('utf8'));
  } catch {
    return { ok: false, reason: 'malformed', error: 'payload is not JSON' };
  }
  const parsed = schemas[kind].safeParse(json);
  if (!parsed.success) {
    const issues = parsed.error.issues
      .slice(0, 3)
      .map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`)
      .join('; ');
    return { ok: false, reason: 'malformed', error: `invalid ${kind} payload: ${issues}` };
  }
  const v = parsed.data;
  if (v.ts.getTime() > now.getTime() + MAX_FUTURE_MS)
    return { ok: false, reason: 'malformed', error: 'timestamp is more than a day in the future' };
  const common = { deviceId, kind, messageId: v.id, ts: v.ts };
  switch (kind) {
    case 'obd': {
      const o = v as z.infer<typeof obdPayload>;
      const frames: DecodedFrame[] = [];
      for (const r of o.responses) {
        frames.push(...decodeElmResponse(typeof r === 'string' ? [r] : r, { can: o.can === true }));
      }
      const speed = frames.find((f) => f.kind === 'pid' && f.pid === '0D');
      return {
        ok: true,
        message: {
          ...common,
          data: { frames: frames.map(compactFrame) },
          ...(speed && speed.kind === 'pid' ? { speedKmh: speed.value } : {}),
        },
      };
    }
    case 'gps': {
      const g = v as z.infer<typeof gpsPayload>;
      const { id: _id, ts: _ts, ...rest } = g;
      return {
        ok: true,
        message: {
          ...common,
          data: rest,
          position: { lat: g.lat, lon: g.lon },
          ...(g.speedKmh !== undefined ? { speedKmh: g.speedKmh } : {}),
        },
      };
    }
    case 'status': {
      const s = v as z.infer<typeof statusPayload>;
      const { id: _id, ts: _ts, ...rest } = s;
      return {
        ok: true,
        message: {
          ...common,
          data: rest,
          ...(s.speedKmh !== undefined ? { speedKmh: s.speedKmh } : {}),
          ...(s.ignition !== undefined ? { ignition: s.ignition } : {}),
        },
      };
    }
    default: {
      const { id: _id, ts: _ts, ...rest } = v as { id: string; ts: Date } & Record<string, unknown>;
      return { ok: true, message: { ...common, data: rest } };
    }
  }
}

/** The stored form of a decoded frame (errors kept: `NO DATA` is information too). */
function compactFrame(f: DecodedFrame): Record<string, unknown> {
  switch (f.kind) {
    case 'pid':
      return { mode: f.mode, pid: f.pid, value: f.value, unit: f.unit };
    case 'supported-pids':
    case 'monitor-status':
      return { mode: f.mode, pid: f.pid, value: f.value };
    case 'dtcs':
      return { mode: f.mode, dtcs: f.dtcs };
    case 'vin':
      return { mode: f.mode, pid: f.pid, vin: f.vin };
    case 'error':
      return { error: f.code };
  }
}
