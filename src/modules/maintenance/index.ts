/**
 * Public API of predictive maintenance. So far: the per-component detectors (pure, over daily
 * telemetry features and the service history) and the scoring of alerts against ground truth. The
 * alert lifecycle, proposals and the evaluation benchmark build on these.
 */
export { detectFindings, actionable, MODEL, DTC_RULES, pressureAt } from './detect/detectors.js';
export { scoreAlerts, type FaultTruth, type AlertRecord, type Score } from './detect/score.js';
export * from './detect/types.js';
export {
  applyFindings,
  notifyAlerts,
  proposeForAlert,
  acceptProposal,
  ownerAlerts,
  serviceEventsOf,
  registerMaintenance,
  componentName,
  COMPONENT_ITEMS,
  ITEM_RESETS,
  type Alert,
  type Proposal,
} from './alerts.js';
export { maintenanceRoutes } from './routes.js';
export {
  evaluateVehicle,
  usualArea,
  proposeIfDue,
  registerEvaluation,
  sweepVehicles,
  LOOKBACK_DAYS,
} from './evaluate.js';
export { dailyFeatures, type ReadingRow } from './features.js';
