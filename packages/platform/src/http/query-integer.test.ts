import { describe, expect, it } from 'vitest';
import { queryInteger } from './query-integer';

describe('queryInteger', () => {
  const limit = queryInteger({ min: 1, max: 100 });

  it('takes plain decimal digits within the bounds', () => {
    expect(limit.parse('1')).toBe(1);
    expect(limit.parse('100')).toBe(100);
    expect(limit.parse('007')).toBe(7);
  });

  it.each(['', ' 5', '5 ', '1e1', '0x10', '5.0', '-1', '+5', '0', '101', '99999999999999999'])('refuses %j with the bounds in the message', (text) => {
    const result = limit.safeParse(text);
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Must be a whole number from 1 to 100');
  });

  it('carries a caller-given message and a default when the parameter is absent', () => {
    const amount = queryInteger({ min: 0, max: 10, error: 'Must be an amount' }).optional();
    expect(amount.parse(undefined)).toBeUndefined();
    expect(amount.safeParse('').error?.issues[0]?.message).toBe('Must be an amount');
    expect(queryInteger({ min: 1, max: 3 }).default(2).parse(undefined)).toBe(2);
  });
});
