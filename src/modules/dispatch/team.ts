/** The store's team board and the operator's certification coverage, from the roster and real work. */
import type { AppContext } from '../../platform/context.js';
import type { Executor } from '../../platform/db/types.js';
import { technicianWorkStats } from '../workorders/index.js';
import {
  loadTechnicians,
  performanceOf,
  trainingOf,
  type Performance,
  type Technician,
  type Training,
} from '../technicians/index.js';

export const PERFORMANCE_WINDOW_DAYS = 365;

export interface TeamMember {
  technician: Technician;
  performance: Performance;
  training: Training[];
}

/** Performance of technicians; the store mean (prior) is the mean of its technicians' raw ratings. */
export async function teamPerformance(
  ctx: AppContext,
  ex: Executor,
  techs: readonly Technician[],
): Promise<TeamMember[]> {
  const now = ctx.clock.now();
  const stats = await technicianWorkStats(ex, {
    technicianIds: techs.map((t) => t.id),
    since: new Date(now.getTime() - PERFORMANCE_WINDOW_DAYS * 86_400_000),
  });
  const training = await trainingOf(
    ex,
    techs.map((t) => t.id),
  );
  const byStore = new Map<string, number[]>();
  for (const t of techs) {
    for (const r of stats.get(t.id)?.reviews ?? [])
      byStore.set(t.storeId, [...(byStore.get(t.storeId) ?? []), r.stars]);
  }
  const mean = (storeId: string) => {
    const xs = byStore.get(storeId) ?? [];
    return xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : 4.5;
  };
  return techs.map((t) => ({
    technician: t,
    performance: performanceOf(
      stats.get(t.id) ?? {
        jobs: 0,
        standardMinutes: 0,
        actualMinutes: 0,
        comebacks: 0,
        qcChecked: 0,
        qcFirstPass: 0,
        reviews: [],
      },
      mean(t.storeId),
      now,
    ),
    training: training.filter((x) => x.technicianId === t.id),
  }));
}

/** Per city: stores, stores with a valid certificate of `code`, certified technicians, all technicians. */
export async function certificationCoverage(
  ex: Executor,
  stores: ReadonlyArray<{ id: string; city: string }>,
  code: string,
  day: string,
): Promise<
  Array<{ city: string; stores: number; storesCovered: number; technicians: number; certified: number }>
> {
  const techs = await loadTechnicians(ex, { storeIds: stores.map((s) => s.id), activeOnly: true });
  const byCity = new Map<
    string,
    { stores: Set<string>; covered: Set<string>; technicians: number; certified: number }
  >();
  const cityOf = new Map(stores.map((s) => [s.id, s.city || '—']));
  for (const s of stores) {
    const c = byCity.get(cityOf.get(s.id)!) ?? {
      stores: new Set(),
      covered: new Set(),
      technicians: 0,
      certified: 0,
    };
    c.stores.add(s.id);
    byCity.set(cityOf.get(s.id)!, c);
  }
  for (const t of techs) {
    const c = byCity.get(cityOf.get(t.storeId)!)!;
    c.technicians++;
    if (t.certifications.some((x) => x.code === code && (x.expiresOn === null || x.expiresOn >= day))) {
      c.certified++;
      c.covered.add(t.storeId);
    }
  }
  return [...byCity]
    .map(([city, c]) => ({
      city,
      stores: c.stores.size,
      storesCovered: c.covered.size,
      technicians: c.technicians,
      certified: c.certified,
    }))
    .sort((a, b) => a.city.localeCompare(b.city));
}
