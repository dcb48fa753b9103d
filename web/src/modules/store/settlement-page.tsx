/** Daily settlement: takings by payment method, refunds, the platform's commission, payout due. */
import { useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { stores } from '../../api/endpoints';
import type { Settlement } from '../../api/types';
import { Chart, type ChartOption } from '../../ui/chart';
import { Money } from '../../ui/form';
import { addDays, formatDay, formatFen, today } from '../../ui/format';
import { Section } from '../../ui/layout';
import { AsyncView, Empty } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { useStore } from './store-context';

function Kpi({ label, fen, testId }: { label: string; fen: number; testId?: string }): ReactNode {
  return (
    <div className="kpi" data-testid={testId}>
      <div className="kpi-label">{label}</div>
      <div className="kpi-value">
        <Money fen={fen} />
      </div>
    </div>
  );
}

function MethodsChart({ s }: { s: Settlement }): ReactNode {
  const { t } = useTranslation();
  const option = useMemo<ChartOption>(
    () => ({
      tooltip: { trigger: 'item', valueFormatter: (v: number) => formatFen(v) },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['40%', '70%'],
          data: s.byMethod.map((m) => ({
            name: t(`payMethod.${m.method}`, { defaultValue: m.method }),
            value: m.amountFen,
          })),
          label: { formatter: '{b}\n{d}%' },
        },
      ],
    }),
    [s, t],
  );
  return (
    <Chart option={option} height={260} testId="settlement-chart" ariaLabel={t('settlement.byMethod')} />
  );
}

export function SettlementPage(): ReactNode {
  const { t, i18n } = useTranslation();
  const { store } = useStore();
  const [day, setDay] = useState(today());
  const data = useAsync(() => stores.settlement(store.id, day), [store.id, day]);
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
        <strong>{formatDay(day, i18n.language)}</strong>
      </div>
      <AsyncView state={data}>
        {(s) => (
          <>
            <div className="kpis">
              <Kpi label={t('settlement.gross')} fen={s.grossFen} testId="settlement-gross" />
              <Kpi label={t('settlement.refunds')} fen={s.refundsFen} />
              <Kpi
                label={t('settlement.commission', { pct: (s.commissionBp / 100).toFixed(1) })}
                fen={s.commissionFen}
              />
              <Kpi label={t('settlement.payout')} fen={s.payoutDueFen} />
            </div>
            <div className="grid-2">
              <Section title={t('settlement.byMethod')}>
                {s.byMethod.length === 0 ? (
                  <Empty>{t('settlement.none')}</Empty>
                ) : (
                  <table className="data">
                    <thead>
                      <tr>
                        <th>{t('handover.method')}</th>
                        <th className="num">{t('settlement.count')}</th>
                        <th className="num">{t('settlement.amount')}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {s.byMethod.map((m) => (
                        <tr key={m.method}>
                          <td>{t(`payMethod.${m.method}`, { defaultValue: m.method })}</td>
                          <td className="num">{m.count}</td>
                          <td className="num">
                            <Money fen={m.amountFen} />
                          </td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr>
                        <th>{t('settlement.net')}</th>
                        <th />
                        <th className="num">
                          <Money fen={s.netFen} />
                        </th>
                      </tr>
                      <tr>
                        <td>{t('settlement.online')}</td>
                        <td />
                        <td className="num">
                          <Money fen={s.onlineCollectedFen} />
                        </td>
                      </tr>
                    </tfoot>
                  </table>
                )}
              </Section>
              {s.byMethod.length > 0 ? (
                <Section title={t('settlement.share')}>
                  <MethodsChart s={s} />
                </Section>
              ) : null}
            </div>
          </>
        )}
      </AsyncView>
    </main>
  );
}
