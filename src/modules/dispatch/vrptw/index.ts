/**
 * Public API of the VRPTW routing solver (dispatch, "Smart dispatch" items 4–5): `solve` for the
 * live dispatcher, `checkSolution` to verify any plan, the Solomon reader and `vrptwCommand` for
 * `pitlane dispatch vrptw <solomon-file> --seconds S --seed N`.
 */
import { readFile } from 'node:fs/promises';
import { checkSolution } from './check-solution.js';
import { parseSolomon, solomonToRouting } from './solomon-format.js';
import { solve } from './solve.js';

export type * from './model.js';
export { solve } from './solve.js';
export {
  checkSolution,
  type CheckReport,
  type CheckOptions,
  type Violation,
  type ViolationKind,
} from './check-solution.js';
export { RoutingInputError } from './compile-instance.js';
export {
  parseSolomon,
  solomonToRouting,
  parseBks,
  SolomonFormatError,
  type SolomonInstance,
  type SolomonRouting,
  type BestKnown,
} from './solomon-format.js';

export interface VrptwCommandResult {
  instance: string;
  vehicles: number;
  /** Total distance rounded to two decimals (SINTEF convention). */
  distance: number;
  /** Customer numbers as in the file, in visit order, one array per vehicle. */
  routes: number[][];
}

/** Solves a Solomon file; throws if the plan fails the independent check. */
export async function vrptwCommand(
  file: string,
  opts: { seconds: number; seed: number },
): Promise<VrptwCommandResult> {
  const parsed = parseSolomon(await readFile(file, 'utf8'));
  const { instance, customerIds } = solomonToRouting(parsed);
  const sol = solve(instance, { timeLimitMs: opts.seconds * 1000, seed: opts.seed });
  const report = checkSolution(
    instance,
    sol.routes.map((r) => ({ vehicle: r.vehicle, jobs: r.stops.map((s) => s.job) })),
    { unassigned: sol.unassigned, claimedDistance: sol.distance },
  );
  if (!report.ok || sol.unassigned.length > 0) {
    const why =
      report.violations.map((v) => v.message).join('; ') || `${sol.unassigned.length} customers unserved`;
    throw new Error(`${parsed.name}: solver produced an infeasible plan: ${why}`);
  }
  return {
    instance: parsed.name,
    vehicles: sol.vehicles,
    distance: Math.round(report.distance * 100) / 100,
    routes: sol.routes.map((r) => r.stops.map((s) => customerIds[s.job]!)),
  };
}
