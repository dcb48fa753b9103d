/**
 * `/approve/:token`: the signed link the store sends with the estimate. It works without a sign-in
 * (the token is the permission); the owner decides line by line.
 */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { workOrders } from '../../api/endpoints';
import { Money } from '../../ui/form';
import { TopBar } from '../../ui/layout';
import { AsyncView, Notice } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { EstimateApproval, InspectionReport, WorkOrderProgress } from './work-order-view';

export function ApprovalPage(): ReactNode {
  const { t } = useTranslation();
  const { token = '' } = useParams();
  const wo = useAsync(() => workOrders.approval(token), [token]);
  return (
    <div className="app app-owner">
      <TopBar title={t('estimate.approveTitle')} home="/owner" />
      <main className="page narrow">
        <AsyncView state={wo}>
          {(w) => {
            const pending = w.lines.some((l) => l.approval === 'pending');
            return (
              <>
                <div className="card">
                  <p>
                    <span className="plate">{w.plate}</span> {w.storeName}
                  </p>
                  <p className="muted small">
                    {t('wo.number')} {w.number} · {t('estimate.total')} <Money fen={w.totalFen} />
                  </p>
                  <WorkOrderProgress status={w.status} />
                </div>
                {!pending ? <Notice kind="success">{t('estimate.allDecided')}</Notice> : null}
                <div className="card">
                  <h3>{t('estimate.title')}</h3>
                  <EstimateApproval
                    lines={w.lines}
                    onSubmit={async (decisions) => {
                      await workOrders.decide(token, decisions);
                      wo.reload();
                    }}
                  />
                </div>
                <div className="card">
                  <h3>{t('inspection.title')}</h3>
                  <InspectionReport items={w.inspection} workOrderId={w.workOrderId} api={null} />
                </div>
              </>
            );
          }}
        </AsyncView>
      </main>
    </div>
  );
}
