/** Public API of dispatch: recommendation, technician assignment, team performance, routing. */
export { dispatchRanking, travelMinutes, speedKmh, WEIGHTS } from './recommend.js';
export { planAssignments, autoAssignWalkIn } from './assign-service.js';
export { teamPerformance, certificationCoverage, type TeamMember } from './team.js';
export { dispatchRoutes } from './routes.js';
export {
  planDoorToDoorDay,
  registerDoorToDoorPlanning,
  MOBILE_SKILL,
  PROMISE_MINUTES,
  type DayPlan,
} from './door-to-door.js';
