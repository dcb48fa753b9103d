/** Staff consoles (store workbench, operator dashboard): sign in with login and password first. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { staffClient, type Session } from '../../api/client';
import { auth } from '../../api/endpoints';
import { TopBar } from '../../ui/layout';
import { StaffSignInForm } from '../auth/staff-sign-in-form';
import { useSession } from '../auth/use-session';

export function StaffGate({
  title,
  hint,
  children,
}: {
  title: string;
  hint: ReactNode;
  children: (session: Session) => ReactNode;
}): ReactNode {
  const { t } = useTranslation();
  const session = useSession(staffClient);
  if (session) return children(session);
  return (
    <div className="app">
      <TopBar title={title} home="/" />
      <main className="page narrow">
        <div className="card">
          <h2>{t('auth.staff.title')}</h2>
          <p className="muted small">{hint}</p>
          <StaffSignInForm onSignIn={auth.staffSignIn} />
        </div>
      </main>
    </div>
  );
}

export function UserMenu({ session }: { session: Session }): ReactNode {
  const { t } = useTranslation();
  return (
    <>
      <span className="topbar-user" title={session.user.name}>
        {session.user.name} · {t(`roles.${session.user.role}`, { defaultValue: session.user.role })}
      </span>
      <button
        type="button"
        className="btn btn-ghost btn-small"
        onClick={() => void staffClient.signOut()}
        data-testid="sign-out"
      >
        {t('auth.signOut')}
      </button>
    </>
  );
}
