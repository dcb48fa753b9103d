/**
 * Today's board: bays × time with every booking, check-in by plate or phone (a booking of the day,
 * or a walk-in), and the booking's actions in a side panel.
 */
import { useMemo, useState, type FormEvent, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link, useNavigate } from 'react-router';
import { staffClient } from '../../api/client';
import { booking, catalog, stores, workOrders } from '../../api/endpoints';
import type { Board, Booking, WorkOrder, WorkOrderSummary } from '../../api/types';
import { Money, TextField } from '../../ui/form';
import { addDays, formatDay, formatTime, minutesOfDay, today } from '../../ui/format';
import { Section, StatusBadge } from '../../ui/layout';
import { AsyncView, ErrorNotice, Notice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';
import {
  normalizedPhone,
  normalizedPlate,
  phoneProblem,
  plateProblem,
  type Problem,
} from '../validation/validators';
import { CheckInForm, WalkInForm } from './check-in-forms';
import { useStore } from './store-context';

const DEFAULT_START = 8 * 60;
const LANE_PX = 52;

/** Bookings of one bay in lanes, so that overlapping ones (a finished job and the next) sit apart. */
export function packLanes(bookings: Booking[]): Array<{ b: Booking; lane: number }> {
  const ends: number[] = [];
  return [...bookings]
    .sort((x, y) => x.startAt.localeCompare(y.startAt))
    .map((b) => {
      const s = new Date(b.startAt).getTime();
      let lane = ends.findIndex((end) => end <= s);
      if (lane < 0) lane = ends.length;
      ends[lane] = new Date(b.endAt).getTime();
      return { b, lane };
    });
}
const DEFAULT_END = 20 * 60;

function boardRange(b: Board): [number, number] {
  let start = DEFAULT_START;
  let end = DEFAULT_END;
  for (const bk of b.bookings) {
    start = Math.min(start, Math.floor(minutesOfDay(bk.startAt) / 60) * 60);
    end = Math.max(end, Math.ceil(minutesOfDay(bk.endAt) / 60) * 60);
  }
  return [start, Math.min(24 * 60, end)];
}

export function BoardGrid({
  board,
  selectedId,
  onSelect,
  woStatus,
}: {
  board: Board;
  selectedId: string | null;
  onSelect: (b: Booking) => void;
  woStatus: Map<string, string>;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const [start, end] = boardRange(board);
  const span = end - start;
  const pct = (m: number): string => `${((m - start) / span) * 100}%`;
  const hours = Array.from({ length: span / 60 + 1 }, (_, i) => start + i * 60);
  const nowMin = board.day === today() ? minutesOfDay(new Date().toISOString()) : null;
  const shown = board.bookings.filter((b) => b.status !== 'expired');
  return (
    <div className="board-wrap">
      <div className="board" data-testid="board" role="grid" aria-label={t('board.title')}>
        <div className="board-hours" role="row">
          <div className="board-bay">{t('board.bay')}</div>
          <div className="hours">
            {hours.map((h) => (
              <span key={h} style={{ left: pct(h) }}>
                {String(h / 60).padStart(2, '0')}:00
              </span>
            ))}
          </div>
        </div>
        {board.bays.map((bay) => {
          const lanes = packLanes(shown.filter((b) => b.bayId === bay.id));
          const laneCount = Math.max(1, ...lanes.map((l) => l.lane + 1));
          return (
            <div className="board-row" role="row" key={bay.id}>
              <div className="board-bay" role="rowheader">
                {bay.name}
                <div className="muted small">{t(`bayType.${bay.type}`, { defaultValue: bay.type })}</div>
              </div>
              <div
                className="board-lane"
                style={{ backgroundSize: `${(60 / span) * 100}% 100%`, height: laneCount * LANE_PX + 12 }}
              >
                {nowMin !== null && nowMin >= start && nowMin <= end ? (
                  <div className="board-now" style={{ left: pct(nowMin) }} aria-hidden="true" />
                ) : null}
                {lanes.map(({ b, lane }) => {
                  const s = minutesOfDay(b.startAt);
                  const e = Math.max(s + 15, minutesOfDay(b.endAt));
                  const wo = b.workOrderId ? woStatus.get(b.workOrderId) : undefined;
                  return (
                    <button
                      type="button"
                      key={b.id}
                      className={`board-block s-${b.status}${selectedId === b.id ? ' selected' : ''}`}
                      style={{
                        left: pct(s),
                        width: `calc(${((e - s) / span) * 100}% - 2px)`,
                        top: 6 + lane * LANE_PX,
                        height: LANE_PX - 4,
                      }}
                      onClick={() => onSelect(b)}
                      data-testid="board-block"
                      data-plate={b.plate ?? ''}
                      title={`${b.plate ?? ''} ${formatTime(b.startAt)}–${formatTime(b.endAt)}`}
                    >
                      <strong>{b.plate ?? '—'}</strong>
                      <span>
                        {formatTime(b.startAt)} ·{' '}
                        {wo ? t(`woStatus.${wo}`, { defaultValue: wo }) : t(`bookingStatus.${b.status}`)}
                      </span>
                    </button>
                  );
                })}
              </div>
            </div>
          );
        })}
      </div>
      {board.bays.length === 0 ? <p className="muted small">{t('board.noBays')}</p> : null}
      <p className="muted small board-caption">{formatDay(board.day, i18n.language)}</p>
    </div>
  );
}

/** The next node of a checked-in car, from the board: assign, pass QC, hand over; else open it. */
function QuickActions({ id, onChanged }: { id: string; onChanged: () => void }): ReactNode {
  const { t } = useTranslation();
  const { store } = useStore();
  const wo = useAsync(() => workOrders.get(id), [id]);
  const techs = useAsync(() => stores.technicians(store.id), [store.id]);
  const [tech, setTech] = useState('');
  const act = useAction(async (fn: () => Promise<WorkOrder>) => {
    wo.setData(await fn());
    onChanged();
  });
  return (
    <AsyncView state={wo}>
      {(w) => {
        const closed = ['handed_over', 'reviewed', 'cancelled'].includes(w.status);
        const next: { label: string; run: () => Promise<WorkOrder> } | null =
          w.status === 'quality_check'
            ? { label: t('qc.pass'), run: () => workOrders.qc(w.id, true) }
            : w.status === 'ready' && w.dueFen === 0
              ? { label: t('handover.handOver'), run: () => workOrders.handOver(w.id) }
              : (w.status === 'approved' || w.status === 'in_progress') && w.steps.every((x) => x.doneAt)
                ? { label: t('sop.finish'), run: () => workOrders.finish(w.id) }
                : null;
        return (
          <div className="stack" data-testid="quick-actions">
            <p className="small">
              <StatusBadge status={w.status} label={t(`woStatus.${w.status}`)} /> {t('wo.technician')}{' '}
              {w.technicianName ?? t('wo.unassigned')}
            </p>
            {!closed ? (
              <div className="toolbar">
                <select
                  className="inline-input"
                  style={{ width: 'auto' }}
                  aria-label={t('wo.chooseTechnician')}
                  value={tech || w.technicianId || ''}
                  onChange={(e) => setTech(e.target.value)}
                >
                  <option value="">{t('wo.chooseTechnician')}</option>
                  {(techs.data ?? [])
                    .filter((x) => x.status === 'active')
                    .map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.name}
                      </option>
                    ))}
                </select>
                <button
                  type="button"
                  className="btn btn-small btn-secondary"
                  disabled={act.busy || !tech || tech === w.technicianId}
                  onClick={() => void act.run(() => workOrders.assign(w.id, tech))}
                >
                  {t('wo.assign')}
                </button>
                {next ? (
                  <button
                    type="button"
                    className="btn btn-small btn-primary"
                    disabled={act.busy}
                    onClick={() => void act.run(next.run)}
                    data-testid="advance"
                  >
                    {next.label}
                  </button>
                ) : null}
              </div>
            ) : null}
            <ErrorNotice error={act.error} />
          </div>
        );
      }}
    </AsyncView>
  );
}

