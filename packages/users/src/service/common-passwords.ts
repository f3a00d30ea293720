import { loadOnce, problems } from '@budgeting/platform';
import { weakPasswordReason, type WeakPasswordReason } from '../domain/password-policy';

/**
 * The list of common and breached passwords: zxcvbn-ts's `passwords` dictionary (49,233 lower
 * case entries from leaked password sets, MIT, shipped in the package: no network on the sign-up
 * path). Imported on the first check, not with the users router, so no cold start pays for it
 * (tests/lambda/cold-http-imports.test.ts); kept as a Set, so each check after the load is one
 * O(1) lookup (about 60 ns). Measured on Node 22 (--expose-gc, 3 runs): 15 to 20 ms to import
 * and build the Set, 4.3 MiB of heap retained (the package's small keyboard and diceware data
 * included), once per container.
 */
export const loadCommonPasswords = loadOnce(async (): Promise<ReadonlySet<string>> => {
  const { dictionary } = await import('@zxcvbn-ts/language-common');
  return new Set(dictionary.passwords);
});

/** What the refusal says: why, never the password itself. */
const MESSAGES: Record<WeakPasswordReason, string> = {
  common: 'Too common: it is on a list of passwords attackers try first; choose another',
  email: 'Must not be your email address or the part of it before the @',
  'app-name': "Must not be the app's name",
};

/** The check every route that sets a password (signup, password change, reset confirmation) runs. */
export class PasswordPolicy {
  constructor(private readonly load: () => Promise<ReadonlySet<string>> = loadCommonPasswords) {}

  /** Throws 400 naming `field` when `password` may not be the account's new password. */
  async check(password: string, email: string, field: string): Promise<void> {
    const reason = weakPasswordReason(password, email, await this.load());
    if (reason) throw problems.validation([{ path: field, message: MESSAGES[reason] }], 'Choose a password that is harder to guess.');
  }
}
