/** Telemetry counters on the shared /metrics registry. */
import type { Counter, Gauge } from 'prom-client';
import type { Metrics } from '../../platform/http/metrics.js';

export interface TelemetryMetrics {
  messages: Counter<'kind' | 'result'>;
  rejected: Counter<'reason'>;
  writeErrors: Counter<never>;
  batches: Counter<never>;
  copies: Counter<'path'>;
  queueDepth: Gauge<never>;
  connections: Counter<'result'>;
}

export function telemetryMetrics(m: Metrics): TelemetryMetrics {
  return {
    messages: m.counter(
      'pitlane_telemetry_messages_total',
      'Device messages committed, by kind and result (stored | duplicate)',
      ['kind', 'result'],
    ),
    rejected: m.counter(
      'pitlane_telemetry_rejected_total',
      'Device messages or connections rejected, by reason',
      ['reason'],
    ),
    writeErrors: m.counter(
      'pitlane_telemetry_write_errors_total',
      'Failed telemetry batch writes (retried; nothing acknowledged)',
      [],
    ),
    batches: m.counter('pitlane_telemetry_batches_total', 'Telemetry batches committed', []),
    copies: m.counter(
      'pitlane_telemetry_copy_batches_total',
      'PostgreSQL batches written by COPY: straight into the readings table, or staged because one was already stored',
      ['path'],
    ),
    queueDepth: m.gauge('pitlane_telemetry_queue_depth', 'Device messages waiting to be committed', []),
    connections: m.counter(
      'pitlane_telemetry_connections_total',
      'Device connections to the embedded broker, by result',
      ['result'],
    ),
  };
}
