/**
 * Hooks for `runSimulation`'s lock-step replay against an in-process Pitlane on a settable clock: the
 * clock moves to each window's end before the window is published, the event bus is drained once it
 * is acknowledged (trouble codes are judged on the health change), and the maintenance sweep runs at
 * 03:00 local time of every day the replay passes, as the periodic job would.
 */
import type { AppContext } from '../platform/context.js';
import type { FixedClock } from '../platform/clock.js';
import { localToUtc, utcToLocal } from '../platform/time.js';
import { sweepVehicles } from '../modules/maintenance/index.js';
import type { SimulateOptions } from '../modules/telematics/simulate/run.js';

const SWEEP_MINUTE = 3 * 60;
/** The sweep looks at vehicles that reported since the previous one (with a margin). */
const SWEEP_WINDOW_MS = 26 * 3600_000;

export interface ReplayStats {
  windows: number;
  sweeps: number;
  /** Wall-clock milliseconds spent publishing (until acknowledged), draining the bus, sweeping. */
  ms: { publish: number; drain: number; sweep: number };
}

export function lockStep(
  ctx: AppContext,
  clock: FixedClock,
  windowMs: number,
  onWindow?: (stats: ReplayStats) => void,
): { step: NonNullable<SimulateOptions['step']>; stats: ReplayStats; finish(at: Date): Promise<void> } {
  const tz = ctx.config.timezone;
  const stats: ReplayStats = { windows: 0, sweeps: 0, ms: { publish: 0, drain: 0, sweep: 0 } };
  let sweptDay = utcToLocal(clock.now(), tz).day;
  let mark = Date.now();
  const drain = async () => {
    while ((await ctx.bus.drain(10_000)) > 0);
  };
  const sweep = async () => {
    const t0 = Date.now();
    await sweepVehicles(ctx, SWEEP_WINDOW_MS);
    await drain();
    stats.ms.sweep += Date.now() - t0;
    stats.sweeps++;
  };
  return {
    stats,
    step: {
      windowMs,
      before: async (windowEnd) => {
        const { day, minute } = utcToLocal(new Date(windowEnd), tz);
        const due = minute >= SWEEP_MINUTE ? day : previousDay(day);
        if (due > sweptDay) {
          clock.set(localToUtc(due, SWEEP_MINUTE, tz));
          await sweep();
          sweptDay = due;
        }
        clock.set(new Date(windowEnd));
        mark = Date.now();
      },
      after: async () => {
        const t0 = Date.now();
        stats.ms.publish += t0 - mark;
        await drain();
        stats.ms.drain += Date.now() - t0;
        stats.windows++;
        onWindow?.(stats);
      },
    },
    /** Moves the clock to `at` and runs a last sweep. */
    async finish(at: Date) {
      clock.set(at);
      await sweep();
    },
  };
}

function previousDay(day: string): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
}
