/**
 * API errors in the person's language: a known `code` has its own sentence in the resources
 * (`errors.<code>`); otherwise a sentence per HTTP status, and the server's English message as
 * detail. Field errors of a 422 are listed too.
 */
import type { TFunction } from 'i18next';
import { isApiError } from '../api/client';

export interface ErrorText {
  title: string;
  detail: string | null;
  fields: Array<{ path: string; message: string }>;
}

function statusKey(status: number): string {
  if (status === 0) return 'errors.network';
  if (status === 401) return 'errors.status.401';
  if (status === 403) return 'errors.status.403';
  if (status === 404) return 'errors.status.404';
  if (status === 409) return 'errors.status.409';
  if (status === 413) return 'errors.status.413';
  if (status === 422) return 'errors.status.422';
  if (status === 429) return 'errors.status.429';
  if (status >= 500) return 'errors.status.500';
  return 'errors.generic';
}

export function describeError(t: TFunction, err: unknown): ErrorText {
  if (!isApiError(err)) {
    return { title: t('errors.generic'), detail: err instanceof Error ? err.message : null, fields: [] };
  }
  const known = `errors.codes.${err.code.replace(/\./g, '_')}`;
  const exists = t(known, { defaultValue: '' }) !== '';
  const title = exists ? t(known) : t(statusKey(err.status));
  const detail = err.code === 'network' || err.message === title ? null : err.message;
  return { title, detail, fields: err.fieldErrors() };
}

/** One line for toasts and inline messages. */
export function errorMessage(t: TFunction, err: unknown): string {
  return describeError(t, err).title;
}
