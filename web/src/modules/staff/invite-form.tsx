/** Invite a staff member into an org with a role; the invite token is shown to pass on. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { StaffRole } from '../../api/types';
import { SelectField, TextField } from '../../ui/form';
import { ErrorNotice } from '../../ui/states';
import { useAction } from '../../ui/use-async';
import {
  loginProblem,
  normalizedPhone,
  phoneProblem,
  required,
  type Problem,
} from '../validation/validators';

export interface InviteInput {
  orgId: string;
  role: StaffRole;
  name: string;
  login: string;
  phone?: string;
}

export function InviteForm({
  orgs,
  roles,
  onInvite,
}: {
  orgs: Array<{ id: string; name: string }>;
  roles: readonly StaffRole[];
  onInvite: (v: InviteInput) => Promise<unknown>;
}): ReactNode {
  const { t } = useTranslation();
  const [orgId, setOrgId] = useState(orgs.length === 1 ? orgs[0]!.id : '');
  const [role, setRole] = useState<StaffRole | ''>('');
  const [name, setName] = useState('');
  const [login, setLogin] = useState('');
  const [phone, setPhone] = useState('');
  const [problems, setProblems] = useState<Record<string, Problem | null>>({});
  const action = useAction(onInvite);

  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = {
      orgId: orgId ? null : { key: 'validation.choose' },
      role: role ? null : { key: 'validation.choose' },
      name: required(name),
      login: loginProblem(login),
      phone: phone.trim() ? phoneProblem(phone) : null,
    };
    setProblems(p);
    if (Object.values(p).some(Boolean) || !role) return;
    const ok = await action.run({
      orgId,
      role,
      name: name.trim(),
      login: login.trim(),
      ...(phone.trim() ? { phone: normalizedPhone(phone) } : {}),
    });
    if (ok.ok) {
      setName('');
      setLogin('');
      setPhone('');
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('staff.invite')}>
      <div className="field-row">
        {orgs.length > 1 ? (
          <SelectField
            label={t('staff.org')}
            name="orgId"
            value={orgId}
            problem={problems.orgId}
            onChange={(e) => setOrgId(e.target.value)}
          >
            <option value="">{t('validation.chooseOption')}</option>
            {orgs.map((o) => (
              <option key={o.id} value={o.id}>
                {o.name}
              </option>
            ))}
          </SelectField>
        ) : null}
        <SelectField
          label={t('staff.role')}
          name="role"
          value={role}
          problem={problems.role}
          onChange={(e) => setRole(e.target.value as StaffRole)}
        >
          <option value="">{t('validation.chooseOption')}</option>
          {roles.map((r) => (
            <option key={r} value={r}>
              {t(`roles.${r}`)}
            </option>
          ))}
        </SelectField>
      </div>
      <div className="field-row">
        <TextField
          label={t('staff.name')}
          name="name"
          value={name}
          problem={problems.name}
          onChange={(e) => setName(e.target.value)}
        />
        <TextField
          label={t('auth.login')}
          name="login"
          autoCapitalize="none"
          value={login}
          problem={problems.login}
          onChange={(e) => setLogin(e.target.value)}
        />
      </div>
      <TextField
        label={t('staff.phoneOptional')}
        name="phone"
        type="tel"
        value={phone}
        problem={problems.phone}
        onChange={(e) => setPhone(e.target.value)}
      />
      <ErrorNotice error={action.error} />
      <button type="submit" className="btn btn-primary" disabled={action.busy}>
        {action.busy ? t('common.working') : t('staff.invite')}
      </button>
    </form>
  );
}
