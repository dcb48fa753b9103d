/**
 * Reader for the Solomon (1987) VRPTW text format and the best-known-solutions table (bks.csv).
 * Row 0 of the customer block is the depot; customer numbers are kept so routes can be reported
 * with the file's numbering. Conversion: every vehicle starts and ends at the depot, its shift is
 * the depot's window, travel time = Euclidean distance (double precision).
 */
import type { RoutingInstance } from './model.js';

export interface SolomonRow {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly demand: number;
  readonly ready: number;
  readonly due: number;
  readonly service: number;
}

export interface SolomonInstance {
  readonly name: string;
  readonly vehicles: number;
  readonly capacity: number;
  /** Depot first, then customers in file order. */
  readonly rows: readonly SolomonRow[];
}

export class SolomonFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SolomonFormatError';
  }
}

const numbers = (line: string): number[] | null => {
  const parts = line.trim().split(/\s+/);
  if (parts.length === 0 || parts[0] === '') return null;
  const out = parts.map(Number);
  return out.every((v) => Number.isFinite(v)) ? out : null;
};

export function parseSolomon(text: string): SolomonInstance {
  const lines = text.split(/\r?\n/);
  const name = lines.find((l) => l.trim() !== '')?.trim();
  if (!name) throw new SolomonFormatError('empty file');
  const vehHeader = lines.findIndex((l) => /NUMBER\s+CAPACITY/i.test(l));
  if (vehHeader < 0) throw new SolomonFormatError(`${name}: no "NUMBER CAPACITY" header`);
  let fleet: number[] | null = null;
  let i = vehHeader + 1;
  for (; i < lines.length && !fleet; i++) fleet = numbers(lines[i]!);
  if (!fleet || fleet.length !== 2) throw new SolomonFormatError(`${name}: bad vehicle line`);
  const custHeader = lines.findIndex((l, idx) => idx >= i && /CUST\s*NO/i.test(l));
  if (custHeader < 0) throw new SolomonFormatError(`${name}: no "CUST NO." header`);
  const rows: SolomonRow[] = [];
  for (let r = custHeader + 1; r < lines.length; r++) {
    const line = lines[r]!;
    if (line.trim() === '') continue;
    const v = numbers(line);
    if (!v || v.length !== 7)
      throw new SolomonFormatError(`${name}: line ${r + 1} is not a 7-column customer row`);
    const [id, x, y, demand, ready, due, service] = v as [
      number,
      number,
      number,
      number,
      number,
      number,
      number,
    ];
    if (ready > due) throw new SolomonFormatError(`${name}: customer ${id} has ready > due`);
    rows.push({ id, x, y, demand, ready, due, service });
  }
  if (rows.length < 2) throw new SolomonFormatError(`${name}: needs a depot and at least one customer`);
  const [vehicles, capacity] = fleet as [number, number];
  return { name, vehicles, capacity, rows };
}

export interface SolomonRouting {
  readonly instance: RoutingInstance;
  /** Customer number (as in the file) of each job index. */
  readonly customerIds: readonly number[];
}

export function solomonToRouting(s: SolomonInstance): SolomonRouting {
  const [depot, ...customers] = s.rows as [SolomonRow, ...SolomonRow[]];
  const vehicle = {
    startLocation: 0,
    endLocation: 0,
    capacity: s.capacity,
    shiftStart: depot.ready,
    shiftEnd: depot.due,
  };
  return {
    instance: {
      name: s.name,
      locations: s.rows.map((r) => ({ x: r.x, y: r.y })),
      jobs: customers.map((c, i) => ({
        location: i + 1,
        demand: c.demand,
        serviceTime: c.service,
        ready: c.ready,
        due: c.due,
      })),
      vehicles: Array.from({ length: s.vehicles }, () => vehicle),
    },
    customerIds: customers.map((c) => c.id),
  };
}

export interface BestKnown {
  readonly vehicles: number;
  readonly distance: number;
}

/** Parses bks.csv (`instance,vehicles,distance,source`). */
export function parseBks(text: string): Map<string, BestKnown> {
  const out = new Map<string, BestKnown>();
  for (const line of text.split(/\r?\n/).slice(1)) {
    if (line.trim() === '') continue;
    const [name, veh, dist] = line.split(',');
    const vehicles = Number(veh);
    const distance = Number(dist);
    if (!name || !Number.isFinite(vehicles) || !Number.isFinite(distance)) {
      throw new SolomonFormatError(`bks.csv: bad line "${line}"`);
    }
    out.set(name.trim(), { vehicles, distance });
  }
  return out;
}
