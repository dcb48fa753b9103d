import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dtcFromBytes } from './dtc-code.js';
import { classifyDtc, SEVERITY_RULES, severityOf } from './dtc-severity.js';

describe('severityOf', () => {
  it.each([
    ['P0300', 'critical'],
    ['P0304', 'critical'],
    ['P0312', 'critical'],
    ['P0217', 'critical'],
    ['P0520', 'critical'],
    ['P0524', 'critical'],
    ['C0035', 'critical'],
    ['C0050', 'critical'],
    ['P0420', 'high'],
    ['P0430', 'high'],
    ['P0171', 'high'],
    ['P0172', 'high'],
    ['P0174', 'high'],
    ['P0175', 'high'],
    ['U0100', 'high'],
    ['U0199', 'high'],
    ['U0073', 'medium'],
    ['C0110', 'high'],
    ['P0104', 'medium'],
    ['P0113', 'medium'],
    ['P0173', 'medium'],
    ['P0313', 'medium'],
    ['P1234', 'medium'],
    ['B1000', 'medium'],
    ['P0442', 'low'],
    ['P0456', 'low'],
    ['P0455', 'low'],
  ])('%s → %s', (code, severity) => {
    expect(severityOf(code)).toBe(severity);
  });

  it('is case- and space-tolerant, and rejects malformed codes', () => {
    expect(severityOf(' p0301 ')).toBe('critical');
    expect(severityOf('P030')).toBeUndefined();
    expect(severityOf('X0300')).toBeUndefined();
  });

  it('refines by description when one is given', () => {
    expect(severityOf('P0313', 'Misfire Detected with Low Fuel')).toBe('critical');
    expect(severityOf('C0110', 'Pump Motor Circuit (ABS)')).toBe('critical');
    expect(severityOf('C0110', 'Steering angle sensor')).toBe('high');
    expect(severityOf('B1881', 'Passenger airbag deployment loop')).toBe('high');
  });

  it('classifies every well-formed code, with a reason', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 255 }), fc.integer({ min: 0, max: 255 }), (hi, lo) => {
        const rule = classifyDtc(dtcFromBytes(hi, lo));
        expect(rule?.reason.length).toBeGreaterThan(0);
      }),
    );
  });

  it('rule ranges are well-formed', () => {
    for (const rule of SEVERITY_RULES) {
      if (rule.to === undefined) continue;
      expect(rule.from[0]).toBe(rule.to[0]);
      expect(parseInt(rule.from.slice(1), 16)).toBeLessThanOrEqual(parseInt(rule.to.slice(1), 16));
    }
  });
});
