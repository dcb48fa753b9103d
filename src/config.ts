/**
 * One environment schema, validated at boot. A bad value names the variable and the process exits
 * non-zero (see main.ts). Everything configurable lives here; README.md has the table.
 */
import path from 'node:path';
import { z } from 'zod';

const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const port = (def: number) => z.coerce.number().int().min(0).max(65535).default(def);

export const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  PORT: port(8080),
  HOST: z.string().min(1).default('0.0.0.0'),
  PITLANE_DATA_DIR: z.string().min(1).default('./.pitlane'),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// URL')
    .optional(),
  PITLANE_MQTT_URL: z
    .string()
    .regex(/^(mqtts?|tcp|ssl):\/\/[^/?#]+\/?$/, 'must be an mqtt://host:port or mqtts://host:port URL')
    .optional(),
  PITLANE_MQTT_PORT: port(1883),
  /** Consumer connections to an external broker (shared subscription). */
  PITLANE_MQTT_CONSUMERS: z.coerce.number().int().min(1).max(512).default(4),
  /** Unacknowledged messages per consumer connection (MQTT v5 receive maximum). */
  PITLANE_MQTT_WINDOW: z.coerce.number().int().min(1).max(65_535).default(256),
  /** `false`: plain subscriptions (one connection per message kind) instead of `$share/pitlane/…`. */
  PITLANE_MQTT_SHARED: bool.optional(),
  /** Telematics: harsh acceleration / braking thresholds (m/s²) and the speeding threshold (km/h). */
  PITLANE_TELEMETRY_HARSH_ACCEL: z.coerce.number().positive().max(20).default(3.0),
  PITLANE_TELEMETRY_HARSH_BRAKE: z.coerce.number().positive().max(20).default(3.5),
  PITLANE_TELEMETRY_SPEEDING_KMH: z.coerce.number().positive().max(400).default(120),
  /** Retention in days: raw readings (OBD/status/TPMS/EV), GPS readings, completed trips. */
  PITLANE_TELEMETRY_RETENTION_DAYS: z.coerce.number().int().min(1).default(400),
  PITLANE_TELEMETRY_GPS_RETENTION_DAYS: z.coerce.number().int().min(1).default(90),
  PITLANE_TELEMETRY_TRIP_RETENTION_DAYS: z.coerce.number().int().min(1).default(1095),
  /** Trouble-code catalogue data (default ../shared/data/obd-dtc beside the repository). */
  PITLANE_DTC_DATA_DIR: z.string().min(1).optional(),
  NATS_URL: z
    .string()
    .regex(/^(nats|tls):\/\//, 'must be a nats:// URL')
    .optional(),
  /** HMAC key for access/refresh tokens (≥ 32 chars). Generated and kept in the database when unset. */
  PITLANE_TOKEN_SECRET: z.string().min(32, 'must be at least 32 characters').optional(),
  PITLANE_ACCESS_TOKEN_TTL: z.coerce.number().int().min(60).max(86_400).default(900),
  PITLANE_REFRESH_TOKEN_TTL: z.coerce
    .number()
    .int()
    .min(3600)
    .max(90 * 86_400)
    .default(30 * 86_400),
  /** Shows one-time codes in the log and enables the outbox endpoint for operators. */
  PITLANE_DEV_OUTBOX: bool.optional(),
  PITLANE_LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  PITLANE_BODY_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(1024 * 1024),
  PITLANE_UPLOAD_LIMIT: z.coerce
    .number()
    .int()
    .min(1024)
    .default(10 * 1024 * 1024),
  PITLANE_RATE_LIMIT: z.coerce.number().int().min(0).default(600),
  PITLANE_PUBLIC_URL: z.string().url().optional(),
  PITLANE_TIMEZONE: z.string().default('Asia/Shanghai'),
  /** SMS and WeChat template messages are POSTed as JSON to these webhooks (a provider adapter). */
  PITLANE_SMS_WEBHOOK_URL: z.string().url().optional(),
  PITLANE_WECHAT_WEBHOOK_URL: z.string().url().optional(),
  /** `auto`: build the web console at start when missing or stale; `off`: serve what is built. */
  PITLANE_WEB_BUILD: z.enum(['auto', 'off']).default('auto'),
});

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | undefined;
  mqttUrl: string | undefined;
  mqttPort: number;
  mqttConsumers: number;
  mqttWindow: number;
  mqttShared: boolean;
  telemetryHarshAccelMs2: number;
  telemetryHarshBrakeMs2: number;
  telemetrySpeedingKmh: number;
  telemetryRetentionDays: number;
  telemetryGpsRetentionDays: number;
  telemetryTripRetentionDays: number;
  dtcDataDir: string | undefined;
  natsUrl: string | undefined;
  tokenSecret: string | undefined;
  accessTokenTtl: number;
  refreshTokenTtl: number;
  devOutbox: boolean;
  logLevel: Env['PITLANE_LOG_LEVEL'];
  bodyLimit: number;
  uploadLimit: number;
  rateLimit: number;
  publicUrl: string;
  timezone: string;
  smsWebhookUrl: string | undefined;
  wechatWebhookUrl: string | undefined;
  webBuild: 'auto' | 'off';
}

