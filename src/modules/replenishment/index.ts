/** Public API of replenishment: demand history from the ledger, and the forecasting and policy core. */
export * from './forecast/index.js';
export {
  demandHistory,
  periodStart,
  periodsBetween,
  nextPeriod,
  PERIODS,
  type Period,
  type DemandSeries,
} from './demand.js';
export {
  planReplenishment,
  decideSuggestion,
  listSuggestions,
  supplyNetwork,
  PLAN,
  type Suggestion,
  type PlanResult,
} from './plan.js';
export { knownDemand, knownWithin, type KnownNeed, type KnownTotals } from './known-demand.js';
export { forecastVsActual, type ForecastVsActual } from './forecast-series.js';
export { suggestionReason } from './reason.js';
export { replenishmentRoutes } from './routes.js';
