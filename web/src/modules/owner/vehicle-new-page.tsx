import { useRef, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { isApiError, newIdempotencyKey, ownerClient } from '../../api/client';
import { catalog, vehicles } from '../../api/endpoints';
import type { Vehicle, VehicleInput } from '../../api/types';
import { TopBar } from '../../ui/layout';
import { AsyncView } from '../../ui/states';
import { useAsync } from '../../ui/use-async';
import { VehicleForm } from './vehicle-form';

export function VehicleNewPage(): ReactNode {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const models = useAsync(() => catalog.models(ownerClient), []);
  const key = useRef(newIdempotencyKey());
  const save = async (v: VehicleInput): Promise<void> => {
    let created: Vehicle;
    try {
      created = await vehicles.add(v, key.current);
    } catch (e) {
      // the same key only retries the same submission after a network failure
      if (!isApiError(e) || e.status !== 0) key.current = newIdempotencyKey();
      throw e;
    }
    key.current = newIdempotencyKey();
    const next = params.get('next');
    await navigate(next === 'book' ? `/owner/book?vehicle=${created.id}` : '/owner/vehicles');
  };
  return (
    <>
      <TopBar title={t('vehicles.add')} back="/owner/vehicles" />
      <main className="page narrow">
        <div className="card">
          <AsyncView state={models}>{(m) => <VehicleForm models={m} onSubmit={save} />}</AsyncView>
        </div>
      </main>
    </>
  );
}
