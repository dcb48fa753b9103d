// `npm run bench -- vrptw --seconds S [--data dir] [--only C101,R205] [--seed N]`
// Solves the 56 Solomon VRPTW instances with S seconds each (one at a time, single core), checks
// every plan with the independent checker, and compares with bks.csv (hierarchical: vehicles, then
// distance). Solomon's I1 insertion heuristic runs alongside as a baseline. Ends with one JSON line.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  checkSolution,
  parseBks,
  parseSolomon,
  solomonToRouting,
  solve,
} from '../src/modules/dispatch/vrptw/index.js';
import { solomonI1 } from '../src/modules/dispatch/vrptw/solomon-i1.js';

interface Args {
  seconds: number;
  data: string;
  only: string[] | null;
  seed: number;
}

interface Outcome {
  vehicles: number;
  distance: number;
  feasible: boolean;
}

interface InstanceResult extends Outcome {
  bksVehicles: number;
  bksDistance: number;
  /** Distance gap to the table in %, only meaningful when vehicles ≤ bksVehicles. */
  gapPct: number;
  seconds: number;
  iterations: number;
  baseline: Outcome;
}

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv: string[]): Args {
  const args: Args = {
    seconds: 10,
    data: path.resolve(repoRoot, '../shared/bench/solomon'),
    only: null,
    seed: 1,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const value = argv[i + 1];
    if (value === undefined) throw new Error(`missing value after ${flag}`);
    switch (flag) {
      case '--seconds':
        args.seconds = Number(value);
        break;
      case '--data':
        args.data = path.resolve(value);
        break;
      case '--only':
        args.only = value.split(',').map((s) => s.trim().toUpperCase());
        break;
      case '--seed':
        args.seed = Number(value);
        break;
      default:
        throw new Error(`unknown option ${flag}`);
    }
    i++;
  }
  if (!(args.seconds > 0)) throw new Error('--seconds must be positive');
  return args;
}

const round = (v: number, d = 2): number => Math.round(v * 10 ** d) / 10 ** d;

function summarise(results: Map<string, InstanceResult>, pick: (r: InstanceResult) => Outcome) {
  const gaps: number[] = [];
  let feasible = 0;
  for (const r of results.values()) {
    const o = pick(r);
    if (o.feasible) feasible++;
    if (o.feasible && o.vehicles <= r.bksVehicles)
      gaps.push(((o.distance - r.bksDistance) / r.bksDistance) * 100);
  }
  gaps.sort((a, b) => a - b);
  const n = gaps.length;
  const median = n === 0 ? NaN : n % 2 ? gaps[(n - 1) / 2]! : (gaps[n / 2 - 1]! + gaps[n / 2]!) / 2;
  return {
    feasible,
    atBksVehicles: n,
    shareAtBksVehicles: results.size ? round(n / results.size, 4) : 0,
    avgGapPct: n ? round(gaps.reduce((a, b) => a + b, 0) / n, 3) : NaN,
    medianGapPct: round(median, 3),
    worstGapPct: n ? round(gaps[n - 1]!, 3) : NaN,
  };
}

