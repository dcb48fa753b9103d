/** Staff of an org subtree: role, status, last sign-in; disable, re-enable, change role. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { admin } from '../../api/endpoints';
import type { Staff, StaffRole } from '../../api/types';
import { dayOf } from '../../ui/format';
import { StatusBadge } from '../../ui/layout';
import { ErrorNotice } from '../../ui/states';
import { useAction } from '../../ui/use-async';

export function StaffTable({
  users,
  roles,
  orgName,
  onChanged,
}: {
  users: Staff[];
  roles: readonly StaffRole[];
  orgName?: (id: string | null) => string;
  onChanged: (u: Staff) => void;
}): ReactNode {
  const { t } = useTranslation();
  const update = useAction(async (id: string, patch: { role?: StaffRole; status?: 'active' | 'disabled' }) =>
    onChanged(await admin.updateUser(id, patch)),
  );
  return (
    <>
      <ErrorNotice error={update.error} />
      <div className="table-wrap">
        <table className="data" data-testid="staff-table">
          <thead>
            <tr>
              <th>{t('staff.name')}</th>
              <th>{t('auth.login')}</th>
              {orgName ? <th>{t('staff.org')}</th> : null}
              <th>{t('staff.role')}</th>
              <th>{t('board.status')}</th>
              <th>{t('staff.lastLogin')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id}>
                <td>{u.name}</td>
                <td className="mono small">{u.login ?? '—'}</td>
                {orgName ? <td className="small">{orgName(u.orgId)}</td> : null}
                <td>
                  <select
                    className="inline-input"
                    value={u.role}
                    aria-label={t('staff.role')}
                    disabled={update.busy}
                    onChange={(e) => void update.run(u.id, { role: e.target.value as StaffRole })}
                  >
                    {(roles.includes(u.role as StaffRole) ? roles : [u.role as StaffRole, ...roles]).map(
                      (r) => (
                        <option key={r} value={r}>
                          {t(`roles.${r}`, { defaultValue: r })}
                        </option>
                      ),
                    )}
                  </select>
                </td>
                <td>
                  <StatusBadge
                    status={u.status}
                    label={t(`staff.status.${u.status}`, { defaultValue: u.status })}
                  />
                </td>
                <td className="small">{u.lastLoginAt ? dayOf(u.lastLoginAt) : '—'}</td>
                <td>
                  {u.status === 'disabled' ? (
                    <button
                      type="button"
                      className="btn btn-small"
                      disabled={update.busy}
                      onClick={() => void update.run(u.id, { status: 'active' })}
                    >
                      {t('staff.enable')}
                    </button>
                  ) : (
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      disabled={update.busy}
                      onClick={() => void update.run(u.id, { status: 'disabled' })}
                    >
                      {t('staff.disable')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
