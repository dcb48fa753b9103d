/** Cursor pagination for every list endpoint: `?limit=&cursor=` → `{ items, nextCursor }`. */
import { z } from 'zod';
import { AppError } from '../errors.js';

export const pageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().min(1).max(400).optional(),
});
export type PageQuery = z.infer<typeof pageQuery>;

export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), nextCursor: z.string().nullable() });

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A cursor is the sort key of the last item seen, opaque to clients. */
export function encodeCursor(key: Array<string | number>): string {
  return Buffer.from(JSON.stringify(key)).toString('base64url');
}

export function decodeCursor(cursor: string | undefined, arity: number): Array<string | number> | undefined {
  if (cursor === undefined) return undefined;
  try {
    const v: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (
      Array.isArray(v) &&
      v.length === arity &&
      v.every((x) => typeof x === 'string' || typeof x === 'number')
    ) {
      return v as Array<string | number>;
    }
  } catch {
    /* fall through */
  }
  throw new AppError('request.bad_cursor', 'validation', 'The cursor is not valid; start again without one');
}

/** Given `limit + 1` rows, returns the page and the cursor to the next one. */
export function toPage<T>(rows: T[], limit: number, keyOf: (row: T) => Array<string | number>): Page<T> {
  const items = rows.slice(0, limit);
  const last = items[items.length - 1];
  return { items, nextCursor: rows.length > limit && last !== undefined ? encodeCursor(keyOf(last)) : null };
}
