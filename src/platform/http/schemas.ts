/** Reusable request/response schemas and the typed Fastify instance modules register routes on. */
import type {
  FastifyBaseLogger,
  FastifyInstance,
  RawReplyDefaultExpression,
  RawRequestDefaultExpression,
  RawServerDefault,
} from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { ID_PATTERN } from '../domain/ids.js';
import type { AppContext } from '../context.js';

export type App = FastifyInstance<
  RawServerDefault,
  RawRequestDefaultExpression,
  RawReplyDefaultExpression,
  FastifyBaseLogger,
  ZodTypeProvider
>;

/** A module's HTTP surface: registered under /api/v1 by app.ts. */
export type ModuleRoutes = (app: App, ctx: AppContext) => void;

/** An opaque id with the given prefix (e.g. `id('st')`). */
export const id = (prefix?: string) =>
  z
    .string()
    .max(40)
    .regex(prefix ? new RegExp(`^${prefix}_[0-9a-hjkmnp-tv-z]{26}$`) : ID_PATTERN, {
      message: prefix ? `must be an id starting with ${prefix}_` : 'must be a Pitlane id',
    });

export const idParams = (prefix?: string) => z.object({ id: id(prefix) });

export const errorSchema = z
  .object({
    error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
  })
  .meta({ id: 'Error' });

/** Trimmed, non-empty, bounded text. */
export const text = (max = 200, min = 1) => z.string().trim().min(min).max(max);

export const isoDate = z.iso.date();
export const isoDateTime = z.iso.datetime({ offset: true });
