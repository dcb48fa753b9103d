/** Property and example tests of the pure parts: topics, payload parsing, health folding, trips. */
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { MAX_PAYLOAD_BYTES, MESSAGE_KINDS, parseMessage, parseTopic, topicOf } from './payloads.js';
import { applyReading, emptyHealth, significantChanges } from './health.js';
import { DEFAULT_TRIP_SETTINGS, stepTrip, type Trip } from './trips.js';

const DEV = 'dev_01j9z3k8q4m2x7v5r0t6n8w1yc';
const NOW = new Date('2026-06-01T02:00:00Z');

describe('topics', () => {
  it('round-trips every kind and refuses anything else', () => {
    for (const k of MESSAGE_KINDS) expect(parseTopic(topicOf(DEV, k))).toEqual({ deviceId: DEV, kind: k });
    // Again, from the cache of topics seen.
    for (const k of MESSAGE_KINDS) expect(parseTopic(topicOf(DEV, k))).toEqual({ deviceId: DEV, kind: k });
    for (const bad of [
      `pitlane/v1/devices/${DEV}`,
      `pitlane/v1/devices/${DEV}/obd/x`,
      `pitlane/v1/devices/${DEV}/can`,
      `pitlane/v1/devices/dev_x/obd`,
      `pitlane/v2/devices/${DEV}/obd`,
      `pitlane/v1/devices/+/obd`,
    ])
      expect(parseTopic(bad)).toBeUndefined();
  });

  it('never throws on arbitrary topics', () => {
    fc.assert(fc.property(fc.string(), (t) => void parseTopic(t)));
  });
});

describe('payload parsing', () => {
  it('never throws and never echoes the payload in its error', () => {
    fc.assert(
      fc.property(fc.constantFrom(...MESSAGE_KINDS), fc.string({ maxLength: 300 }), (kind, text) => {
        const secret = `SECRET${text}`;
        const r = parseMessage(DEV, kind, secret, NOW);
        if (!r.ok) expect(r.error).not.toContain('SECRET');
      }),
    );
  });

  it('accepts any valid status snapshot and keeps its values', () => {
    fc.assert(
      fc.property(
        fc.record({
          id: fc.stringMatching(/^[A-Za-z0-9_.:-]{1,64}$/),
          ts: fc.integer({ min: Date.parse('2020-01-01'), max: NOW.getTime() }),
          battery12vV: fc.double({ min: 0, max: 40, noNaN: true }),
          ignition: fc.boolean(),
        }),
        (p) => {
          const r = parseMessage(DEV, 'status', JSON.stringify(p), NOW);
          expect(r.ok).toBe(true);
          if (r.ok) {
            expect(r.message.messageId).toBe(p.id);
            expect(r.message.ts.getTime()).toBe(p.ts);
            expect(r.message.ignition).toBe(p.ignition);
            expect(r.message.data.battery12vV).toBe(p.battery12vV);
          }
        },
      ),
    );
  });

  it('refuses oversized, unknown fields and far-future timestamps', () => {
    const big = JSON.stringify({ id: 'a', ts: NOW.getTime(), firmware: 'x'.repeat(MAX_PAYLOAD_BYTES) });
    expect(parseMessage(DEV, 'status', big, NOW)).toMatchObject({ ok: false, reason: 'oversized' });
    expect(
      parseMessage(DEV, 'status', JSON.stringify({ id: 'a', ts: NOW.getTime(), extra: 1 }), NOW),
    ).toMatchObject({
      ok: false,
      reason: 'malformed',
    });
    const future = JSON.stringify({ id: 'a', ts: NOW.getTime() + 2 * 86_400_000 });
    expect(parseMessage(DEV, 'status', future, NOW)).toMatchObject({ ok: false, reason: 'malformed' });
  });

  it('decodes OBD responses with the J1979 decoder', () => {
    const r = parseMessage(
      DEV,
      'obd',
      JSON.stringify({ id: 'o', ts: NOW.getTime(), responses: ['410C1AF8', ['7E8 03 41 0D 32']] }),
      NOW,
    );
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.message.speedKmh).toBe(50);
      expect(r.message.data.frames).toEqual([
        { mode: '01', pid: '0C', value: 1726, unit: 'rpm' },
        { mode: '01', pid: '0D', value: 50, unit: 'km/h' },
      ]);
    }
  });
});

