/** All work orders of the store, filterable by status. */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { workOrders } from '../../api/endpoints';
import { WORK_ORDER_FLOW, type WorkOrderStatus } from '../../api/types';
import { Money, SelectField } from '../../ui/form';
import { dayOf, formatTime } from '../../ui/format';
import { Section, StatusBadge } from '../../ui/layout';
import { AsyncView } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { useStore } from './store-context';

export function WorkOrdersPage(): ReactNode {
  const { t } = useTranslation();
  const { store } = useStore();
  const [status, setStatus] = useState<WorkOrderStatus | ''>('');
  const list = useAsync(
    () => workOrders.list({ storeId: store.id, ...(status ? { status } : {}) }),
    [store.id, status],
  );
  return (
    <main className="page wide">
      <Section
        title={t('store.nav.workOrders')}
        actions={
          <SelectField
            label={t('board.status')}
            value={status}
            onChange={(e) => setStatus(e.target.value as WorkOrderStatus | '')}
          >
            <option value="">{t('common.all')}</option>
            {[...WORK_ORDER_FLOW, 'cancelled' as const].map((s) => (
              <option key={s} value={s}>
                {t(`woStatus.${s}`)}
              </option>
            ))}
          </SelectField>
        }
      >
        <AsyncView state={list} isEmpty={(d) => d.length === 0}>
          {(items) => (
            <div className="table-wrap">
              <table className="data">
                <thead>
                  <tr>
                    <th>{t('wo.number')}</th>
                    <th>{t('vehicles.plate')}</th>
                    <th>{t('board.services')}</th>
                    <th>{t('board.status')}</th>
                    <th className="num">{t('estimate.total')}</th>
                    <th>{t('wo.created')}</th>
                  </tr>
                </thead>
                <tbody>
                  {items.map((w) => (
                    <tr key={w.id}>
                      <td>
                        <Link to={`/store/work-orders/${w.id}`}>{w.number}</Link>
                      </td>
                      <td>
                        <span className="plate">{w.plate}</span>
                      </td>
                      <td className="small">
                        {w.items.map((c) => t(`services.${c}`, { defaultValue: c })).join(' · ')}
                      </td>
                      <td>
                        <StatusBadge status={w.status} label={t(`woStatus.${w.status}`)} />
                      </td>
                      <td className="num">
                        <Money fen={w.totalFen} />
                      </td>
                      <td className="small">
                        {dayOf(w.createdAt)} {formatTime(w.createdAt)}
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
