/** Demo: one vehicle per owner (one in ten has two), models by market weight, ~30 % new-energy. */
import type { AppContext } from '../platform/context.js';
import type { Executor } from '../platform/db/types.js';
import { randomInt, pickChars, type Rng } from '../platform/domain/random.js';
import { makeVin } from '../platform/domain/vin.js';
import { SEED_MODELS, vehicleModelId } from '../modules/catalog/index.js';
import { importVehicles } from '../modules/customers/index.js';
import type { DemoWorld } from './load-demo.js';

const SERIAL = 'ABCDEFGHJKLMNPQRSTUVWXYZ0123456789';
const DIGITS = '0123456789';
const COLORS = ['白色', '黑色', '银色', '灰色', '蓝色', '红色'];

export interface DemoVehicle {
  id: string;
  ownerIndex: number;
  modelId: string;
  powertrain: string;
  year: number;
  odometerKm: number;
}

function pickModel(rng: Rng) {
  const total = SEED_MODELS.reduce((s, m) => s + m.weight, 0);
  let x = rng() * total;
  for (const m of SEED_MODELS) {
    x -= m.weight;
    if (x < 0) return m;
  }
  return SEED_MODELS[0]!;
}

export async function vehiclesStep(_ctx: AppContext, tx: Executor, w: DemoWorld): Promise<void> {
  const plates = new Set<string>();
  const rows: Array<Parameters<typeof importVehicles>[1][number]> = [];
  const meta: Array<Omit<DemoVehicle, 'id'>> = [];
  w.owners.forEach((o, ownerIndex) => {
    const n = w.rng() < 0.1 ? 2 : 1;
    for (let k = 0; k < n; k++) {
      const m = pickModel(w.rng);
      const nev = m.powertrain === 'BEV' || m.powertrain === 'PHEV';
      let plate = '';
      do {
        plate = nev
          ? `${w.city.plateProvince}${w.city.plateAuthority}${w.rng() < 0.8 ? 'D' : 'F'}${pickChars(w.rng, SERIAL, 1)}${pickChars(w.rng, DIGITS, 4)}`
          : `${w.city.plateProvince}${w.city.plateAuthority}${pickChars(w.rng, SERIAL, 5)}`;
      } while (plates.has(plate));
      plates.add(plate);
      const year = m.yearFrom + randomInt(w.rng, m.yearTo - m.yearFrom + 1);
      const age = Math.max(0.3, 2026.9 - year);
      const odometerKm = Math.round(age * (9000 + randomInt(w.rng, 9000)));
      rows.push({
        ownerId: o.userId,
        vin: makeVin(w.rng, { modelYear: year }),
        plate,
        vehicleModelId: vehicleModelId(m.make, m.model),
        year,
        color: COLORS[randomInt(w.rng, COLORS.length)]!,
        odometerKm,
      });
      meta.push({
        ownerIndex,
        modelId: vehicleModelId(m.make, m.model),
        powertrain: m.powertrain,
        year,
        odometerKm,
      });
    }
  });
  const inserted = await importVehicles(tx, rows, w.now);
  w.vehicles = inserted.map((v, i) => ({ id: v.id, ...meta[i]! }));
  w.summary.vehicles = inserted.length;
  w.summary.nevShare =
    Math.round(
      (meta.filter((m) => m.powertrain === 'BEV' || m.powertrain === 'PHEV').length / meta.length) * 100,
    ) / 100;
}
