import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { derivedId, newId } from './ids';

describe('newId', () => {
  it('makes ULIDs of the given time, in order within one millisecond, never twice', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const ids = Array.from({ length: 2_000 }, () => newId(now));
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(decodeTime(ids[0]!)).toBe(now);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('draws every character of the alphabet in the random part (the pool is really consumed)', () => {
    // One id per millisecond: each gets a fresh 16-character random part.
    const start = Date.parse('2026-11-30T13:00:00Z');
    const seen = new Set<string>();
    for (let i = 0; i < 500; i++) for (const ch of newId(start + i).slice(10)) seen.add(ch);
    expect(seen.size).toBe(32);
  });
});

describe('derivedId', () => {
  const source = newId(Date.parse('2026-11-30T12:00:00Z'));

  it('keeps the source time, is the same for the same scope and differs between scopes', () => {
    const a = derivedId('budget-a', source);
    expect(a).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(decodeTime(a)).toBe(decodeTime(source));
    expect(derivedId('budget-a', source)).toBe(a);
    expect(derivedId('budget-b', source)).not.toBe(a);
    expect(a).not.toBe(source);
    const ids = new Set(Array.from({ length: 1_000 }, (_, i) => derivedId(`budget-${i}`, source)));
    expect(ids.size).toBe(1_000);
  });

  it('is the first 80 bits of SHA-256(scope NUL source) in Crockford base32', () => {
    const digest = createHash('sha256').update('scope\0' + source).digest();
    // 80 bits as one big integer, then 16 five-bit digits, most significant first.
    const n = BigInt('0x' + digest.subarray(0, 10).toString('hex'));
    const expected = Array.from({ length: 16 }, (_, i) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[Number((n >> BigInt(75 - 5 * i)) & 31n)]).join('');
    expect(derivedId('scope', source)).toBe(source.slice(0, 10) + expected);
  });
});
