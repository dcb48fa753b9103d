/** Periodic background jobs, started with the server and stopped before the database closes. */
import type { AppContext } from './context.js';
import { errorSummary } from './errors.js';

export function every(ctx: AppContext, name: string, intervalMs: number, run: () => Promise<unknown>): void {
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  const tick = (): void => {
    running = run()
      .catch((e: unknown) => ctx.log.error({ job: name, err: errorSummary(e) }, 'background job failed'))
      .finally(() => {
        running = undefined;
        if (timer) timer = setTimeout(tick, intervalMs);
      });
  };
  ctx.lifecycle.onStart(() => {
    timer = setTimeout(tick, intervalMs);
  });
  ctx.lifecycle.onStop(async () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    await running;
  });
}
