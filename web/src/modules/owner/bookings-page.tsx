import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { ownerClient } from '../../api/client';
import { booking } from '../../api/endpoints';
import type { Booking } from '../../api/types';
import { Money } from '../../ui/form';
import { dayOf, formatDay, formatTime } from '../../ui/format';
import { StatusBadge, TopBar } from '../../ui/layout';
import { AsyncView } from '../../ui/states';
import { useAsync } from '../../ui/use-async';

export function BookingRow({ b }: { b: Booking }): ReactNode {
  const { t, i18n } = useTranslation();
  return (
    <Link to={`/owner/bookings/${b.id}`} className="list-row" data-testid="booking-row">
      <div className="grow">
        <strong>
          {formatDay(dayOf(b.startAt), i18n.language)} {formatTime(b.startAt)}
        </strong>
        <div className="muted small">
          {b.lines
            .filter((l) => l.kind === 'labour')
            .map((l) => (i18n.language === 'en' ? l.descriptionEn : l.description))
            .join(' · ')}
        </div>
      </div>
      <div className="right">
        <StatusBadge status={b.status} label={t(`bookingStatus.${b.status}`)} />
        <Money fen={b.totalFen} />
      </div>
    </Link>
  );
}

export function BookingsPage(): ReactNode {
  const { t } = useTranslation();
  const list = useAsync(() => booking.list(ownerClient, { limit: 50 }), []);
  return (
    <>
      <TopBar title={t('owner.nav.bookings')} back="/owner" />
      <main className="page narrow">
        <AsyncView state={list} isEmpty={(d) => d.items.length === 0} empty={t('bookings.empty')}>
          {(page) => (
            <div className="list">
              {page.items.map((b) => (
                <BookingRow key={b.id} b={b} />
              ))}
            </div>
          )}
        </AsyncView>
        <Link to="/owner/book" className="btn btn-primary btn-block">
          {t('home.bookNow')}
        </Link>
      </main>
    </>
  );
}
