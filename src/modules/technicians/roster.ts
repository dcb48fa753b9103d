/**
 * The technician roster: who works at a store, with which skills and certifications (with expiry),
 * on which weekly shifts, and when they are away.
 */
import { and, asc, eq, gt, inArray, lt } from 'drizzle-orm';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { assertInOrgScope, type Principal } from '../../platform/auth/principal.js';
import { together, type Executor } from '../../platform/db/types.js';
import { getOrg } from '../identity/index.js';
import { technicianCertifications, technicianShifts, technicianTimeOff, technicians } from './schema.js';

export interface Certification {
  code: string;
  number: string | null;
  issuedOn: string | null;
  expiresOn: string | null;
}
export interface Shift {
  weekday: number;
  startMin: number;
  endMin: number;
}
export interface TimeOff {
  id: string;
  startsAt: Date;
  endsAt: Date;
  reason: string | null;
}
export interface Technician {
  id: string;
  storeId: string;
  orgPath: string;
  userId: string | null;
  name: string;
  skills: string[];
  level: number;
  status: 'active' | 'inactive';
  certifications: Certification[];
  shifts: Shift[];
  timeOff: TimeOff[];
}

export interface TechnicianInput {
  name: string;
  userId?: string | null | undefined;
  skills: string[];
  level?: number | undefined;
  shifts: Shift[];
  certifications?: Certification[] | undefined;
}

function checkShifts(shifts: Shift[]): void {
  const seen = new Set<number>();
  for (const s of shifts) {
    if (seen.has(s.weekday))
      throw new AppError(
        'technician.shift_duplicate_day',
        'validation',
        `Weekday ${s.weekday} has two shifts`,
      );
    seen.add(s.weekday);
    if (s.endMin <= s.startMin)
      throw new AppError(
        'technician.shift_invalid',
        'validation',
        `Weekday ${s.weekday}: the shift must end after it starts`,
      );
  }
}

async function writeDetails(
  ex: Executor,
  id: string,
  input: Pick<TechnicianInput, 'shifts' | 'certifications'>,
): Promise<void> {
  checkShifts(input.shifts);
  await ex.delete(technicianShifts).where(eq(technicianShifts.technicianId, id));
  if (input.shifts.length)
    await ex.insert(technicianShifts).values(input.shifts.map((s) => ({ technicianId: id, ...s })));
  if (input.certifications) {
    await ex.delete(technicianCertifications).where(eq(technicianCertifications.technicianId, id));
    if (input.certifications.length) {
      await ex
        .insert(technicianCertifications)
        .values(input.certifications.map((c) => ({ technicianId: id, ...c })));
    }
  }
}

export async function createTechnician(
  ex: Executor,
  p: Principal,
  storeId: string,
  input: TechnicianInput,
  now: Date,
): Promise<Technician> {
  const org = await getOrg(ex, p, storeId);
  if (org.kind !== 'store')
    throw new AppError('technician.not_a_store', 'validation', 'Technicians belong to a store');
  const id = newId('tc');
  await ex.insert(technicians).values({
    id,
    storeId,
    orgPath: org.path,
    userId: input.userId ?? null,
    name: input.name,
    skills: input.skills,
    level: input.level ?? 1,
    createdAt: now,
  });
  await writeDetails(ex, id, input);
  return (await loadTechnicians(ex, { ids: [id] }))[0]!;
}

