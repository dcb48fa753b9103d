/** Free-time arithmetic and slot candidates: where a job can start on a technician (pure). */
import { DomainError } from '../../../platform/domain/index.js';
import type { DispatchJob, Interval, PlacedJob, Technician } from './types.js';

/** Smallest multiple of `slot` that is ≥ t. */
export function ceilToSlot(t: number, slot: number): number {
  return Math.ceil(t / slot) * slot;
}

/** Sorted, merged copy of `intervals` (empty ones dropped). */
export function normalizeIntervals(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals
    .filter((iv) => iv.end > iv.start)
    .sort((a, b) => a.start - b.start || a.end - b.end);
  const out: Interval[] = [];
  for (const iv of sorted) {
    const last = out[out.length - 1];
    if (last !== undefined && iv.start <= last.end) {
      if (iv.end > last.end) out[out.length - 1] = { start: last.start, end: iv.end };
    } else {
      out.push({ start: iv.start, end: iv.end });
    }
  }
  return out;
}

/** `free` (normalized) without [busy.start, busy.end). */
export function subtractInterval(free: readonly Interval[], busy: Interval): Interval[] {
  const out: Interval[] = [];
  for (const iv of free) {
    if (busy.end <= iv.start || busy.start >= iv.end) {
      out.push(iv);
      continue;
    }
    if (busy.start > iv.start) out.push({ start: iv.start, end: busy.start });
    if (busy.end < iv.end) out.push({ start: busy.end, end: iv.end });
  }
  return out;
}

/** Whether the technician has every skill and certification the job requires. */
export function isQualified(job: DispatchJob, tech: Technician): boolean {
  const skills = new Set(tech.skills);
  const certs = new Set(tech.certs ?? []);
  return (
    (job.requiredSkills ?? []).every((s) => skills.has(s)) &&
    (job.requiredCerts ?? []).every((c) => certs.has(c))
  );
}

/**
 * Grid starts s at which the job fits in `free` (normalized): s in [earliestStart, latestStart], s a
 * multiple of `slot`, and [s, s + durationMin) inside one free interval. Ascending.
 */
export function candidateStarts(job: DispatchJob, free: readonly Interval[], slot: number): number[] {
  const out: number[] = [];
  for (const iv of free) {
    const first = ceilToSlot(Math.max(iv.start, job.earliestStart), slot);
    const last = Math.min(job.latestStart, iv.end - job.durationMin);
    for (let s = first; s <= last; s += slot) out.push(s);
  }
  return out;
}

/** Each technician's free time, normalized, minus the placed jobs on them. */
export function remainingFreeTime(
  technicians: readonly Technician[],
  placed: readonly PlacedJob[],
): Interval[][] {
  const index = new Map(technicians.map((t, k) => [t.id, k]));
  const free = technicians.map((t) => normalizeIntervals(t.free));
  for (const p of placed) {
    const k = index.get(p.technicianId);
    if (k === undefined) continue;
    free[k] = subtractInterval(free[k] as Interval[], p);
  }
  return free;
}

function invalid(message: string): never {
  throw new DomainError('dispatch.invalid_input', message);
}

/** Throws `dispatch.invalid_input` on malformed jobs, technicians or placed jobs. */
export function validateInputs(
  jobs: readonly DispatchJob[],
  technicians: readonly Technician[],
  slot: number,
  placed: readonly PlacedJob[] = [],
): void {
  if (!Number.isInteger(slot) || slot <= 0) invalid(`Slot length must be a positive integer, got ${slot}`);
  const jobIds = new Set<string>();
  for (const job of jobs) {
    if (jobIds.has(job.id)) invalid(`Job ${job.id} appears twice`);
    jobIds.add(job.id);
    if (!Number.isFinite(job.durationMin) || job.durationMin <= 0) {
      invalid(`Job ${job.id}: duration must be > 0 minutes, got ${job.durationMin}`);
    }
    if (!Number.isFinite(job.earliestStart) || !Number.isFinite(job.latestStart)) {
      invalid(`Job ${job.id}: earliest and latest start must be finite minutes`);
    }
    if (job.latestStart < job.earliestStart) {
      invalid(`Job ${job.id}: latest start ${job.latestStart} is before earliest start ${job.earliestStart}`);
    }
  }
  const techIds = new Set<string>();
  for (const tech of technicians) {
    if (techIds.has(tech.id)) invalid(`Technician ${tech.id} appears twice`);
    techIds.add(tech.id);
    if (!(tech.rating >= 0 && tech.rating <= 5))
      invalid(`Technician ${tech.id}: rating must be 0–5, got ${tech.rating}`);
    if (!(tech.loadMin >= 0) || !Number.isFinite(tech.loadMin)) {
      invalid(`Technician ${tech.id}: load must be ≥ 0 minutes, got ${tech.loadMin}`);
    }
    for (const iv of tech.free) {
      if (
        !Number.isInteger(iv.start) ||
        !Number.isInteger(iv.end) ||
        iv.start % slot !== 0 ||
        iv.end % slot !== 0
      ) {
        invalid(`Technician ${tech.id}: free time ${iv.start}–${iv.end} is not on the ${slot}-minute grid`);
      }
      if (iv.end <= iv.start) invalid(`Technician ${tech.id}: free time ${iv.start}–${iv.end} is empty`);
    }
  }
  for (const p of placed) {
    if (!techIds.has(p.technicianId)) invalid(`Placed job ${p.jobId}: unknown technician ${p.technicianId}`);
    if (!(p.end > p.start)) invalid(`Placed job ${p.jobId}: end ${p.end} is not after start ${p.start}`);
  }
}
