/** The technician's phone at the bay: my jobs, then the job's inspection and SOP steps to tick. */
import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { workOrders } from '../../api/endpoints';
import type { WorkOrder } from '../../api/types';
import { StatusBadge } from '../../ui/layout';
import { AsyncView, ErrorNotice, Notice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';
import { WorkOrderProgress } from '../owner/work-order-view';
import { InspectionChecklist } from './inspection-checklist';
import { SopSteps } from './sop-steps';

export function TechPage(): ReactNode {
  const { t } = useTranslation();
  const jobs = useAsync(() => workOrders.myJobs(), []);
  return (
    <main className="page narrow">
      <div className="toolbar">
        <h2 className="grow">{t('tech.myJobs')}</h2>
        <button type="button" className="btn btn-small" onClick={jobs.reload}>
          {t('common.refresh')}
        </button>
      </div>
      <AsyncView state={jobs} isEmpty={(d) => d.length === 0} empty={t('tech.noJobs')}>
        {(list) => (
          <div className="list">
            {list.map((w) => (
              <Link key={w.id} to={`/store/tech/${w.id}`} className="list-row" data-testid="job-row">
                <span className="plate">{w.plate}</span>
                <span className="grow small">
                  {w.items.map((c) => t(`services.${c}`, { defaultValue: c })).join(' · ')}
                </span>
                <StatusBadge status={w.status} label={t(`woStatus.${w.status}`)} />
              </Link>
            ))}
          </div>
        )}
      </AsyncView>
    </main>
  );
}

export function TechJobPage(): ReactNode {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const wo = useAsync(() => workOrders.get(id), [id]);
  const set = (w: WorkOrder): void => wo.setData(w);
  const finish = useAction(async () => set(await workOrders.finish(id)));
  return (
    <main className="page narrow">
      <Link to="/store/tech" className="small">
        ‹ {t('tech.myJobs')}
      </Link>
      <AsyncView state={wo}>
        {(w) => {
          const working = w.status === 'approved' || w.status === 'in_progress';
          return (
            <>
              <div className="card">
                <div className="card-head">
                  <span className="plate">{w.plate}</span>
                  <StatusBadge status={w.status} label={t(`woStatus.${w.status}`)} />
                </div>
                <p className="muted small">
                  {w.vehicleModel} · {w.number}
                </p>
                <WorkOrderProgress status={w.status} />
              </div>
              {w.status === 'checked_in' || w.status === 'inspection' ? (
                <div className="card">
                  <h3>{t('inspection.title')}</h3>
                  <InspectionChecklist wo={w} editable onChanged={set} />
                </div>
              ) : null}
              {w.status === 'estimate' || w.status === 'awaiting_approval' ? (
                <Notice kind="info">{t('tech.waitingApproval')}</Notice>
              ) : null}
              {working || w.status === 'quality_check' || w.status === 'ready' ? (
                <div className="card">
                  <h3>{t('sop.title')}</h3>
                  <SopSteps wo={w} editable={working} onChanged={set} />
                  {working ? (
                    <>
                      <ErrorNotice error={finish.error} />
                      <button
                        type="button"
                        className="btn btn-primary btn-block btn-large"
                        disabled={finish.busy || w.steps.some((s) => !s.doneAt)}
                        onClick={() => void finish.run()}
                        data-testid="finish-work"
                      >
                        {t('sop.finish')}
                      </button>
                    </>
                  ) : null}
                  {w.status === 'quality_check' ? <Notice kind="info">{t('tech.inQc')}</Notice> : null}
                </div>
              ) : null}
            </>
          );
        }}
      </AsyncView>
    </main>
  );
}
