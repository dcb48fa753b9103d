/**
 * Factories for the O2O flows: a store with a profile, hours, bays and technicians; an owner with a
 * vehicle. All created through the HTTP API, like a manager and an owner would.
 */
import { makeVin } from '../platform/domain/vin.js';
import { makePlate } from '../platform/domain/plate.js';
import { seededRng } from '../platform/domain/random.js';
import { vehicleModelId } from '../modules/catalog/index.js';
import type { Harness, Session } from './harness.js';

export const LAVIDA = vehicleModelId('Volkswagen', 'Lavida');
export const MODEL_3 = vehicleModelId('Tesla', 'Model 3');
/** Hangzhou, West Lake area (GCJ-02). */
export const WEST_LAKE = { lon: 120.1551, lat: 30.2741 };

let n = 0;

export interface StoreFixture {
  chainId: string;
  storeId: string;
  manager: Session;
  desk: Session;
  technicianIds: string[];
  bayIds: string[];
}

export async function newReadyStore(
  h: Harness,
  opts: {
    bays?: Array<{ name: string; type: string }>;
    technicians?: Array<{
      name: string;
      skills: string[];
      certifications?: Array<{ code: string; expiresOn?: string }>;
    }>;
    at?: { lon: number; lat: number };
    hours?: Array<{ weekday: number; open: string; close: string }>;
    chainId?: string;
  } = {},
): Promise<StoreFixture> {
  const chainId = opts.chainId ?? (await h.newChain()).chainId;
  const storeId = await h.newStore(chainId, `测试门店${++n}`);
  const manager = await h.staff(storeId, 'store_manager');
  const desk = await h.staff(storeId, 'front_desk');
  const hours =
    opts.hours ?? [1, 2, 3, 4, 5, 6, 7].map((weekday) => ({ weekday, open: '09:00', close: '18:00' }));
  const at = opts.at ?? WEST_LAKE;
  const prof = await h.request('PUT', `/api/v1/stores/${storeId}/profile`, {
    token: manager.token,
    body: {
      address: '西湖区文三路 1 号',
      location: { ...at, coord: 'gcj02' },
      city: '杭州',
      district: '西湖区',
      hours,
      doorToDoorRadiusM: 8000,
    },
  });
  if (prof.status !== 200) throw new Error(`profile: ${prof.status} ${JSON.stringify(prof.body)}`);
  const bayIds: string[] = [];
  for (const b of opts.bays ?? [{ name: '1号工位', type: 'general_lift' }]) {
    const r = await h.request<{ id: string }>('POST', `/api/v1/stores/${storeId}/bays`, {
      token: manager.token,
      body: b,
    });
    if (r.status !== 201) throw new Error(`bay: ${r.status} ${JSON.stringify(r.body)}`);
    bayIds.push(r.body.id);
  }
  const technicianIds: string[] = [];
  for (const t of opts.technicians ?? [
    { name: '王师傅', skills: ['general', 'brakes', 'tyres', 'engine', 'electrical', 'ac', 'diagnostics'] },
  ]) {
    const r = await h.request<{ id: string }>('POST', `/api/v1/stores/${storeId}/technicians`, {
      token: manager.token,
      body: { ...t, shifts: hours.map((x) => ({ weekday: x.weekday, start: x.open, end: x.close })) },
    });
    if (r.status !== 201) throw new Error(`technician: ${r.status} ${JSON.stringify(r.body)}`);
    technicianIds.push(r.body.id);
  }
  return { chainId, storeId, manager, desk, technicianIds, bayIds };
}

export async function newOwnerWithVehicle(
  h: Harness,
  modelId = LAVIDA,
): Promise<{ owner: Session; vehicleId: string; plate: string }> {
  const owner = await h.owner();
  const rng = seededRng(++n * 7919);
  const plate = makePlate(rng, modelId === LAVIDA ? 'ordinary' : 'nev_small');
  const r = await h.request<{ id: string }>('POST', '/api/v1/me/vehicles', {
    token: owner.token,
    body: { vin: makeVin(rng), plate, vehicleModelId: modelId, year: 2022, odometerKm: 42_000 },
  });
  if (r.status !== 201) throw new Error(`vehicle: ${r.status} ${JSON.stringify(r.body)}`);
  return { owner, vehicleId: r.body.id, plate };
}
