import type { ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { vehicles } from '../../api/endpoints';
import type { Vehicle } from '../../api/types';
import { TopBar } from '../../ui/layout';
import { AsyncView, ErrorNotice } from '../../ui/states';
import { useAction, useAsync } from '../../ui/use-async';

export function VehicleCard({ v, children }: { v: Vehicle; children?: ReactNode }): ReactNode {
  const { t } = useTranslation();
  return (
    <div className="vehicle-card" data-testid="vehicle-card">
      <div className="plate">{v.plate}</div>
      <div className="vehicle-meta">
        <strong>{v.nickname ?? v.modelName}</strong>
        <span className="muted small">
          {v.modelName} · {t(`powertrain.${v.powertrain}`, { defaultValue: v.powertrain })}
          {v.year ? ` · ${v.year}` : ''}
        </span>
        {v.vin ? (
          <span className="muted small mono">
            {t('vehicles.vinShort')} {v.vin}
          </span>
        ) : null}
      </div>
      {children}
    </div>
  );
}

export function VehiclesPage(): ReactNode {
  const { t } = useTranslation();
  const list = useAsync(() => vehicles.list(), []);
  const remove = useAction(async (id: string) => {
    await vehicles.remove(id);
    list.reload();
  });
  return (
    <>
      <TopBar title={t('vehicles.title')} back="/owner" />
      <main className="page narrow">
        <ErrorNotice error={remove.error} />
        <AsyncView state={list} isEmpty={(d) => d.length === 0} empty={t('vehicles.empty')}>
          {(items) => (
            <div className="stack">
              {items.map((v) => (
                <VehicleCard key={v.id} v={v}>
                  <div className="row-actions">
                    <Link
                      className="btn btn-small"
                      to={`/owner/vehicles/${v.id}/health`}
                      data-testid="vehicle-health-link"
                    >
                      {t('vehicles.health')}
                    </Link>
                    <Link className="btn btn-small" to={`/owner/vehicles/${v.id}/service-book`}>
                      {t('vehicles.serviceBook')}
                    </Link>
                    <Link className="btn btn-small btn-primary" to={`/owner/book?vehicle=${v.id}`}>
                      {t('vehicles.book')}
                    </Link>
                    <button
                      type="button"
                      className="btn btn-small btn-ghost"
                      disabled={remove.busy}
                      onClick={() => {
                        if (window.confirm(t('vehicles.confirmRemove', { plate: v.plate })))
                          void remove.run(v.id);
                      }}
                    >
                      {t('common.remove')}
                    </button>
                  </div>
                </VehicleCard>
              ))}
            </div>
          )}
        </AsyncView>
        <Link to="/owner/vehicles/new" className="btn btn-primary btn-block" data-testid="add-vehicle">
          {t('vehicles.add')}
        </Link>
      </main>
    </>
  );
}
