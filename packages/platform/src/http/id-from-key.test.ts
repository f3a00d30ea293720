import { describe, expect, it } from 'vitest';
import { idFromKey } from './id-from-key';

const ULID = /^[0-7][0-9A-HJKMNP-TV-Z]{25}$/;

describe('idFromKey', () => {
  it('names the same id for the same keyed request, another for another', () => {
    expect(idFromKey('idempotency#key#abc')).toBe(idFromKey('idempotency#key#abc'));
    expect(idFromKey('idempotency#key#abc')).not.toBe(idFromKey('idempotency#key#abd'));
  });

  it('is a ULID as the push route accepts them, using the whole first-character range 0-7', () => {
    const ids = Array.from({ length: 400 }, (_, i) => idFromKey(`idempotency#key#${i}`));
    for (const id of ids) expect(id).toMatch(ULID);
    expect(new Set(ids.map((id) => id[0])).size).toBe(8);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('spells the digest in Crockford base32 (a known vector: sha256 of the empty string)', () => {
    // sha256('') starts e3b0c44298fc1c149afbf4c8996fb924; its top 3 bits (0b111) are the 7.
    expect(idFromKey('')).toBe('73P324567W3GA9NYZMS2CPZE94');
  });
});
