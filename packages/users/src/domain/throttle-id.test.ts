import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { placeKey } from './sign-in-place';
import { throttleId, throttleIdKey } from './throttle-id';

describe('throttleId', () => {
  const key = throttleIdKey('a-test-signing-key-of-some-length');

  it('is 16 base64url characters holding no part of its input', () => {
    const id = throttleId(key, 'address', '203.0.113.7');
    expect(id).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(id).not.toContain('203');
  });

  it('is 12 bytes of HMAC-SHA-256 of the parts joined by newlines (written out here)', () => {
    expect(throttleId(key, 'client', 'a@example.com', '203.0.113.7')).toBe(
      createHmac('sha256', key).update('client\na@example.com\n203.0.113.7').digest().subarray(0, 12).toString('base64url'),
    );
  });

  it('differs by role, by input and by signing key', () => {
    const id = throttleId(key, 'address', '203.0.113.7');
    expect(throttleId(key, 'address', '203.0.113.7')).toBe(id);
    expect(throttleId(key, 'email', '203.0.113.7')).not.toBe(id);
    expect(throttleId(key, 'address', '203.0.113.8')).not.toBe(id);
    expect(throttleId(throttleIdKey('another-signing-key-of-some-length'), 'address', '203.0.113.7')).not.toBe(id);
  });

  it('is not the places\' key: its own HKDF label', () => {
    const signingKey = 'k'.repeat(40);
    expect(throttleIdKey(signingKey).equals(placeKey(signingKey))).toBe(false);
  });
});
