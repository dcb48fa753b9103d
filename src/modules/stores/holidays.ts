/**
 * The mainland public-holiday calendar: holidays (法定节假日) and make-up working days (调休), loaded
 * from the maintained `chinese-days` package (MIT) at first start and editable by operators.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { and, asc, gte, lte } from 'drizzle-orm';
import type { Executor } from '../../platform/db/types.js';
import { publicHolidays } from './schema.js';

export interface HolidayRow {
  day: string;
  kind: 'holiday' | 'workday';
  name: string;
  source: string;
}

/** Reads holidays and make-up workdays from the chinese-days package data. */
export function packagedHolidays(): HolidayRow[] {
  const require = createRequire(import.meta.url);
  const file = path.join(path.dirname(require.resolve('chinese-days')), 'chinese-days.json');
  const data = JSON.parse(readFileSync(file, 'utf8')) as {
    holidays: Record<string, string>;
    workdays: Record<string, string>;
  };
  const name = (v: string) => v.split(',')[1] ?? v;
  return [
    ...Object.entries(data.holidays).map(([day, v]) => ({
      day,
      kind: 'holiday' as const,
      name: name(v),
      source: 'chinese-days',
    })),
    ...Object.entries(data.workdays).map(([day, v]) => ({
      day,
      kind: 'workday' as const,
      name: `${name(v)}调休`,
      source: 'chinese-days',
    })),
  ];
}

/** Inserts packaged days that are not in the table yet (operator edits are kept). */
export async function ensureHolidays(ex: Executor): Promise<number> {
  const rows = packagedHolidays().filter((r) => r.day >= '2024-01-01');
  let n = 0;
  for (let i = 0; i < rows.length; i += 500) {
    const res = await ex
      .insert(publicHolidays)
      .values(rows.slice(i, i + 500))
      .onConflictDoNothing()
      .returning({ day: publicHolidays.day });
    n += res.length;
  }
  return n;
}

export async function holidaysBetween(
  ex: Executor,
  from: string,
  to: string,
): Promise<Map<string, HolidayRow>> {
  const rows = await ex
    .select()
    .from(publicHolidays)
    .where(and(gte(publicHolidays.day, from), lte(publicHolidays.day, to)))
    .orderBy(asc(publicHolidays.day));
  return new Map(rows.map((r) => [r.day, r]));
}
