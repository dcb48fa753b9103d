/** Store settings: profile and weekly hours, bays, technicians, and the store's staff. */
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { staffClient } from '../../api/client';
import { admin, stores } from '../../api/endpoints';
import type { Bay, BayType, StaffRole, StoreDetail, StoreHours } from '../../api/types';
import { FieldMessage, SelectField, TextField } from '../../ui/form';
import { Section, StatusBadge } from '../../ui/layout';
import { AsyncView, ErrorNotice, Notice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';
import { InviteForm } from '../staff/invite-form';
import { StaffTable } from '../staff/staff-table';
import { intProblem, required, timeProblem, type Problem } from '../validation/validators';
import { useStore } from './store-context';

const BAY_TYPES: readonly BayType[] = ['general_lift', 'alignment', 'tyre', 'nev_safe', 'quick'];
const STORE_ROLES: readonly StaffRole[] = ['store_manager', 'front_desk', 'technician', 'warehouse'];
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;

export interface DayHours {
  open: boolean;
  from: string;
  to: string;
}

/** Problems of a weekly schedule: times must be HH:MM and opening before closing. */
export function hoursProblems(days: Record<number, DayHours>): Record<number, Problem | null> {
  const out: Record<number, Problem | null> = {};
  for (const d of WEEKDAYS) {
    const h = days[d];
    if (!h || !h.open) {
      out[d] = null;
      continue;
    }
    out[d] =
      timeProblem(h.from) ??
      timeProblem(h.to) ??
      (h.from >= h.to ? { key: 'validation.openBeforeClose' } : null);
  }
  return out;
}

export function HoursForm({
  hours,
  onSave,
}: {
  hours: StoreHours[];
  onSave: (h: StoreHours[]) => Promise<unknown>;
}): ReactNode {
  const { t } = useTranslation();
  const [days, setDays] = useState<Record<number, DayHours>>(() =>
    Object.fromEntries(
      WEEKDAYS.map((d) => {
        const h = hours.find((x) => x.weekday === d);
        return [d, { open: !!h, from: h?.open ?? '09:00', to: h?.close ?? '18:00' }];
      }),
    ),
  );
  const [problems, setProblems] = useState<Record<number, Problem | null>>({});
  const [saved, setSaved] = useState(false);
  const action = useAction(onSave);
  const set = (d: number, patch: Partial<DayHours>): void => {
    setSaved(false);
    setDays((x) => ({ ...x, [d]: { ...x[d]!, ...patch } }));
  };
  const submit = async (e: FormEvent): Promise<void> => {
    e.preventDefault();
    const p = hoursProblems(days);
    setProblems(p);
    if (Object.values(p).some(Boolean)) return;
    const r = await action.run(
      WEEKDAYS.filter((d) => days[d]!.open).map((d) => ({
        weekday: d,
        open: days[d]!.from,
        close: days[d]!.to,
      })),
    );
    if (r.ok) setSaved(true);
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('settings.hours')}>
      {WEEKDAYS.map((d) => (
        <div key={d} className="hours-row">
          <label className="hours-day">
            <input
              type="checkbox"
              checked={days[d]!.open}
              onChange={(e) => set(d, { open: e.target.checked })}
            />{' '}
            {t(`weekday.${d}`)}
          </label>
          <input
            className="inline-input"
            type="time"
            aria-label={t('settings.opens', { day: t(`weekday.${d}`) })}
            value={days[d]!.from}
            disabled={!days[d]!.open}
            onChange={(e) => set(d, { from: e.target.value })}
          />
          <input
            className="inline-input"
            type="time"
            aria-label={t('settings.closes', { day: t(`weekday.${d}`) })}
            value={days[d]!.to}
            disabled={!days[d]!.open}
            onChange={(e) => set(d, { to: e.target.value })}
          />
          <FieldMessage id={`hours-${d}`} problem={problems[d]} />
        </div>
      ))}
      {saved ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      <ErrorNotice error={action.error} />
      <button type="submit" className="btn btn-primary" disabled={action.busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

function ProfileForm({ s, onSaved }: { s: StoreDetail; onSaved: () => void }): ReactNode {
  const { t } = useTranslation();
  const [address, setAddress] = useState(s.address);
  const [phone, setPhone] = useState(s.phone ?? '');
  const [district, setDistrict] = useState(s.district);
  const [cutoff, setCutoff] = useState(String(s.cancelCutoffMinutes));
  const [status, setStatus] = useState(s.status as 'active' | 'paused' | 'closed');
  const [problems, setProblems] = useState<Record<string, Problem | null>>({});
  const [saved, setSaved] = useState(false);
  const action = useAction(async () => {
    await stores.saveProfile(s.id, {
      address: address.trim(),
      phone: phone.trim() || null,
      district: district.trim(),
      cancelCutoffMinutes: Number(cutoff),
      status,
    });
    setSaved(true);
    onSaved();
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    setSaved(false);
    const p = { address: required(address), cutoff: intProblem(cutoff, 0, 10_080, true) };
    setProblems(p);
    if (!Object.values(p).some(Boolean)) void action.run();
  };
  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('settings.profile')}>
      <TextField
        label={t('stores.address')}
        name="address"
        value={address}
        problem={problems.address}
        onChange={(e) => setAddress(e.target.value)}
      />
      <div className="field-row">
        <TextField
          label={t('stores.phone')}
          name="phone"
          type="tel"
          value={phone}
          onChange={(e) => setPhone(e.target.value)}
        />
        <TextField
          label={t('settings.district')}
          name="district"
          value={district}
          onChange={(e) => setDistrict(e.target.value)}
        />
      </div>
      <div className="field-row">
        <TextField
          label={t('settings.cancelCutoff')}
          name="cutoff"
          inputMode="numeric"
          value={cutoff}
          problem={problems.cutoff}
          onChange={(e) => setCutoff(e.target.value)}
        />
        <SelectField
          label={t('board.status')}
          name="status"
          value={status}
          onChange={(e) => setStatus(e.target.value as typeof status)}
        >
          {(['active', 'paused', 'closed'] as const).map((x) => (
            <option key={x} value={x}>
              {t(`settings.storeStatus.${x}`)}
            </option>
          ))}
        </SelectField>
      </div>
      {saved ? <Notice kind="success">{t('common.saved')}</Notice> : null}
      <ErrorNotice error={action.error} />
      <button type="submit" className="btn btn-primary" disabled={action.busy}>
        {t('common.save')}
      </button>
    </form>
  );
}

function BaysEditor({ storeId }: { storeId: string }): ReactNode {
  const { t } = useTranslation();
  const list = useAsync(() => stores.bays(storeId), [storeId]);
  const [name, setName] = useState('');
  const [type, setType] = useState<BayType>('general_lift');
  const [problem, setProblem] = useState<Problem | null>(null);
  const add = useAction(async () => {
    await stores.addBay(storeId, name.trim(), type);
    setName('');
    list.reload();
  });
  const toggle = useAction(async (b: Bay) => {
    await stores.updateBay(b.id, { active: !b.active });
    list.reload();
  });
  return (
    <>
      <AsyncView state={list} isEmpty={(d) => d.length === 0}>
        {(bays) => (
          <table className="data">
            <tbody>
              {bays.map((b) => (
                <tr key={b.id}>
                  <td>{b.name}</td>
                  <td className="small">{t(`bayType.${b.type}`, { defaultValue: b.type })}</td>
                  <td>
                    <StatusBadge
                      status={b.active ? 'active' : 'disabled'}
                      label={b.active ? t('settings.active') : t('settings.inactive')}
                    />
                  </td>
                  <td>
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      disabled={toggle.busy}
                      onClick={() => void toggle.run(b)}
                    >
                      {b.active ? t('staff.disable') : t('staff.enable')}
                    </button>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>
      <form
        className="toolbar"
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          const p = required(name);
          setProblem(p);
          if (!p) void add.run();
        }}
        aria-label={t('settings.addBay')}
      >
        <TextField
          label={t('settings.bayName')}
          name="bayName"
          value={name}
          problem={problem}
          onChange={(e) => setName(e.target.value)}
        />
        <SelectField
          label={t('settings.bayType')}
          name="bayType"
          value={type}
          onChange={(e) => setType(e.target.value as BayType)}
        >
          {BAY_TYPES.map((x) => (
            <option key={x} value={x}>
              {t(`bayType.${x}`)}
            </option>
          ))}
        </SelectField>
        <button type="submit" className="btn btn-secondary" disabled={add.busy}>
          {t('settings.addBay')}
        </button>
      </form>
      <ErrorNotice error={add.error ?? toggle.error} />
    </>
  );
}

export function SettingsPage(): ReactNode {
  const { t } = useTranslation();
  const { store } = useStore();
  const detail = useAsync(() => stores.get(staffClient, store.id), [store.id]);
  const techs = useAsync(() => stores.technicians(store.id), [store.id]);
  const users = useAsync(() => admin.users({ orgId: store.id }), [store.id]);
  const [invite, setInvite] = useState<{ login: string; token: string } | null>(null);
  return (
    <main className="page wide">
      <div className="grid-2">
        <Section title={t('settings.profile')}>
          <AsyncView state={detail}>
            {(s) => <ProfileForm key={s.id} s={s} onSaved={detail.reload} />}
          </AsyncView>
        </Section>
        <Section title={t('settings.hours')}>
          <AsyncView state={detail}>
            {(s) => (
              <HoursForm
                key={s.id}
                hours={s.hours}
                onSave={async (hours) => {
                  await stores.saveProfile(s.id, { hours });
                }}
              />
            )}
          </AsyncView>
        </Section>
        <Section title={t('settings.bays')}>
          <BaysEditor storeId={store.id} />
        </Section>
        <Section title={t('settings.technicians')}>
          <AsyncView state={techs} isEmpty={(d) => d.length === 0}>
            {(list) => (
              <table className="data">
                <tbody>
                  {list.map((x) => (
                    <tr key={x.id}>
                      <td>{x.name}</td>
                      <td className="small">{t('tech.level', { n: x.level })}</td>
                      <td className="small">
                        {x.skills.map((s) => t(`skills.${s}`, { defaultValue: s })).join(' · ')}
                      </td>
                      <td className="small">
                        {x.certifications
                          .map((c) => t(`certs.${c.code}`, { defaultValue: c.code }))
                          .join(' · ')}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </AsyncView>
        </Section>
      </div>
      <Section title={t('settings.staff')}>
        <AsyncView state={users}>
          {(page) => <StaffTable users={page.items} roles={STORE_ROLES} onChanged={() => users.reload()} />}
        </AsyncView>
        <h3>{t('staff.invite')}</h3>
        {invite ? (
          <Notice kind="success">
            {t('staff.invited', { login: invite.login })}
            <code className="small" data-testid="invite-token">
              {invite.token}
            </code>
          </Notice>
        ) : null}
        <InviteForm
          orgs={[store]}
          roles={STORE_ROLES}
          onInvite={async (v) => {
            const r = await admin.invite(v);
            setInvite({ login: v.login, token: r.inviteToken });
            users.reload();
          }}
        />
      </Section>
    </main>
  );
}
