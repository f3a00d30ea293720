import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answerSealer, SecretSealer } from './secret-sealer';

const KEY = Buffer.alloc(32, 7);
const SECRET = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
const WEBHOOK = '01JDWEBHOOKAAAAAAAAAAAAAAA';
const sealer = new SecretSealer(KEY);

/** Flips the first character of one dot-separated part of a sealed value. */
function tamper(sealed: string, index: number): string {
  const parts = sealed.split('.');
  const part = parts[index]!;
  parts[index] = (part[0] === 'A' ? 'B' : 'A') + part.slice(1);
  return parts.join('.');
}

describe('SecretSealer', () => {
  it('opens what it sealed, for the same webhook', () => {
    expect(sealer.open(sealer.seal(SECRET, WEBHOOK), WEBHOOK)).toBe(SECRET);
  });

  it('stores v1.<keyId>.<iv>.<ciphertext>.<tag> in base64url, with a fresh 12-byte IV per seal and no plain secret', () => {
    const sealed = sealer.seal(SECRET, WEBHOOK);
    expect(sealed).toMatch(/^v1\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/);
    expect(sealed).not.toContain('whsec_');
    expect(sealed).not.toContain(SECRET.slice(6));
    const again = sealer.seal(SECRET, WEBHOOK);
    expect(again.split('.')[2]).not.toBe(sealed.split('.')[2]);
    expect(again.split('.')[1]).toBe(sealed.split('.')[1]); // same key, same keyId
  });

  it('refuses a tampered IV, ciphertext or tag', () => {
    const sealed = sealer.seal(SECRET, WEBHOOK);
    for (const part of [2, 3, 4]) expect(() => sealer.open(tamper(sealed, part), WEBHOOK)).toThrow(/does not open|malformed/);
  });

  it('refuses a secret sealed for another webhook (the id is authenticated data)', () => {
    const sealed = sealer.seal(SECRET, WEBHOOK);
    expect(() => sealer.open(sealed, '01JDOTHERWEBHOOKAAAAAAAAAA')).toThrow('does not open');
  });

  it('refuses a value sealed with another key, naming its keyId, and never echoes the value', () => {
    const sealed = new SecretSealer(randomBytes(32)).seal(SECRET, WEBHOOK);
    expect(() => sealer.open(sealed, WEBHOOK)).toThrow(`sealed with key ${sealed.split('.')[1]}, which is not configured`);
    // The same keyId with another key's ciphertext (a forged keyId) fails authentication too.
    const forged = ['v1', sealer.seal(SECRET, WEBHOOK).split('.')[1], ...sealed.split('.').slice(2)].join('.');
    expect(() => sealer.open(forged, WEBHOOK)).toThrow('does not open');
  });

  it('refuses values that are not in the v1 format', () => {
    expect(() => sealer.open(SECRET, WEBHOOK)).toThrow('Not a sealed webhook secret');
    expect(() => sealer.open(`v2${sealer.seal(SECRET, WEBHOOK).slice(2)}`, WEBHOOK)).toThrow('Not a sealed webhook secret');
  });

  it('takes only a 32-byte key', () => {
    expect(() => new SecretSealer(Buffer.alloc(16))).toThrow('must be 32 bytes, got 16');
  });
});

describe('answerSealer (stored Idempotency-Key answers)', () => {
  const answers = answerSealer(sealer);
  const RECORD = 'idempotency#key#recordA';
  const BODY = JSON.stringify({ id: WEBHOOK, secret: SECRET });

  it('opens an answer only for the record it was sealed for, and never as a webhook secret', () => {
    const sealed = answers.seal(BODY, RECORD);
    expect(sealed).not.toContain('whsec_');
    expect(answers.open(sealed, RECORD)).toBe(BODY);
    expect(() => answers.open(sealed, 'idempotency#key#recordB')).toThrow('does not open');
    expect(() => sealer.open(sealed, RECORD)).toThrow('does not open');
    // Nor does a webhook's sealed secret open as an answer of a record named like the webhook.
    expect(() => answers.open(sealer.seal(SECRET, WEBHOOK), WEBHOOK)).toThrow('does not open');
  });
});
