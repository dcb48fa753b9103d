/** The steps of booking a service: vehicle → services → store (list or map) → slot → confirm. */
import { useEffect, useMemo, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { isApiError, ownerClient } from '../../api/client';
import { catalog, stores } from '../../api/endpoints';
import type { Booking, Quote, SearchOption, ServiceItem, Slot, Vehicle } from '../../api/types';
import { FieldMessage, Money, TextField } from '../../ui/form';
import { dayOf, formatDay, formatDistance, formatTime, today } from '../../ui/format';
import { AsyncView, Empty, ErrorNotice, Loading, Notice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';
import type { Problem } from '../validation/validators';
import type { LonLat } from './location';
import { PriceLines } from './price-lines';
import { StoreMap } from './store-map';
import { VehicleCard } from './vehicles-page';

// ---- 1. vehicle ----

export function VehicleStep({
  list,
  selected,
  onSelect,
}: {
  list: Vehicle[];
  selected: string | undefined;
  onSelect: (id: string) => void;
}): ReactNode {
  const { t } = useTranslation();
  if (list.length === 0) {
    return (
      <Empty
        action={
          <Link className="btn btn-primary" to="/owner/vehicles/new?next=book" data-testid="add-vehicle">
            {t('vehicles.add')}
          </Link>
        }
      >
        {t('book.noVehicle')}
      </Empty>
    );
  }
  return (
    <div className="stack" role="radiogroup" aria-label={t('book.steps.vehicle')}>
      {list.map((v) => (
        <button
          type="button"
          key={v.id}
          role="radio"
          aria-checked={v.id === selected}
          className={`pick${v.id === selected ? ' picked' : ''}`}
          onClick={() => onSelect(v.id)}
          data-testid="pick-vehicle"
        >
          <VehicleCard v={v} />
        </button>
      ))}
      <Link className="btn btn-ghost" to="/owner/vehicles/new?next=book">
        {t('vehicles.add')}
      </Link>
    </div>
  );
}

// ---- 2. services ----

const CATEGORY_ORDER = [
  'package',
  'maintenance',
  'inspection',
  'brakes',
  'tyres',
  'electrical',
  'nev',
  'comfort',
  'diagnostics',
  'body',
];

export function ServicesStep({
  vehicle,
  items,
  onChange,
  centre,
}: {
  vehicle: Vehicle;
  items: string[];
  onChange: (items: string[]) => void;
  centre: LonLat;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const list = useAsync(() => catalog.items(ownerClient, vehicle.powertrain), [vehicle.powertrain]);
  const nearest = useAsync(
    () => stores.near(ownerClient, centre.lon, centre.lat, 20, 1),
    [centre.lon, centre.lat],
  );
  const [quote, setQuote] = useState<Quote | null>(null);
  const [quoteError, setQuoteError] = useState<unknown>(null);
  const storeId = nearest.data?.[0]?.id;

  useEffect(() => {
    if (!storeId || items.length === 0) {
      setQuote(null);
      return;
    }
    let live = true;
    const h = setTimeout(() => {
      catalog.quote(ownerClient, storeId, vehicle.vehicleModelId, items).then(
        (q) => live && (setQuote(q), setQuoteError(null)),
        (e: unknown) => live && (setQuote(null), setQuoteError(e)),
      );
    }, 250);
    return () => {
      live = false;
      clearTimeout(h);
    };
  }, [storeId, vehicle.vehicleModelId, items]);

  // a service picked earlier that this car cannot have (e.g. an oil change on an electric car) is dropped
  useEffect(() => {
    if (!list.data) return;
    const offered = new Set(list.data.filter((i) => i.active).map((i) => i.code));
    if (items.some((c) => !offered.has(c))) onChange(items.filter((c) => offered.has(c)));
  }, [list.data, items, onChange]);

  const toggle = (code: string): void =>
    onChange(items.includes(code) ? items.filter((c) => c !== code) : [...items, code]);

  return (
    <AsyncView state={list} isEmpty={(d) => d.length === 0}>
      {(all) => {
        const groups = groupByCategory(all.filter((i) => i.active));
        return (
          <div className="stack">
            {groups.map(([cat, group]) => (
              <fieldset key={cat} className="service-group">
                <legend>{t(`category.${cat}`, { defaultValue: cat })}</legend>
                {group.map((s) => (
                  <label
                    key={s.code}
                    className={`service${items.includes(s.code) ? ' picked' : ''}`}
                    data-testid={`service-${s.code}`}
                  >
                    <input type="checkbox" checked={items.includes(s.code)} onChange={() => toggle(s.code)} />
                    <span className="service-body">
                      <strong>{en ? s.nameEn : s.nameZh}</strong>
                      <span className="muted small">
                        {s.packageItems.length > 0
                          ? t('book.packageOf', { count: s.packageItems.length })
                          : t('book.minutes', { n: s.labourMinutes })}
                        {s.warrantyMonths > 0 ? ` · ${t('book.warranty', { months: s.warrantyMonths })}` : ''}
                        {s.certifications.includes('nev_hv') ? ` · ${t('book.nevHv')}` : ''}
                      </span>
                    </span>
                  </label>
                ))}
              </fieldset>
            ))}
            <div className="card quote-card" aria-live="polite">
              <h3>{t('book.referencePrice')}</h3>
              {items.length === 0 ? (
                <p className="muted">{t('book.pickToSeePrice')}</p>
              ) : quote ? (
                <>
                  <p className="muted small">
                    {t('book.referenceAt', { store: nearest.data?.[0]?.name ?? '' })}
                  </p>
                  <PriceLines lines={quote.lines} totalFen={quote.totalFen} />
                  <p className="muted small">
                    {t('book.duration', { n: quote.durationMinutes })}
                    {quote.warrantyMonths > 0
                      ? ` · ${t('book.warrantyKm', { months: quote.warrantyMonths, km: quote.warrantyKm })}`
                      : ''}
                  </p>
                </>
              ) : quoteError ? (
                <ErrorNotice error={quoteError} />
              ) : nearest.data && nearest.data.length === 0 ? (
                <p className="muted">{t('book.noStoreForPrice')}</p>
              ) : (
                <Loading />
              )}
            </div>
          </div>
        );
      }}
    </AsyncView>
  );
}

function groupByCategory(items: ServiceItem[]): Array<[string, ServiceItem[]]> {
  const m = new Map<string, ServiceItem[]>();
  for (const i of items) m.set(i.category, [...(m.get(i.category) ?? []), i]);
  return [...m.entries()].sort(
    ([a], [b]) => ((CATEGORY_ORDER.indexOf(a) + 100) % 100) - ((CATEGORY_ORDER.indexOf(b) + 100) % 100),
  );
}

// ---- 3. store ----

export function StoreOptionCard({
  o,
  picked,
  onPick,
  index,
}: {
  o: SearchOption;
  picked: boolean;
  onPick: () => void;
  index: number;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const en = i18n.language === 'en';
  const first = o.slots[0];
  return (
    <div className={`store-option${picked ? ' picked' : ''}`} data-testid="store-option">
      <div className="store-option-head">
        <span className="store-index" aria-hidden="true">
          {index + 1}
        </span>
        <div className="grow">
          <strong>{o.storeName}</strong>
          <div className="muted small">
            {formatDistance(o.distanceM)}
            {first
              ? ` · ${t('book.earliest', { at: `${formatDay(dayOf(first.startAt), i18n.language)} ${formatTime(first.startAt)}` })}`
              : ''}
          </div>
        </div>
        <Money fen={o.quote.totalFen} className="money-total" />
      </div>
      <ul className="reasons">
        {o.reasons
          .filter((r) => r.weight > 0)
          .map((r) => (
            <li key={r.code} className="chip">
              {en ? r.en : r.zh}
            </li>
          ))}
      </ul>
      <details>
        <summary>{t('book.priceDetails')}</summary>
        <PriceLines lines={o.quote.lines} totalFen={o.quote.totalFen} />
      </details>
      <button type="button" className="btn btn-primary btn-block" onClick={onPick} data-testid="pick-store">
        {t('book.pickStore')}
      </button>
    </div>
  );
}

export function StoreStep({
  options,
  centre,
  pickedId,
  onPick,
}: {
  options: SearchOption[];
  centre: LonLat;
  pickedId: string | undefined;
  onPick: (o: SearchOption) => void;
}): ReactNode {
  const { t } = useTranslation();
  const [view, setView] = useState<'list' | 'map'>('list');
  const [focus, setFocus] = useState<string | null>(pickedId ?? options[0]?.storeId ?? null);
  const mapStores = useMemo(
    () =>
      options.map((o) => ({
        id: o.storeId,
        name: o.storeName,
        lon: o.lon,
        lat: o.lat,
        distanceM: o.distanceM,
        totalFen: o.quote.totalFen,
      })),
    [options],
  );
  if (options.length === 0) return <Empty>{t('book.noStores')}</Empty>;
  const focused = options.find((o) => o.storeId === focus) ?? options[0];
  return (
    <div className="stack">
      <div className="segmented" role="tablist">
        <button
          type="button"
          role="tab"
          aria-selected={view === 'list'}
          onClick={() => setView('list')}
          data-testid="view-list"
        >
          {t('book.list')}
        </button>
        <button
          type="button"
          role="tab"
          aria-selected={view === 'map'}
          onClick={() => setView('map')}
          data-testid="view-map"
        >
          {t('book.map.title')}
        </button>
      </div>
      {view === 'map' ? (
        <>
          <StoreMap centre={centre} stores={mapStores} selectedId={focus} onSelect={setFocus} />
          {focused ? (
            <StoreOptionCard
              o={focused}
              index={options.indexOf(focused)}
              picked={focused.storeId === pickedId}
              onPick={() => onPick(focused)}
            />
          ) : (
            <p className="muted small">{t('book.map.tapHint')}</p>
          )}
        </>
      ) : (
        options.map((o, i) => (
          <StoreOptionCard
            key={o.storeId}
            o={o}
            index={i}
            picked={o.storeId === pickedId}
            onPick={() => onPick(o)}
          />
        ))
      )}
    </div>
  );
}

// ---- 4. slot ----

export function SlotStep({
  option,
  vehicle,
  items,
  onHold,
}: {
  option: SearchOption;
  vehicle: Vehicle;
  items: string[];
  onHold: (slot: Slot, notes: string) => Promise<unknown>;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const avail = useAsync(
    () => stores.availability(ownerClient, option.storeId, vehicle.vehicleModelId, items, today(), 7),
    [option.storeId, vehicle.vehicleModelId, items.join(',')],
  );
  const [day, setDay] = useState<string | null>(null);
  const [slot, setSlot] = useState<Slot | null>(null);
  const [notes, setNotes] = useState('');
  const [problem, setProblem] = useState<Problem | null>(null);
  const hold = useAction(onHold);

  const reloadSlots = avail.reload;
  useEffect(() => {
    if (hold.error && isApiError(hold.error) && hold.error.status === 409) {
      setSlot(null);
      reloadSlots();
    }
  }, [hold.error, reloadSlots]);

  return (
    <AsyncView state={avail}>
      {(a) => {
        const open = a.days.filter((d) => !d.closed && d.slots.length > 0);
        if (open.length === 0) return <Empty>{t('book.noSlots')}</Empty>;
        const current = a.days.find((d) => d.day === day) ?? open[0]!;
        return (
          <div className="stack">
            <div className="day-tabs" role="tablist" aria-label={t('book.day')}>
              {a.days.map((d) => (
                <button
                  type="button"
                  role="tab"
                  key={d.day}
                  disabled={d.closed || d.slots.length === 0}
                  aria-selected={d.day === current.day}
                  onClick={() => {
                    setDay(d.day);
                    setSlot(null);
                  }}
                >
                  <span>{formatDay(d.day, i18n.language)}</span>
                  <span className="small muted">
                    {d.closed ? t('book.closed') : t('book.slotCount', { count: d.slots.length })}
                  </span>
                </button>
              ))}
            </div>
            <div className="slots" role="radiogroup" aria-label={t('book.steps.slot')}>
              {current.slots.map((s) => (
                <button
                  type="button"
                  role="radio"
                  key={s.startAt}
                  aria-checked={slot?.startAt === s.startAt}
                  className={`slot${slot?.startAt === s.startAt ? ' picked' : ''}`}
                  onClick={() => {
                    setSlot(s);
                    setProblem(null);
                  }}
                  data-testid="slot"
                >
                  {formatTime(s.startAt)}
                </button>
              ))}
            </div>
            <p className="muted small">{t('book.durationTotal', { n: a.durationMinutes })}</p>
            <TextField
              label={t('book.notes')}
              name="notes"
              maxLength={200}
              value={notes}
              onChange={(e) => setNotes(e.target.value)}
            />
            <FieldMessage id="slot-problem" problem={problem} />
            <ErrorNotice error={hold.error} />
            <button
              type="button"
              className="btn btn-primary btn-block"
              disabled={hold.busy}
              data-testid="hold-slot"
              onClick={() => {
                if (!slot) {
                  setProblem({ key: 'validation.chooseSlot' });
                  return;
                }
                void hold.run(slot, notes.trim());
              }}
            >
              {hold.busy ? t('common.working') : t('book.holdSlot')}
            </button>
          </div>
        );
      }}
    </AsyncView>
  );
}

// ---- 5. confirm ----

export function useCountdown(until: string | null): number | null {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!until) return;
    const h = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(h);
  }, [until]);
  if (!until) return null;
  return Math.max(0, Math.floor((new Date(until).getTime() - now) / 1000));
}

export function ConfirmStep({
  held,
  storeName,
  vehicle,
  onConfirm,
  onBack,
}: {
  held: Booking;
  storeName: string;
  vehicle: Vehicle;
  onConfirm: () => Promise<unknown>;
  onBack: () => void;
}): ReactNode {
  const { t, i18n } = useTranslation();
  const left = useCountdown(held.holdExpiresAt);
  const confirm = useAction(onConfirm);
  const expired = left === 0;
  return (
    <div className="stack">
      <div className="card summary">
        <dl className="facts">
          <dt>{t('book.store')}</dt>
          <dd data-testid="confirm-store">{storeName}</dd>
          <dt>{t('book.time')}</dt>
          <dd>
            {formatDay(dayOf(held.startAt), i18n.language)} {formatTime(held.startAt)}–
            {formatTime(held.endAt)}
          </dd>
          <dt>{t('book.vehicle')}</dt>
          <dd>
            {vehicle.plate} · {vehicle.modelName}
          </dd>
        </dl>
        <PriceLines lines={held.lines} totalFen={held.totalFen} />
      </div>
      {left !== null && !expired ? (
        <Notice kind="info">
          {t('book.heldFor', { m: Math.floor(left / 60), s: String(left % 60).padStart(2, '0') })}
        </Notice>
      ) : null}
      {expired ? <Notice kind="warn">{t('book.holdExpired')}</Notice> : null}
      <ErrorNotice error={confirm.error} />
      {expired ? (
        <button type="button" className="btn btn-block" onClick={onBack}>
          {t('book.pickAnotherSlot')}
        </button>
      ) : (
        <button
          type="button"
          className="btn btn-primary btn-block"
          disabled={confirm.busy}
          onClick={() => void confirm.run()}
          data-testid="confirm-booking"
        >
          {confirm.busy ? t('common.working') : t('book.confirm')}
        </button>
      )}
    </div>
  );
}
