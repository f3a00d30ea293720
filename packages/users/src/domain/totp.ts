import { createHash, randomBytes } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';

/**
 * Pure rules of TOTP two-factor sign-in (RFC 6238 through the `otpauth` library): the
 * secret, the otpauth:// URI an authenticator app scans, checking a code, and the recovery
 * codes. No I/O: the services decide what is stored and when.
 */

/** What authenticator apps assume when a URI says nothing else: SHA-1, 6 digits, 30 s. */
export const TOTP_PARAMS = { algorithm: 'SHA1', digits: 6, period: 30 } as const;
/** The issuer the authenticator app shows above the account's email. */
export const TOTP_ISSUER = 'Budgeting';
/** A code of the step before or after the current one is accepted too (clock drift, typing time). */
export const TOTP_WINDOW = 1;
/** 160 random bits, the size RFC 4226 recommends for an HMAC-SHA-1 key. */
const SECRET_BYTES = 20;

export const RECOVERY_CODE_COUNT = 10;
/** 10 base32 characters: 50 random bits each, shown as `xxxxx-xxxxx`. */
const RECOVERY_CODE_CHARS = 10;
const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';

/** A new random secret, base32 (what the enrol answer shows and the app stores). */
export function newTotpSecret(): string {
  return new Secret({ size: SECRET_BYTES }).base32;
}

/** The otpauth:// URI of the secret, labelled with the account's email, for a QR code. */
export function otpauthUri(secretBase32: string, email: string): string {
  return totpOf(secretBase32, email).toString();
}

/** The time step (RFC 6238 T) of an instant. */
export function timeStepAt(nowMs: number): number {
  return Math.floor(nowMs / 1000 / TOTP_PARAMS.period);
}

/**
 * The time step whose code `code` is, within ±TOTP_WINDOW of `nowMs`; null when it is none of
 * them. The caller records the step as used, so a code works once (RFC 6238 §5.2).
 */
export function totpStepOf(secretBase32: string, code: string, nowMs: number): number | null {
  if (!isTotpCode(code)) return null;
  const delta = totpOf(secretBase32).validate({ token: code, timestamp: nowMs, window: TOTP_WINDOW });
  return delta === null ? null : timeStepAt(nowMs) + delta;
}

/** Six digits (spaces a user may type between groups removed first, see normalizeCode). */
export function isTotpCode(code: string): boolean {
  return /^\d{6}$/.test(code);
}

/**
 * The code as compared: NFKC, any script's decimal digits as ASCII ones, spaces and dashes
 * dropped, lower case. Apps show TOTP codes as "123 456" and the recovery codes are shown as
 * "abcde-fghij"; either may come back typed with or without the separator, the separator as
 * any dash (Unicode's dash punctuation, and the minus sign: a client that shows the code with
 * a non-breaking hyphen so it never wraps hands back U+2011 when it is copied, which NFKC
 * leaves a U+2010 hyphen; a word processor an en dash), and in the digits
 * the phone's keyboard types: a Japanese or Chinese IME in full-width mode sends "１２３４５６"
 * (NFKC makes it ASCII), a Persian keyboard "۱۲۳۴۵۶" (no compatibility form: mapped by value).
 * A Turkish keyboard that capitalizes a code's first letter (a phone's auto-capitalization)
 * types İ for i: i too. Refused, those were a wrong code and a failed sign-in attempt.
 */
export function normalizeCode(code: string): string {
  return code
    .normalize('NFKC')
    .replace(/(?![0-9])\p{Nd}/gu, asciiDigit)
    .replace(/[\s\p{Pd}\u2212]/gu, '')
    // Turkish İ (what a Turkish keyboard capitalizes i to) is i: its default lower case is
    // i + U+0307 (combining dot), which no code holds.
    .replace(/\u0130/g, 'i')
    .toLowerCase();
}

/**
 * The ASCII digit of a decimal digit of any script. Unicode encodes every script's decimal
 * digits (Nd) as runs of ten, 0 to 9 ascending, and runs that touch are whole runs, so the
 * value is the distance from the first digit of the unbroken stretch of Nd, modulo 10.
 */
function asciiDigit(digit: string): string {
  let first = digit.codePointAt(0)!;
  while (/\p{Nd}/u.test(String.fromCodePoint(first - 1))) first -= 1;
  return String((digit.codePointAt(0)! - first) % 10);
}

/** Ten new recovery codes, as shown to the user (`xxxxx-xxxxx`). */
export function newRecoveryCodes(count = RECOVERY_CODE_COUNT): string[] {
  return Array.from({ length: count }, () => {
    const bytes = randomBytes(RECOVERY_CODE_CHARS);
    // 256 is a multiple of 32: each byte gives one unbiased base32 character.
    const text = Array.from(bytes, (b) => BASE32[b % 32]).join('');
    return `${text.slice(0, 5)}-${text.slice(5)}`;
  });
}

/**
 * What is stored of a recovery code: SHA-256 of the user id and the normalized code,
 * base64url. 50 random bits need no slow hash (a guess costs a sign-in attempt, which the
 * throttle counts); the user id keeps equal codes of two users from having equal hashes.
 */
export function recoveryCodeHash(userId: string, code: string): string {
  return createHash('sha256').update(`${userId}:${normalizeCode(code)}`, 'utf8').digest('base64url');
}

function totpOf(secretBase32: string, label?: string): TOTP {
  return new TOTP({ issuer: TOTP_ISSUER, ...(label ? { label } : {}), secret: Secret.fromBase32(secretBase32), ...TOTP_PARAMS });
}
