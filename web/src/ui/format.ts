/** Display helpers: money in fen → "¥1,234.50", times in Asia/Shanghai, distances, days. */
export const TIME_ZONE = 'Asia/Shanghai';

/** `12345` → `¥123.45` (integer fen; negatives keep their sign before the ¥). */
export function formatFen(fen: number): string {
  const sign = fen < 0 ? '-' : '';
  const abs = Math.abs(Math.round(fen));
  const yuan = Math.floor(abs / 100);
  const cents = String(abs % 100).padStart(2, '0');
  return `${sign}¥${yuan.toLocaleString('en-US')}.${cents}`;
}

/** Parses a yuan amount typed by a person ("12", "12.5", "¥12.50") to integer fen, or null. */
export function parseYuanToFen(input: string): number | null {
  const s = input.trim().replace(/^¥/, '').replace(/,/g, '');
  if (!/^\d{1,7}(\.\d{1,2})?$/.test(s)) return null;
  const [whole = '0', frac = ''] = s.split('.');
  return Number(whole) * 100 + Number(frac.padEnd(2, '0'));
}

function parts(iso: string | Date, opts: Intl.DateTimeFormatOptions): Record<string, string> {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const out: Record<string, string> = {};
  for (const p of new Intl.DateTimeFormat('en-GB', {
    timeZone: TIME_ZONE,
    hourCycle: 'h23',
    ...opts,
  }).formatToParts(d)) {
    out[p.type] = p.value;
  }
  return out;
}

/** `2026-06-01T02:00:00Z` → `10:00` (Shanghai). */
export function formatTime(iso: string | Date): string {
  const p = parts(iso, { hour: '2-digit', minute: '2-digit' });
  return `${p.hour}:${p.minute}`;
}

/** The calendar day in Shanghai, `YYYY-MM-DD`. */
export function dayOf(iso: string | Date): string {
  const p = parts(iso, { year: 'numeric', month: '2-digit', day: '2-digit' });
  return `${p.year}-${p.month}-${p.day}`;
}

export function today(): string {
  return dayOf(new Date());
}

/** `YYYY-MM-DD` plus n days. */
export function addDays(day: string, n: number): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
}

/** Minutes since Shanghai midnight. */
export function minutesOfDay(iso: string): number {
  const p = parts(iso, { hour: '2-digit', minute: '2-digit' });
  return Number(p.hour) * 60 + Number(p.minute);
}

/** `2026-06-01T02:00:00Z` → `06-01 10:00` or with the language's weekday. */
export function formatDateTime(iso: string, lang: string): string {
  const d = new Date(iso);
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TIME_ZONE,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  }).format(d);
}

/** `2026-06-01` → `6月1日 周一` / `Mon 1 Jun`. */
export function formatDay(day: string, lang: string): string {
  const d = new Date(`${day}T04:00:00Z`);
  return new Intl.DateTimeFormat(lang === 'en' ? 'en-GB' : 'zh-CN', {
    timeZone: TIME_ZONE,
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(d);
}

/** 850 → "850 m", 1875 → "1.9 km". */
export function formatDistance(m: number): string {
  return m < 1000 ? `${Math.round(m)} m` : `${(m / 1000).toFixed(1)} km`;
}

export function formatPercent(rate: number, digits = 1): string {
  return `${(rate * 100).toFixed(digits)}%`;
}

/** Milli-units → a plain quantity string: 4000 → "4", 1500 → "1.5". */
export function formatQty(milli: number): string {
  return String(Math.round(milli) / 1000);
}