export async function updateTechnician(
  ex: Executor,
  p: Principal,
  id: string,
  patch: Partial<TechnicianInput> & { status?: 'active' | 'inactive' | undefined },
): Promise<Technician> {
  const [t] = await ex.select().from(technicians).where(eq(technicians.id, id));
  assertInOrgScope(p, t?.orgPath, 'technician', id);
  await ex
    .update(technicians)
    .set({
      ...(patch.name ? { name: patch.name } : {}),
      ...(patch.skills ? { skills: patch.skills } : {}),
      ...(patch.level ? { level: patch.level } : {}),
      ...(patch.status ? { status: patch.status } : {}),
      ...(patch.userId !== undefined ? { userId: patch.userId } : {}),
    })
    .where(eq(technicians.id, id));
  if (patch.shifts)
    await writeDetails(ex, id, { shifts: patch.shifts, certifications: patch.certifications });
  else if (patch.certifications) {
    await ex.delete(technicianCertifications).where(eq(technicianCertifications.technicianId, id));
    if (patch.certifications.length) {
      await ex
        .insert(technicianCertifications)
        .values(patch.certifications.map((c) => ({ technicianId: id, ...c })));
    }
  }
  return (await loadTechnicians(ex, { ids: [id] }))[0]!;
}

export async function addTimeOff(
  ex: Executor,
  p: Principal,
  id: string,
  input: { startsAt: Date; endsAt: Date; reason?: string | undefined },
): Promise<TimeOff> {
  const [t] = await ex.select().from(technicians).where(eq(technicians.id, id));
  assertInOrgScope(p, t?.orgPath, 'technician', id);
  if (input.endsAt <= input.startsAt)
    throw new AppError('technician.time_off_invalid', 'validation', 'Time off must end after it starts');
  const row = {
    id: newId('to'),
    technicianId: id,
    startsAt: input.startsAt,
    endsAt: input.endsAt,
    reason: input.reason ?? null,
  };
  await ex.insert(technicianTimeOff).values(row);
  return row;
}

/** Technicians with their certifications, shifts and time off overlapping [from, to). */
export async function loadTechnicians(
  ex: Executor,
  q: { storeIds?: readonly string[]; ids?: readonly string[]; from?: Date; to?: Date; activeOnly?: boolean },
): Promise<Technician[]> {
  const rows = await ex
    .select()
    .from(technicians)
    .where(
      and(
        q.storeIds ? inArray(technicians.storeId, [...q.storeIds]) : undefined,
        q.ids ? inArray(technicians.id, [...q.ids]) : undefined,
        q.activeOnly ? eq(technicians.status, 'active') : undefined,
      ),
    )
    .orderBy(asc(technicians.name), asc(technicians.id));
  if (!rows.length) return [];
  const ids = rows.map((r) => r.id);
  const [certs, shifts, off] = await together(ex, [
    () =>
      ex.select().from(technicianCertifications).where(inArray(technicianCertifications.technicianId, ids)),
    () => ex.select().from(technicianShifts).where(inArray(technicianShifts.technicianId, ids)),
    () =>
      ex
        .select()
        .from(technicianTimeOff)
        .where(
          and(
            inArray(technicianTimeOff.technicianId, ids),
            q.to ? lt(technicianTimeOff.startsAt, q.to) : undefined,
            q.from ? gt(technicianTimeOff.endsAt, q.from) : undefined,
          ),
        ),
  ]);
  return rows.map((r) => ({
    id: r.id,
    storeId: r.storeId,
    orgPath: r.orgPath,
    userId: r.userId,
    name: r.name,
    skills: r.skills,
    level: r.level,
    status: r.status,
    certifications: certs.filter((c) => c.technicianId === r.id).map(({ technicianId: _t, ...c }) => c),
    shifts: shifts.filter((s) => s.technicianId === r.id).map(({ technicianId: _t, ...s }) => s),
    timeOff: off.filter((o) => o.technicianId === r.id).map(({ technicianId: _t, ...o }) => o),
  }));
}

/** Can this technician do a job needing these skills and certifications on this local day? */
export function qualifies(
  t: Technician,
  skills: readonly string[],
  certs: readonly string[],
  day: string,
): boolean {
  if (t.status !== 'active') return false;
  if (!skills.every((s) => s === 'general' || t.skills.includes(s))) return false;
  return certs.every((c) =>
    t.certifications.some((tc) => tc.code === c && (tc.expiresOn === null || tc.expiresOn >= day)),
  );
}