describe('health snapshot', () => {
  const at = (s: number) => new Date(NOW.getTime() + s * 1000);
  it('ignores readings older than the snapshot, whatever the order of arrival', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            s: fc.integer({ min: 0, max: 1000 }),
            v: fc.double({ min: 10, max: 15, noNaN: true }),
          }),
          { minLength: 1, maxLength: 30 },
        ),
        (rs) => {
          let h = emptyHealth(new Date(0));
          for (const r of rs)
            h = applyReading(h, { kind: 'status', ts: at(r.s), data: { battery12vV: r.v } });
          // The result is the value of the latest timestamp (the first one that arrived among equals is overwritten by later equal ones).
          const maxS = Math.max(...rs.map((r) => r.s));
          const candidates = rs.filter((r) => r.s === maxS).map((r) => r.v);
          expect(candidates).toContain(h.battery12vV);
          expect(h.asOf.getTime()).toBe(at(maxS).getTime());
        },
      ),
    );
  });

  it('reports significant changes only', () => {
    const a = applyReading(emptyHealth(new Date(0)), {
      kind: 'status',
      ts: at(0),
      data: { battery12vV: 12.6 },
    });
    const b = applyReading(a, { kind: 'status', ts: at(1), data: { battery12vV: 12.5 } });
    expect(significantChanges(a, b)).toEqual([]);
    const c = applyReading(b, { kind: 'status', ts: at(2), data: { battery12vV: 12.1 } });
    expect(significantChanges(b, c)).toEqual(['battery12vV']);
    const d = applyReading(c, {
      kind: 'obd',
      ts: at(3),
      data: { frames: [{ mode: '03', dtcs: ['P0420'] }] },
    });
    expect(significantChanges(c, d)).toEqual(['activeDtcs']);
  });
});

describe('trips', () => {
  const opts = (behaviour = true) => {
    let n = 0;
    return {
      behaviour,
      newId: () => `trp_${++n}`,
      settings: { ...DEFAULT_TRIP_SETTINGS, tzOffsetMinutes: () => 0 },
    };
  };

  it('integrates distance from speed: constant speed v for t seconds gives v·t', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10, max: 150 }), fc.integer({ min: 2, max: 600 }), (v, secs) => {
        const o = opts();
        let trip: Trip | null = null;
        const t0 = Date.parse('2026-06-01T10:00:00Z');
        for (let s = 0; s <= secs; s++)
          trip = stepTrip(trip, { ts: new Date(t0 + s * 1000), speedKmh: v }, o).open;
        const r = stepTrip(trip, { ts: new Date(t0 + (secs + 1) * 1000), speedKmh: v, ignition: false }, o);
        expect(r.closed).toHaveLength(1);
        expect(r.closed[0]!.distanceM).toBeCloseTo((v / 3.6) * (secs + 1), 6);
        expect(r.closed[0]!.harshAccelCount).toBe(0);
      }),
    );
  });

  it('closes a trip at its last sample after a reporting gap', () => {
    const o = opts(false);
    const t0 = Date.parse('2026-06-01T10:00:00Z');
    let r = stepTrip(null, { ts: new Date(t0), ignition: true, speedKmh: 0 }, o);
    for (let s = 1; s <= 120; s++) r = stepTrip(r.open, { ts: new Date(t0 + s * 1000), speedKmh: 30 }, o);
    r = stepTrip(r.open, { ts: new Date(t0 + 3600_000), speedKmh: 40 }, o);
    expect(r.closed).toHaveLength(1);
    expect(r.closed[0]).toMatchObject({ status: 'completed', durationS: 120, harshBrakeCount: null });
    expect(r.closed[0]!.endedAt!.getTime()).toBe(t0 + 120_000);
    expect(r.open).not.toBeNull();
  });

  it('drops behaviour figures when the consent is revoked during a trip, and never starts them mid-trip', () => {
    const t0 = Date.parse('2026-06-01T10:00:00Z');
    const withC = opts(true);
    const without = opts(false);
    let r = stepTrip(null, { ts: new Date(t0), ignition: true, speedKmh: 0 }, withC);
    r = stepTrip(r.open, { ts: new Date(t0 + 1000), speedKmh: 20 }, withC);
    expect(r.open!.harshAccelCount).toBe(1);
    r = stepTrip(r.open, { ts: new Date(t0 + 2000), speedKmh: 30 }, without);
    expect(r.open).toMatchObject({
      harshAccelCount: null,
      harshBrakeCount: null,
      nightS: null,
      speedingS: null,
    });
    r = stepTrip(r.open, { ts: new Date(t0 + 3000), speedKmh: 60 }, withC);
    expect(r.open!.harshAccelCount).toBeNull();
  });

  it('discards a start-and-stop in place', () => {
    const o = opts();
    const t0 = Date.parse('2026-06-01T10:00:00Z');
    const a = stepTrip(null, { ts: new Date(t0), ignition: true }, o);
    const b = stepTrip(a.open, { ts: new Date(t0 + 20_000), ignition: false, speedKmh: 0 }, o);
    expect(b.closed[0]!.status).toBe('discarded');
  });
});
