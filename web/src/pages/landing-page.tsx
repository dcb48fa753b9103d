/** `/`: what Pitlane is and a door into each console. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { Icon, type IconName } from '../ui/icons';
import { TopBar } from '../ui/layout';

const CONSOLES = [
  { to: '/owner', key: 'owner', icon: 'car' },
  { to: '/store', key: 'store', icon: 'wrench' },
  { to: '/store/tech', key: 'tech', icon: 'phone' },
  { to: '/ops', key: 'ops', icon: 'chart' },
] as const satisfies ReadonlyArray<{ to: string; key: string; icon: IconName }>;

export function LandingPage(): ReactNode {
  const { t } = useTranslation();
  return (
    <div className="app app-landing">
      <TopBar title={t('app.name')} home="/" />
      <main className="page">
        <div className="hero">
          <h2>{t('landing.headline')}</h2>
          <p>{t('landing.lead')}</p>
        </div>
        <div className="console-grid">
          {CONSOLES.map((c) => (
            <Link key={c.to} to={c.to} className="console-card" data-testid={`open-${c.key}`}>
              <span className="console-icon">
                <Icon name={c.icon} size={30} />
              </span>
              <strong>{t(`landing.${c.key}.title`)}</strong>
              <span className="muted">{t(`landing.${c.key}.text`)}</span>
              <code className="console-path">{c.to}</code>
            </Link>
          ))}
        </div>
        <p className="muted small">
          {t('landing.api')} <a href="/docs">/docs</a>
        </p>
      </main>
    </div>
  );
}
