/**
 * Pure slot math on the 15-minute grid. A start time is available when the store is open for the
 * whole job, at least one compatible bay and at least one qualified technician (on shift, not away)
 * are free for every cell of it, and it is far enough in the future. Each booking occupies one bay
 * and one technician, so free bays and free technicians are independent resources.
 */
export const CELL_MS = 15 * 60_000;

export interface ResourceWindow {
  id: string;
  /** Intervals [start, end) in epoch ms when the resource can work (shift ∩ opening hours). */
  workable: ReadonlyArray<readonly [number, number]>;
}

export interface SlotInput {
  /** Opening interval of the day in epoch ms, or null when closed. */
  open: readonly [number, number] | null;
  bays: readonly ResourceWindow[];
  technicians: readonly ResourceWindow[];
  /** Claimed cells: `${resourceId}|${cellStartMs}` (a Set, or any lookup with `has`). */
  claimed: Pick<ReadonlySet<string>, 'has'>;
  durationMinutes: number;
  /** Earliest allowed start (now + notice), epoch ms. */
  notBefore: number;
}

export interface Slot {
  startMs: number;
  endMs: number;
  freeBays: string[];
  freeTechnicians: string[];
}

export const cellKey = (resourceId: string, cellStartMs: number): string => `${resourceId}|${cellStartMs}`;

export function cellsOf(startMs: number, endMs: number): number[] {
  const out: number[] = [];
  for (let t = startMs; t < endMs; t += CELL_MS) out.push(t);
  return out;
}

function covers(r: ResourceWindow, s: number, e: number): boolean {
  return r.workable.some(([a, b]) => a <= s && e <= b);
}

function free(r: ResourceWindow, cells: readonly number[], claimed: SlotInput['claimed']): boolean {
  for (const c of cells) if (claimed.has(cellKey(r.id, c))) return false;
  return true;
}

export function computeSlots(input: SlotInput): Slot[] {
  if (!input.open || input.durationMinutes <= 0) return [];
  const [openMs, closeMs] = input.open;
  const dur = Math.ceil(input.durationMinutes / 15) * CELL_MS;
  const out: Slot[] = [];
  // Start on the grid at or after opening and the notice limit.
  let s = Math.max(openMs, Math.ceil(input.notBefore / CELL_MS) * CELL_MS);
  s = openMs + Math.ceil((s - openMs) / CELL_MS) * CELL_MS;
  for (; s + dur <= closeMs; s += CELL_MS) {
    const e = s + dur;
    const cells = cellsOf(s, e);
    const bays = input.bays.filter((b) => covers(b, s, e) && free(b, cells, input.claimed)).map((b) => b.id);
    if (!bays.length) continue;
    const techs = input.technicians
      .filter((t) => covers(t, s, e) && free(t, cells, input.claimed))
      .map((t) => t.id);
    if (!techs.length) continue;
    out.push({ startMs: s, endMs: e, freeBays: bays, freeTechnicians: techs });
  }
  return out;
}

/** Intersects a resource's working intervals with [a, b) and removes absences. */
export function workableWithin(
  base: ReadonlyArray<readonly [number, number]>,
  absences: ReadonlyArray<readonly [number, number]>,
): Array<[number, number]> {
  let cur: Array<[number, number]> = base.map(([a, b]) => [a, b]);
  for (const [x, y] of absences) {
    const next: Array<[number, number]> = [];
    for (const [a, b] of cur) {
      if (y <= a || x >= b) next.push([a, b]);
      else {
        if (x > a) next.push([a, x]);
        if (y < b) next.push([y, b]);
      }
    }
    cur = next;
  }
  return cur;
}
