/** Chains, franchisees and stores: the org tree, create, rename, disable and re-enable. */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { admin } from '../../api/endpoints';
import type { Org, OrgKind } from '../../api/types';
import { SelectField, TextField } from '../../ui/form';
import { Section, StatusBadge } from '../../ui/layout';
import { AsyncView, ErrorNotice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';
import { required, type Problem } from '../validation/validators';

async function allOrgs(): Promise<Org[]> {
  const out: Org[] = [];
  let cursor: string | null = null;
  do {
    const page = await admin.orgs({ cursor });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < 5000);
  return out;
}

const CHILD: Record<OrgKind, Array<Exclude<OrgKind, 'platform'>>> = {
  platform: ['chain', 'store'],
  chain: ['franchisee', 'store'],
  franchisee: ['store'],
  store: [],
};

function CreateOrgForm({ orgs, onCreated }: { orgs: Org[]; onCreated: () => void }): ReactNode {
  const { t } = useTranslation();
  const [parentId, setParentId] = useState('');
  const [kind, setKind] = useState<Exclude<OrgKind, 'platform'> | ''>('');
  const [name, setName] = useState('');
  const [problems, setProblems] = useState<Record<string, Problem | null>>({});
  const parent = orgs.find((o) => o.id === parentId);
  const kinds = parent ? CHILD[parent.kind] : [];
  const action = useAction(async () => {
    if (!kind) return;
    await admin.createOrg(kind, name.trim(), parentId);
    setName('');
    onCreated();
  });
  const submit = (e: FormEvent): void => {
    e.preventDefault();
    const p = {
      parentId: parentId ? null : { key: 'validation.choose' },
      kind: kind && kinds.includes(kind) ? null : { key: 'validation.choose' },
      name: required(name),
    };
    setProblems(p);
    if (!Object.values(p).some(Boolean)) void action.run();
  };
  return (
    <form className="toolbar" onSubmit={submit} noValidate aria-label={t('orgs.create')}>
      <SelectField
        label={t('orgs.parent')}
        name="parentId"
        value={parentId}
        problem={problems.parentId}
        onChange={(e) => setParentId(e.target.value)}
      >
        <option value="">{t('validation.chooseOption')}</option>
        {orgs
          .filter((o) => o.kind !== 'store' && o.status === 'active')
          .map((o) => (
            <option key={o.id} value={o.id}>
              {t(`orgs.kind.${o.kind}`)} · {o.name}
            </option>
          ))}
      </SelectField>
      <SelectField
        label={t('orgs.kindLabel')}
        name="kind"
        value={kind}
        problem={problems.kind}
        onChange={(e) => setKind(e.target.value as typeof kind)}
      >
        <option value="">{t('validation.chooseOption')}</option>
        {kinds.map((k) => (
          <option key={k} value={k}>
            {t(`orgs.kind.${k}`)}
          </option>
        ))}
      </SelectField>
      <TextField
        label={t('orgs.name')}
        name="orgName"
        value={name}
        problem={problems.name}
        onChange={(e) => setName(e.target.value)}
      />
      <button type="submit" className="btn btn-primary" disabled={action.busy}>
        {t('orgs.create')}
      </button>
      <ErrorNotice error={action.error} />
    </form>
  );
}

export function OrgsPage(): ReactNode {
  const { t } = useTranslation();
  const list = useAsync(() => allOrgs(), []);
  const [filter, setFilter] = useState<OrgKind | ''>('');
  const update = useAction(async (o: Org, patch: { name?: string; status?: 'active' | 'disabled' }) => {
    await admin.updateOrg(o.id, patch);
    list.reload();
  });
  const depth = useMemo(() => {
    const byId = new Map((list.data ?? []).map((o) => [o.id, o]));
    return (o: Org): number => {
      let d = 0;
      let p = o.parentId ? byId.get(o.parentId) : undefined;
      while (p && d < 6) {
        d++;
        p = p.parentId ? byId.get(p.parentId) : undefined;
      }
      return d;
    };
  }, [list.data]);
  const ordered = useMemo(() => {
    const all = list.data ?? [];
    const kids = new Map<string | null, Org[]>();
    for (const o of all) kids.set(o.parentId, [...(kids.get(o.parentId) ?? []), o]);
    const ids = new Set(all.map((o) => o.id));
    const roots = all.filter((o) => !o.parentId || !ids.has(o.parentId));
    const out: Org[] = [];
    const walk = (o: Org): void => {
      out.push(o);
      for (const c of (kids.get(o.id) ?? []).sort((a, b) => a.name.localeCompare(b.name))) walk(c);
    };
    roots.forEach(walk);
    return out;
  }, [list.data]);
  return (
    <main className="page wide">
      <Section title={t('orgs.create')}>
        <AsyncView state={list}>{(orgs) => <CreateOrgForm orgs={orgs} onCreated={list.reload} />}</AsyncView>
      </Section>
      <Section
        title={t('ops.nav.orgs')}
        actions={
          <SelectField
            label={t('orgs.kindLabel')}
            value={filter}
            onChange={(e) => setFilter(e.target.value as OrgKind | '')}
          >
            <option value="">{t('common.all')}</option>
            {(['platform', 'chain', 'franchisee', 'store'] as const).map((k) => (
              <option key={k} value={k}>
                {t(`orgs.kind.${k}`)}
              </option>
            ))}
          </SelectField>
        }
      >
        <ErrorNotice error={update.error} />
        <AsyncView state={list}>
          {() => (
            <div className="table-wrap">
              <table className="data" data-testid="orgs-table">
                <thead>
                  <tr>
                    <th>{t('orgs.name')}</th>
                    <th>{t('orgs.kindLabel')}</th>
                    <th>{t('board.status')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {ordered
                    .filter((o) => !filter || o.kind === filter)
                    .map((o) => (
                      <tr key={o.id}>
                        <td style={{ paddingLeft: `${6 + (filter ? 0 : depth(o) * 18)}px` }}>{o.name}</td>
                        <td className="small">{t(`orgs.kind.${o.kind}`)}</td>
                        <td>
                          <StatusBadge status={o.status} label={t(`staff.status.${o.status}`)} />
                        </td>
                        <td className="row-actions">
                          {o.kind !== 'platform' ? (
                            <>
                              <button
                                type="button"
                                className="btn btn-small btn-ghost"
                                disabled={update.busy}
                                onClick={() => {
                                  const name = window.prompt(t('orgs.rename'), o.name);
                                  if (name && name.trim() && name.trim() !== o.name)
                                    void update.run(o, { name: name.trim() });
                                }}
                              >
                                {t('orgs.rename')}
                              </button>
                              <button
                                type="button"
                                className="btn btn-small btn-ghost"
                                disabled={update.busy}
                                onClick={() =>
                                  void update.run(o, {
                                    status: o.status === 'active' ? 'disabled' : 'active',
                                  })
                                }
                              >
                                {o.status === 'active' ? t('staff.disable') : t('staff.enable')}
                              </button>
                            </>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                </tbody>
              </table>
            </div>
          )}
        </AsyncView>
      </Section>
    </main>
  );
}
