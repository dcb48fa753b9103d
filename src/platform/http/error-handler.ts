/**
 * The one place that turns errors into HTTP answers: `{"error":{"code","message","details"}}`.
 * Known kinds map to their status; anything unknown becomes a 500 with a generic message and the
 * request id, never a stack trace.
 */
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors, isResponseSerializationError } from 'fastify-type-provider-zod';
import { AppError, statusOfKind, type ErrorKind } from '../errors.js';
import { DomainError } from '../domain/errors.js';

export interface ErrorBody {
  error: { code: string; message: string; details?: unknown };
}

export function errorBody(code: string, message: string, details?: unknown): ErrorBody {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

interface PgLikeError {
  code?: string;
  constraint?: string;
  detail?: string;
}

const FASTIFY_CODES: Record<string, { kind: ErrorKind; code: string; message: string }> = {
  FST_ERR_CTP_INVALID_JSON_BODY: {
    kind: 'bad_request',
    code: 'request.malformed_json',
    message: 'The request body is not valid JSON',
  },
  FST_ERR_CTP_EMPTY_JSON_BODY: {
    kind: 'bad_request',
    code: 'request.empty_body',
    message: 'The request body is empty but JSON was announced',
  },
  FST_ERR_CTP_BODY_TOO_LARGE: {
    kind: 'payload_too_large',
    code: 'request.too_large',
    message: 'The request body is too large',
  },
  FST_ERR_CTP_INVALID_MEDIA_TYPE: {
    kind: 'unsupported_media_type',
    code: 'request.unsupported_media_type',
    message: 'This content type is not accepted here; send application/json',
  },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: {
    kind: 'bad_request',
    code: 'request.bad_content_length',
    message: 'The Content-Length header does not match the body',
  },
  FST_REQ_FILE_TOO_LARGE: {
    kind: 'payload_too_large',
    code: 'request.file_too_large',
    message: 'The uploaded file is too large',
  },
  FST_INVALID_MULTIPART_CONTENT_TYPE: {
    kind: 'unsupported_media_type',
    code: 'request.not_multipart',
    message: 'Send the file as multipart/form-data',
  },
};

function classify(
  err: unknown,
  req: FastifyRequest,
): { status: number; body: ErrorBody; logAsError: boolean } {
  if (err instanceof AppError) {
    return { status: err.status, body: errorBody(err.code, err.message, err.details), logAsError: false };
  }
  if (err instanceof DomainError) {
    return { status: 422, body: errorBody(err.code, err.message), logAsError: false };
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const where = (err as { validationContext?: string }).validationContext ?? 'body';
    const details = err.validation.map((v) => {
      const path = v.instancePath.replace(/^\//, '').replace(/\//g, '.');
      return { path: path ? `${where}.${path}` : where, message: v.message ?? 'is invalid' };
    });
    const first = details[0];
    const message = first ? `Invalid request: ${first.path} ${first.message}` : 'Invalid request';
    return { status: 422, body: errorBody('request.validation', message, details), logAsError: false };
  }
  if (isResponseSerializationError(err)) {
    return { status: 500, body: internal(req), logAsError: true };
  }
  const fe = err as FastifyError & PgLikeError;
  const known = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (known) {
    return {
      status: statusOfKind[known.kind],
      body: errorBody(known.code, known.message),
      logAsError: false,
    };
  }
  if (fe.statusCode === 429) {
    return {
      status: 429,
      body: errorBody('request.rate_limited', 'Too many requests; slow down and try again shortly'),
      logAsError: false,
    };
  }
  // Database constraint errors that escaped a service: never leak SQL, but keep the meaning.
  if (fe.code === '23505') {
    return {
      status: 409,
      body: errorBody('conflict.duplicate', 'This conflicts with an existing record'),
      logAsError: false,
    };
  }
  if (fe.code === '40001' || fe.code === '40P01') {
    return {
      status: 409,
      body: errorBody('conflict.retry', 'A concurrent change got there first; try again'),
      logAsError: false,
    };
  }
  if (fe.code && ['23503', '23514', '22P02', '22003', '22021', '22001', '22007', '22008'].includes(fe.code)) {
    return {
      status: 422,
      body: errorBody('request.invalid_value', 'A value in the request is not acceptable'),
      logAsError: true,
    };
  }
  if (typeof fe.statusCode === 'number' && fe.statusCode >= 400 && fe.statusCode < 500) {
    return {
      status: fe.statusCode,
      body: errorBody('request.invalid', fe.message || 'Bad request'),
      logAsError: false,
    };
  }
  return { status: 500, body: internal(req), logAsError: true };
}

function internal(req: FastifyRequest): ErrorBody {
  return errorBody(
    'internal',
    `Something went wrong on our side. Quote request id ${req.id} when reporting it.`,
    {
      requestId: req.id,
    },
  );
}

function hasNul(v: unknown, depth = 0): boolean {
  if (typeof v === 'string') return v.includes('\u0000');
  if (depth > 64 || v === null || typeof v !== 'object') return false;
  if (Array.isArray(v)) return v.some((x) => hasNul(x, depth + 1));
  return Object.entries(v).some(([k, x]) => k.includes('\u0000') || hasNul(x, depth + 1));
}

export function installErrorHandling(app: FastifyInstance, onError?: (code: string) => void): void {
  // NUL characters cannot be stored in PostgreSQL text; refuse them up front with a clear answer.
  app.addHook('preValidation', async (req) => {
    if (hasNul(req.query) || hasNul(req.params) || hasNul(req.body)) {
      throw new AppError(
        'request.nul_character',
        'validation',
        'The request contains a NUL (\\u0000) character, which is not allowed',
      );
    }
  });
  app.setErrorHandler((err: unknown, req: FastifyRequest, reply: FastifyReply) => {
    const { status, body, logAsError } = classify(err, req);
    onError?.(body.error.code);
    if (logAsError) {
      req.log.error({ err }, 'request failed');
    } else {
      req.log.info({ code: body.error.code, status }, 'request rejected');
    }
    if (status === 429) {
      const d = body.error.details as { retryAfterSeconds?: number } | undefined;
      void reply.header('retry-after', String(d?.retryAfterSeconds ?? 60));
    }
    return reply.status(status).type('application/json; charset=utf-8').send(body);
  });
  app.setNotFoundHandler((req, reply) => {
    onError?.('route.not_found');
    return reply
      .status(404)
      .send(errorBody('route.not_found', `No route ${req.method} ${req.url.split('?')[0] ?? ''}`));
  });
}
