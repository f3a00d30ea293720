import { describe, expect, it } from 'vitest';
import { absentTokenKey, RefusedTokens, wrongSecretKey } from './refused-tokens';

describe('the memory of refused personal access tokens', () => {
  it('remembers a refusal for its TTL, then forgets it', () => {
    const refused = new RefusedTokens(60_000, 10);
    refused.add('a', 1_000);
    expect(refused.has('a', 1_000)).toBe(true);
    expect(refused.has('a', 60_999)).toBe(true);
    expect(refused.has('a', 61_000)).toBe(false);
    expect(refused.size).toBe(0); // an expired entry is dropped when looked at
    expect(refused.has('b', 1_000)).toBe(false);
  });

  it('keeps at most `max`, dropping the least recently refused first', () => {
    const refused = new RefusedTokens(60_000, 3);
    for (const key of ['a', 'b', 'c']) refused.add(key, 0);
    refused.add('a', 1); // refused again: now the most recent
    refused.add('d', 2);
    expect(refused.size).toBe(3);
    expect(refused.has('b', 3)).toBe(false);
    expect(['a', 'c', 'd'].map((k) => refused.has(k, 3))).toEqual([true, true, true]);
    for (let i = 0; i < 1_000; i++) refused.add(`flood-${i}`, 4);
    expect(refused.size).toBe(3);
  });

  it('keys an absent id apart from a wrong secret of an existing one', () => {
    expect(absentTokenKey('U', 'T')).not.toBe(wrongSecretKey('bgt_U_T_s'));
  });
});
