/**
 * Claiming cells: the only way a booking takes a bay or a technician. Inserts are
 * `ON CONFLICT DO NOTHING` against the unique (resource, cell) index, so two writers — two requests,
 * two processes — can never both own a cell. Expired hold claims are cleared first so they can be
 * taken over.
 */
import { TransactionRollbackError, and, eq, inArray, lt } from 'drizzle-orm';
import type { Executor, Tx } from '../../platform/db/types.js';
import { cellsOf } from './availability.js';
import { slotClaims } from './schema.js';

export async function clearExpiredClaims(
  ex: Executor,
  resourceIds: readonly string[],
  cells: readonly Date[],
  now: Date,
): Promise<void> {
  if (!resourceIds.length || !cells.length) return;
  await ex
    .delete(slotClaims)
    .where(
      and(
        inArray(slotClaims.resourceId, [...resourceIds]),
        inArray(slotClaims.cellStart, [...cells]),
        lt(slotClaims.expiresAt, now),
      ),
    );
}

/**
 * Tries each candidate in order and claims all cells of [start, end) for the first one that is
 * entirely free. Returns the resource id, or null when none could be claimed. Runs each attempt in
 * a savepoint so a partial claim is undone.
 */
export async function claimFirstFree(
  tx: Tx,
  candidates: readonly string[],
  startMs: number,
  endMs: number,
  bookingId: string,
  expiresAt: Date | null,
): Promise<string | null> {
  const cells = cellsOf(startMs, endMs).map((t) => new Date(t));
  for (const resourceId of candidates) {
    const got = await tx
      .transaction(async (sp) => {
        const rows = await sp
          .insert(slotClaims)
          .values(cells.map((cellStart) => ({ resourceId, cellStart, bookingId, expiresAt })))
          .onConflictDoNothing()
          .returning({ c: slotClaims.cellStart });
        if (rows.length !== cells.length) {
          sp.rollback();
        }
        return true;
      })
      .catch((e: unknown) => {
        if (e instanceof TransactionRollbackError) return false;
        throw e;
      });
    if (got) return resourceId;
  }
  return null;
}

export async function releaseClaims(ex: Executor, bookingId: string): Promise<void> {
  await ex.delete(slotClaims).where(eq(slotClaims.bookingId, bookingId));
}

export async function makeClaimsPermanent(ex: Executor, bookingId: string): Promise<number> {
  const rows = await ex
    .update(slotClaims)
    .set({ expiresAt: null })
    .where(eq(slotClaims.bookingId, bookingId))
    .returning({ r: slotClaims.resourceId });
  return rows.length;
}

/** Takes a technician's (or bay's) cells for a job that is not a booking, e.g. an assigned walk-in. */
export async function claimCellsFor(
  tx: Tx,
  resourceId: string,
  startMs: number,
  endMs: number,
  refId: string,
): Promise<boolean> {
  return (await claimFirstFree(tx, [resourceId], startMs, endMs, refId, null)) !== null;
}
