import { decodeTime } from 'ulid';
import { describe, expect, it } from 'vitest';
import { idFromKey } from './id-from-key';

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;
const now = new Date('2026-11-24T12:00:00.000Z');
const HOUR = 60 * 60 * 1000;
// A ULID made at `now` (2026-11-24T12:00:00Z = 1795521600000 ms = 01M86PTPG0 in Crockford base32).
const ulidKeyNow = '01M86PTPG0ABCDEFGHJKMNPQRS';
const uuidV7At = (ms: number) => `${ms.toString(16).padStart(12, '0').replace(/^(.{8})(.{4})$/, '$1-$2')}-7000-8000-000000000000`;

describe('idFromKey', () => {
  it('a ULID key: a ULID of the key\'s own time, the same for the same keyed request, another for another', () => {
    expect(decodeTime(ulidKeyNow)).toBe(now.getTime());
    const id = idFromKey(ulidKeyNow, 'expenses#key#abc', now)!;
    expect(id).toMatch(ULID);
    expect(decodeTime(id)).toBe(now.getTime());
    expect(idFromKey(ulidKeyNow.toLowerCase(), 'expenses#key#abc', now)).toBe(id);
    expect(idFromKey(ulidKeyNow, 'expenses#key#abd', now)).not.toBe(id);
    // A retry a day later still names it (the record lives 24 h).
    expect(idFromKey(ulidKeyNow, 'expenses#key#abc', new Date(now.getTime() + 24 * HOUR))).toBe(id);
  });

  it('a UUIDv7 key: its 48-bit millisecond time', () => {
    const at = now.getTime() - 10 * 60 * 1000;
    expect(decodeTime(idFromKey(uuidV7At(at), 'expenses#key#v7', now)!)).toBe(at);
  });

  it('no id for a key that names no time, or a time too far from now', () => {
    expect(idFromKey('7d3f4c2e-1b5a-4f6e-9a8b-0c1d2e3f4a5b', 'k', now)).toBeUndefined(); // UUIDv4
    expect(idFromKey('write-cost-1', 'k', now)).toBeUndefined();
    expect(idFromKey(uuidV7At(now.getTime() - 26 * HOUR), 'k', now)).toBeUndefined();
    expect(idFromKey(uuidV7At(now.getTime() + 2 * HOUR), 'k', now)).toBeUndefined();
    expect(idFromKey(uuidV7At(now.getTime() - 24 * HOUR), 'k', now)).toBeDefined();
  });

  it('spells 80 bits of the SHA-256 in Crockford base32 (a known vector: sha256 of the empty string)', () => {
    // sha256('') starts e3b0c44298fc1c149afb: those 80 bits in base32 are WERC8GMRZGE196QV.
    expect(idFromKey(ulidKeyNow, '', now)!.slice(10)).toBe('WERC8GMRZGE196QV');
  });
});
