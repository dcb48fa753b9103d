/**
 * The ledger invariant, property-tested on the real database: random sequences of receipts,
 * adjustments, reservations, releases, consumptions and (multi-line) transfers — each in its own
 * transaction, some refused — leave balances equal to an in-memory model, never negative, and equal
 * to the sum of the ledger (reconcile finds no mismatch). A refused multi-line transfer leaves
 * nothing half-applied.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { createHarness, type Harness } from '../src/testing/harness.js';
import { newReadyStore, type StoreFixture } from '../src/testing/o2o.js';
import type { StaffPrincipal } from '../src/platform/auth/principal.js';
import { isAppError } from '../src/platform/errors.js';
import { getOrgRaw } from '../src/modules/identity/index.js';
import {
  balanceOf,
  consume,
  createLocation,
  createPart,
  postMovement,
  reconcile,
  releaseReservation,
  reserve,
  type Location,
  type Part,
  type Reservation,
} from '../src/modules/inventory/index.js';

let h: Harness;
let store: StoreFixture;
let admin: StaffPrincipal;
let locs: Location[];

beforeAll(async () => {
  h = await createHarness();
  store = await newReadyStore(h);
  const chain = await getOrgRaw(h.ctx.db, store.chainId);
  admin = {
    kind: 'staff',
    userId: 'usr_test',
    sessionId: 'ses_test',
    role: 'chain_admin',
    orgId: store.chainId,
    orgPath: chain!.path,
  };
  const now = h.clock.now();
  locs = [
    await createLocation(h.ctx.db, admin, { kind: 'central_warehouse', name: 'C', bins: [] }, now),
    await createLocation(h.ctx.db, admin, { kind: 'regional_warehouse', name: 'R', bins: [] }, now),
    await createLocation(
      h.ctx.db,
      admin,
      { kind: 'store', name: 'S', storeId: store.storeId, bins: [] },
      now,
    ),
  ];
});
afterAll(async () => h.close());

type Op =
  | { t: 'receive'; loc: number; qty: number }
  | { t: 'adjust'; loc: number; qty: number }
  | { t: 'reserve'; loc: number; qty: number }
  | { t: 'release'; pick: number }
  | { t: 'consume'; loc: number; qty: number; pick: number }
  | { t: 'transfer'; from: number; to: number; qty: number; qty2: number };

const loc = fc.integer({ min: 0, max: 2 });
const q = fc.integer({ min: 1, max: 8 }).map((n) => n * 250); // litres in quarter steps
const op: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ t: fc.constant('receive' as const), loc, qty: q }),
  fc.record({
    t: fc.constant('adjust' as const),
    loc,
    qty: fc
      .integer({ min: -8, max: 8 })
      .filter((x) => x !== 0)
      .map((n) => n * 250),
  }),
  fc.record({ t: fc.constant('reserve' as const), loc, qty: q }),
  fc.record({ t: fc.constant('release' as const), pick: fc.nat() }),
  fc.record({ t: fc.constant('consume' as const), loc, qty: q, pick: fc.nat() }),
  fc.record({ t: fc.constant('transfer' as const), from: loc, to: loc, qty: q, qty2: q }),
);

let runNo = 0;

describe('ledger reconciliation (property)', () => {
  it('balances always equal the model and the ledger, whatever the sequence', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 25 }), async (ops) => {
        const now = h.clock.now();
        const mk = (sku: string) =>
          createPart(
            h.ctx.db,
            admin,
            {
              sku,
              name: sku,
              brand: 'X',
              oeNumbers: [],
              category: 'fluids',
              partTypeCode: 'engine_oil',
              fitment: [],
              unit: 'litre',
              costFen: 4000,
              priceFen: 8000,
              powertrain: 'ANY',
              traced: false,
            },
            now,
          );
        runNo++;
        const part: Part = await mk(`P${runNo}`);
        const other: Part = await mk(`Q${runNo}`);
        const model = locs.map(() => ({ onHand: 0, reserved: 0 }));
        const otherModel = locs.map(() => 0);
        const open: Reservation[] = [];
        const base = { orgPath: admin.orgPath, sku: part.sku, unitCostFen: part.costFen, at: now };
        for (const o of ops) {
          let refused = false;
          const openBefore = open.length;
          try {
            await h.ctx.db.transaction(async (tx) => {
              switch (o.t) {
                case 'receive':
                  await postMovement(tx, {
                    ...base,
                    partId: part.id,
                    locationId: locs[o.loc]!.id,
                    kind: 'receipt',
                    onHandDeltaMilli: o.qty,
                    reservedDeltaMilli: 0,
                  });
                  break;
                case 'adjust':
                  await postMovement(tx, {
                    ...base,
                    partId: part.id,
                    locationId: locs[o.loc]!.id,
                    kind: 'adjustment',
                    onHandDeltaMilli: o.qty,
                    reservedDeltaMilli: 0,
                  });
                  break;
                case 'reserve': {
                  const r = await reserve(tx, {
                    part,
                    location: locs[o.loc]!,
                    qtyMilli: o.qty,
                    workOrderId: `wo_${o.loc}`,
                    at: now,
                  });
                  open.push(r.reservation);
                  break;
                }
                case 'release': {
                  if (!open.length) return;
                  const r = open[o.pick % open.length]!;
                  await releaseReservation(tx, r, part, 'released', now);
                  break;
                }
                case 'consume':
                  await consume(tx, {
                    part,
                    location: locs[o.loc]!,
                    qtyMilli: o.qty,
                    workOrderId: `wo_${o.loc}`,
                    at: now,
                  });
                  break;
                case 'transfer': {
                  if (o.from === o.to) return;
                  // Two lines in one transaction: the other part (never stocked) always fails after
                  // the first line moved — nothing of it may remain.
                  const from = locs[o.from]!.id;
                  const to = locs[o.to]!.id;
                  await postMovement(tx, {
                    ...base,
                    partId: part.id,
                    locationId: from,
                    kind: 'transfer_out',
                    onHandDeltaMilli: -o.qty,
                    reservedDeltaMilli: 0,
                  });
                  await postMovement(tx, {
                    ...base,
                    partId: part.id,
                    locationId: to,
                    kind: 'transfer_in',
                    onHandDeltaMilli: o.qty,
                    reservedDeltaMilli: 0,
                  });
                  if (o.qty2 > 1000)
                    await postMovement(tx, {
                      ...base,
                      sku: other.sku,
                      partId: other.id,
                      locationId: from,
                      kind: 'transfer_out',
                      onHandDeltaMilli: -o.qty2,
                      reservedDeltaMilli: 0,
                    });
                  break;
                }
              }
            });
          } catch (e) {
            if (!isAppError(e) || e.code !== 'inventory.insufficient_stock') throw e;
            refused = true;
          }
          // The model decides independently whether the operation may apply; the database must agree.
          const accepted = applyModel(o, model, open.slice(0, openBefore), open[openBefore]);
          expect(refused).toBe(!accepted);
        }
        for (let i = 0; i < locs.length; i++) {
          const b = await balanceOf(h.ctx.db, part.id, locs[i]!.id);
          expect({ onHand: b.onHandMilli, reserved: b.reservedMilli }).toEqual(model[i]);
          expect(b.availableMilli).toBeGreaterThanOrEqual(0);
          expect((await balanceOf(h.ctx.db, other.id, locs[i]!.id)).onHandMilli).toBe(otherModel[i]);
        }
        const rec = await reconcile(h.ctx.db);
        expect(rec.mismatches).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });
});

/**
 * The same rules as the database, on the model: returns whether the operation may apply (and applies
 * it). `open` are the reservations made before this operation; `created` the one it made, if any.
 */
