/** Owner home: book now, my vehicles, the next visit. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ownerClient } from '../../api/client';
import { booking, vehicles } from '../../api/endpoints';
import { useSession } from '../auth/use-session';
import { TopBar } from '../../ui/layout';
import { AsyncView } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { BookingRow } from './bookings-page';
import { isOpenBooking } from './status';
import { VehicleCard } from './vehicles-page';

export function OwnerHomePage(): ReactNode {
  const { t } = useTranslation();
  const session = useSession(ownerClient);
  const cars = useAsync(() => vehicles.list(), []);
  const upcoming = useAsync(
    () =>
      booking.list(ownerClient, { limit: 20 }).then((p) => p.items.filter((b) => isOpenBooking(b.status))),
    [],
  );
  return (
    <>
      <TopBar title={t('app.name')} home="/" />
      <main className="page narrow">
        <div className="hero hero-owner">
          <p className="muted">{t('home.hello', { name: session?.user.name ?? '' })}</p>
          <h2>{t('home.headline')}</h2>
          <Link to="/owner/book" className="btn btn-primary btn-block btn-large" data-testid="book-now">
            {t('home.bookNow')}
          </Link>
          <div className="quick-grid">
            {['minor_service', 'brake_pads_front', 'tyre_rotate', 'ac_service'].map((code) => (
              <Link key={code} className="chip" to={`/owner/book?item=${code}`}>
                {t(`home.quick.${code}`)}
              </Link>
            ))}
          </div>
        </div>
        <h3 className="section-title">{t('home.upcoming')}</h3>
        <AsyncView state={upcoming} isEmpty={(d) => d.length === 0} empty={t('home.noUpcoming')}>
          {(list) => (
            <div className="list">
              {list.slice(0, 3).map((b) => (
                <BookingRow key={b.id} b={b} />
              ))}
            </div>
          )}
        </AsyncView>
        <h3 className="section-title">{t('vehicles.title')}</h3>
        <AsyncView
          state={cars}
          isEmpty={(d) => d.length === 0}
          empty={
            <Link to="/owner/vehicles/new" className="btn btn-primary">
              {t('vehicles.add')}
            </Link>
          }
        >
          {(list) => (
            <div className="stack">
              {list.map((v) => (
                <Link key={v.id} to={`/owner/vehicles/${v.id}/service-book`} className="plain">
                  <VehicleCard v={v} />
                </Link>
              ))}
            </div>
          )}
        </AsyncView>
      </main>
    </>
  );
}
