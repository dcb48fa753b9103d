/**
 * Ranking of search options: one function, pure and explainable, that the dispatch module can
 * replace (registerRanking). Each option gets a score in [0, 1] and the reasons behind it.
 */
export interface OptionFacts {
  storeId: string;
  distanceM: number;
  earliestStartMs: number | null;
  totalFen: number;
  ratingAvg: number | null;
  ratingCount: number;
  /** The store holds the certifications the job needs (e.g. NEV high-voltage). */
  certified: boolean;
  /** Share of the job's parts in stock at the store (1 when unknown or none needed). */
  partsOnHand?: number | undefined;
}

export interface Reason {
  code: string;
  zh: string;
  en: string;
  weight: number;
}

export interface RankedOption<T extends OptionFacts = OptionFacts> {
  facts: T;
  score: number;
  reasons: Reason[];
}

export type RankFn = <T extends OptionFacts>(options: readonly T[], now: number) => Array<RankedOption<T>>;

const km = (m: number) => (m / 1000).toFixed(1);

export const defaultRanking: RankFn = (options, now) => {
  const minPrice = Math.min(...options.map((o) => o.totalFen).filter((x) => x > 0), Infinity);
  const ranked = options.map((o) => {
    const dist = 1 / (1 + o.distanceM / 3000);
    const waitH = o.earliestStartMs === null ? Infinity : Math.max(0, (o.earliestStartMs - now) / 3_600_000);
    const soon = Number.isFinite(waitH) ? 1 / (1 + waitH / 24) : 0;
    const price = o.totalFen > 0 && Number.isFinite(minPrice) ? minPrice / o.totalFen : 1;
    // Shrink small samples toward 4.5 stars.
    const rating = ((o.ratingAvg ?? 4.5) * o.ratingCount + 4.5 * 5) / (o.ratingCount + 5) / 5;
    const w = { dist: 0.35, soon: 0.3, price: 0.2, rating: 0.15 };
    const score = w.dist * dist + w.soon * soon + w.price * price + w.rating * rating;
    const reasons: Reason[] = [
      {
        code: 'distance',
        zh: `距离 ${km(o.distanceM)} 公里`,
        en: `${km(o.distanceM)} km away`,
        weight: w.dist * dist,
      },
      {
        code: 'earliest',
        zh: Number.isFinite(waitH) ? `最早 ${Math.round(waitH)} 小时后可约` : '近期无空位',
        en: Number.isFinite(waitH) ? `earliest slot in ${Math.round(waitH)} h` : 'no free slot soon',
        weight: w.soon * soon,
      },
      {
        code: 'price',
        zh: `总价 ¥${(o.totalFen / 100).toFixed(2)}`,
        en: `total ¥${(o.totalFen / 100).toFixed(2)}`,
        weight: w.price * price,
      },
      {
        code: 'rating',
        zh: o.ratingCount
          ? `评分 ${(o.ratingAvg ?? 0).toFixed(1)}（${o.ratingCount} 条评价）`
          : '新店，暂无评价',
        en: o.ratingCount
          ? `rated ${(o.ratingAvg ?? 0).toFixed(1)} (${o.ratingCount} reviews)`
          : 'new store, no reviews yet',
        weight: w.rating * rating,
      },
    ];
    if (o.certified)
      reasons.push({
        code: 'certified',
        zh: '具备所需资质',
        en: 'holds the required certification',
        weight: 0,
      });
    return { facts: o, score, reasons: reasons.sort((a, b) => b.weight - a.weight) };
  });
  return ranked.sort((a, b) => b.score - a.score || a.facts.distanceM - b.facts.distanceM);
};

let current: RankFn = defaultRanking;

/** The ranking in force (booking search and predictive maintenance both call this). */
export function rankOptions<T extends OptionFacts>(
  options: readonly T[],
  now: number,
): Array<RankedOption<T>> {
  return current(options, now);
}

/** Dispatch installs its recommendation model here. */
export function registerRanking(fn: RankFn): void {
  current = fn;
}
