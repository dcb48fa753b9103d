/**
 * A work order at the front desk: who and where, the inspection with photos, the estimate and its
 * approval link, the SOP steps, the quality check by a second person, payment and hand-over, and
 * the timeline of every node.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useParams } from 'react-router';
import { staffClient } from '../../api/client';
import { catalog, stores, workOrders } from '../../api/endpoints';
import type { WorkOrder, WorkOrderStatus } from '../../api/types';
import { Money, SelectField, TextField } from '../../ui/form';
import { dayOf } from '../../ui/format';
import { Section, StatusBadge } from '../../ui/layout';
import { AsyncView, ErrorNotice, Notice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';
import { VehicleTelemetryCard } from '../owner/vehicle-health-page';
import { Timeline, WorkOrderProgress } from '../owner/work-order-view';
import { EstimateEditor } from './estimate-editor';
import { HandoverPanel } from './handover-panel';
import { InspectionChecklist } from './inspection-checklist';
import { SopSteps } from './sop-steps';
import { useStore } from './store-context';

const CLOSED: readonly WorkOrderStatus[] = ['handed_over', 'reviewed', 'cancelled'];
const CANCELLABLE: readonly WorkOrderStatus[] = [
  'checked_in',
  'inspection',
  'estimate',
  'awaiting_approval',
  'approved',
];

function AssignForm({ wo, onChanged }: { wo: WorkOrder; onChanged: (w: WorkOrder) => void }): ReactNode {
  const { t } = useTranslation();
  const { store } = useStore();
  const refs = useAsync(() => Promise.all([stores.technicians(store.id), stores.bays(store.id)]), [store.id]);
  const [tech, setTech] = useState(wo.technicianId ?? '');
  const [bay, setBay] = useState(wo.bayId ?? '');
  const assign = useAction(async () => onChanged(await workOrders.assign(wo.id, tech, bay || undefined)));
  return (
    <AsyncView state={refs}>
      {([techs, bays]) => (
        <form
          className="toolbar"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            if (tech) void assign.run();
          }}
          aria-label={t('wo.assign')}
        >
          <SelectField
            label={t('wo.technician')}
            name="technicianId"
            value={tech}
            onChange={(e) => setTech(e.target.value)}
          >
            <option value="">{t('wo.chooseTechnician')}</option>
            {techs
              .filter((x) => x.status === 'active')
              .map((x) => (
                <option key={x.id} value={x.id}>
                  {x.name} · {t('tech.level', { n: x.level })}
                </option>
              ))}
          </SelectField>
          <SelectField label={t('wo.bay')} name="bayId" value={bay} onChange={(e) => setBay(e.target.value)}>
            <option value="">—</option>
            {bays
              .filter((b) => b.active)
              .map((b) => (
                <option key={b.id} value={b.id}>
                  {b.name}
                </option>
              ))}
          </SelectField>
          <button
            type="submit"
            className="btn btn-secondary"
            disabled={!tech || assign.busy}
            data-testid="assign"
          >
            {t('wo.assign')}
          </button>
          <ErrorNotice error={assign.error} />
        </form>
      )}
    </AsyncView>
  );
}

function QcForm({ wo, onChanged }: { wo: WorkOrder; onChanged: (w: WorkOrder) => void }): ReactNode {
  const { t } = useTranslation();
  const [notes, setNotes] = useState('');
  const qc = useAction(async (passed: boolean) =>
    onChanged(await workOrders.qc(wo.id, passed, notes.trim() || undefined)),
  );
  return (
    <div className="stack" data-testid="qc-form">
      <p className="muted small">{t('qc.hint')}</p>
      <TextField
        label={t('qc.notes')}
        name="qcNotes"
        value={notes}
        maxLength={500}
        onChange={(e) => setNotes(e.target.value)}
      />
      <div className="row-actions">
        <button
          type="button"
          className="btn btn-primary"
          disabled={qc.busy}
          onClick={() => void qc.run(true)}
          data-testid="qc-pass"
        >
          {t('qc.pass')}
        </button>
        <button
          type="button"
          className="btn btn-danger"
          disabled={qc.busy}
          onClick={() => void qc.run(false)}
        >
          {t('qc.fail')}
        </button>
      </div>
      <ErrorNotice error={qc.error} />
    </div>
  );
}

export function WorkOrderPage(): ReactNode {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const wo = useAsync(() => workOrders.get(id), [id]);
  const timeline = useAsync(() => workOrders.timeline(id), [id, wo.data?.status, wo.data?.estimate.length]);
  const items = useAsync(() => catalog.items(staffClient), []);
  const [approvalUrl, setApprovalUrl] = useState<string | null>(null);
  const set = (w: WorkOrder): void => wo.setData(w);
  const send = useAction(async () => {
    const r = await workOrders.sendEstimate(id);
    setApprovalUrl(r.approvalUrl);
    set(r.workOrder);
  });
  const finish = useAction(async () => set(await workOrders.finish(id)));
  const cancel = useAction(async (reason: string) => set(await workOrders.cancel(id, reason)));

  return (
    <main className="page wide">
      <Link to="/store" className="small">
        ‹ {t('store.nav.board')}
      </Link>
      <AsyncView state={wo}>
        {(w) => {
          const closed = CLOSED.includes(w.status);
          const inspecting = w.status === 'checked_in' || w.status === 'inspection';
          const estimating =
            w.status === 'inspection' || w.status === 'estimate' || w.status === 'awaiting_approval';
          const suggested = w.inspection
            .filter((i) => (i.result === 'yellow' || i.result === 'red') && i.recommendItem)
            .map((i) => i.recommendItem!);
          return (
            <>
              <Section
                title={
                  <>
                    <span className="plate">{w.plate}</span> <span className="muted small">{w.number}</span>
                  </>
                }
                actions={<StatusBadge status={w.status} label={t(`woStatus.${w.status}`)} />}
                testId="work-order-header"
              >
                <WorkOrderProgress status={w.status} />
                <dl className="facts">
                  <dt>{t('wo.vehicle')}</dt>
                  <dd>
                    {w.vehicleModel} · {t(`powertrain.${w.powertrain}`, { defaultValue: w.powertrain })}
                  </dd>
                  <dt>{t('wo.arrival')}</dt>
                  <dd>
                    {w.odometerKm !== null ? t('serviceBook.odometer', { km: w.odometerKm }) : '—'} ·{' '}
                    {w.fuelLevelPct !== null ? t('wo.fuelPct', { n: w.fuelLevelPct }) : '—'}
                  </dd>
                  <dt>{t('wo.technician')}</dt>
                  <dd data-testid="wo-technician">{w.technicianName ?? t('wo.unassigned')}</dd>
                  <dt>{t('wo.source')}</dt>
                  <dd>{t(`wo.sources.${w.source}`, { defaultValue: w.source })}</dd>
                  {w.notes ? (
                    <>
                      <dt>{t('book.notes')}</dt>
                      <dd>{w.notes}</dd>
                    </>
                  ) : null}
                  {w.warrantyUntil ? (
                    <>
                      <dt>{t('wo.warranty')}</dt>
                      <dd>{t('serviceBook.warrantyUntil', { day: dayOf(w.warrantyUntil) })}</dd>
                    </>
                  ) : null}
                </dl>
                {!closed ? <AssignForm key={w.technicianId ?? ''} wo={w} onChanged={set} /> : null}
              </Section>

              <div className="wo-layout">
                <div className="stack">
                  <Section
                    title={t('inspection.title')}
                    testId="inspection-section"
                    className={inspecting ? 'current-step' : undefined}
                  >
                    {w.status === 'checked_in' ? (
                      <Notice kind="info">{t('inspection.startHint')}</Notice>
                    ) : null}
                    <InspectionChecklist wo={w} editable={inspecting} onChanged={set} />
                  </Section>

                  <Section
                    title={t('estimate.title')}
                    testId="estimate-section"
                    className={
                      w.status === 'estimate' || w.status === 'awaiting_approval' ? 'current-step' : undefined
                    }
                  >
                    <AsyncView state={items}>
                      {(all) => (
                        <EstimateEditor
                          lines={w.estimate}
                          items={all}
                          suggested={suggested}
                          canAdd={estimating}
                          canRemove={w.status === 'estimate'}
                          onAdd={async (a) => set(await workOrders.addLine(w.id, a))}
                          onRemove={async (lineId) => set(await workOrders.removeLine(w.id, lineId))}
                        />
                      )}
                    </AsyncView>
                    {w.status === 'inspection' || w.status === 'estimate' ? (
                      <>
                        <ErrorNotice error={send.error} />
                        <button
                          type="button"
                          className="btn btn-primary btn-block"
                          disabled={send.busy}
                          onClick={() => void send.run()}
                          data-testid="send-estimate"
                        >
                          {t('estimate.send')}
                        </button>
                      </>
                    ) : null}
                    {w.status === 'awaiting_approval' ? (
                      <Notice kind="info">
                        {t('estimate.waiting')}
                        {approvalUrl ? (
                          <a
                            href={approvalUrl}
                            className="mono small"
                            data-testid="approval-url"
                            target="_blank"
                            rel="noreferrer"
                          >
                            {approvalUrl}
                          </a>
                        ) : null}
                      </Notice>
                    ) : null}
                  </Section>

                  {w.status === 'approved' ||
                  w.status === 'in_progress' ||
                  w.status === 'quality_check' ||
                  closed ||
                  w.status === 'ready' ? (
                    <Section
                      title={t('sop.title')}
                      testId="sop-section"
                      className={
                        w.status === 'approved' || w.status === 'in_progress' ? 'current-step' : undefined
                      }
                    >
                      <SopSteps
                        wo={w}
                        editable={w.status === 'approved' || w.status === 'in_progress'}
                        onChanged={set}
                      />
                      {w.status === 'approved' || w.status === 'in_progress' ? (
                        <>
                          <ErrorNotice error={finish.error} />
                          <button
                            type="button"
                            className="btn btn-primary btn-block"
                            disabled={finish.busy}
                            onClick={() => void finish.run()}
                            data-testid="finish-work"
                          >
                            {t('sop.finish')}
                          </button>
                        </>
                      ) : null}
                    </Section>
                  ) : null}

                  {w.status === 'quality_check' ? (
                    <Section title={t('qc.title')} testId="qc-section" className="current-step">
                      <QcForm wo={w} onChanged={set} />
                    </Section>
                  ) : null}

                  {w.status === 'ready' ? (
                    <Section title={t('handover.title')} className="current-step">
                      <HandoverPanel wo={w} onChanged={set} />
                    </Section>
                  ) : null}

                  {w.status === 'handed_over' || w.status === 'reviewed' ? (
                    <Notice kind="success">
                      <span data-testid="handed-over">{t('handover.done')}</span> <Money fen={w.paidFen} />
                    </Notice>
                  ) : null}

                  {CANCELLABLE.includes(w.status) ? (
                    <>
                      <ErrorNotice error={cancel.error} />
                      <button
                        type="button"
                        className="btn btn-ghost"
                        disabled={cancel.busy}
                        onClick={() => {
                          const reason = window.prompt(t('wo.cancelReason'));
                          if (reason && reason.trim()) void cancel.run(reason.trim());
                        }}
                      >
                        {t('wo.cancel')}
                      </button>
                    </>
                  ) : null}
                </div>
                <div className="stack">
                  <Section title={t('wo.timeline')} testId="timeline-section">
                    <AsyncView state={timeline}>{(nodes) => <Timeline nodes={nodes} />}</AsyncView>
                  </Section>
                  <VehicleTelemetryCard vehicleId={w.vehicleId} powertrain={w.powertrain} api={staffClient} />
                </div>
              </div>
            </>
          );
        }}
      </AsyncView>
    </main>
  );
}
