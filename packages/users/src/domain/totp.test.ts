import { Secret, TOTP, URI } from 'otpauth';
import { describe, expect, it } from 'vitest';
import { isTotpCode, newRecoveryCodes, newTotpSecret, normalizeCode, otpauthUri, recoveryCodeHash, timeStepAt, totpStepOf } from './totp';

const NOW = Date.parse('2026-11-24T12:00:10Z');
const codeAt = (secret: string, ms: number) => TOTP.generate({ secret: Secret.fromBase32(secret), timestamp: ms });

describe('TOTP rules', () => {
  it('makes 160-bit base32 secrets, a new one each time', () => {
    const a = newTotpSecret();
    expect(a).toMatch(/^[A-Z2-7]{32}$/);
    expect(Secret.fromBase32(a).bytes).toHaveLength(20);
    expect(newTotpSecret()).not.toBe(a);
  });

  it('builds the otpauth URI an app scans: issuer Budgeting, the email as label, SHA1/6/30', () => {
    const secret = newTotpSecret();
    const uri = otpauthUri(secret, 'ada@example.com');
    const parsed = URI.parse(uri) as TOTP;
    expect(parsed).toBeInstanceOf(TOTP);
    expect(parsed.issuer).toBe('Budgeting');
    expect(parsed.label).toBe('ada@example.com');
    expect(parsed.secret.base32).toBe(secret);
    expect([parsed.algorithm, parsed.digits, parsed.period]).toEqual(['SHA1', 6, 30]);
  });

  it('accepts the code of the current step and of the steps either side, naming the step', () => {
    const secret = newTotpSecret();
    const step = timeStepAt(NOW);
    expect(totpStepOf(secret, codeAt(secret, NOW), NOW)).toBe(step);
    expect(totpStepOf(secret, codeAt(secret, NOW - 30_000), NOW)).toBe(step - 1);
    expect(totpStepOf(secret, codeAt(secret, NOW + 30_000), NOW)).toBe(step + 1);
  });

  it('refuses codes two steps away, of another secret, and malformed ones', () => {
    const secret = newTotpSecret();
    const other = newTotpSecret();
    // Two steps away can collide by chance (1 in a million); another secret's code likewise.
    const far = codeAt(secret, NOW - 60_000);
    if (![NOW - 30_000, NOW, NOW + 30_000].some((t) => codeAt(secret, t) === far)) expect(totpStepOf(secret, far, NOW)).toBeNull();
    const foreign = codeAt(other, NOW);
    if (![NOW - 30_000, NOW, NOW + 30_000].some((t) => codeAt(secret, t) === foreign)) expect(totpStepOf(secret, foreign, NOW)).toBeNull();
    expect(totpStepOf(secret, '12345', NOW)).toBeNull();
    expect(totpStepOf(secret, 'abcdef', NOW)).toBeNull();
  });

  it('normalizes typed codes: spaces and dashes dropped, lower case', () => {
    expect(normalizeCode(' 123 456 ')).toBe('123456');
    expect(normalizeCode('ABCDE-FGHIJ')).toBe('abcdefghij');
    // Full-width (an IME), Persian and Arabic-Indic digits, full-width letters and dash.
    expect(normalizeCode('１２３ ４５６')).toBe('123456');
    expect(normalizeCode('۱۲۳۴۵۶')).toBe('123456');
    expect(normalizeCode('٠٩٨٧٦٥')).toBe('098765');
    expect(normalizeCode('ＡＢＣＤＥ－ＦＧＨＩＪ')).toBe('abcdefghij');
    // Any dash, not only the ASCII one: a client showing the code with a non-breaking hyphen
    // (so it never wraps) hands back U+2011 when it is copied, a word processor an en dash, a
    // PDF a hyphen or a minus sign.
    for (const dash of ['\u2011', '\u2010', '\u2013', '\u2014', '\u2212']) expect(normalizeCode(`abcde${dash}fghij`)).toBe('abcdefghij');
    expect(normalizeCode('123\u2011456')).toBe('123456');
    // A Turkish keyboard capitalizing a code's first letter (a phone's auto-capitalization, or
    // caps lock) types İ (U+0130) for i, whose default lower case is i + U+0307 COMBINING DOT.
    expect(normalizeCode('\u0130jklm-nopq2')).toBe('ijklmnopq2');
    expect(normalizeCode('ABCDE-FGH\u0130J')).toBe('abcdefghij');
    expect(isTotpCode('123456')).toBe(true);
    expect(isTotpCode('abcdefghij')).toBe(false);
    expect(isTotpCode('1234567')).toBe(false);
  });

  it('makes ten distinct recovery codes that can never be read as a TOTP code', () => {
    const codes = newRecoveryCodes();
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes) {
      expect(code).toMatch(/^[a-z2-7]{5}-[a-z2-7]{5}$/);
      expect(isTotpCode(normalizeCode(code))).toBe(false);
    }
  });

  it('hashes a recovery code per user, the same however it is typed', () => {
    const [code] = newRecoveryCodes(1) as [string];
    const hash = recoveryCodeHash('user-1', code);
    expect(hash).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(recoveryCodeHash('user-1', code.toUpperCase().replace('-', ' '))).toBe(hash);
    expect(recoveryCodeHash('user-2', code)).not.toBe(hash);
    expect(hash).not.toContain(code.replace('-', ''));
  });
});
