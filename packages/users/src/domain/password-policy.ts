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
const ONLY_DIGITS_AND_SYMBOLS = /^[\p{N}\p{P}\p{S}\s]*$/u;

/**
 * `word` alone or followed only by digits, spaces and punctuation. Compared as a prefix, not by
 * stripping the password's tail: a word that itself ends in digits ("ada1990") would lose them.
 */
function isWordAndTail(folded: string, word: string): boolean {
  return word !== '' && folded.startsWith(word) && ONLY_DIGITS_AND_SYMBOLS.test(folded.slice(word.length));
}

/** Why `password` is refused for the account with `email`, or null when it may be used. */
export function weakPasswordReason(password: string, email: string, common: ReadonlySet<string>): WeakPasswordReason | null {
  const folded = foldPassword(password);
  if (common.has(folded)) return 'common';
  const address = foldPassword(email);
  const localPart = address.slice(0, address.lastIndexOf('@'));
  // A +tag address ("ada+bank@"): the mailbox name before the tag is the word guessed first.
  const plus = localPart.indexOf('+');
  const mailbox = plus > 0 ? localPart.slice(0, plus) : '';
  for (const word of [address, localPart, mailbox]) if (isWordAndTail(folded, word)) return 'email';
  if (isWordAndTail(folded, foldPassword(APP_NAME))) return 'app-name';
  return null;
}
