/** Last line of defence: a render error shows a message and a reload button, not a white page. */
import { Component, type ErrorInfo, type ReactNode } from 'react';
import { Translation } from 'react-i18next';

export class ErrorBoundary extends Component<{ children: ReactNode }, { error: Error | null }> {
  override state: { error: Error | null } = { error: null };

  static getDerivedStateFromError(error: Error): { error: Error } {
    return { error };
  }

  override componentDidCatch(error: Error, info: ErrorInfo): void {
    console.error('console crashed', error, info.componentStack);
  }

  override render(): ReactNode {
    if (!this.state.error) return this.props.children;
    return (
      <Translation>
        {(t) => (
          <div className="page narrow">
            <div className="notice notice-error" role="alert">
              <strong>{t('errors.crash')}</strong>
              <div className="notice-detail">{this.state.error?.message}</div>
              <button type="button" className="btn" onClick={() => window.location.reload()}>
                {t('common.reload')}
              </button>
            </div>
          </div>
        )}
      </Translation>
    );
  }
}
