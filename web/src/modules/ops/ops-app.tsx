/** Operator console: the dashboard on real data, and administration of chains, stores and users. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { TabNav, TopBar } from '../../ui/layout';
import { StaffGate, UserMenu } from '../staff/staff-gate';
import { DashboardPage } from './dashboard-page';
import { OrgsPage } from './orgs-page';
import { StoresPage } from './stores-page';
import { AlertsPage, DevicesPage } from './telematics-page';
import { UsersPage } from './users-page';

export default function OpsApp(): ReactNode {
  const { t } = useTranslation();
  return (
    <StaffGate title={t('ops.title')} hint={t('ops.signInHint')}>
      {(session) => (
        <div className="app app-ops">
          <TopBar title={t('ops.title')} home="/" right={<UserMenu session={session} />} />
          <TabNav
            items={[
              { to: '/ops', label: t('ops.nav.dashboard'), end: true, testId: 'tab-dashboard' },
              { to: '/ops/orgs', label: t('ops.nav.orgs'), testId: 'tab-orgs' },
              { to: '/ops/stores', label: t('ops.nav.stores'), testId: 'tab-stores' },
              { to: '/ops/users', label: t('ops.nav.users'), testId: 'tab-users' },
              { to: '/ops/devices', label: t('ops.nav.devices'), testId: 'tab-devices' },
              { to: '/ops/alerts', label: t('ops.nav.alerts'), testId: 'tab-alerts' },
            ]}
          />
          <Routes>
            <Route index element={<DashboardPage />} />
            <Route path="orgs" element={<OrgsPage />} />
            <Route path="stores" element={<StoresPage />} />
            <Route path="users" element={<UsersPage />} />
            <Route path="devices" element={<DevicesPage />} />
            <Route path="alerts" element={<AlertsPage />} />
            <Route path="*" element={<Navigate to="/ops" replace />} />
          </Routes>
        </div>
      )}
    </StaffGate>
  );
}