const modelOpen = new Map<string, number>();
function applyModel(
  o: Op,
  m: Array<{ onHand: number; reserved: number }>,
  open: Reservation[],
  created: Reservation | undefined,
): boolean {
  const ok = (b: { onHand: number; reserved: number }, dOn: number, dRes: number) => {
    const on = b.onHand + dOn;
    const res = b.reserved + dRes;
    return on >= 0 && res >= 0 && on >= res;
  };
  switch (o.t) {
    case 'receive':
    case 'adjust': {
      const b = m[o.loc]!;
      if (!ok(b, o.qty, 0)) return false;
      b.onHand += o.qty;
      return true;
    }
    case 'reserve': {
      const b = m[o.loc]!;
      if (!ok(b, 0, o.qty)) return false;
      b.reserved += o.qty;
      if (created) modelOpen.set(created.id, o.qty);
      return true;
    }
    case 'release': {
      if (!open.length) return true;
      const r = open[o.pick % open.length]!;
      m[locIndex(r.locationId)]!.reserved -= modelOpen.get(r.id) ?? 0;
      modelOpen.set(r.id, 0);
      return true;
    }
    case 'consume': {
      const b = m[o.loc]!;
      let left = o.qty;
      let fromRes = 0;
      const takes: Array<[string, number]> = [];
      for (const r of open.filter((x) => x.locationId === locs[o.loc]!.id)) {
        const t = Math.min(left, modelOpen.get(r.id) ?? 0);
        if (t > 0) {
          takes.push([r.id, t]);
          left -= t;
          fromRes += t;
        }
      }
      if (!ok(b, -o.qty, -fromRes)) return false;
      for (const [id, t] of takes) modelOpen.set(id, modelOpen.get(id)! - t);
      b.onHand -= o.qty;
      b.reserved -= fromRes;
      return true;
    }
    case 'transfer': {
      if (o.from === o.to) return true;
      const a = m[o.from]!;
      const z = m[o.to]!;
      if (!ok(a, -o.qty, 0)) return false;
      if (o.qty2 > 1000) return false; // the second line always fails: all rolled back
      a.onHand -= o.qty;
      z.onHand += o.qty;
      return true;
    }
  }
}

function locIndex(id: string): number {
  return locs.findIndex((l) => l.id === id);
}
