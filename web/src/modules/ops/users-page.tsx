/** Staff administration across the operator's scope: filter, invite, re-role, disable. */
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { admin } from '../../api/endpoints';
import { STAFF_ROLES, type Org, type StaffRole } from '../../api/types';
import { SelectField } from '../../ui/form';
import { Section } from '../../ui/layout';
import { AsyncView, Notice } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { InviteForm } from '../staff/invite-form';
import { StaffTable } from '../staff/staff-table';

export function UsersPage(): ReactNode {
  const { t } = useTranslation();
  const [role, setRole] = useState<StaffRole | ''>('');
  const [status, setStatus] = useState('');
  const [invite, setInvite] = useState<{ login: string; token: string } | null>(null);
  const users = useAsync(
    () => admin.users({ ...(role ? { role } : {}), ...(status ? { status } : {}), limit: 200 }),
    [role, status],
  );
  const orgs = useAsync(() => admin.orgs({ limit: 200 }).then((p) => p.items), []);
  const orgName = useMemo(() => {
    const m = new Map((orgs.data ?? []).map((o: Org) => [o.id, o.name]));
    return (id: string | null): string => (id ? (m.get(id) ?? id) : '—');
  }, [orgs.data]);
  return (
    <main className="page wide">
      <Section
        title={t('ops.nav.users')}
        actions={
          <>
            <SelectField
              label={t('staff.role')}
              value={role}
              onChange={(e) => setRole(e.target.value as StaffRole | '')}
            >
              <option value="">{t('common.all')}</option>
              {STAFF_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`roles.${r}`)}
                </option>
              ))}
            </SelectField>
            <SelectField label={t('board.status')} value={status} onChange={(e) => setStatus(e.target.value)}>
              <option value="">{t('common.all')}</option>
              {['active', 'invited', 'disabled'].map((s) => (
                <option key={s} value={s}>
                  {t(`staff.status.${s}`)}
                </option>
              ))}
            </SelectField>
          </>
        }
      >
        <AsyncView state={users} isEmpty={(d) => d.items.length === 0}>
          {(page) => (
            <StaffTable
              users={page.items}
              roles={STAFF_ROLES}
              orgName={orgName}
              onChanged={() => users.reload()}
            />
          )}
        </AsyncView>
      </Section>
      <Section title={t('staff.invite')}>
        {invite ? (
          <Notice kind="success">
            {t('staff.invited', { login: invite.login })}
            <code className="small">{invite.token}</code>
          </Notice>
        ) : null}
        <AsyncView state={orgs}>
          {(list) => (
            <InviteForm
              orgs={list
                .filter((o) => o.status === 'active')
                .map((o) => ({ id: o.id, name: `${t(`orgs.kind.${o.kind}`)} · ${o.name}` }))}
              roles={STAFF_ROLES}
              onInvite={async (v) => {
                const r = await admin.invite(v);
                setInvite({ login: v.login, token: r.inviteToken });
                users.reload();
              }}
            />
          )}
        </AsyncView>
      </Section>
    </main>
  );
}
