import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { auth } from '../../api/endpoints';
import { TopBar } from '../../ui/layout';
import { OwnerSignInForm } from '../auth/owner-sign-in-form';

export function OwnerSignInPage(): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <TopBar title={t('auth.owner.title')} home="/" />
      <main className="page narrow">
        <div className="brand-block">
          <span className="logo-mark big" aria-hidden="true" />
          <h2>{t('app.name')}</h2>
          <p className="muted">{t('auth.owner.lead')}</p>
        </div>
        <div className="card">
          <OwnerSignInForm onSendCode={auth.sendOwnerCode} onSignIn={auth.ownerSignIn} />
        </div>
      </main>
    </>
  );
}
