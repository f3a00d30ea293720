import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { newId } from './ids';

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
