/** The three consoles and the landing page; each console loads on demand. */
import { lazy, Suspense, useEffect, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Route, Routes } from 'react-router';
import { LandingPage } from './pages/landing-page';
import { NotFoundPage } from './pages/not-found-page';
import { Loading } from './ui/states';
import { ErrorBoundary } from './ui/error-boundary';

const OwnerApp = lazy(() => import('./modules/owner/owner-app'));
const StoreApp = lazy(() => import('./modules/store/store-app'));
const OpsApp = lazy(() => import('./modules/ops/ops-app'));
const ApprovalPage = lazy(() =>
  import('./modules/owner/approval-page').then((m) => ({ default: m.ApprovalPage })),
);

export function App(): ReactNode {
  const { t, i18n } = useTranslation();
  useEffect(() => {
    document.documentElement.lang = i18n.language;
    document.title = t('app.title');
  }, [i18n.language, t]);
  return (
    <ErrorBoundary>
      <Suspense fallback={<Loading />}>
        <Routes>
          <Route path="/" element={<LandingPage />} />
          <Route path="/owner/*" element={<OwnerApp />} />
          <Route path="/store/*" element={<StoreApp />} />
          <Route path="/ops/*" element={<OpsApp />} />
          <Route path="/approve/:token" element={<ApprovalPage />} />
          <Route path="*" element={<NotFoundPage />} />
        </Routes>
      </Suspense>
    </ErrorBoundary>
  );
}
