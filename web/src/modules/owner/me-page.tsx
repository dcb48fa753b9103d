import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { ownerClient } from '../../api/client';
import { auth } from '../../api/endpoints';
import { setLanguage } from '../../i18n';
import { TopBar } from '../../ui/layout';
import { AsyncView } from '../../ui/states';
import { useAsync } from '../../ui/use-async';

export function MePage(): ReactNode {
  const { t, i18n } = useTranslation();
  const me = useAsync(() => auth.me(ownerClient), []);
  return (
    <>
      <TopBar title={t('owner.nav.me')} back="/owner" />
      <main className="page narrow">
        <AsyncView state={me}>
          {(m) => (
            <div className="card">
              <dl className="facts">
                <dt>{t('me.name')}</dt>
                <dd>{m.name}</dd>
                <dt>{t('auth.phone')}</dt>
                <dd>{m.phone ?? '—'}</dd>
              </dl>
            </div>
          )}
        </AsyncView>
        <div className="card">
          <h3>{t('me.language')}</h3>
          <div className="segmented">
            <button
              type="button"
              aria-pressed={i18n.language === 'zh-CN'}
              onClick={() => void setLanguage('zh-CN')}
            >
              {t('me.langZh')}
            </button>
            <button
              type="button"
              aria-pressed={i18n.language === 'en'}
              onClick={() => void setLanguage('en')}
            >
              {t('me.langEn')}
            </button>
          </div>
        </div>
        <button
          type="button"
          className="btn btn-block"
          onClick={() => void ownerClient.signOut()}
          data-testid="sign-out"
        >
          {t('auth.signOut')}
        </button>
      </main>
    </>
  );
}
