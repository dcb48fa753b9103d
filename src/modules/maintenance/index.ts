/**
 * Public API of predictive maintenance. So far: the per-component detectors (pure, over daily
 * telemetry features and the service history) and the scoring of alerts against ground truth. The
 * alert lifecycle, proposals and the evaluation benchmark build on these.
 */
export { detectFindings, actionable, MODEL, DTC_RULES, pressureAt } from './detect/detectors.js';
export { scoreAlerts, type FaultTruth, type AlertRecord, type Score } from './detect/score.js';
export * from './detect/types.js';
