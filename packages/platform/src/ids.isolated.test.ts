import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { derivedId, firstIdAt, idTime, newId } from './ids';

describe('newId', () => {
  it('makes ULIDs of the given time, in order within one millisecond, never twice', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const ids = Array.from({ length: 2_000 }, () => newId(now));
    for (const id of ids) expect(id).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(decodeTime(ids[0]!)).toBe(now);
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('makes an id of ITS time also after one made later (a clock moved back: fixed clocks of tests sharing the module, a stepped system clock)', () => {
    // ulid's monotonic factory alone kept its last time for an earlier one: an id "from the
    // future", whose idTime (a watcher pin's lifetime, firstIdAt ranges) was not its time.
    const later = Date.parse('2026-12-30T12:00:00Z');
    const earlier = Date.parse('2026-11-30T12:00:00Z');
    newId(later);
    const ids = [newId(earlier), newId(earlier)];
    expect(ids.map((id) => decodeTime(id))).toEqual([earlier, earlier]);
    expect(ids[0]! < ids[1]!).toBe(true);
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

  it('sorts copies as their sources, also ids made in one millisecond', () => {
    const now = Date.parse('2026-11-30T12:00:00Z');
    const sources = [...Array.from({ length: 50 }, () => newId(now)), ...Array.from({ length: 50 }, (_, i) => newId(now + 1 + i))];
    const copies = sources.map((id) => derivedId('budget-x', id));
    expect(new Set(copies).size).toBe(sources.length);
    expect([...copies].sort()).toEqual(copies);
  });

  it('is the source time, 30 bits of SHA-256(scope) in Crockford base32, then the source tail', () => {
    const digest = createHash('sha256').update('scope').digest();
    const n = BigInt('0x' + digest.subarray(0, 4).toString('hex')) >> 2n;
    const middle = Array.from({ length: 6 }, (_, i) => '0123456789ABCDEFGHJKMNPQRSTVWXYZ'[Number((n >> BigInt(25 - 5 * i)) & 31n)]).join('');
    expect(derivedId('scope', source)).toBe(source.slice(0, 10) + middle + source.slice(16));
  });
});

describe('firstIdAt', () => {
  it('sorts after every id made a millisecond earlier and before every id made at its instant', () => {
    // Later than every other time in this file: the monotonic factory never goes back in time.
    const at = Date.parse('2027-01-01T00:00:00Z');
    // 1,798,761,600,000 ms: in Crockford base32 (10 characters, most significant first), 01MB78QN00.
    expect(firstIdAt(at)).toBe('01MB78QN00' + '0000000000000000');
    for (let i = 0; i < 50; i++) expect(newId(at - 1) < firstIdAt(at)).toBe(true);
    for (let i = 0; i < 50; i++) expect(newId(at) > firstIdAt(at)).toBe(true);
    expect(newId(at + 1) > firstIdAt(at)).toBe(true);
  });
});

describe('idTime', () => {
  it("is a ULID's time, and undefined for what is no ULID", () => {
    // Later than every id made above (the factory is monotonic: an earlier time would get theirs).
    expect(idTime(newId(Date.parse('2030-01-01T00:00:00Z')))).toBe(Date.parse('2030-01-01T00:00:00Z'));
    expect(idTime('01KBQ3Z8G0AAAAAAAAAAAAAAAA')).toBe(decodeTime('01KBQ3Z8G0AAAAAAAAAAAAAAAA'));
    for (const bad of ['', 'not-a-ulid', '01KBQ3Z8G0AAAAAAAAAAAAAAA', '01KBQ3Z8G0AAAAAAAAAAAAAAAI', '01kbq3z8g0aaaaaaaaaaaaaaaa', '8ZZZZZZZZZAAAAAAAAAAAAAAAA']) {
      expect(idTime(bad), bad).toBeUndefined();
    }
  });
});
