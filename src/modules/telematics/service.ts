/** Starting telematics with the server: partitions, then the embedded broker or the external consumers. */
import type { AppContext } from '../../platform/context.js';
import { every } from '../../platform/jobs.js';
import { startEmbeddedBroker, startExternalConsumer, type BrokerHandle } from './broker.js';
import { Ingestor, tripSettings } from './ingest.js';
import { applyRetention, closeStaleTrips, ensurePartitions } from './maintenance.js';

/** Starts device ingest for `serve`; stops with the server (ctx.lifecycle). */
export async function startTelematics(ctx: AppContext, print: (line: string) => void): Promise<BrokerHandle> {
  await ensurePartitions(ctx);
  const ingestor = new Ingestor(ctx);
  const handle = ctx.config.mqttUrl
    ? await startExternalConsumer(ctx, ingestor, {
        url: ctx.config.mqttUrl,
        consumers: ctx.config.mqttConsumers,
        window: ctx.config.mqttWindow,
        shared: ctx.config.mqttShared,
      })
    : await startEmbeddedBroker(ctx, ingestor, { port: ctx.config.mqttPort, host: ctx.config.host, print });
  ctx.lifecycle.onStop(() => handle.stop());
  return handle;
}

/** Periodic jobs: partitions ahead, retention, closing trips of silent devices. */
export function registerTelematicsJobs(ctx: AppContext): void {
  every(ctx, 'telematics.partitions', 6 * 3600_000, () => ensurePartitions(ctx));
  every(ctx, 'telematics.retention', 24 * 3600_000, () => applyRetention(ctx));
  every(ctx, 'telematics.close-stale-trips', 60_000, () => closeStaleTrips(ctx, tripSettings(ctx.config)));
}
