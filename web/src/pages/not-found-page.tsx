import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { TopBar } from '../ui/layout';

export function NotFoundPage(): ReactNode {
  const { t } = useTranslation();
  return (
    <div className="app">
      <TopBar title={t('app.name')} home="/" />
      <main className="page narrow">
        <div className="state state-empty">
          <p>{t('notFound.text')}</p>
          <Link className="btn" to="/">
            {t('notFound.home')}
          </Link>
        </div>
      </main>
    </div>
  );
}
