/**
 * The hot path validates payloads with Ajv, compiled from the zod schemas' JSON Schema; zod is the
 * rule. These properties hold the two to the same verdict on payloads built to sit on every edge
 * the schemas draw (ranges, integer-ness, string lengths in UTF-16 units, the date-time pattern,
 * unknown and prototype-named keys), and the accepted value to what zod returns.
 */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { z } from 'zod';
import { acceptsFast, MESSAGE_KINDS, payloadSchemas, validatePayload, type MessageKind } from './payloads.js';

/** Strings near the limits: empty, ASCII, astral characters (two UTF-16 units each), long ones. */
const text = fc.oneof(
  fc.string({ maxLength: 70 }),
  fc.string({ unit: 'binary', maxLength: 45 }),
  fc.constantFrom(
    '',
    'a',
    'ok-1.2:3_x',
    'x'.repeat(64),
    'x'.repeat(65),
    '😀'.repeat(20),
    '😀'.repeat(21),
    'a b',
  ),
  fc.integer({ min: 0, max: 2100 }).map((n) => 'A'.repeat(n)),
);

/** Timestamps as devices send them, and as they get them wrong. */
const timestamp = fc.oneof(
  fc.integer({ min: 946_684_700_000, max: 4_102_444_900_000 }),
  fc.constantFrom(946_684_800_000, 4_102_444_800_000, 946_684_799_999, 4_102_444_800_001, 1.7e12 + 0.5, -0),
  fc
    .date({ min: new Date('1999-01-01'), max: new Date('2101-01-01'), noInvalidDate: true })
    .chain((d) =>
      fc.constantFrom(
        d.toISOString(),
        d.toISOString().replace('Z', '+08:00'),
        d.toISOString().replace('Z', ''),
        d.toISOString().replace('.', ',').replace('Z', 'z'),
        d.toISOString().slice(0, 19) + 'Z',
        d.toISOString().slice(0, 10),
      ),
    ),
  fc.constantFrom(
    '2026-02-29T00:00:00Z',
    '2028-02-29T00:00:00Z',
    '2026-04-31T00:00:00Z',
    '2026-06-01T24:00:00Z',
  ),
);

const number = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true, min: -3000, max: 6_000_000 }),
  fc.integer({ min: -200, max: 1600 }),
  fc.constantFrom(
    0,
    -0,
    40,
    40.000001,
    -150,
    -150.5,
    100,
    360,
    400,
    1500,
    -2000,
    2000,
    9000,
    -500,
    5_000_000,
  ),
);

/** A JSON value of any kind, biased towards what a field expects. */
const value: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: number },
  { weight: 3, arbitrary: text },
  { weight: 2, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 2, arbitrary: fc.array(fc.oneof(text, fc.array(text, { maxLength: 3 })), { maxLength: 34 }) },
  {
    weight: 1,
    arbitrary: fc.dictionary(fc.constantFrom('fl', 'fr', 'rl', 'rr', 'xx'), number, { maxKeys: 5 }),
  },
);

type JsonSchema = {
  type?: string;
  anyOf?: JsonSchema[];
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  properties?: Record<string, JsonSchema>;
};

/** Values for one field, from its JSON Schema: inside the limits, on them, and just past them. */
function near(schema: JsonSchema): fc.Arbitrary<unknown> {
  if (schema.anyOf) return fc.oneof(...schema.anyOf.map(near));
  const { minimum: lo = -1e6, maximum: hi = 1e6 } = schema;
  switch (schema.type) {
    case 'integer':
      return fc.oneof(
        { weight: 6, arbitrary: fc.integer({ min: lo, max: hi }) },
        { weight: 1, arbitrary: fc.constantFrom(lo, hi, lo - 1, hi + 1, lo + 0.5) },
      );
    case 'number':
      return fc.oneof(
        { weight: 6, arbitrary: fc.double({ min: lo, max: hi, noNaN: true }) },
        { weight: 1, arbitrary: fc.constantFrom(lo, hi, lo - 0.001, hi + 0.001, -0) },
      );
    case 'boolean':
      return fc.boolean();
    case 'string': {
      if (schema.format === 'date-time') return timestamp;
      const max = schema.maxLength ?? 50;
      const edges = fc.constantFrom(
        'A'.repeat(max),
        'A'.repeat(max + 1),
        '😀'.repeat(Math.ceil(max / 2)),
        '',
      );
      const inside = schema.pattern
        ? fc.stringMatching(new RegExp(schema.pattern)).filter((x) => x.length <= max)
        : fc.string({ minLength: schema.minLength ?? 0, maxLength: Math.min(max, 60) });
      return fc.oneof(
        { weight: 6, arbitrary: inside },
        { weight: 1, arbitrary: edges },
        { weight: 1, arbitrary: text },
      );
    }
    case 'array':
      return fc.array(near(schema.items ?? {}), {
        minLength: Math.max(0, (schema.minItems ?? 0) - 1),
        maxLength: Math.min((schema.maxItems ?? 5) + 1, 8),
      });
    case 'object':
      return fc.record(
        Object.fromEntries(Object.entries(schema.properties ?? {}).map(([k, v]) => [k, near(v)])),
        { requiredKeys: [] },
      );
    default:
      return value;
  }
}

/** A payload of `kind`: most of its fields with values near their limits, sometimes an odd one. */
function payload(kind: MessageKind): fc.Arbitrary<Record<string, unknown>> {
  const props = (z.toJSONSchema(payloadSchemas[kind], { io: 'input' }) as JsonSchema).properties ?? {};
  const keys = Object.keys(props);
  return fc
    .tuple(
      fc.subarray(keys, { minLength: Math.max(0, keys.length - 3) }),
      fc.tuple(
        ...keys.map((k) =>
          fc.oneof({ weight: 12, arbitrary: near(props[k]!) }, { weight: 1, arbitrary: value }),
        ),
      ),
      fc.constantFrom(
        undefined,
        undefined,
        undefined,
        undefined,
        'extra',
        '__proto__',
        'constructor',
        'toString',
      ),
      value,
    )
    .map(([present, values, oddKey, oddValue]) => {
      const parts = present.map(
        (k) => `${JSON.stringify(k)}:${JSON.stringify(values[keys.indexOf(k)] ?? null)}`,
      );
      if (oddKey) parts.push(`${JSON.stringify(oddKey)}:${JSON.stringify(oddValue ?? null)}`);
      // Through JSON.parse, as payloads arrive (a "__proto__" key is then an own property).
      return JSON.parse(`{${parts.join(',')}}`) as Record<string, unknown>;
    });
}

describe('payload validation: the compiled check and zod agree', () => {
  for (const kind of MESSAGE_KINDS) {
    it(`${kind}: same verdict, same value`, () => {
      let accepted = 0;
      fc.assert(
        fc.property(payload(kind), (p) => {
          const zod = payloadSchemas[kind].safeParse(p);
          expect(acceptsFast(kind, p)).toBe(zod.success);
          const v = validatePayload(kind, p);
          expect(v.success).toBe(zod.success);
          if (zod.success && v.success) {
            accepted++;
            expect(v.data).toEqual(zod.data);
          }
        }),
        { numRuns: 3000 },
      );
      // The generator must reach both verdicts, or the agreement proves little.
      expect(accepted).toBeGreaterThan(30);
    });
  }

  it('tells why, in zod’s words, when it refuses', () => {
    const r = validatePayload('status', { id: 'a', ts: 1.7e12, battery12vV: 99 });
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]?.path).toEqual(['battery12vV']);
  });
});
