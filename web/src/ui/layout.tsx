/** Page chrome shared by the consoles: a top bar with the language switch, navigation, sections. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, NavLink } from 'react-router';
import { currentLanguage, setLanguage } from '../i18n';
import { Icon, type IconName } from './icons';

export function LangSwitch(): ReactNode {
  const { t, i18n } = useTranslation();
  const next = currentLanguage() === 'en' ? 'zh-CN' : 'en';
  return (
    <button
      type="button"
      className="btn btn-ghost btn-small lang-switch"
      onClick={() => void setLanguage(next)}
      aria-label={t('common.switchLanguage')}
      data-testid="lang-switch"
      lang={next}
    >
      {i18n.language === 'en' ? '中文' : 'EN'}
    </button>
  );
}

export function TopBar({
  title,
  back,
  right,
  home,
}: {
  title: ReactNode;
  back?: string;
  right?: ReactNode;
  home?: string;
}): ReactNode {
  const { t } = useTranslation();
  return (
    <header className="topbar">
      {back ? (
        <Link to={back} className="topbar-back" aria-label={t('common.back')}>
          ‹
        </Link>
      ) : home ? (
        <Link to={home} className="topbar-logo" aria-label={t('common.home')}>
          <span className="logo-mark" aria-hidden="true" />
        </Link>
      ) : null}
      <h1 className="topbar-title">{title}</h1>
      <div className="topbar-right">
        {right}
        <LangSwitch />
      </div>
    </header>
  );
}

export interface NavItem {
  to: string;
  label: string;
  icon?: IconName;
  end?: boolean;
  testId?: string;
}

export function BottomNav({ items }: { items: NavItem[] }): ReactNode {
  return (
    <nav className="bottomnav">
      {items.map((i) => (
        <NavLink key={i.to} to={i.to} end={i.end} className="bottomnav-item" data-testid={i.testId}>
          <span className="bottomnav-icon">{i.icon ? <Icon name={i.icon} /> : null}</span>
          <span>{i.label}</span>
        </NavLink>
      ))}
    </nav>
  );
}

export function TabNav({ items }: { items: NavItem[] }): ReactNode {
  return (
    <nav className="tabnav">
      {items.map((i) => (
        <NavLink key={i.to} to={i.to} end={i.end} className="tabnav-item" data-testid={i.testId}>
          {i.label}
        </NavLink>
      ))}
    </nav>
  );
}

export function Section({
  title,
  actions,
  children,
  className,
  testId,
}: {
  title?: ReactNode;
  actions?: ReactNode;
  children: ReactNode;
  className?: string;
  testId?: string;
}): ReactNode {
  return (
    <section className={`card${className ? ` ${className}` : ''}`} data-testid={testId}>
      {title || actions ? (
        <div className="card-head">
          {title ? <h2>{title}</h2> : <span />}
          {actions ? <div className="card-actions">{actions}</div> : null}
        </div>
      ) : null}
      {children}
    </section>
  );
}

export function StatusBadge({ status, label }: { status: string; label: string }): ReactNode {
  return (
    <span className={`badge badge-${status}`} data-status={status}>
      {label}
    </span>
  );
}
