/**
 * The device protocol: topics `pitlane/v1/devices/{deviceId}/{obd|gps|tpms|ev|status}` and one JSON
 * snapshot per PUBLISH (docs/TELEMETRY.md). Pure: parse, validate, decode; never throws.
 */
import { z } from 'zod';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
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

export type DeviceTopic = Readonly<{ deviceId: string; kind: MessageKind }>;

/** Topics seen, parsed: a fleet publishes to a few topics per device, over and over. */
const topicCache = new Map<string, DeviceTopic>();
const TOPIC_CACHE_MAX = 50_000;

export function parseTopic(topic: string): DeviceTopic | undefined {
  const hit = topicCache.get(topic);
  if (hit) return hit;
  const parsed = parseTopicText(topic);
  if (parsed) {
    if (topicCache.size >= TOPIC_CACHE_MAX) topicCache.clear();
    topicCache.set(topic, parsed);
  }
  return parsed;
}

function parseTopicText(topic: string): DeviceTopic | undefined {
  if (!topic.startsWith(TOPIC_PREFIX)) return undefined;
  const rest = topic.slice(TOPIC_PREFIX.length).split('/');
  if (rest.length !== 2) return undefined;
  const [deviceId, kind] = rest as [string, string];
  if (!DEVICE_ID.test(deviceId)) return undefined;
  if (!(MESSAGE_KINDS as readonly string[]).includes(kind)) return undefined;
  return Object.freeze({ deviceId, kind: kind as MessageKind });
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

export const payloadSchemas = {
  obd: obdPayload,
  gps: gpsPayload,
  tpms: tpmsPayload,
  ev: evPayload,
  status: statusPayload,
} as const;

/**
 * The hot path: the same schemas compiled by Ajv from their JSON Schema (zod's `toJSONSchema`),
 * several times cheaper per message than zod's own check. Zod stays the rule and the voice: a
 * payload Ajv refuses is judged again by zod, which words the error, and a property test
 * (payloads.test.ts) holds the two to the same verdict. Both count string lengths in code points;
 * regular expressions run without the `u` flag as zod's do, and `date-time` is checked by the
 * pattern zod puts beside it rather than by an Ajv format.
 */
let compiled: Record<MessageKind, ValidateFunction> | undefined;
/** Compiled on first use (~0.2 s), not when the module loads: CLI commands that import it need not wait. */
function fastCheck(kind: MessageKind): ValidateFunction {
  if (!compiled) {
    const ajv = new Ajv2020({ strict: true, unicodeRegExp: false, validateFormats: false });
    compiled = Object.fromEntries(
      MESSAGE_KINDS.map((k) => [k, ajv.compile(z.toJSONSchema(payloadSchemas[k], { io: 'input' }))]),
    ) as Record<MessageKind, ValidateFunction>;
  }
  return compiled[kind];
}

/** Whether the compiled check alone accepts `json` (for the test that holds it to zod's verdict). */
export const acceptsFast = (kind: MessageKind, json: unknown): boolean => fastCheck(kind)(json);

/** The payload as zod would return it: the same fields, `ts` made a Date. */
type Payload<K extends MessageKind> = z.output<(typeof payloadSchemas)[K]>;

/** Validates one decoded JSON payload of `kind`: the checked value (`ts` a Date), or zod's issues. */
export function validatePayload<K extends MessageKind>(
  kind: K,
  json: unknown,
): { success: true; data: Payload<K> } | { success: false; error: z.ZodError } {
  if (fastCheck(kind)(json)) {
    const v = json as Record<string, unknown>;
    const data: Record<string, unknown> = {};
    for (const k of Object.keys(v)) data[k] = k === 'ts' ? new Date(v.ts as string | number) : v[k];
    return { success: true, data: data as Payload<K> };
  }
  const parsed = payloadSchemas[kind].safeParse(json);
  if (parsed.success) return { success: true, data: parsed.data as Payload<K> };
  return { success: false, error: parsed.error };
}

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
  const parsed = validatePayload(kind, json);
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
  const message: ParsedMessage = { deviceId, kind, messageId: v.id, ts: v.ts, data: {} };
  switch (kind) {
    case 'obd': {
      const o = v as z.infer<typeof obdPayload>;
      const frames: DecodedFrame[] = [];
      for (const r of o.responses) {
        frames.push(...decodeElmResponse(typeof r === 'string' ? [r] : r, { can: o.can === true }));
      }
      message.data = { frames: frames.map(compactFrame) };
      const speed = frames.find((f) => f.kind === 'pid' && f.pid === '0D');
      if (speed && speed.kind === 'pid') message.speedKmh = speed.value;
      break;
    }
    case 'gps': {
      const g = v as z.infer<typeof gpsPayload>;
      message.data = fieldsOf(g);
      message.position = { lat: g.lat, lon: g.lon };
      if (g.speedKmh !== undefined) message.speedKmh = g.speedKmh;
      break;
    }
    case 'status': {
      const st = v as z.infer<typeof statusPayload>;
      message.data = fieldsOf(st);
      if (st.speedKmh !== undefined) message.speedKmh = st.speedKmh;
      if (st.ignition !== undefined) message.ignition = st.ignition;
      break;
    }
    default:
      message.data = fieldsOf(v);
  }
  return { ok: true, message };
}

/** The payload's fields but `id` and `ts` (a loop: object rest costs a runtime call per message). */
function fieldsOf(v: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const k of Object.keys(v)) if (k !== 'id' && k !== 'ts') out[k] = (v as Record<string, unknown>)[k];
  return out;
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
