/**
 * Store recommendation: an explainable weighted score over the travel-time estimate, earliest
 * slot, rating, price, parts on hand and certification. It replaces booking's default ranking
 * (registerRanking), so booking search and predictive-maintenance proposals both use it. Every
 * option carries its reasons with the weight each contributed.
 */
import type { OptionFacts, RankedOption, RankFn, Reason } from '../booking/index.js';

export const WEIGHTS = {
  travel: 0.25,
  earliest: 0.25,
  rating: 0.2,
  price: 0.15,
  parts: 0.1,
  certified: 0.05,
} as const;

/** Average urban speed by local hour (Hangzhou-like: slower in the rush hours). */
export function speedKmh(localHour: number): number {
  if ((localHour >= 7 && localHour < 9) || (localHour >= 17 && localHour < 19)) return 18;
  if (localHour >= 22 || localHour < 6) return 40;
  return 28;
}

/** Door-to-door minutes: road distance ≈ 1.3 × straight line, plus 5 minutes to park and walk. */
export function travelMinutes(distanceM: number, localHour: number): number {
  return Math.round(((distanceM * 1.3) / 1000 / speedKmh(localHour)) * 60 + 5);
}

const yuan = (fen: number) => (fen / 100).toFixed(2);

export function dispatchRanking(tzOffsetHours = 8): RankFn {
  return <T extends OptionFacts>(options: readonly T[], now: number): Array<RankedOption<T>> => {
    const hour = new Date(now + tzOffsetHours * 3600_000).getUTCHours();
    const prices = options.map((o) => o.totalFen).filter((x) => x > 0);
    const minPrice = prices.length ? Math.min(...prices) : 0;
    const ranked = options.map((o) => {
      const minutes = travelMinutes(o.distanceM, hour);
      const travel = 1 / (1 + minutes / 20);
      const waitH =
        o.earliestStartMs === null ? Infinity : Math.max(0, (o.earliestStartMs - now) / 3_600_000);
      const earliest = Number.isFinite(waitH) ? 1 / (1 + waitH / 12) : 0;
      const shrunk = ((o.ratingAvg ?? 4.5) * o.ratingCount + 4.5 * 10) / (o.ratingCount + 10);
      const rating = (shrunk - 1) / 4;
      const price = o.totalFen > 0 && minPrice > 0 ? minPrice / o.totalFen : 1;
      const parts = o.partsOnHand ?? 1;
      const certified = o.certified ? 1 : 0;
      const c = {
        travel: WEIGHTS.travel * travel,
        earliest: WEIGHTS.earliest * earliest,
        rating: WEIGHTS.rating * rating,
        price: WEIGHTS.price * price,
        parts: WEIGHTS.parts * parts,
        certified: WEIGHTS.certified * certified,
      };
      const score = c.travel + c.earliest + c.rating + c.price + c.parts + c.certified;
      const reasons: Reason[] = [
        {
          code: 'travel',
          zh: `约 ${minutes} 分钟车程（${(o.distanceM / 1000).toFixed(1)} 公里）`,
          en: `about ${minutes} min away (${(o.distanceM / 1000).toFixed(1)} km)`,
          weight: round(c.travel),
        },
        {
          code: 'earliest',
          zh: Number.isFinite(waitH)
            ? waitH < 1
              ? '一小时内可到店'
              : `最早 ${Math.round(waitH)} 小时后有空位`
            : '近期无空位',
          en: Number.isFinite(waitH)
            ? waitH < 1
              ? 'a slot within the hour'
              : `earliest slot in ${Math.round(waitH)} h`
            : 'no free slot soon',
          weight: round(c.earliest),
        },
        {
          code: 'rating',
          zh: o.ratingCount
            ? `门店评分 ${(o.ratingAvg ?? 0).toFixed(1)}（${o.ratingCount} 条）`
            : '新店，暂无评价',
          en: o.ratingCount
            ? `store rated ${(o.ratingAvg ?? 0).toFixed(1)} (${o.ratingCount} reviews)`
            : 'new store, no reviews yet',
          weight: round(c.rating),
        },
        {
          code: 'price',
          zh:
            price >= 0.999
              ? `最低价 ¥${yuan(o.totalFen)}`
              : `¥${yuan(o.totalFen)}，比最低价高 ${Math.round((1 / price - 1) * 100)}%`,
          en:
            price >= 0.999
              ? `lowest price ¥${yuan(o.totalFen)}`
              : `¥${yuan(o.totalFen)}, ${Math.round((1 / price - 1) * 100)} % above the lowest`,
          weight: round(c.price),
        },
        {
          code: 'parts',
          zh:
            parts >= 1
              ? '配件有现货'
              : parts > 0
                ? `部分配件有货（${Math.round(parts * 100)}%）`
                : '配件需调货',
          en:
            parts >= 1
              ? 'parts in stock'
              : parts > 0
                ? `some parts in stock (${Math.round(parts * 100)} %)`
                : 'parts must be ordered',
          weight: round(c.parts),
        },
      ];
      if (certified)
        reasons.push({
          code: 'certified',
          zh: '具备所需资质（如新能源高压）',
          en: 'holds the required certification (e.g. NEV high voltage)',
          weight: round(c.certified),
        });
      return { facts: o, score: round(score), reasons: reasons.sort((a, b) => b.weight - a.weight) };
    });
    return ranked.sort((a, b) => b.score - a.score || a.facts.distanceM - b.facts.distanceM);
  };
}

const round = (x: number) => Math.round(x * 1000) / 1000;
