/** Demo: each store's profile (location, hours, radius), bays, the technician roster, and prices. */
import type { AppContext } from '../platform/context.js';
import type { Executor } from '../platform/db/types.js';
import { randomInt } from '../platform/domain/random.js';
import { createBay, upsertStoreProfile } from '../modules/stores/index.js';
import { createTechnician } from '../modules/technicians/index.js';
import { partTypePricesFor, setPriceBook } from '../modules/catalog/index.js';
import { demoOperator, type DemoWorld } from './load-demo.js';

const STREETS = [
  '文三路',
  '莫干山路',
  '天目山路',
  '江南大道',
  '滨盛路',
  '建国北路',
  '秋涛路',
  '余杭塘路',
  '文一西路',
  '金城路',
  '市心中路',
  '东宁路',
];

export async function storesStep(ctx: AppContext, tx: Executor, w: DemoWorld): Promise<void> {
  const p = demoOperator(w);
  const now = w.now;
  // Chain default prices, one franchisee a little dearer, one store with its own oil price.
  await setPriceBook(tx, w.chain, { labourRateFenPerHour: 12_800 });
  await setPriceBook(tx, w.franchisees[1]!, { labourRateFenPerHour: 13_500 });
  const base = await partTypePricesFor(tx, w.platform.path);
  await setPriceBook(tx, w.stores[0]!, {
    partPrices: { engine_oil: Math.round((base.get('engine_oil') ?? 6000) * 0.9) },
  });

  let techCount = 0;
  for (const s of w.stores) {
    const weekday = { open: 8 * 60 + 30, close: 18 * 60 + 30 };
    const weekend = { open: 9 * 60, close: 18 * 60 };
    const hours = [1, 2, 3, 4, 5]
      .map((d) => ({ weekday: d, openMin: weekday.open, closeMin: weekday.close }))
      .concat([6, 7].map((d) => ({ weekday: d, openMin: weekend.open, closeMin: weekend.close })));
    const nev = s.index % 3 === 0;
    await upsertStoreProfile(
      tx,
      p,
      s.id,
      {
        address: `${w.city.name}市${s.district.name}${STREETS[s.index % STREETS.length]}${10 + randomInt(w.rng, 480)}号`,
        phone: `0571-${String(80_000_000 + randomInt(w.rng, 9_999_999))}`,
        location: { ...s.gcj, coord: 'gcj02' },
        city: w.city.name,
        district: s.district.name,
        doorToDoorRadiusM: s.index % 4 === 0 ? 8000 : 0,
        capabilities: nev
          ? ['maintenance', 'brakes', 'tyres', 'alignment', 'nev']
          : ['maintenance', 'brakes', 'tyres', 'alignment'],
        certifications: nev ? ['nev_hv'] : [],
        commissionBp: 1000 + (s.index % 6) * 100,
        holidayMode: s.index % 5 === 0 ? 'closed' : 'weekend',
        hours,
      },
      now,
    );
    const lifts = 2 + randomInt(w.rng, 3);
    for (let i = 1; i <= lifts; i++)
      await createBay(tx, p, s.id, { name: `${i}号举升工位`, type: 'general_lift' });
    await createBay(tx, p, s.id, { name: '快修工位', type: 'quick' });
    if (s.index % 2 === 0) await createBay(tx, p, s.id, { name: '四轮定位工位', type: 'alignment' });
    await createBay(tx, p, s.id, { name: '轮胎工位', type: 'tyre' });
    if (nev) await createBay(tx, p, s.id, { name: '新能源绝缘工位', type: 'nev_safe' });

    const techs = w.staff.filter((x) => x.storeId === s.id && x.role === 'technician');
    for (const [i, t] of techs.entries()) {
      const skills = ['general', 'brakes', 'tyres', 'engine', 'electrical'];
      if (i % 2 === 0) skills.push('alignment', 'diagnostics');
      if (i % 3 !== 2) skills.push('ac');
      const hv = nev && i < 2;
      if (hv) skills.push('nev');
      // Stores offering door-to-door send their first and last technician out in the van.
      if (s.index % 4 === 0 && (i === 0 || i === techs.length - 1)) skills.push('door_to_door');
      // Five days a week each, staggered so the store is covered all week.
      const off = new Set([(i % 7) + 1, ((i + 3) % 7) + 1]);
      const shifts = [1, 2, 3, 4, 5, 6, 7]
        .filter((d) => !off.has(d))
        .map((d) => ({
          weekday: d,
          startMin: d >= 6 ? weekend.open : weekday.open,
          endMin: d >= 6 ? weekend.close : weekday.close,
        }));
      await createTechnician(
        tx,
        p,
        s.id,
        {
          name: t.name,
          userId: t.userId,
          skills,
          level: 1 + randomInt(w.rng, 4),
          shifts,
          certifications: hv
            ? [
                {
                  code: 'nev_hv',
                  number: `HV-${s.index}-${i}`,
                  issuedOn: '2024-03-01',
                  expiresOn: '2027-02-28',
                },
              ]
            : [],
        },
        now,
      );
      techCount++;
    }
  }
  w.summary.technicians = techCount;
}
