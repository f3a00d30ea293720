/**
 * Which new passwords are refused (OWASP ASVS 2.1.7, NIST SP 800-63B 5.1.1.2): one on the list
 * of common and breached passwords, and the context-specific words an attacker tries first for
 * this account (its email, the email's local part, the app's name). Pure: the list is passed in
 * (service/common-passwords.ts loads it). Only new passwords are checked; sign-in never is, so a
 * password stored before a word joined the list keeps working (NIST: no forced changes).
 */

/** The app's name as users see it (the authenticator apps' issuer, domain/totp.ts, says the same). */
export const APP_NAME = 'Budgeting';

export type WeakPasswordReason = 'common' | 'email' | 'app-name';

/**
 * The form passwords are compared in: NFKC (as they are hashed, service/passwords.ts, so
 * full-width or composed forms of a listed word are that word) and lower case (the list is).
 */
export function foldPassword(password: string): string {
  return password.normalize('NFKC').toLowerCase();
}

/**
 * Digits, spaces and punctuation at the end: "budgeting2026!" or "ada.lovelace1" is no harder
 * to guess than the word itself. (List entries are matched exactly: the list already holds the
 * variants people pick, "password123" among them.)
 */
const TRAILING_DIGITS_AND_SYMBOLS = /[\p{N}\p{P}\p{S}\s]+$/u;

/** Why `password` is refused for the account with `email`, or null when it may be used. */
export function weakPasswordReason(password: string, email: string, common: ReadonlySet<string>): WeakPasswordReason | null {
  const folded = foldPassword(password);
  if (common.has(folded)) return 'common';
  const stem = folded.replace(TRAILING_DIGITS_AND_SYMBOLS, '');
  const address = foldPassword(email);
  const localPart = address.slice(0, address.lastIndexOf('@'));
  for (const word of [address, localPart]) if (word && (folded === word || stem === word)) return 'email';
  const appName = foldPassword(APP_NAME);
  if (folded === appName || stem === appName) return 'app-name';
  return null;
}
