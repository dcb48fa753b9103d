/**
 * Parts room of the store (配件库): stock by location with the manager's numbers, a part's ledger,
 * receiving a purchase order, and checking a scanned trace code.
 */
import { useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { staffClient } from '../../api/client';
import { Money } from '../../ui/form';
import { formatDateTime } from '../../ui/format';
import { Section } from '../../ui/layout';
import { AsyncView, ErrorNotice } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { useStore } from './store-context';

interface Location {
  id: string;
  kind: string;
  name: string;
  storeId: string | null;
}
interface StockRow {
  partId: string;
  sku: string;
  name: string;
  unit: string;
  bin: string | null;
  onHandMilli: number;
  reservedMilli: number;
  availableMilli: number;
  reorderPointMilli: number | null;
}
interface Movement {
  id: number;
  kind: string;
  onHandDeltaMilli: number;
  reservedDeltaMilli: number;
  refType: string | null;
  traceCode: string | null;
  at: string;
}
interface Numbers {
  valueOnHandFen: number;
  turnoverDays: number | null;
  fillRate: number | null;
  stockOuts: { unfilledDemandLines: number };
}
interface PurchaseOrder {
  id: string;
  locationId: string;
  supplier: string;
  status: string;
  lines: Array<{ partId: string; qtyMilli: number; receivedMilli: number }>;
}
interface TraceCheck {
  code: string;
  result: 'known' | 'unknown' | 'already_consumed' | 'wrong_sku';
  sku: string | null;
  partName: string | null;
  batch: string | null;
}

const enc = encodeURIComponent;
/** 1500 milli-units → "1.5". */
export const qty = (milli: number): string => String(milli / 1000);

export function PartsPage(): ReactNode {
  const { t } = useTranslation();
  const { store } = useStore();
  const locs = useAsync(
    () =>
      staffClient
        .get<{ items: Location[] }>('/inventory/locations', { limit: 200 })
        .then((r) => r.items.filter((l) => l.storeId === store.id)),
    [store.id],
  );
  const [picked, setPicked] = useState<string | null>(null);
  return (
    <main className="page wide" data-testid="parts-page">
      <AsyncView state={locs} isEmpty={(l) => l.length === 0} empty={t('parts.noLocation')}>
        {(list) => {
          const loc = list.find((l) => l.id === picked) ?? list.find((l) => l.kind === 'store') ?? list[0]!;
          return (
            <>
              {list.length > 1 ? (
                <div className="toolbar">
                  {list.map((l) => (
                    <button
                      key={l.id}
                      type="button"
                      className={`btn btn-small${l.id === loc.id ? ' btn-primary' : ''}`}
                      onClick={() => setPicked(l.id)}
                    >
                      {l.name}
                    </button>
                  ))}
                </div>
              ) : null}
              <LocationStock location={loc} />
              <ReceivePurchaseOrders location={loc} />
              <TraceCheckForm />
            </>
          );
        }}
      </AsyncView>
    </main>
  );
}

function LocationStock({ location }: { location: Location }): ReactNode {
  const { t } = useTranslation();
  const stock = useAsync(
    () =>
      Promise.all([
        staffClient.get<{ items: StockRow[] }>(`/inventory/locations/${enc(location.id)}/stock`),
        staffClient.get<Numbers>(`/inventory/locations/${enc(location.id)}/numbers`),
      ]),
    [location.id],
  );
  const [part, setPart] = useState<StockRow | null>(null);
  return (
    <AsyncView state={stock}>
      {([s, n]) => (
        <>
          <div className="kpis">
            <div className="kpi" data-testid="parts-value">
              <div className="kpi-label">{t('parts.valueOnHand')}</div>
              <div className="kpi-value">
                <Money fen={n.valueOnHandFen} />
              </div>
            </div>
            <div className="kpi">
              <div className="kpi-label">{t('parts.turnoverDays')}</div>
              <div className="kpi-value">{n.turnoverDays ?? '—'}</div>
            </div>
            <div className="kpi">
              <div className="kpi-label">{t('parts.fillRate')}</div>
              <div className="kpi-value">
                {n.fillRate === null ? '—' : `${Math.round(n.fillRate * 100)}%`}
              </div>
            </div>
            <div className="kpi">
              <div className="kpi-label">{t('parts.stockOuts')}</div>
              <div className="kpi-value">{n.stockOuts.unfilledDemandLines}</div>
            </div>
          </div>
          <Section title={t('parts.stock')} testId="parts-stock">
            <table className="data">
              <thead>
                <tr>
                  <th>{t('parts.sku')}</th>
                  <th>{t('parts.name')}</th>
                  <th>{t('parts.bin')}</th>
                  <th>{t('parts.onHand')}</th>
                  <th>{t('parts.reserved')}</th>
                  <th>{t('parts.available')}</th>
                </tr>
              </thead>
              <tbody>
                {s.items.map((r) => (
                  <tr
                    key={r.partId}
                    onClick={() => setPart(r)}
                    className={
                      r.reorderPointMilli !== null && r.availableMilli <= r.reorderPointMilli ? 'warn' : ''
                    }
                    style={{ cursor: 'pointer' }}
                  >
                    <td>{r.sku}</td>
                    <td>{r.name}</td>
                    <td>{r.bin ?? ''}</td>
                    <td>{qty(r.onHandMilli)}</td>
                    <td>{qty(r.reservedMilli)}</td>
                    <td>{qty(r.availableMilli)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </Section>
          {part ? <PartLedger location={location} part={part} /> : null}
        </>
      )}
    </AsyncView>
  );
}

function PartLedger({ location, part }: { location: Location; part: StockRow }): ReactNode {
  const { t, i18n } = useTranslation();
  const ledger = useAsync(
    () =>
      staffClient.get<{ items: Movement[] }>(`/inventory/locations/${enc(location.id)}/ledger`, {
        partId: part.partId,
        limit: 50,
      }),
    [location.id, part.partId],
  );
  return (
    <Section title={`${t('parts.ledger')} · ${part.sku}`} testId="parts-ledger">
      <AsyncView state={ledger}>
        {(l) => (
          <table className="data">
            <tbody>
              {l.items.map((m) => (
                <tr key={m.id}>
                  <td>{formatDateTime(m.at, i18n.language)}</td>
                  <td>{t(`parts.kind.${m.kind}`, { defaultValue: m.kind })}</td>
                  <td>{m.onHandDeltaMilli ? qty(m.onHandDeltaMilli) : ''}</td>
                  <td>{m.reservedDeltaMilli ? `${t('parts.reserved')} ${qty(m.reservedDeltaMilli)}` : ''}</td>
                  <td>{m.traceCode ?? ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </AsyncView>
    </Section>
  );
}

function ReceivePurchaseOrders({ location }: { location: Location }): ReactNode {
  const { t } = useTranslation();
  const pos = useAsync(
    () =>
      staffClient
        .get<{ items: PurchaseOrder[] }>('/inventory/purchase-orders', { limit: 50 })
        .then((r) =>
          r.items.filter(
            (p) => p.locationId === location.id && (p.status === 'sent' || p.status === 'partly_received'),
          ),
        ),
    [location.id],
  );
  const [error, setError] = useState<unknown>(null);
  const receive = async (po: PurchaseOrder) => {
    setError(null);
    try {
      await staffClient.post(`/inventory/purchase-orders/${enc(po.id)}/receive`, {
        lines: po.lines
          .filter((l) => l.qtyMilli > l.receivedMilli)
          .map((l) => ({ partId: l.partId, qty: qty(l.qtyMilli - l.receivedMilli) })),
      });
      pos.reload();
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Section title={t('parts.purchaseOrders')} testId="parts-pos">
      {error ? <ErrorNotice error={error} /> : null}
      <AsyncView state={pos} isEmpty={(l) => l.length === 0} empty={t('parts.noPurchaseOrders')}>
        {(list) => (
          <ul className="plain">
            {list.map((po) => (
              <li key={po.id}>
                {po.supplier} · {t(`parts.poStatus.${po.status}`, { defaultValue: po.status })}{' '}
                <button type="button" className="btn btn-small" onClick={() => void receive(po)}>
                  {t('parts.receiveRest')}
                </button>
              </li>
            ))}
          </ul>
        )}
      </AsyncView>
    </Section>
  );
}

function TraceCheckForm(): ReactNode {
  const { t } = useTranslation();
  const [code, setCode] = useState('');
  const [result, setResult] = useState<TraceCheck | null>(null);
  const [error, setError] = useState<unknown>(null);
  const check = async () => {
    setError(null);
    setResult(null);
    try {
      setResult(await staffClient.get<TraceCheck>(`/inventory/trace/${enc(code.trim())}`));
    } catch (e) {
      setError(e);
    }
  };
  return (
    <Section title={t('parts.traceCheck')} testId="parts-trace">
      <form
        className="toolbar"
        onSubmit={(e) => {
          e.preventDefault();
          void check();
        }}
      >
        <input
          className="inline-input"
          value={code}
          onChange={(e) => setCode(e.target.value)}
          placeholder="PL…"
          aria-label={t('parts.traceCode')}
        />
        <button type="submit" className="btn btn-small btn-primary" disabled={!code.trim()}>
          {t('parts.check')}
        </button>
      </form>
      {error ? <ErrorNotice error={error} /> : null}
      {result ? (
        <p data-testid="trace-result">
          <strong>{t(`parts.trace.${result.result}`)}</strong>
          {result.sku
            ? ` · ${result.sku} ${result.partName ?? ''}${result.batch ? ` · ${result.batch}` : ''}`
            : ''}
        </p>
      ) : null}
    </Section>
  );
}
