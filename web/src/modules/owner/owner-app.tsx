/** Owner H5 (mobile first): sign in, vehicles, booking, orders, service book. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Navigate, Route, Routes } from 'react-router';
import { ownerClient } from '../../api/client';
import { BottomNav } from '../../ui/layout';
import { useSession } from '../auth/use-session';
import { ApprovalPage } from './approval-page';
import { BookFlow } from './book-flow';
import { BookingPage } from './booking-page';
import { BookingsPage } from './bookings-page';
import { OwnerHomePage } from './home-page';
import { MePage } from './me-page';
import { PayPage } from './pay-page';
import { ServiceBookPage } from './service-book-page';
import { OwnerSignInPage } from './sign-in-page';
import { VehicleHealthPage } from './vehicle-health-page';
import { VehicleNewPage } from './vehicle-new-page';
import { VehiclesPage } from './vehicles-page';

export default function OwnerApp(): ReactNode {
  const { t } = useTranslation();
  const session = useSession(ownerClient);
  if (!session) {
    return (
      <div className="app app-owner">
        <Routes>
          <Route path="approve/:token" element={<ApprovalPage />} />
          <Route path="*" element={<OwnerSignInPage />} />
        </Routes>
      </div>
    );
  }
  return (
    <div className="app app-owner with-bottomnav">
      <Routes>
        <Route index element={<OwnerHomePage />} />
        <Route path="book" element={<BookFlow />} />
        <Route path="vehicles" element={<VehiclesPage />} />
        <Route path="vehicles/new" element={<VehicleNewPage />} />
        <Route path="vehicles/:id/service-book" element={<ServiceBookPage />} />
        <Route path="vehicles/:id/health" element={<VehicleHealthPage />} />
        <Route path="bookings" element={<BookingsPage />} />
        <Route path="bookings/:id" element={<BookingPage />} />
        <Route path="pay/:paymentId" element={<PayPage />} />
        <Route path="approve/:token" element={<ApprovalPage />} />
        <Route path="me" element={<MePage />} />
        <Route path="*" element={<Navigate to="/owner" replace />} />
      </Routes>
      <BottomNav
        items={[
          { to: '/owner', label: t('owner.nav.home'), icon: 'home', end: true, testId: 'nav-home' },
          { to: '/owner/vehicles', label: t('owner.nav.vehicles'), icon: 'car', testId: 'nav-vehicles' },
          { to: '/owner/bookings', label: t('owner.nav.bookings'), icon: 'list', testId: 'nav-bookings' },
          { to: '/owner/me', label: t('owner.nav.me'), icon: 'user', testId: 'nav-me' },
        ]}
      />
    </div>
  );
}
