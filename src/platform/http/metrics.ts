/** Prometheus metrics: request latency by route, errors by code, database health and latency. */
import type { FastifyInstance } from 'fastify';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'pitlane_http_request_duration_seconds',
    help: 'HTTP request latency by route',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [this.registry],
  });
  readonly httpErrors = new Counter({
    name: 'pitlane_http_errors_total',
    help: 'Error answers by error code',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  readonly dbUp = new Gauge({
    name: 'pitlane_db_up',
    help: '1 when the database answered the last health check',
    registers: [this.registry],
  });
  readonly dbPing = new Gauge({
    name: 'pitlane_db_ping_seconds',
    help: 'Round trip of `select 1` at the last scrape',
    registers: [this.registry],
  });
  readonly dbInfo = new Gauge({
    name: 'pitlane_db_info',
    help: 'Which database engine is in use',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });

  constructor(defaults = true) {
    if (defaults) collectDefaultMetrics({ register: this.registry, prefix: 'pitlane_' });
  }

  /** Registers a counter owned by a module (e.g. telemetry rejects) on this registry. */
  counter<L extends string>(name: string, help: string, labelNames: readonly L[]): Counter<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Counter<L>;
    return new Counter({ name, help, labelNames, registers: [this.registry] });
  }

  gauge<L extends string>(name: string, help: string, labelNames: readonly L[]): Gauge<L> {
    const existing = this.registry.getSingleMetric(name);
    if (existing) return existing as Gauge<L>;
    return new Gauge({ name, help, labelNames, registers: [this.registry] });
  }

  install(app: FastifyInstance): void {
    app.addHook('onResponse', async (req, reply) => {
      const route = req.routeOptions.url ?? 'unmatched';
      this.httpDuration.observe(
        { method: req.method, route, status: String(reply.statusCode) },
        reply.elapsedTime / 1000,
      );
    });
  }
}
