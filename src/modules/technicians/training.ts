/** Training records of technicians (courses, hours, certificates earned). */
import { asc, eq, inArray } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { AppError } from '../../platform/errors.js';
import { newId } from '../../platform/domain/ids.js';
import { assertInOrgScope, type Principal } from '../../platform/auth/principal.js';
import { technicianTraining, technicians } from './schema.js';

export type Training = typeof technicianTraining.$inferSelect;

export async function addTraining(
  ex: Executor,
  p: Principal,
  id: string,
  input: {
    course: string;
    provider?: string | undefined;
    completedOn: string;
    hours: number;
    certificateCode?: string | undefined;
  },
): Promise<Training> {
  const [t] = await ex.select().from(technicians).where(eq(technicians.id, id));
  assertInOrgScope(p, t?.orgPath, 'technician', id);
  if (input.hours < 0) throw new AppError('training.bad_hours', 'validation', 'Hours cannot be negative');
  const [row] = await ex
    .insert(technicianTraining)
    .values({
      id: newId('tr'),
      technicianId: id,
      course: input.course,
      provider: input.provider ?? null,
      completedOn: input.completedOn,
      hours: input.hours,
      certificateCode: input.certificateCode ?? null,
    })
    .returning();
  return row!;
}

export async function trainingOf(ex: Executor, technicianIds: readonly string[]): Promise<Training[]> {
  if (!technicianIds.length) return [];
  return ex
    .select()
    .from(technicianTraining)
    .where(inArray(technicianTraining.technicianId, [...technicianIds]))
    .orderBy(asc(technicianTraining.completedOn));
}
