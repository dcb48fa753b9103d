/**
 * Store workbench (front desk and manager on a tablet or desktop) and the technician's phone view
 * under /store/tech.
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes, useLocation, useSearchParams } from 'react-router';
import { staffClient, type Session } from '../../api/client';
import { admin, stores } from '../../api/endpoints';
import { TabNav, TopBar } from '../../ui/layout';
import { AsyncView, Empty } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { StaffGate, UserMenu } from '../staff/staff-gate';
import { BoardPage } from './board-page';
import { canReadDispatch } from './dispatch-options';
import { DispatchPage } from './dispatch-page';
import { PartsPage } from './parts-page';
import { canPlanReplenishment } from './replenishment-options';
import { ReplenishmentPage } from './replenishment-page';
import { SettingsPage } from './settings-page';
import { SettlementPage } from './settlement-page';
import { StoreContext, rememberStore, rememberedStore, type StoreRef } from './store-context';
import { TechJobPage, TechPage } from './tech-page';
import { WorkOrderPage } from './work-order-page';
import { WorkOrdersPage } from './work-orders-page';

async function myStores(): Promise<StoreRef[]> {
  const out: StoreRef[] = [];
  let cursor: string | null = null;
  do {
    const page = await stores.mine(staffClient, cursor);
    out.push(...page.items.map((s) => ({ id: s.id, name: s.name })));
    cursor = page.nextCursor;
  } while (cursor && out.length < 1000);
  if (out.length > 0) return out;
  // stores without a profile yet are still stores of the org tree
  const orgs = await admin.orgs({ kind: 'store' });
  return orgs.items.map((o) => ({ id: o.id, name: o.name }));
}

export default function StoreApp(): ReactNode {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('store.title')} hint={t('store.signInHint')}>
      {(session) => <Workbench session={session} />}
    </StaffGate>
  );
}

function Workbench({ session }: { session: Session }): ReactNode {
  const { t } = useTranslation();
  const loc = useLocation();
  const [params] = useSearchParams();
  const isTech = session.user.role === 'technician';
  const list = useAsync(() => (isTech ? Promise.resolve([]) : myStores()), [session.user.id, isTech]);
  const [picked, setPicked] = useState<string | null>(() => params.get('store') ?? rememberedStore());

  const ctx = useMemo(() => {
    const all = list.data ?? [];
    const store = all.find((s) => s.id === picked) ?? all.find((s) => s.id === session.user.orgId) ?? all[0];
    return store ? { store, stores: all, role: session.user.role, userId: session.user.id } : null;
  }, [list.data, picked, session]);

  if (isTech) {
    if (!loc.pathname.startsWith('/store/tech')) return <Navigate to="/store/tech" replace />;
    return (
      <div className="app app-tech">
        <TopBar title={t('tech.title')} home="/" right={<UserMenu session={session} />} />
        <Routes>
          <Route path="tech" element={<TechPage />} />
          <Route path="tech/:id" element={<TechJobPage />} />
        </Routes>
      </div>
    );
  }

  return (
    <div className="app app-store">
      <TopBar
        title={ctx?.store.name ?? t('store.title')}
        home="/"
        right={
          <>
            {ctx && ctx.stores.length > 1 ? (
              <select
                className="store-switch"
                aria-label={t('store.switch')}
                value={ctx.store.id}
                onChange={(e) => {
                  setPicked(e.target.value);
                  rememberStore(e.target.value);
                }}
              >
                {ctx.stores.map((s) => (
                  <option key={s.id} value={s.id}>
                    {s.name}
                  </option>
                ))}
              </select>
            ) : null}
            <UserMenu session={session} />
          </>
        }
      />
      <AsyncView state={list}>
        {() =>
          ctx ? (
            <StoreContext.Provider value={ctx}>
              <TabNav
                items={[
                  { to: '/store', label: t('store.nav.board'), end: true, testId: 'tab-board' },
                  { to: '/store/work-orders', label: t('store.nav.workOrders'), testId: 'tab-work-orders' },
                  ...(canReadDispatch(ctx.role)
                    ? [{ to: '/store/dispatch', label: t('store.nav.dispatch'), testId: 'tab-dispatch' }]
                    : []),
                  { to: '/store/parts', label: t('store.nav.parts'), testId: 'tab-parts' },
                  ...(canPlanReplenishment(ctx.role)
                    ? [
                        {
                          to: '/store/replenishment',
                          label: t('store.nav.replenishment'),
                          testId: 'tab-replenishment',
                        },
                      ]
                    : []),
                  { to: '/store/settlement', label: t('store.nav.settlement'), testId: 'tab-settlement' },
                  { to: '/store/settings', label: t('store.nav.settings'), testId: 'tab-settings' },
                  { to: '/store/tech', label: t('store.nav.tech'), testId: 'tab-tech' },
                ]}
              />
              <Routes>
                <Route index element={<BoardPage />} />
                <Route path="work-orders" element={<WorkOrdersPage />} />
                <Route path="work-orders/:id" element={<WorkOrderPage />} />
                <Route path="dispatch" element={<DispatchPage />} />
                <Route path="parts" element={<PartsPage />} />
                <Route path="replenishment" element={<ReplenishmentPage />} />
                <Route path="settlement" element={<SettlementPage />} />
                <Route path="settings" element={<SettingsPage />} />
                <Route path="tech" element={<TechPage />} />
                <Route path="tech/:id" element={<TechJobPage />} />
                <Route path="*" element={<Navigate to="/store" replace />} />
              </Routes>
            </StoreContext.Provider>
          ) : (
            <main className="page">
              <Empty>{t('store.noStore')}</Empty>
            </main>
          )
        }
      </AsyncView>
    </div>
  );
}
