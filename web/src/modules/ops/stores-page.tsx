/** Every store in scope with its profile; open its workbench. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { staffClient } from '../../api/client';
import { stores } from '../../api/endpoints';
import type { Store } from '../../api/types';
import { Section, StatusBadge } from '../../ui/layout';
import { AsyncView } from '../../ui/states';
import { useAsync } from '../../ui/use-async';

async function allStores(): Promise<Store[]> {
  const out: Store[] = [];
  let cursor: string | null = null;
  do {
    const page = await stores.mine(staffClient, cursor);
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && out.length < 5000);
  return out;
}

export function StoresPage(): ReactNode {
  const { t } = useTranslation();
  const list = useAsync(() => allStores(), []);
  return (
    <main className="page wide">
      <Section title={t('ops.nav.stores')}>
        <AsyncView state={list} isEmpty={(d) => d.length === 0}>
          {(items) => (
            <div className="table-wrap">
              <table className="data" data-testid="stores-table">
                <thead>
                  <tr>
                    <th>{t('orgs.name')}</th>
                    <th>{t('settings.district')}</th>
                    <th>{t('stores.address')}</th>
                    <th>{t('stores.rating')}</th>
                    <th>{t('board.status')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {items.map((s) => (
                    <tr key={s.id}>
                      <td>{s.name}</td>
                      <td className="small">
                        {s.city} {s.district}
                      </td>
                      <td className="small">{s.address}</td>
                      <td className="small">
                        {s.ratingAvg !== null ? `${s.ratingAvg.toFixed(1)} (${s.ratingCount})` : '—'}
                      </td>
                      <td>
                        <StatusBadge
                          status={s.status}
                          label={t(`settings.storeStatus.${s.status}`, { defaultValue: s.status })}
                        />
                      </td>
                      <td>
                        <Link className="btn btn-small" to={`/store?store=${s.id}`}>
                          {t('ops.openWorkbench')}
                        </Link>
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
