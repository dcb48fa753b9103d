/**
 * Dispatch board of a day: door-to-door routes per technician (as stored, in arrival order), their
 * load, each technician's jobs with the promised arrival window, waiting and declined requests, a
 * re-plan for those allowed to, and the team board (rating, efficiency, quality, training).
 */
import { useEffect, useMemo, useRef, useState, type ReactNode, type RefObject } from 'react';
import { useTranslation } from 'react-i18next';
import { dispatch } from '../../api/endpoints';
import type { DispatchBoard, DispatchJob, DoorToDoorDayPlan, TeamMember } from '../../api/types';
import { Chart } from '../../ui/chart';
import { addDays, formatDay, formatPercent, today } from '../../ui/format';
import { Section, StatusBadge } from '../../ui/layout';
import { AsyncView, Empty, ErrorNotice, Notice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';
import {
  arrivalWindow,
  canPlanDispatch,
  inVisitOrder,
  loadOption,
  routesOption,
  techColor,
  timeRange,
  type DispatchLabels,
} from './dispatch-options';
import { useStore } from './store-context';

function useLabels(): DispatchLabels {
  const { t, i18n } = useTranslation();
  return useMemo(
    () => ({
      store: t('dispatch.store'),
      waiting: t('dispatch.waiting'),
      declined: t('dispatch.declined'),
      busyMinutes: t('dispatch.busyMinutes'),
      jobs: t('dispatch.jobs'),
      arrival: t('dispatch.arrival'),
      window: t('dispatch.window'),
      kind: { onsite: t('dispatch.kind.onsite'), pickup_return: t('dispatch.kind.pickup_return') },
      item: (code: string) => t(`services.${code}`, { defaultValue: code }),
    }),
    [t, i18n.language],
  );
}

function JobsTable({ jobs, testId }: { jobs: DispatchJob[]; testId: string }): ReactNode {
  const { t } = useTranslation();
  const l = useLabels();
  return (
    <table className="data" data-testid={testId}>
      <thead>
        <tr>
          <th>{t('dispatch.arrival')}</th>
          <th>{t('dispatch.window')}</th>
          <th>{t('dispatch.kindCol')}</th>
          <th>{t('dispatch.items')}</th>
          <th>{t('dispatch.statusCol')}</th>
        </tr>
      </thead>
      <tbody>
        {jobs.map((j) => (
          <tr key={j.id} data-testid="d2d-job" data-id={j.id} data-kind={j.kind}>
            <td className="num" data-testid="d2d-arrival">
              {arrivalWindow(j) ?? '—'}
            </td>
            <td className="num muted">{timeRange(j.windowStart, j.windowEnd)}</td>
            <td>{l.kind[j.kind]}</td>
            <td>{j.items.map(l.item).join('、')}</td>
            <td>
              <StatusBadge
                status={j.status}
                label={t(`dispatch.status.${j.status}`, { defaultValue: j.status })}
              />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const ROUTES_HEIGHT = 420;
/** What the routes chart's legend, axis labels and margins take from its box, px (about). */
const PLOT_INSET = { x: 80, y: 80 };

/** The routes plot's width / height, so a km is as long across as up (follows the box's width). */
function usePlotAspect(active: boolean): [RefObject<HTMLDivElement | null>, number] {
  const box = useRef<HTMLDivElement>(null);
  const [aspect, setAspect] = useState(1.3);
  useEffect(() => {
    const el = box.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = (): void => {
      const w = el.clientWidth - PLOT_INSET.x;
      if (w > 0) setAspect(Math.round((w / (ROUTES_HEIGHT - PLOT_INSET.y)) * 20) / 20);
    };
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [active]);
  return [box, aspect];
}

function BoardView({ board }: { board: DispatchBoard }): ReactNode {
  const { t } = useTranslation();
  const l = useLabels();
  const jobCount = board.technicians.reduce((n, x) => n + x.jobs.length, 0);
  const nothing = jobCount === 0 && board.waiting.length === 0 && board.declined.length === 0;
  const [box, aspect] = usePlotAspect(!nothing);
  const routes = useMemo(() => routesOption(board, l, aspect), [board, l, aspect]);
  const load = useMemo(() => loadOption(board, l), [board, l]);
  return (
    <>
      <div className="kpis" data-testid="dispatch-kpis">
        <div className="kpi">
          <div className="kpi-label">{t('dispatch.scheduledCount')}</div>
          <div className="kpi-value" data-testid="kpi-scheduled">
            {jobCount}
          </div>
        </div>
        <div className="kpi">
          <div className="kpi-label">{t('dispatch.waiting')}</div>
          <div className="kpi-value">{board.waiting.length}</div>
        </div>
        <div className="kpi">
          <div className="kpi-label">{t('dispatch.declined')}</div>
          <div className="kpi-value">{board.declined.length}</div>
        </div>
        <div className="kpi">
          <div className="kpi-label">{t('dispatch.mobileTechnicians')}</div>
          <div className="kpi-value">{board.technicians.length}</div>
        </div>
      </div>
      {nothing ? (
        <Section title={t('dispatch.routes')} testId="dispatch-empty">
          <Empty>{board.technicians.length === 0 ? t('dispatch.noTechnicians') : t('dispatch.empty')}</Empty>
        </Section>
      ) : (
        <div className="grid-2">
          <Section title={t('dispatch.routes')}>
            <div ref={box}>
              <Chart
                option={routes}
                height={ROUTES_HEIGHT}
                testId="dispatch-routes"
                ariaLabel={t('dispatch.routes')}
              />
            </div>
          </Section>
          <Section title={t('dispatch.load')}>
            <Chart
              option={load}
              height={ROUTES_HEIGHT}
              testId="dispatch-load"
              ariaLabel={t('dispatch.load')}
            />
          </Section>
        </div>
      )}
      {board.technicians.map((tech, i) => (
        <Section
          key={tech.id}
          testId="d2d-technician"
          title={
            <>
              <span
                aria-hidden="true"
                style={{
                  display: 'inline-block',
                  width: 10,
                  height: 10,
                  borderRadius: 5,
                  marginRight: 8,
                  background: techColor(i),
                }}
              />
              {tech.name}{' '}
              <span className="muted small">
                {t('dispatch.techSummary', { jobs: tech.jobs.length, minutes: tech.busyMinutes })}
              </span>
            </>
          }
        >
          {tech.jobs.length === 0 ? (
            <Empty>{t('dispatch.noJobs')}</Empty>
          ) : (
            <JobsTable jobs={inVisitOrder(tech.jobs)} testId="d2d-route-jobs" />
          )}
        </Section>
      ))}
      <div className="grid-2">
        <Section title={`${t('dispatch.waiting')} (${board.waiting.length})`} testId="d2d-waiting">
          {board.waiting.length === 0 ? (
            <Empty>{t('dispatch.noWaiting')}</Empty>
          ) : (
            <JobsTable jobs={board.waiting} testId="d2d-waiting-jobs" />
          )}
        </Section>
        <Section title={`${t('dispatch.declined')} (${board.declined.length})`} testId="d2d-declined">
          {board.declined.length === 0 ? (
            <Empty>{t('dispatch.noDeclined')}</Empty>
          ) : (
            <JobsTable jobs={board.declined} testId="d2d-declined-jobs" />
          )}
        </Section>
      </div>
    </>
  );
}

const rate = (v: number | null, digits = 0): string => (v === null ? '—' : formatPercent(v, digits));

function TeamBoard({ team }: { team: TeamMember[] }): ReactNode {
  const { t } = useTranslation();
  if (team.length === 0) return <Empty>{t('dispatch.team.none')}</Empty>;
  return (
    <div style={{ overflowX: 'auto' }}>
      <table className="data" data-testid="team-board">
        <thead>
          <tr>
            <th>{t('dispatch.team.technician')}</th>
            <th className="num">{t('dispatch.team.stars')}</th>
            <th className="num">{t('dispatch.team.jobs')}</th>
            <th className="num">{t('dispatch.team.efficiency')}</th>
            <th className="num">{t('dispatch.team.firstTimeFix')}</th>
            <th className="num">{t('dispatch.team.comeback')}</th>
            <th className="num">{t('dispatch.team.qcPass')}</th>
            <th>{t('dispatch.team.training')}</th>
          </tr>
        </thead>
        <tbody>
          {team.map((m) => (
            <tr key={m.id} data-testid="team-row" data-id={m.id}>
              <td>{m.name}</td>
              <td
                className="num"
                data-testid="team-stars"
                title={t('dispatch.team.reviews', { n: m.performance.reviewCount })}
              >
                ★ {m.performance.stars.toFixed(1)}
              </td>
              <td className="num">{m.performance.jobs}</td>
              <td className="num">{rate(m.performance.efficiency)}</td>
              <td className="num">{rate(m.performance.firstTimeFixRate)}</td>
              <td className="num">{rate(m.performance.comebackRate, 1)}</td>
              <td className="num">{rate(m.performance.qcPassRate)}</td>
              <td className="small">
                {m.training.length === 0
                  ? '—'
                  : m.training.map((x) => (
                      <div key={`${x.course}-${x.completedOn}`}>
                        {x.course}{' '}
                        <span className="muted">
                          {x.completedOn} · {t('dispatch.team.hours', { n: x.hours })}
                        </span>
                      </div>
                    ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

export function DispatchPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const { store, role } = useStore();
  const [day, setDay] = useState(today());
  const [plan, setPlan] = useState<DoorToDoorDayPlan | null>(null);
  const board = useAsync(() => dispatch.board(store.id, day), [store.id, day]);
  const team = useAsync(() => dispatch.team(store.id), [store.id]);
  const replan = useAction(async () => {
    setPlan(null);
    const p = await dispatch.plan(store.id, day);
    setPlan(p);
    board.reload();
  });
  const mayPlan = canPlanDispatch(role);
  return (
    <main className="page wide" data-testid="dispatch">
      <div className="toolbar">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            setPlan(null);
            setDay((d) => addDays(d, -1));
          }}
          aria-label={t('board.prevDay')}
        >
          ‹
        </button>
        <input
          type="date"
          className="inline-input"
          style={{ width: 'auto' }}
          value={day}
          onChange={(e) => {
            if (!e.target.value) return;
            setPlan(null);
            setDay(e.target.value);
          }}
          aria-label={t('board.day')}
        />
        <button
          type="button"
          className="btn btn-small"
          onClick={() => {
            setPlan(null);
            setDay((d) => addDays(d, 1));
          }}
          aria-label={t('board.nextDay')}
        >
          ›
        </button>
        <strong className="grow">{formatDay(day, i18n.language)}</strong>
        <button type="button" className="btn btn-small" onClick={board.reload}>
          {t('common.refresh')}
        </button>
        {mayPlan ? (
          <button
            type="button"
            className="btn btn-small btn-primary"
            disabled={replan.busy}
            onClick={() => void replan.run()}
            data-testid="replan"
          >
            {replan.busy ? t('dispatch.replanning') : t('dispatch.replan')}
          </button>
        ) : null}
      </div>
      <ErrorNotice error={replan.error} />
      {plan ? (
        <Notice kind="success">
          <span data-testid="replan-result">
            {t('dispatch.replanned', {
              scheduled: plan.scheduled.length,
              declined: plan.declined.length,
              frozen: plan.frozen.length,
            })}
          </span>
        </Notice>
      ) : null}
      <AsyncView state={board}>{(b) => <BoardView board={b} />}</AsyncView>
      <Section title={t('dispatch.team.title')} testId="team">
        <AsyncView state={team}>{(list) => <TeamBoard team={list} />}</AsyncView>
      </Section>
    </main>
  );
}
