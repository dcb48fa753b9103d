/** Why a suggestion was made, in one sentence for the planner (the console renders its own translation). */
import type { SuggestionForecast } from './schema.js';

const qty = (milli: number) => String(Math.round(milli) / 1000);
const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function suggestionReason(s: {
  positionMilli: number;
  reorderPointMilli: number;
  orderUpToMilli: number;
  forecast: SuggestionForecast;
}): string {
  const base = `Inventory position ${qty(s.positionMilli)} is at or below the reorder point ${qty(s.reorderPointMilli)}; order up to ${qty(s.orderUpToMilli)} (forecast ${qty(s.forecast.weeklyMeanMilli)} a week, ${s.forecast.method})`;
  const k = s.forecast.known;
  if (!k || k.milli <= 0) return `${base}.`;
  const from = [
    k.bookings ? plural(k.bookings, 'confirmed booking', 'confirmed bookings') : '',
    k.proposals ? plural(k.proposals, 'maintenance proposal', 'maintenance proposals') : '',
  ]
    .filter(Boolean)
    .join(' and ');
  return `${base}, including ${qty(k.milli)} already known from ${from} in the next ${plural(k.weeks, 'week', 'weeks')} (the forecast alone would order up to ${qty(k.orderUpToWithoutMilli)}).`;
}
