/** Replenishment forecasting: demand classification, forecasting methods, demand distributions, (R, S) policy. */
export type { DemandClass, IntDist, PointFit, Series } from './types.js';
export { ADI_CUTOFF, CV2_CUTOFF, classifySeries, decompose, type Classification } from './classify.js';
export {
  BASELINES,
  DEFAULT_ALPHA,
  adidaForecast,
  aggregate,
  crostonForecast,
  forecastMethods,
  imapaForecast,
  inSampleMse,
  meanForecast,
  naiveForecast,
  sbaForecast,
  sesForecast,
  tsbForecast,
  zeroForecast,
  type BaselineName,
} from './methods.js';
export {
  aggregateEchelon,
  cdf,
  compound,
  convolve,
  empirical,
  expectedShortage,
  meanOf,
  mixture,
  negBinomial,
  pointMass,
  poisson,
  quantile,
  shift,
  sumAll,
  sumOf,
  trim,
  varianceOf,
} from './distribution.js';
export {
  fillRateAt,
  policyForDemand,
  protectionDemand,
  protectionFromMoments,
  reorderPolicy,
  type Policy,
  type ProtectionDemand,
  type ReorderPolicyInput,
} from './policy.js';
export { poolSimulations, simulatePolicy, type SimulationInput, type SimulationResult } from './simulate.js';
export { mase, naiveMae, naiveMse, rmsse } from './metrics.js';
export { applyIsotonic, fitIsotonic, type IsotonicCurve } from './isotonic.js';
export {
  fitPitlane,
  pitlaneDistribution,
  pitlaneForecast,
  type FitPitlaneOptions,
  type PitlaneFitReport,
  type PitlaneForecast,
  type PitlaneForecastOptions,
  type PitlaneModel,
} from './pitlane.js';
