/**
 * Derives malformed requests for every route in the OpenAPI document — wrong types, missing fields,
 * huge strings, bad ids, bad JSON — sends them as an operator, an owner and anonymously, and fails
 * on any 5xx or any error that is not the standard envelope.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../src/testing/harness.js';

interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  anyOf?: Schema[];
  $ref?: string;
}
interface Operation {
  parameters?: Array<{ name: string; in: string; required?: boolean; schema?: Schema }>;
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

let h: Harness;
let tokens: Array<string | undefined>;
let doc: {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, Schema> };
};

beforeAll(async () => {
  h = await createHarness();
  const op = await h.operator();
  const owner = await h.owner();
  const { storeId } = await h.newChain();
  const mgr = await h.staff(storeId, 'store_manager');
  tokens = [op.token, owner.token, mgr.token, undefined];
  doc = (await h.request('GET', '/api/v1/openapi.json')).body as typeof doc;
});
afterAll(async () => h.close());

const HUGE = 'x'.repeat(100_000);
const BAD_VALUES: unknown[] = [
  null,
  0,
  -1,
  1.5,
  1e308,
  '',
  ' ',
  HUGE,
  '💥'.repeat(50),
  true,
  [],
  {},
  [1, 2],
  { a: { b: {} } },
];
const BAD_IDS = [
  'x',
  'st_123',
  'usr_' + 'z'.repeat(26),
  '%00',
  '..%2F..%2Fetc',
  'a'.repeat(150),
  'null',
  '0',
];

function deref(s: Schema | undefined): Schema | undefined {
  if (!s?.$ref) return s;
  const name = s.$ref.split('/').pop()!;
  return doc.components?.schemas?.[name];
}

/** A plausible valid value for a schema (so that one wrong field at a time is tested). */
function sample(s: Schema | undefined, depth = 0): unknown {
  const sc = deref(s);
  if (!sc || depth > 4) return 'x';
  if (sc.enum?.length) return sc.enum[0];
  if (sc.anyOf?.length) return sample(sc.anyOf[0], depth + 1);
  const t = Array.isArray(sc.type) ? sc.type[0] : sc.type;
  switch (t) {
    case 'object': {
      const o: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(sc.properties ?? {})) o[k] = sample(v, depth + 1);
      return o;
    }
    case 'array':
      return [sample(sc.items, depth + 1)];
    case 'integer':
    case 'number':
      return 1;
    case 'boolean':
      return true;
    default:
      return 'sample';
  }
}

function bodiesFor(s: Schema | undefined): unknown[] {
  const sc = deref(s);
  const base = sample(sc);
  const out: unknown[] = [undefined, null, [], 'string', 42, base];
  if (sc?.properties) {
    for (const key of Object.keys(sc.properties)) {
      for (const bad of BAD_VALUES) out.push({ ...(base as object), [key]: bad });
      const missing = { ...(base as Record<string, unknown>) };
      delete missing[key];
      out.push(missing);
    }
  }
  return out;
}

describe('route fuzz from the OpenAPI document', () => {
  it('never answers 5xx and always uses the error envelope', async () => {
    const failures: string[] = [];
    let sent = 0;
    for (const [path, methods] of Object.entries(doc.paths)) {
      for (const [method, op] of Object.entries(methods)) {
        const M = method.toUpperCase() as 'GET';
        const pathParams = (op.parameters ?? []).filter((p) => p.in === 'path');
        const urls = pathParams.length
          ? BAD_IDS.map((bad) =>
              pathParams.reduce((u, p) => u.replace(`{${p.name}}`, encodeURIComponent(bad)), path),
            )
          : [path];
        const query = (op.parameters ?? []).filter((p) => p.in === 'query');
        const queries = [''].concat(
          query.flatMap((q) => ['', '-1', 'abc', HUGE.slice(0, 5000), '%00'].map((v) => `?${q.name}=${v}`)),
        );
        const bodySchema = op.requestBody?.content?.['application/json']?.schema;
        const bodies = M === 'GET' || M === ('DELETE' as string) ? [undefined] : bodiesFor(bodySchema);
        for (const token of tokens) {
          for (const [u, url] of urls.entries()) {
            // Every bad id with a plain request; the query and body variations with one of them
            // (a bad path id is refused before the body is read, so crossing them adds nothing).
            const list: Array<{ q: string; body: unknown; raw?: string }> =
              u === 0
                ? [
                    ...queries.map((q) => ({ q, body: undefined })),
                    ...bodies.map((body) => ({ q: '', body })),
                  ]
                : [{ q: '', body: bodies.at(-1) }];
            if (M !== 'GET' && u === 0)
              list.push(
                { q: '', body: undefined, raw: '{"a":' },
                { q: '', body: undefined, raw: '['.repeat(5000) },
              );
            for (const c of list) {
              const res = await h.app.inject({
                method: M,
                url: url + c.q,
                headers: {
                  ...(token ? { authorization: `Bearer ${token}` } : {}),
                  ...(c.raw !== undefined || c.body !== undefined
                    ? { 'content-type': 'application/json' }
                    : {}),
                },
                ...(c.raw !== undefined
                  ? { payload: c.raw }
                  : c.body !== undefined
                    ? { payload: JSON.stringify(c.body) }
                    : {}),
              });
              sent++;
              const tag = `${M} ${url}${c.q} body=${JSON.stringify(c.body)?.slice(0, 80) ?? c.raw?.slice(0, 20)}`;
              if (res.statusCode >= 500) failures.push(`${res.statusCode} ${tag}: ${res.body.slice(0, 300)}`);
              else if (res.statusCode >= 400) {
                const b = JSON.parse(res.body) as { error?: { code?: string; message?: string } };
                if (!b.error?.code || !b.error.message)
                  failures.push(`no envelope ${res.statusCode} ${tag}: ${res.body.slice(0, 200)}`);
              }
            }
          }
        }
      }
    }
    expect(failures.slice(0, 20)).toEqual([]);
    expect(sent).toBeGreaterThan(500);
  }, 600_000);
});
