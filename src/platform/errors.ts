/**
 * One error class with a kind; one place (http/error-handler.ts) maps kinds to HTTP statuses.
 * Domain code throws AppError and never imports the web framework.
 */
export type ErrorKind =
  | 'bad_request'
  | 'unauthenticated'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'validation'
  | 'rate_limited'
  | 'unavailable'
  | 'internal';

export const statusOfKind: Record<ErrorKind, number> = {
  bad_request: 400,
  unauthenticated: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  payload_too_large: 413,
  unsupported_media_type: 415,
  validation: 422,
  rate_limited: 429,
  unavailable: 503,
  internal: 500,
};

export class AppError extends Error {
  constructor(
    /** Stable machine code, `<module>.<reason>`, e.g. `booking.slot_taken`. */
    public readonly code: string,
    public readonly kind: ErrorKind,
    message: string,
    public readonly details?: unknown,
  ) {
    super(message);
    this.name = 'AppError';
  }

  get status(): number {
    return statusOfKind[this.kind];
  }
}

export const notFound = (what: string, id?: string): AppError =>
  new AppError(`${what}.not_found`, 'not_found', id ? `No ${what} with id ${id}` : `No such ${what}`);

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/** Exhaustiveness helper for switches over unions. */
export function assertNever(value: never, what = 'value'): never {
  throw new Error(`Unexpected ${what}: ${JSON.stringify(value)}`);
}

/**
 * A short description of an error for logs: the database's own message rather than the failed
 * query (which would carry parameters, i.e. personal data), at most 300 characters.
 */
export function errorSummary(e: unknown): string {
  const cause = (e as { cause?: unknown } | undefined)?.cause;
  const base = cause instanceof Error ? cause : e instanceof Error ? e : undefined;
  const text = base ? `${base.name}: ${base.message}` : String(e);
  return text.slice(0, 300);
}