export class ConfigError extends Error {
  constructor(public readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** Parses the environment; throws ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const parsed = envSchema.safeParse(env);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((i) => {
        const name = i.path.join('.');
        return `${name}=${JSON.stringify(env[name] ?? '')}: ${i.message}`;
      }),
    );
  }
  const e = parsed.data;
  return {
    env: e.NODE_ENV,
    port: e.PORT,
    host: e.HOST,
    dataDir: path.resolve(e.PITLANE_DATA_DIR),
    databaseUrl: e.DATABASE_URL,
    mqttUrl: e.PITLANE_MQTT_URL,
    mqttPort: e.PITLANE_MQTT_PORT,
    mqttConsumers: e.PITLANE_MQTT_CONSUMERS,
    mqttWindow: e.PITLANE_MQTT_WINDOW,
    mqttShared: e.PITLANE_MQTT_SHARED ?? true,
    telemetryHarshAccelMs2: e.PITLANE_TELEMETRY_HARSH_ACCEL,
    telemetryHarshBrakeMs2: e.PITLANE_TELEMETRY_HARSH_BRAKE,
    telemetrySpeedingKmh: e.PITLANE_TELEMETRY_SPEEDING_KMH,
    telemetryRetentionDays: e.PITLANE_TELEMETRY_RETENTION_DAYS,
    telemetryGpsRetentionDays: e.PITLANE_TELEMETRY_GPS_RETENTION_DAYS,
    telemetryTripRetentionDays: e.PITLANE_TELEMETRY_TRIP_RETENTION_DAYS,
    dtcDataDir: e.PITLANE_DTC_DATA_DIR ? path.resolve(e.PITLANE_DTC_DATA_DIR) : undefined,
    natsUrl: e.NATS_URL,
    tokenSecret: e.PITLANE_TOKEN_SECRET,
    accessTokenTtl: e.PITLANE_ACCESS_TOKEN_TTL,
    refreshTokenTtl: e.PITLANE_REFRESH_TOKEN_TTL,
    devOutbox: e.PITLANE_DEV_OUTBOX ?? e.NODE_ENV !== 'production',
    logLevel: e.PITLANE_LOG_LEVEL,
    bodyLimit: e.PITLANE_BODY_LIMIT,
    uploadLimit: e.PITLANE_UPLOAD_LIMIT,
    rateLimit: e.PITLANE_RATE_LIMIT,
    publicUrl: e.PITLANE_PUBLIC_URL ?? `http://localhost:${e.PORT}`,
    timezone: e.PITLANE_TIMEZONE,
    smsWebhookUrl: e.PITLANE_SMS_WEBHOOK_URL,
    wechatWebhookUrl: e.PITLANE_WECHAT_WEBHOOK_URL,
    webBuild: e.PITLANE_WEB_BUILD,
  };
}

/** A config for tests and tools: defaults plus overrides, never reading process.env. */
export function testConfig(overrides: Partial<Config> = {}): Config {
  return { ...loadConfig({ NODE_ENV: 'test', PITLANE_LOG_LEVEL: 'silent' }), ...overrides };
}
