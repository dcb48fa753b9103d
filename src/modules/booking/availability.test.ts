import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  CELL_MS,
  cellKey,
  cellsOf,
  computeSlots,
  workableWithin,
  type ResourceWindow,
} from './availability.js';

const T0 = Date.UTC(2026, 5, 1, 1, 0); // 09:00 Shanghai
const open: [number, number] = [T0, T0 + 9 * 3600_000];
const whole = (id: string): ResourceWindow => ({ id, workable: [open] });

describe('computeSlots', () => {
  it('lists every grid start where a bay and a technician are free for the whole job', () => {
    const slots = computeSlots({
      open,
      bays: [whole('b1')],
      technicians: [whole('t1')],
      claimed: new Set([cellKey('b1', T0 + CELL_MS)]),
      durationMinutes: 30,
      notBefore: 0,
    });
    const starts = slots.map((s) => (s.startMs - T0) / CELL_MS);
    // 09:00 would need cells 0 and 1 (1 is taken); 09:15 needs 1 and 2.
    expect(starts.slice(0, 3)).toEqual([2, 3, 4]);
    expect(slots.at(-1)!.endMs).toBe(open[1]);
  });

  it('respects notice, shifts and absences', () => {
    const tech: ResourceWindow = {
      id: 't1',
      workable: workableWithin([[T0, T0 + 4 * 3600_000]], [[T0 + 3600_000, T0 + 2 * 3600_000]]),
    };
    const slots = computeSlots({
      open,
      bays: [whole('b1')],
      technicians: [tech],
      claimed: new Set(),
      durationMinutes: 60,
      notBefore: T0 + 10 * 60_000,
    });
    const starts = slots.map((s) => (s.startMs - T0) / 60_000);
    expect(starts).toEqual([120, 135, 150, 165, 180]);
  });

  it('never offers a start whose cells are claimed for every bay or every technician (property)', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 3 }),
        fc.integer({ min: 1, max: 3 }),
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 35 })), {
          maxLength: 60,
        }),
        fc.constantFrom(15, 30, 45, 60, 90, 120),
        (nb, nt, claims, duration) => {
          const bays = Array.from({ length: nb }, (_, i) => whole(`b${i}`));
          const techs = Array.from({ length: nt }, (_, i) => whole(`t${i}`));
          const ids = [...bays, ...techs].map((r) => r.id);
          const claimed = new Set(claims.map(([r, c]) => cellKey(ids[r % ids.length]!, T0 + c * CELL_MS)));
          const slots = computeSlots({
            open,
            bays,
            technicians: techs,
            claimed,
            durationMinutes: duration,
            notBefore: 0,
          });
          for (const s of slots) {
            expect((s.startMs - T0) % CELL_MS).toBe(0);
            expect(s.endMs - s.startMs).toBe(duration * 60_000);
            expect(s.endMs).toBeLessThanOrEqual(open[1]);
            for (const id of [...s.freeBays, ...s.freeTechnicians]) {
              for (const c of cellsOf(s.startMs, s.endMs)) expect(claimed.has(cellKey(id, c))).toBe(false);
            }
          }
          // Completeness: every start not listed really lacks a free bay or technician.
          const listed = new Set(slots.map((s) => s.startMs));
          for (let st = open[0]; st + duration * 60_000 <= open[1]; st += CELL_MS) {
            if (listed.has(st)) continue;
            const cells = cellsOf(st, st + duration * 60_000);
            const anyFree = (rs: ResourceWindow[]) =>
              rs.some((r) => cells.every((c) => !claimed.has(cellKey(r.id, c))));
            expect(anyFree(bays) && anyFree(techs)).toBe(false);
          }
        },
      ),
    );
  });

  it('is empty when closed', () => {
    expect(
      computeSlots({
        open: null,
        bays: [whole('b')],
        technicians: [whole('t')],
        claimed: new Set(),
        durationMinutes: 30,
        notBefore: 0,
      }),
    ).toEqual([]);
  });
});

describe('workableWithin', () => {
  it('cuts absences out of intervals', () => {
    expect(
      workableWithin(
        [[0, 100]],
        [
          [10, 20],
          [50, 200],
        ],
      ),
    ).toEqual([
      [0, 10],
      [20, 50],
    ]);
  });
});
