/**
 * Replenishment planner (补货): run the multi-echelon plan, review the suggested transfers and
 * purchase orders with their quantities and reasons, approve or dismiss each, and per part the
 * forecast against actual demand (ECharts). Store staff see their store's locations; chain-level
 * roles can widen the list to every location of the chain (regional and central warehouses).
 */
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { staffClient } from '../../api/client';
import { replenishment } from '../../api/endpoints';
import type { ReplenishmentPlan, ReplenishmentSuggestion, SuggestionStatus } from '../../api/types';
import { Chart } from '../../ui/chart';
import { formatQty } from '../../ui/format';
import { Section, StatusBadge } from '../../ui/layout';
import { AsyncView, Empty, ErrorNotice, Notice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';
import {
  canPlanReplenishment,
  forecastOption,
  reasonText,
  seesWholeChain,
  type ForecastLabels,
  type ReasonLabels,
} from './replenishment-options';
import { useStore } from './store-context';

const FILL_RATES = [0.9, 0.95, 0.98] as const;
const STATUSES: SuggestionStatus[] = ['pending', 'approved', 'dismissed'];

function useReasonLabels(): ReasonLabels {
  const { t, i18n } = useTranslation();
  return useMemo(
    () => ({
      base: (v) => t('replenishment.reason.base', v),
      known: (v) =>
        t('replenishment.reason.known', {
          ...v,
          from: [
            v.bookings ? t('replenishment.reason.bookings', { count: v.bookings }) : '',
            v.proposals ? t('replenishment.reason.proposals', { count: v.proposals }) : '',
          ]
            .filter(Boolean)
            .join(t('replenishment.reason.and')),
        }),
    }),
    [t, i18n.language],
  );
}

function ForecastChart({ s }: { s: ReplenishmentSuggestion }): ReactNode {
  const { t, i18n } = useTranslation();
  const [period, setPeriod] = useState<'week' | 'month'>('week');
  const data = useAsync(
    () => replenishment.forecast(s.locationId, s.partId, period),
    [s.locationId, s.partId, period],
  );
  const labels = useMemo<ForecastLabels>(
    () => ({
      actual: t('replenishment.chart.actual'),
      oneStep: t('replenishment.chart.oneStep'),
      mean: t('replenishment.chart.mean'),
      band: t('replenishment.chart.band'),
      known: t('replenishment.chart.known'),
      unit: s.part ? t(`replenishment.unit.${s.part.unit}`, { defaultValue: s.part.unit }) : '',
    }),
    [t, i18n.language, s.part],
  );
  return (
    <Section
      testId="replenishment-forecast"
      title={`${t('replenishment.forecastTitle')} · ${s.part?.sku ?? s.partId} · ${s.locationName ?? ''}`}
      actions={
        <>
          {(['week', 'month'] as const).map((p) => (
            <button
              key={p}
              type="button"
              className={`btn btn-small${p === period ? ' btn-primary' : ''}`}
              onClick={() => setPeriod(p)}
              data-testid={`forecast-${p}`}
            >
              {t(`replenishment.period.${p}`)}
            </button>
          ))}
        </>
      }
    >
      <AsyncView state={data}>
        {(d) => (
          <>
            <p className="muted small" data-testid="forecast-meta">
              {t('replenishment.chart.meta', {
                method: d.method,
                demandClass: t(`replenishment.demandClass.${d.demandClass}`),
              })}
            </p>
            <Chart
              option={forecastOption(d, labels)}
              height={300}
              testId="forecast-chart"
              ariaLabel={t('replenishment.forecastTitle')}
            />
          </>
        )}
      </AsyncView>
    </Section>
  );
}

interface Location {
  id: string;
  storeId: string | null;
}

export function ReplenishmentPage(): ReactNode {
  const { t } = useTranslation();
  const { store, role } = useStore();
  const reasonLabels = useReasonLabels();
  const [status, setStatus] = useState<SuggestionStatus>('pending');
  const [wholeChain, setWholeChain] = useState(false);
  const [fillRate, setFillRate] = useState<number>(0.95);
  const [result, setResult] = useState<ReplenishmentPlan | null>(null);
  const [picked, setPicked] = useState<string | null>(null);
  const mayPlan = canPlanReplenishment(role);
  const chainWide = seesWholeChain(role);

  const list = useAsync(async () => {
    const [items, locs] = await Promise.all([
      replenishment.suggestions({ status }),
      staffClient.get<{ items: Location[] }>('/inventory/locations', { limit: 200 }),
    ]);
    if (wholeChain) return items;
    const mine = new Set(locs.items.filter((l) => l.storeId === store.id).map((l) => l.id));
    return items.filter((s) => mine.has(s.locationId));
  }, [status, wholeChain, store.id]);

  const run = useAction(async () => {
    setResult(null);
    const r = await replenishment.plan(fillRate);
    setResult(r);
    setStatus('pending');
    list.reload();
  });
  const decide = useAction(async (s: ReplenishmentSuggestion, approve: boolean) => {
    await (approve ? replenishment.approve(s.id) : replenishment.dismiss(s.id));
    list.reload();
  });

  const selected = list.data?.find((s) => s.id === picked) ?? null;
  return (
    <main className="page wide" data-testid="replenishment">
      <div className="toolbar">
        {STATUSES.map((st) => (
          <button
            key={st}
            type="button"
            className={`btn btn-small${st === status ? ' btn-primary' : ''}`}
            onClick={() => setStatus(st)}
            data-testid={`status-${st}`}
          >
            {t(`replenishment.status.${st}`)}
          </button>
        ))}
        {chainWide ? (
          <label className="small">
            <input
              type="checkbox"
              checked={wholeChain}
              onChange={(e) => setWholeChain(e.target.checked)}
              data-testid="whole-chain"
            />{' '}
            {t('replenishment.wholeChain')}
          </label>
        ) : null}
        <span className="grow" />
        {mayPlan ? (
          <>
            <select
              className="inline-input"
              style={{ width: 'auto' }}
              value={fillRate}
              onChange={(e) => setFillRate(Number(e.target.value))}
              aria-label={t('replenishment.fillRate')}
            >
              {FILL_RATES.map((f) => (
                <option key={f} value={f}>
                  {t('replenishment.fillRateOption', { pct: Math.round(f * 100) })}
                </option>
              ))}
            </select>
            <button
              type="button"
              className="btn btn-small btn-primary"
              disabled={run.busy}
              onClick={() => void run.run()}
              data-testid="run-plan"
            >
              {run.busy ? t('replenishment.running') : t('replenishment.run')}
            </button>
          </>
        ) : null}
      </div>
      <ErrorNotice error={run.error ?? decide.error} />
      {result ? (
        <Notice kind="success">
          <span data-testid="plan-result">
            {t('replenishment.planned', {
              policies: result.policies,
              suggestions: result.suggestions.length,
              method: result.method,
            })}
          </span>
        </Notice>
      ) : null}
      <Section title={t('replenishment.suggestions')} testId="replenishment-suggestions">
        <AsyncView state={list} isEmpty={(l) => l.length === 0} empty={t('replenishment.none')}>
          {(items) => (
            <div style={{ overflowX: 'auto' }}>
              <table className="data">
                <thead>
                  <tr>
                    <th>{t('replenishment.col.location')}</th>
                    <th>{t('replenishment.col.part')}</th>
                    <th>{t('replenishment.col.kind')}</th>
                    <th className="num">{t('replenishment.col.qty')}</th>
                    <th className="num">{t('replenishment.col.position')}</th>
                    <th className="num">{t('replenishment.col.reorderPoint')}</th>
                    <th className="num">{t('replenishment.col.orderUpTo')}</th>
                    <th>{t('replenishment.col.reason')}</th>
                    <th />
                  </tr>
                </thead>
                <tbody>
                  {items.map((s) => (
                    <tr
                      key={s.id}
                      data-testid="suggestion"
                      data-id={s.id}
                      data-kind={s.kind}
                      className={s.id === picked ? 'selected' : ''}
                      onClick={() => setPicked(s.id)}
                      style={{ cursor: 'pointer' }}
                    >
                      <td>{s.locationName ?? s.locationId}</td>
                      <td>
                        {s.part ? (
                          <>
                            {s.part.sku} <span className="muted small">{s.part.name}</span>
                          </>
                        ) : (
                          s.partId
                        )}
                      </td>
                      <td>
                        {s.kind === 'transfer'
                          ? t('replenishment.kind.transfer', { from: s.fromLocationName ?? '—' })
                          : t('replenishment.kind.purchase')}
                      </td>
                      <td className="num" data-testid="suggestion-qty">
                        {formatQty(s.qtyMilli)}
                      </td>
                      <td className="num">{formatQty(s.positionMilli)}</td>
                      <td className="num">{formatQty(s.reorderPointMilli)}</td>
                      <td className="num">{formatQty(s.orderUpToMilli)}</td>
                      <td className="small" data-testid="suggestion-reason" title={s.reason}>
                        {reasonText(s, reasonLabels)}
                      </td>
                      <td onClick={(e) => e.stopPropagation()} style={{ whiteSpace: 'nowrap' }}>
                        {s.status === 'pending' && mayPlan ? (
                          <>
                            <button
                              type="button"
                              className="btn btn-small btn-primary"
                              disabled={decide.busy}
                              onClick={() => void decide.run(s, true)}
                              data-testid="approve"
                            >
                              {t('replenishment.approve')}
                            </button>{' '}
                            <button
                              type="button"
                              className="btn btn-small"
                              disabled={decide.busy}
                              onClick={() => void decide.run(s, false)}
                              data-testid="dismiss"
                            >
                              {t('replenishment.dismiss')}
                            </button>
                          </>
                        ) : (
                          <StatusBadge status={s.status} label={t(`replenishment.status.${s.status}`)} />
                        )}
                        {s.documentId ? (
                          <div className="muted small" data-testid="suggestion-document">
                            {s.documentId}
                          </div>
                        ) : null}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </AsyncView>
      </Section>
      {selected ? <ForecastChart s={selected} /> : <Empty>{t('replenishment.pickPart')}</Empty>}
    </main>
  );
}
