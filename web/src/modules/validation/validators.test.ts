import { describe, expect, it } from 'vitest';
import {
  estimateLineProblems,
  intProblem,
  lineAmountFen,
  otpProblem,
  parseQtyMilli,
  phoneProblem,
  plateProblem,
  vinProblem,
} from './validators';
import { parseYuanToFen } from '../../ui/format';

describe('phone', () => {
  it('accepts mainland mobiles in any common writing', () => {
    expect(phoneProblem('13800138000')).toBeNull();
    expect(phoneProblem('+86 138-0013-8000')).toBeNull();
  });
  it('names what is wrong', () => {
    expect(phoneProblem('')).toEqual({ key: 'validation.required' });
    expect(phoneProblem('1380013800')).toEqual({ key: 'validation.phone.length' });
    expect(phoneProblem('23800138000')).toEqual({ key: 'validation.phone.prefix' });
    expect(phoneProblem('138abc38000')).toEqual({ key: 'validation.phone.charset' });
  });
});

describe('one-time code', () => {
  it('is six digits', () => {
    expect(otpProblem('123456')).toBeNull();
    expect(otpProblem('12345')).toEqual({ key: 'validation.otp' });
    expect(otpProblem('')).toEqual({ key: 'validation.required' });
  });
});

describe('plate', () => {
  it('accepts ordinary and new-energy plates with separators', () => {
    expect(plateProblem('浙A12345')).toBeNull();
    expect(plateProblem('浙A·D12345')).toBeNull();
  });
  it('reports the first problem', () => {
    expect(plateProblem('')).toEqual({ key: 'validation.required' });
    expect(plateProblem('XA12345')).toEqual({ key: 'validation.plate.province' });
    expect(plateProblem('浙I12345')).toEqual({ key: 'validation.plate.authority' });
    expect(plateProblem('浙A1234')).toEqual({ key: 'validation.plate.length' });
    expect(plateProblem('浙A1O345')).toEqual({ key: 'validation.plate.serial' });
  });
});

describe('VIN', () => {
  it('is optional but checked when given', () => {
    expect(vinProblem('')).toBeNull();
    expect(vinProblem('LSV3PC3A9L0862438')).toBeNull();
  });
  it('tells the expected check digit', () => {
    expect(vinProblem('LSV3PC3A1L0862438')).toEqual({
      key: 'validation.vin.check_digit',
      values: { expected: '9' },
    });
  });
  it('counts the characters', () => {
    expect(vinProblem('LSV3PC3A9L086243')).toEqual({ key: 'validation.vin.length', values: { count: 16 } });
    expect(vinProblem('LSV3PC3A9L08624IO')).toEqual({ key: 'validation.vin.charset' });
  });
});

describe('numbers', () => {
  it('checks whole numbers in a range', () => {
    expect(intProblem('', 0, 100)).toBeNull();
    expect(intProblem('', 0, 100, true)).toEqual({ key: 'validation.required' });
    expect(intProblem('4.5', 0, 100)).toEqual({ key: 'validation.integer' });
    expect(intProblem('101', 0, 100)).toEqual({ key: 'validation.range', values: { min: 0, max: 100 } });
  });
  it('parses money and quantities without floats', () => {
    expect(parseYuanToFen('128')).toBe(12800);
    expect(parseYuanToFen('¥1,280.5')).toBe(128050);
    expect(parseYuanToFen('0.07')).toBe(7);
    expect(parseYuanToFen('1.234')).toBeNull();
    expect(parseYuanToFen('-3')).toBeNull();
    expect(parseQtyMilli('1.5')).toBe(1500);
    expect(parseQtyMilli('0.125')).toBe(125);
    expect(parseQtyMilli('1.2345')).toBeNull();
  });
});

describe('estimate line', () => {
  it('needs a description, a positive quantity and a price', () => {
    expect(estimateLineProblems({ kind: 'part', description: ' ', qty: '0', unitPrice: 'abc' })).toEqual({
      description: { key: 'validation.required' },
      qty: { key: 'validation.positive' },
      unitPrice: { key: 'validation.money' },
    });
    expect(
      estimateLineProblems({ kind: 'labour', description: '拆装', qty: '1.5', unitPrice: '120' }),
    ).toEqual({});
  });
  it('computes the amount in fen, rounded', () => {
    expect(lineAmountFen({ kind: 'labour', description: 'x', qty: '1.5', unitPrice: '120' })).toBe(18000);
    expect(lineAmountFen({ kind: 'part', description: 'x', qty: '0.333', unitPrice: '0.10' })).toBe(3);
    expect(lineAmountFen({ kind: 'part', description: 'x', qty: 'a', unitPrice: '1' })).toBeNull();
  });
});