export default async function vrptwBench(argv: string[]): Promise<void> {
  const args = parseArgs(argv);
  const bks = parseBks(readFileSync(path.join(args.data, 'bks.csv'), 'utf8'));
  const files = readdirSync(args.data)
    .filter((f) => f.toLowerCase().endsWith('.txt'))
    .map((f) => ({ name: path.basename(f, path.extname(f)).toUpperCase(), file: path.join(args.data, f) }))
    .filter((f) => bks.has(f.name) && (!args.only || args.only.includes(f.name)))
    .sort((a, b) => a.name.localeCompare(b.name, 'en', { numeric: true }));
  if (files.length === 0) throw new Error(`no Solomon instances found in ${args.data}`);

  console.log(`VRPTW bench: ${files.length} Solomon instances, ${args.seconds}s each, seed ${args.seed}`);
  console.log(
    'instance  BKS veh/dist     | ours veh/dist       gap%  check | I1 veh/dist        gap%  | s    iters',
  );
  const results = new Map<string, InstanceResult>();
  const t0 = performance.now();
  for (const { name, file } of files) {
    const table = bks.get(name)!;
    const { instance } = solomonToRouting(parseSolomon(readFileSync(file, 'utf8')));
    const ts = performance.now();
    const sol = solve(instance, { timeLimitMs: args.seconds * 1000, seed: args.seed });
    const seconds = (performance.now() - ts) / 1000;
    const report = checkSolution(
      instance,
      sol.routes.map((r) => ({ vehicle: r.vehicle, jobs: r.stops.map((s) => s.job) })),
      { claimedDistance: sol.distance },
    );
    const base = solomonI1(instance);
    const baseReport = checkSolution(instance, base.routes, { claimedDistance: base.distance });
    const gap = (d: number): number => ((d - table.distance) / table.distance) * 100;
    const r: InstanceResult = {
      vehicles: report.vehicles,
      distance: report.distance,
      feasible: report.ok,
      bksVehicles: table.vehicles,
      bksDistance: table.distance,
      gapPct: gap(report.distance),
      seconds,
      iterations: sol.stats.iterations,
      baseline: { vehicles: baseReport.vehicles, distance: baseReport.distance, feasible: baseReport.ok },
    };
    results.set(name, r);
    const vs = (v: number): string => (v > table.vehicles ? `${v}!` : `${v}`).padStart(3);
    console.log(
      [
        name.padEnd(8),
        `${String(table.vehicles).padStart(3)} ${table.distance.toFixed(2).padStart(8)}    |`,
        `${vs(r.vehicles)} ${r.distance.toFixed(2).padStart(8)} ${gap(r.distance).toFixed(2).padStart(7)}  ${r.feasible ? 'ok ' : 'BAD'}  |`,
        `${vs(base.vehicles)} ${base.distance.toFixed(2).padStart(8)} ${gap(base.distance).toFixed(2).padStart(7)} ${baseReport.ok ? '' : 'BAD'} |`,
        `${seconds.toFixed(1).padStart(4)} ${String(r.iterations).padStart(8)}`,
      ].join(' '),
    );
    if (!report.ok) for (const v of report.violations.slice(0, 5)) console.log(`  ! ${v.kind}: ${v.message}`);
  }
  const totalSeconds = (performance.now() - t0) / 1000;
  const ours = summarise(results, (r) => r);
  const baseline = summarise(results, (r) => r.baseline);
  const line = (label: string, s: ReturnType<typeof summarise>): string =>
    `${label}: ${s.atBksVehicles}/${results.size} at BKS vehicles (${(s.shareAtBksVehicles * 100).toFixed(1)}%),` +
    ` gap over those avg ${s.avgGapPct}% median ${s.medianGapPct}% worst ${s.worstGapPct}%, feasible ${s.feasible}`;
  console.log(line('solver', ours));
  console.log(line('I1 baseline', baseline));
  const totalVehicles = [...results.values()].reduce((a, r) => a + r.vehicles, 0);
  const bksVehicles = [...results.values()].reduce((a, r) => a + r.bksVehicles, 0);
  console.log(
    `vehicles total ${totalVehicles} (table ${bksVehicles}), total time ${totalSeconds.toFixed(1)} s`,
  );

  const perInstance: Record<string, unknown> = {};
  for (const [name, r] of results) {
    perInstance[name] = {
      vehicles: r.vehicles,
      distance: round(r.distance),
      bksVehicles: r.bksVehicles,
      bksDistance: r.bksDistance,
      gapPct: round(r.gapPct, 3),
      feasible: r.feasible,
      iterations: r.iterations,
      baseline: {
        vehicles: r.baseline.vehicles,
        distance: round(r.baseline.distance),
        feasible: r.baseline.feasible,
      },
    };
  }
  console.log(
    JSON.stringify({
      bench: 'vrptw',
      seconds: args.seconds,
      instances: results.size,
      atBksVehicles: ours.atBksVehicles,
      shareAtBksVehicles: ours.shareAtBksVehicles,
      avgGapPct: ours.avgGapPct,
      medianGapPct: ours.medianGapPct,
      worstGapPct: ours.worstGapPct,
      totalSeconds: round(totalSeconds, 1),
      feasible: ours.feasible,
      vehiclesTotal: totalVehicles,
      bksVehiclesTotal: bksVehicles,
      seed: args.seed,
      baseline: { name: 'Solomon I1', ...baseline },
      perInstance,
    }),
  );
}
