/** Staff sign-in with login and password. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { TextField } from '../../ui/form';
import { ErrorNotice } from '../../ui/states';
import { useAction } from '../../ui/use-async';
import { loginProblem, passwordProblem, type Problem } from '../validation/validators';

export function StaffSignInForm({
  onSignIn,
  defaultLogin = '',
}: {
  onSignIn: (login: string, password: string) => Promise<unknown>;
  defaultLogin?: string;
}): ReactNode {
  const { t } = useTranslation();
  const [login, setLogin] = useState(defaultLogin);
  const [password, setPassword] = useState('');
  const [problems, setProblems] = useState<{ login?: Problem | null; password?: Problem | null }>({});
  const action = useAction(onSignIn);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = { login: loginProblem(login), password: passwordProblem(password) };
    setProblems(p);
    if (p.login || p.password) return;
    await action.run(login.trim(), password);
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('auth.staff.title')}>
      <TextField
        label={t('auth.login')}
        name="login"
        autoComplete="username"
        autoCapitalize="none"
        value={login}
        problem={problems.login}
        onChange={(e) => setLogin(e.target.value)}
      />
      <TextField
        label={t('auth.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        value={password}
        problem={problems.password}
        onChange={(e) => setPassword(e.target.value)}
      />
      <ErrorNotice error={action.error} />
      <button type="submit" className="btn btn-primary btn-block" disabled={action.busy}>
        {action.busy ? t('common.working') : t('auth.signIn')}
      </button>
    </form>
  );
}
