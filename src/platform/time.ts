/**
 * Local calendar time for stores (Asia/Shanghai by default). Store hours are minutes from local
 * midnight; these helpers convert between a local day + minute and UTC instants using Intl, so any
 * IANA zone works (Asia/Shanghai has no DST, but nothing here assumes that).
 */
const fmtCache = new Map<string, Intl.DateTimeFormat>();

function fmt(tz: string): Intl.DateTimeFormat {
  let f = fmtCache.get(tz);
  if (!f) {
    f = new Intl.DateTimeFormat('en-CA', {
      timeZone: tz,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    fmtCache.set(tz, f);
  }
  return f;
}

const offsetCache = new Map<string, number>();

/** Offset of `tz` at instant `at`, in minutes east of UTC (memoised per zone and quarter hour). */
export function tzOffsetMinutes(at: Date, tz: string): number {
  const key = `${tz}|${Math.floor(at.getTime() / 900_000)}`;
  const hit = offsetCache.get(key);
  if (hit !== undefined) return hit;
  const off = computeOffset(at, tz);
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, off);
  return off;
}

function computeOffset(at: Date, tz: string): number {
  const parts = Object.fromEntries(
    fmt(tz)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const asUtc = Date.UTC(
    +parts.year!,
    +parts.month! - 1,
    +parts.day!,
    +parts.hour!,
    +parts.minute!,
    +parts.second!,
  );
  return Math.round((asUtc - Math.floor(at.getTime() / 1000) * 1000) / 60_000);
}

/** The UTC instant of local `day` (YYYY-MM-DD) at `minute` minutes after local midnight. */
export function localToUtc(day: string, minute: number, tz: string): Date {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const guess = Date.UTC(y, m - 1, d, 0, minute);
  const off = tzOffsetMinutes(new Date(guess), tz);
  const first = guess - off * 60_000;
  const off2 = tzOffsetMinutes(new Date(first), tz);
  return new Date(guess - off2 * 60_000);
}

/** Local calendar day (YYYY-MM-DD) and minute-of-day of an instant. */
export function utcToLocal(at: Date, tz: string): { day: string; minute: number; weekday: number } {
  const parts = Object.fromEntries(
    fmt(tz)
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay(); // 0 = Sunday
  return { day, minute: +parts.hour! * 60 + +parts.minute!, weekday: js === 0 ? 7 : js };
}

/** ISO weekday (1 = Monday … 7 = Sunday) of a calendar day. */
export function weekdayOf(day: string): number {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  const js = new Date(Date.UTC(y, m - 1, d)).getUTCDay();
  return js === 0 ? 7 : js;
}

export function addDays(day: string, n: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d + n)).toISOString().slice(0, 10);
}

export const minutesToHhmm = (m: number): string =>
  `${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;

export function hhmmToMinutes(s: string): number {
  const m = /^([01]\d|2[0-4]):([0-5]\d)$/.exec(s);
  if (!m) throw new Error(`bad time ${s}`);
  return +m[1]! * 60 + +m[2]!;
}
