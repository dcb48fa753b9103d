// @vitest-environment node
/** Both languages have the same keys, and every key the components ask for exists. */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import en from './en.json';
import zhCN from './zh-CN.json';

type Tree = { [k: string]: string | Tree };
const flat = (o: Tree, pre = ''): string[] =>
  Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [`${pre}${k}`] : flat(v, `${pre}${k}.`)));

const SRC = fileURLToPath(new URL('..', import.meta.url));
function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = path.join(dir, f);
    if (statSync(p).isDirectory()) return sources(p);
    return /\.tsx?$/.test(f) && !/\.test\./.test(f) ? [p] : [];
  });
}

describe('i18n resources', () => {
  const zhKeys = new Set(flat(zhCN as Tree));
  const enKeys = new Set(flat(en as Tree));

  it('zh-CN and en have exactly the same keys', () => {
    expect([...zhKeys].filter((k) => !enKeys.has(k))).toEqual([]);
    expect([...enKeys].filter((k) => !zhKeys.has(k))).toEqual([]);
  });

  it('has every literal key used in the components', () => {
    const used = new Set<string>();
    for (const file of sources(SRC)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z][\w.]*)'/g)) used.add(m[1]!);
      for (const m of text.matchAll(/\bkey: '([a-z][\w]*\.[\w.]+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(200);
    expect([...used].filter((k) => !zhKeys.has(k))).toEqual([]);
  });

  it('names every work-order status, booking status, role and validation code', () => {
    const need = [
      ...[
        'checked_in',
        'inspection',
        'estimate',
        'awaiting_approval',
        'approved',
        'in_progress',
        'quality_check',
        'ready',
        'handed_over',
        'reviewed',
        'cancelled',
      ].map((s) => `woStatus.${s}`),
      ...['held', 'confirmed', 'checked_in', 'completed', 'cancelled', 'no_show', 'expired'].map(
        (s) => `bookingStatus.${s}`,
      ),
      ...['country_code', 'charset', 'length', 'prefix'].map((c) => `validation.phone.${c}`),
      ...['length', 'province', 'authority', 'serial', 'special_prefix'].map((c) => `validation.plate.${c}`),
      ...['length', 'charset', 'check_digit', 'model_year'].map((c) => `validation.vin.${c}`),
    ];
    expect(need.filter((k) => !zhKeys.has(k))).toEqual([]);
  });
});
