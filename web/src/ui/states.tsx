/** Loading, empty and error states, the same everywhere. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { describeError } from './errors';

export function Loading({ label }: { label?: string }): ReactNode {
  const { t } = useTranslation();
  return (
    <div className="state state-loading" role="status" aria-live="polite">
      <span className="spinner" aria-hidden="true" />
      <span>{label ?? t('common.loading')}</span>
    </div>
  );
}

export function Empty({ children, action }: { children?: ReactNode; action?: ReactNode }): ReactNode {
  const { t } = useTranslation();
  return (
    <div className="state state-empty" data-testid="empty">
      <div className="state-icon" aria-hidden="true">
        ○
      </div>
      <p>{children ?? t('common.empty')}</p>
      {action}
    </div>
  );
}

export function ErrorNotice({ error, onRetry }: { error: unknown; onRetry?: () => void }): ReactNode {
  const { t } = useTranslation();
  if (!error) return null;
  const e = describeError(t, error);
  return (
    <div className="notice notice-error" role="alert" data-testid="error">
      <strong>{e.title}</strong>
      {e.detail ? <div className="notice-detail">{e.detail}</div> : null}
      {e.fields.length > 0 ? (
        <ul className="notice-fields">
          {e.fields.map((f) => (
            <li key={f.path}>
              <code>{f.path}</code> {f.message}
            </li>
          ))}
        </ul>
      ) : null}
      {onRetry ? (
        <button type="button" className="btn btn-small" onClick={onRetry}>
          {t('common.retry')}
        </button>
      ) : null}
    </div>
  );
}

export function Notice({
  kind = 'info',
  children,
}: {
  kind?: 'info' | 'success' | 'warn';
  children: ReactNode;
}): ReactNode {
  return (
    <div className={`notice notice-${kind}`} role={kind === 'success' ? 'status' : undefined}>
      {children}
    </div>
  );
}

/** Renders the loading / error / empty state of an async load, or `children(data)`. */
export function AsyncView<T>({
  state,
  children,
  isEmpty,
  empty,
}: {
  state: { data: T | undefined; error: unknown; loading: boolean; reload: () => void };
  children: (data: T) => ReactNode;
  isEmpty?: (data: T) => boolean;
  empty?: ReactNode;
}): ReactNode {
  if (state.error) return <ErrorNotice error={state.error} onRetry={state.reload} />;
  if (state.data === undefined) return <Loading />;
  if (isEmpty?.(state.data)) return <Empty>{empty}</Empty>;
  return children(state.data);
}
