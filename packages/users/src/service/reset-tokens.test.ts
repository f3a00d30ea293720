import { describe, expect, it } from 'vitest';
import { resetEmail, RESET_TTL_SECONDS } from './reset-mail';
import { EMAIL_CHANGE_TOKEN_LABEL } from './email-change.service';
import { ResetTokens } from './reset-tokens';

const tokens = new ResetTokens('test-signing-key-that-is-long-enough-0123456789');

describe('ResetTokens', () => {
  it('makes <resetId>.<mac> tokens it accepts, naming their resetId', () => {
    const resetId = ResetTokens.newResetId();
    expect(ResetTokens.isResetId(resetId)).toBe(true);
    const token = tokens.tokenFor(resetId);
    expect(token).toMatch(/^[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]{43}$/);
    expect(token.startsWith(`${resetId}.`)).toBe(true);
    expect(tokens.resetIdOf(token)).toBe(resetId);
    expect(ResetTokens.newResetId()).not.toBe(resetId);
  });

  it('refuses a token with another id, a changed MAC, another key or a malformed shape', () => {
    const resetId = ResetTokens.newResetId();
    const token = tokens.tokenFor(resetId);
    const mac = token.split('.')[1]!;
    const other = ResetTokens.newResetId();
    expect(tokens.resetIdOf(`${other}.${mac}`)).toBeNull();
    expect(tokens.resetIdOf(`${resetId}.${mac[0] === 'A' ? 'B' : 'A'}${mac.slice(1)}`)).toBeNull();
    expect(new ResetTokens('another-signing-key-that-is-long-enough-0123').resetIdOf(token)).toBeNull();
    for (const bad of ['', '.', resetId, `${resetId}.`, `${token}.x`, `${token}=`, `${resetId}.${mac.slice(1)}`]) expect(tokens.resetIdOf(bad)).toBeNull();
  });

  it('keeps the codes of one label from the other: a reset code is no email-change code, nor the reverse', () => {
    const key = 'test-signing-key-that-is-long-enough-0123456789';
    const emailChange = new ResetTokens(key, undefined, EMAIL_CHANGE_TOKEN_LABEL);
    const id = ResetTokens.newResetId();
    expect(emailChange.resetIdOf(tokens.tokenFor(id))).toBeNull();
    expect(tokens.resetIdOf(emailChange.tokenFor(id))).toBeNull();
    expect(emailChange.resetIdOf(emailChange.tokenFor(id))).toBe(id);
  });

  it('derives its key apart from the signing key: the MAC is not HMAC(signingKey, resetId)', async () => {
    const { createHmac } = await import('node:crypto');
    const resetId = ResetTokens.newResetId();
    const plain = createHmac('sha256', 'test-signing-key-that-is-long-enough-0123456789').update(resetId).digest('base64url');
    expect(tokens.tokenFor(resetId)).not.toBe(`${resetId}.${plain}`);
  });
});

describe('resetEmail', () => {
  it('gives the code only when no reset URL is configured, with its lifetime and "ignore it"', () => {
    const mail = resetEmail('abc', 'ada@example.com', 'the.token', undefined);
    expect(mail).toMatchObject({ id: 'password-reset-abc', to: 'ada@example.com', subject: 'Reset your password' });
    expect(mail.text).toContain('the.token');
    expect(mail.text).not.toContain('http');
    expect(mail.html).not.toContain('href');
    expect(mail.text).toContain(`expires in ${RESET_TTL_SECONDS / 60} minutes`);
    expect(mail.text).toContain('If you did not ask for this, ignore this mail');
  });

  it('adds the link (code appended, escaped in HTML) when one is configured', () => {
    const mail = resetEmail('abc', 'ada@example.com', 'the.token', 'https://app.example.com/r?x=1&token=');
    expect(mail.text).toContain('https://app.example.com/r?x=1&token=the.token');
    expect(mail.html).toContain('href="https://app.example.com/r?x=1&amp;token=the.token"');
  });
});

describe('ResetTokens across a signing key rotation', () => {
  const OLD = 'the-signing-key-before-the-rotation-0123456789';
  const NEW = 'the-signing-key-after-the-rotation-0123456789ab';

  it('accepts codes made under the previous key and makes new ones under the current key only', () => {
    const resetId = ResetTokens.newResetId();
    const old = new ResetTokens(OLD).tokenFor(resetId);
    const rotated = new ResetTokens(NEW, OLD);
    expect(rotated.resetIdOf(old)).toBe(resetId);
    const fresh = rotated.tokenFor(resetId);
    expect(fresh).not.toBe(old);
    expect(new ResetTokens(NEW).resetIdOf(fresh)).toBe(resetId);
    expect(new ResetTokens(OLD).resetIdOf(fresh)).toBeNull();
    expect(new ResetTokens(NEW).resetIdOf(old)).toBeNull();
  });
});