function BookingPanel({
  b,
  wo,
  onChanged,
  onClose,
}: {
  b: Booking;
  wo: WorkOrderSummary | undefined;
  onChanged: () => void;
  onClose: () => void;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const navigate = useNavigate();
  const noShow = useAction(async () => {
    await booking.noShow(b.id);
    onChanged();
  });
  const cancel = useAction(async () => {
    await booking.cancel(staffClient, b.id, t('board.cancelledByStore'));
    onChanged();
  });
  const late = new Date(b.startAt).getTime() < Date.now();
  return (
    <aside className="drawer" data-testid="booking-panel" aria-label={t('board.booking')}>
      <div className="card-head">
        <h2>
          <span className="plate">{b.plate ?? '—'}</span>
        </h2>
        <button
          type="button"
          className="btn btn-ghost btn-small"
          onClick={onClose}
          aria-label={t('common.close')}
        >
          ✕
        </button>
      </div>
      <dl className="facts">
        <dt>{t('book.time')}</dt>
        <dd>
          {formatTime(b.startAt)}–{formatTime(b.endAt)}
        </dd>
        <dt>{t('board.status')}</dt>
        <dd>
          <StatusBadge status={b.status} label={t(`bookingStatus.${b.status}`)} />
          {wo ? <StatusBadge status={wo.status} label={t(`woStatus.${wo.status}`)} /> : null}
        </dd>
        <dt>{t('board.services')}</dt>
        <dd>
          {b.lines
            .filter((l) => l.kind === 'labour')
            .map((l) => (en ? l.descriptionEn : l.description))
            .join(' · ')}
        </dd>
        <dt>{t('price.total')}</dt>
        <dd>
          <Money fen={b.totalFen} />
        </dd>
        {b.notes ? (
          <>
            <dt>{t('book.notes')}</dt>
            <dd>{b.notes}</dd>
          </>
        ) : null}
      </dl>
      {b.workOrderId ? (
        <>
          <QuickActions id={b.workOrderId} onChanged={onChanged} />
          <Link
            className="btn btn-primary btn-block"
            to={`/store/work-orders/${b.workOrderId}`}
            data-testid="open-work-order"
          >
            {t('board.openWorkOrder')}
          </Link>
        </>
      ) : b.status === 'confirmed' ? (
        <>
          <h3>{t('checkIn.title')}</h3>
          <CheckInForm
            onSubmit={async (v) => {
              const created = await workOrders.checkIn({ bookingId: b.id, ...v });
              await navigate(`/store/work-orders/${created.id}`);
            }}
          />
        </>
      ) : null}
      {b.status === 'held' || b.status === 'confirmed' ? (
        <div className="row-actions">
          {b.status === 'confirmed' && late ? (
            <button
              type="button"
              className="btn btn-small"
              disabled={noShow.busy}
              onClick={() => void noShow.run()}
            >
              {t('board.noShow')}
            </button>
          ) : null}
          <button
            type="button"
            className="btn btn-small btn-ghost"
            disabled={cancel.busy}
            onClick={() => {
              if (window.confirm(t('board.confirmCancel'))) void cancel.run();
            }}
          >
            {t('bookings.cancel')}
          </button>
        </div>
      ) : null}
      <ErrorNotice error={noShow.error ?? cancel.error} />
    </aside>
  );
}

/** Plate or mobile number typed at the desk: which one it is, normalised, or a problem. */
export function parseArrivalQuery(q: string): { plate: string } | { phone: string } | { problem: Problem } {
  if (q.trim() === '') return { problem: { key: 'validation.required' } };
  if (!phoneProblem(q)) return { phone: normalizedPhone(q) };
  if (!plateProblem(q)) return { plate: normalizedPlate(q) };
  return { problem: { key: 'validation.plateOrPhone' } };
}

export function BoardPage(): ReactNode {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { store } = useStore();
  const [day, setDay] = useState(today());
  const [selected, setSelected] = useState<string | null>(null);
  const [query, setQuery] = useState('');
  const [queryProblem, setQueryProblem] = useState<Problem | null>(null);
  const [walkIn, setWalkIn] = useState<{ plate?: string; phone?: string } | null>(null);
  const [notFound, setNotFound] = useState(false);
  const board = useAsync(() => stores.board(store.id, day), [store.id, day]);
  const wos = useAsync(() => workOrders.list({ storeId: store.id }), [store.id, day]);
  const refs = useAsync(
    () =>
      walkIn ? Promise.all([catalog.items(staffClient), catalog.models(staffClient)]) : Promise.resolve(null),
    [walkIn !== null],
  );
  const woById = useMemo(() => new Map((wos.data ?? []).map((w) => [w.id, w])), [wos.data]);
  const woStatus = useMemo(
    () => new Map((wos.data ?? []).map((w) => [w.id, w.status as string])),
    [wos.data],
  );
  const reload = (): void => {
    board.reload();
    wos.reload();
  };

  const find = (e: FormEvent): void => {
    e.preventDefault();
    setNotFound(false);
    const r = parseArrivalQuery(query);
    if ('problem' in r) {
      setQueryProblem(r.problem);
      return;
    }
    setQueryProblem(null);
    if ('plate' in r) {
      const hit = board.data?.bookings.find(
        (b) =>
          b.plate &&
          normalizedPlate(b.plate) === r.plate &&
          b.status !== 'cancelled' &&
          b.status !== 'expired',
      );
      if (hit) {
        setSelected(hit.id);
        setWalkIn(null);
        return;
      }
      setNotFound(true);
      setWalkIn({ plate: r.plate });
    } else {
      setNotFound(true);
      setWalkIn({ phone: r.phone });
    }
  };

  const selectedBooking = board.data?.bookings.find((b) => b.id === selected);
  const open = (wos.data ?? []).filter((w) => !['handed_over', 'reviewed', 'cancelled'].includes(w.status));

  return (
    <main className="page wide">
      <div className="toolbar">
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setDay((d) => addDays(d, -1))}
          aria-label={t('board.prevDay')}
        >
          ‹
        </button>
        <input
          type="date"
          className="inline-input"
          style={{ width: 'auto' }}
          value={day}
          onChange={(e) => e.target.value && setDay(e.target.value)}
          aria-label={t('board.day')}
        />
        <button
          type="button"
          className="btn btn-small"
          onClick={() => setDay((d) => addDays(d, 1))}
          aria-label={t('board.nextDay')}
        >
          ›
        </button>
        <button type="button" className="btn btn-small" onClick={() => setDay(today())}>
          {t('board.today')}
        </button>
        <button type="button" className="btn btn-small btn-ghost" onClick={reload}>
          {t('common.refresh')}
        </button>
      </div>

      <form className="toolbar" onSubmit={find} noValidate aria-label={t('board.checkInSearch')}>
        <TextField
          label={t('board.plateOrPhone')}
          name="arrival"
          value={query}
          problem={queryProblem}
          placeholder={t('board.plateOrPhonePlaceholder')}
          onChange={(e) => setQuery(e.target.value)}
          className="grow"
        />
        <button type="submit" className="btn btn-primary" data-testid="find-arrival">
          {t('board.find')}
        </button>
        <button type="button" className="btn" onClick={() => setWalkIn({})}>
          {t('walkIn.title')}
        </button>
      </form>

      {walkIn ? (
        <Section
          title={t('walkIn.title')}
          actions={
            <button type="button" className="btn btn-ghost btn-small" onClick={() => setWalkIn(null)}>
              {t('common.close')}
            </button>
          }
        >
          {notFound ? <Notice kind="info">{t('board.noBookingFound')}</Notice> : null}
          <AsyncView state={refs}>
            {(r) =>
              r ? (
                <WalkInForm
                  key={`${walkIn.plate ?? ''}-${walkIn.phone ?? ''}`}
                  items={r[0]}
                  models={r[1]}
                  initial={walkIn}
                  onSubmit={async (v) => {
                    const created = await workOrders.walkIn({ storeId: store.id, ...v });
                    await navigate(`/store/work-orders/${created.id}`);
                  }}
                />
              ) : null
            }
          </AsyncView>
        </Section>
      ) : null}

      <div className="board-layout">
        <AsyncView state={board}>
          {(b) => (
            <BoardGrid
              board={b}
              selectedId={selected}
              onSelect={(x) => setSelected(x.id)}
              woStatus={woStatus}
            />
          )}
        </AsyncView>
        {selectedBooking ? (
          <BookingPanel
            b={selectedBooking}
            wo={selectedBooking.workOrderId ? woById.get(selectedBooking.workOrderId) : undefined}
            onChanged={reload}
            onClose={() => setSelected(null)}
          />
        ) : null}
      </div>

      <Section title={t('board.openWorkOrders')} testId="open-work-orders">
        <AsyncView state={wos} isEmpty={() => open.length === 0} empty={t('board.noOpenWorkOrders')}>
          {() => (
            <div className="list flat">
              {open.map((w) => (
                <Link
                  key={w.id}
                  to={`/store/work-orders/${w.id}`}
                  className="list-row"
                  data-testid="work-order-row"
                >
                  <span className="plate">{w.plate}</span>
                  <span className="grow muted small">{w.number}</span>
                  <StatusBadge status={w.status} label={t(`woStatus.${w.status}`)} />
                </Link>
              ))}
            </div>
          )}
        </AsyncView>
      </Section>
    </main>
  );
}
