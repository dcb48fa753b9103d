/**
 * `/owner/book`: the booking wizard. The draft survives a reload (sessionStorage); choosing a slot
 * holds it on the server (10 minutes) and confirming turns the hold into a booking.
 */
import { useEffect, useState, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { newIdempotencyKey, ownerClient } from '../../api/client';
import { booking, vehicles } from '../../api/endpoints';
import type { Booking, SearchOption, Vehicle } from '../../api/types';
import { FieldMessage } from '../../ui/form';
import { TopBar } from '../../ui/layout';
import { Icon } from '../../ui/icons';
import { AsyncView } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import type { Problem } from '../validation/validators';
import { ConfirmStep, ServicesStep, SlotStep, StoreStep, VehicleStep } from './book-steps';
import { useOwnerLocation } from './location';

const STEPS = ['vehicle', 'services', 'store', 'slot', 'confirm'] as const;
type Step = (typeof STEPS)[number];

interface Draft {
  step: Step;
  vehicleId?: string;
  items: string[];
  option?: SearchOption;
  held?: Booking;
}

const DRAFT_KEY = 'pitlane.bookDraft';

function loadDraft(): Draft {
  try {
    const raw = sessionStorage.getItem(DRAFT_KEY);
    if (raw) {
      const d = JSON.parse(raw) as Draft;
      if (STEPS.includes(d.step) && Array.isArray(d.items)) return d;
    }
  } catch {
    // a broken draft starts over
  }
  return { step: 'vehicle', items: [] };
}

function saveDraft(d: Draft | null): void {
  try {
    if (d) sessionStorage.setItem(DRAFT_KEY, JSON.stringify(d));
    else sessionStorage.removeItem(DRAFT_KEY);
  } catch {
    // not kept across reloads
  }
}

export function BookFlow(): ReactNode {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [draft, setDraft] = useState<Draft>(() => {
    const d = loadDraft();
    const v = params.get('vehicle');
    const item = params.get('item');
    if (v) return { step: 'services', vehicleId: v, items: d.vehicleId === v ? d.items : [] };
    // a quick pick on the home page: start over with that service chosen
    if (item) return { step: 'vehicle', items: [item] };
    return d;
  });
  const [problem, setProblem] = useState<Problem | null>(null);
  const list = useAsync(() => vehicles.list(), []);
  const location = useOwnerLocation();

  useEffect(() => saveDraft(draft), [draft]);

  const vehicle: Vehicle | undefined = list.data?.find((v) => v.id === draft.vehicleId);
  const stepIndex = STEPS.indexOf(draft.step);
  const go = (step: Step, patch: Partial<Draft> = {}): void => {
    setProblem(null);
    setDraft((d) => ({ ...d, ...patch, step }));
    window.scrollTo?.(0, 0);
  };
  const back = (): void => {
    if (draft.step === 'confirm' && draft.held) {
      // give the held slot back at once instead of letting it expire
      booking.cancel(ownerClient, draft.held.id).catch(() => undefined);
      go('slot', { held: undefined });
      return;
    }
    if (stepIndex === 0) void navigate('/owner');
    else go(STEPS[stepIndex - 1]!);
  };

  const search = useAsync(
    () =>
      draft.step === 'store' && vehicle && draft.items.length > 0
        ? booking.search({
            near: { lon: location.point.lon, lat: location.point.lat, coord: 'gcj02' },
            vehicleId: vehicle.id,
            items: draft.items,
            radiusKm: 20,
            maxStores: 12,
            slotsPerStore: 3,
            days: 7,
          })
        : Promise.resolve(null),
    [draft.step, vehicle?.id, draft.items.join(','), location.point.lon, location.point.lat],
  );

  return (
    <>
      <TopBar
        title={t(`book.steps.${draft.step}`)}
        right={
          <button
            type="button"
            className="btn btn-ghost btn-small"
            onClick={back}
            aria-label={t('common.back')}
          >
            ‹ {t('common.back')}
          </button>
        }
      />
      <main className="page narrow">
        <ol className="stepper" aria-label={t('book.progress')}>
          {STEPS.map((s, i) => (
            <li key={s} className={i < stepIndex ? 'done' : i === stepIndex ? 'current' : ''}>
              <span>{i + 1}</span>
              <small>{t(`book.steps.${s}`)}</small>
            </li>
          ))}
        </ol>
        <AsyncView state={list}>
          {(all) => {
            if (draft.step !== 'vehicle' && !vehicle) {
              return (
                <VehicleStep
                  list={all}
                  selected={undefined}
                  onSelect={(id) => go('services', { vehicleId: id, items: [] })}
                />
              );
            }
            switch (draft.step) {
              case 'vehicle':
                return (
                  <VehicleStep
                    list={all}
                    selected={draft.vehicleId}
                    onSelect={(id) =>
                      go('services', {
                        vehicleId: id,
                        items: id === draft.vehicleId || !draft.vehicleId ? draft.items : [],
                      })
                    }
                  />
                );
              case 'services':
                return (
                  <>
                    <ServicesStep
                      vehicle={vehicle!}
                      items={draft.items}
                      centre={location.point}
                      onChange={(items) => {
                        setProblem(null);
                        setDraft((d) => ({ ...d, items }));
                      }}
                    />
                    <div className="sticky-actions">
                      <FieldMessage id="services-problem" problem={problem} />
                      <button
                        type="button"
                        className="btn btn-primary btn-block"
                        data-testid="to-store"
                        onClick={() =>
                          draft.items.length === 0
                            ? setProblem({ key: 'validation.chooseService' })
                            : go('store')
                        }
                      >
                        {t('book.findStores', { count: draft.items.length })}
                      </button>
                    </div>
                  </>
                );
              case 'store':
                return (
                  <>
                    <div className="location-bar">
                      <span className="with-icon">
                        <Icon name="pin" size={16} />
                        {location.source === 'device' ? t('location.device') : t('location.default')}
                      </span>
                      <button
                        type="button"
                        className="btn btn-small btn-ghost"
                        onClick={location.locate}
                        disabled={location.locating}
                      >
                        {location.locating ? t('common.working') : t('location.useMine')}
                      </button>
                    </div>
                    {location.failed ? <p className="muted small">{t('location.failed')}</p> : null}
                    <AsyncView state={search}>
                      {(r) => (
                        <StoreStep
                          options={r?.options ?? []}
                          centre={location.point}
                          pickedId={draft.option?.storeId}
                          onPick={(option) => go('slot', { option })}
                        />
                      )}
                    </AsyncView>
                  </>
                );
              case 'slot':
                return draft.option ? (
                  <SlotStep
                    option={draft.option}
                    vehicle={vehicle!}
                    items={draft.items}
                    onHold={async (slot, notes) => {
                      const held = await booking.hold(
                        {
                          storeId: draft.option!.storeId,
                          vehicleId: vehicle!.id,
                          items: draft.items,
                          startAt: slot.startAt,
                          ...(notes ? { notes } : {}),
                        },
                        newIdempotencyKey(),
                      );
                      go('confirm', { held });
                    }}
                  />
                ) : null;
              case 'confirm':
                return draft.held && draft.option ? (
                  <ConfirmStep
                    held={draft.held}
                    storeName={draft.option.storeName}
                    vehicle={vehicle!}
                    onBack={back}
                    onConfirm={async () => {
                      const b = await booking.confirm(draft.held!.id);
                      saveDraft(null);
                      await navigate(`/owner/bookings/${b.id}?new=1`);
                    }}
                  />
                ) : null;
            }
          }}
        </AsyncView>
      </main>
    </>
  );
}
