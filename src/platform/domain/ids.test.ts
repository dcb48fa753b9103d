import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DomainError } from './errors.js';
import { createIdGenerator, ID_PATTERN, idTime, isId, newId } from './ids.js';

const MAX_TIME = 2 ** 48 - 1;

describe('newId', () => {
  it('makes prefixed 26-character Crockford ids', () => {
    const id = newId('bk');
    expect(id).toMatch(ID_PATTERN);
    expect(id.startsWith('bk_')).toBe(true);
    expect(id).toHaveLength(29);
    expect(isId(id, 'bk')).toBe(true);
    expect(isId(id, 'wo')).toBe(false);
    expect(isId(id)).toBe(true);
  });

  it.each(['b', 'booking', 'BK', 'b1', ''])('rejects the prefix %j', (prefix) => {
    expect(() => newId(prefix)).toThrow(DomainError);
  });

  it('encodes the clock and random bytes deterministically', () => {
    const make = createIdGenerator({ now: () => 0, randomBytes: (b) => b.fill(0) });
    expect(make('st')).toBe('st_00000000000000000000000000');
    const max = createIdGenerator({ now: () => MAX_TIME, randomBytes: (b) => b.fill(255) });
    expect(max('st')).toBe('st_7zzzzzzzzzzzzzzzzzzzzzzzzz');
  });

  it('keeps the time readable', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_TIME }), (t) => {
        const id = createIdGenerator({ now: () => t })('wo');
        expect(idTime(id)).toBe(t);
        expect(isId(id, 'wo')).toBe(true);
      }),
    );
  });

  it('sorts by creation time', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: MAX_TIME }), fc.integer({ min: 0, max: MAX_TIME }), (a, b) => {
        fc.pre(a !== b);
        const idA = createIdGenerator({ now: () => a })('bk');
        const idB = createIdGenerator({ now: () => b })('bk');
        expect(idA < idB).toBe(a < b);
      }),
    );
  });

  it('stays strictly increasing within a millisecond and when the clock steps back', () => {
    const times = [1000, 1000, 1000, 999, 1001, 1001];
    let i = 0;
    const make = createIdGenerator({ now: () => times[Math.min(i++, times.length - 1)] ?? 0 });
    const ids = Array.from({ length: 200 }, () => make('bk'));
    expect(new Set(ids).size).toBe(ids.length);
    expect([...ids].sort()).toEqual(ids);
  });

  it('rejects clocks outside 48 bits', () => {
    expect(() => createIdGenerator({ now: () => -1 })('bk')).toThrow(DomainError);
    expect(() => createIdGenerator({ now: () => 2 ** 48 })('bk')).toThrow(DomainError);
  });
});

describe('isId and idTime', () => {
  it.each([
    [null, false],
    [42, false],
    ['bk_', false],
    ['bk_01J9Z3K8Q4M2X7V5R0T6N8W1YC', false], // canonical form is lower case
    ['bk_01j9z3k8q4m2x7v5r0t6n8w1yi', false], // i is not Crockford
    ['bk_81j9z3k8q4m2x7v5r0t6n8w1yc', false], // time beyond 48 bits
    ['bk_01j9z3k8q4m2x7v5r0t6n8w1yc', true],
  ])('isId(%j) is %s', (value, expected) => {
    expect(isId(value)).toBe(expected);
  });

  it('rejects malformed ids in idTime', () => {
    expect(() => idTime('nope')).toThrow(DomainError);
  });
});
