/**
 * `pitlane dispatch vrptw` end to end as a child process: the printed plan is checked against the
 * instance file by the independent checker, and bad input gets a clear message and exit 1.
 */
import { existsSync, readFileSync, writeFileSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../src/testing/process.js';
import { checkSolution, parseSolomon, solomonToRouting } from '../src/modules/dispatch/vrptw/index.js';

const FILE = path.resolve(import.meta.dirname, '../../shared/bench/solomon/R101.txt');
const present = existsSync(FILE);
if (!present) console.warn(`${FILE} is missing: skipping the VRPTW CLI test on Solomon data`);

describe('pitlane dispatch vrptw', { timeout: 120_000 }, () => {
  it.skipIf(!present)('prints a feasible plan in Solomon customer numbers', async () => {
    const r = await runCli(['dispatch', 'vrptw', FILE, '--seconds', '0.5', '--seed', '3'], {});
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as {
      instance: string;
      vehicles: number;
      distance: number;
      routes: number[][];
    };
    expect(out.instance).toBe('R101');
    expect(out.routes).toHaveLength(out.vehicles);
    const customers = out.routes.flat().sort((a, b) => a - b);
    expect(customers).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));

    const { instance, customerIds } = solomonToRouting(parseSolomon(readFileSync(FILE, 'utf8')));
    const jobOf = new Map(customerIds.map((c, j) => [c, j]));
    const report = checkSolution(
      instance,
      out.routes.map((route, v) => ({ vehicle: v, jobs: route.map((c) => jobOf.get(c)!) })),
      { unassigned: [] },
    );
    expect(report.violations).toEqual([]);
    expect(Math.abs(report.distance - out.distance)).toBeLessThan(0.01);
  });

  it('explains a missing or malformed file and a bad time limit', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'pitlane-vrptw-'));
    const bad = path.join(dir, 'bad.txt');
    writeFileSync(bad, 'not an instance\n');
    const missing = await runCli(['dispatch', 'vrptw', path.join(dir, 'nope.txt')], {});
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('No instance file');
    const malformed = await runCli(['dispatch', 'vrptw', bad, '--seconds', '1'], {});
    expect(malformed.code).toBe(1);
    expect(malformed.stderr).toMatch(/bad\.txt: .*header/);
    const seconds = await runCli(['dispatch', 'vrptw', bad, '--seconds', '0'], {});
    expect(seconds.code).toBe(1);
    expect(seconds.stderr).toContain('--seconds must be a positive number');
  });
});
