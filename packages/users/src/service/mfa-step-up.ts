import type { User } from '../model';
import type { MfaRepository } from '../repository/mfa.repository';
import type { MfaCodes } from './mfa-codes';
import { mfaProblems } from './mfa-problems';

/**
 * Step-up for sensitive account changes (GitHub's "sudo mode" without its window): with
 * two-factor sign-in on, changing the email or the password and making a personal access token
 * also take a current code (TOTP or a recovery code) in the body's `code`. A stolen session
 * (access token, or a refresh token) plus a phished password is then still not enough to take
 * the account over or mint a long-lived token.
 *
 * The profile the route reads anyway carries `mfaOn`: an account without two-factor costs no
 * read more (the enrolment is read only when the flag is set). `require` comes before anything
 * is counted or hashed (a missing code is not a guess); `spend` comes after the password check
 * and before the throttle's success, so a wrong code is a failed attempt of the email's sign-in
 * throttle, as on POST /v1/auth/login/mfa and the /v1/me/mfa routes. The code is spent
 * (MfaCodes): a TOTP code is accepted once and never one older than the last (`lastStep`), a
 * recovery code is removed.
 */
export class MfaStepUp {
  constructor(
    private readonly mfa: MfaRepository,
    private readonly codes: MfaCodes,
  ) {}

  /** 403 `mfa-code-required` naming `code` when the account has two-factor on and no code came. */
  require(user: Pick<User, 'mfaOn'>, code: string | undefined): void {
    if (user.mfaOn && (code === undefined || code.trim() === '')) throw mfaProblems.codeRequired();
  }

  /** Checks and spends the code of an account with two-factor on (422 `incorrect-mfa-code` when wrong); nothing read without. */
  async spend(user: Pick<User, 'id' | 'mfaOn'>, code: string | undefined): Promise<void> {
    if (!user.mfaOn) return;
    this.require(user, code);
    const record = await this.mfa.get(user.id);
    // Turned off since the profile was read: nothing to check.
    if (!record || record.state !== 'on') return;
    if (await this.codes.spend(user.id, record, code!)) return;
    // Refused because a turn-off committed between the read and the spend (its condition met no
    // enrolment): two-factor is off, so nothing to check, as above; not a wrong code counted
    // against the caller (until 2026-12-07 a 422 and a failed attempt for a right code). Re-read
    // once, only on a refusal.
    const now = await this.mfa.get(user.id);
    if (!now || now.state !== 'on') return;
    throw mfaProblems.incorrectCode();
  }
}
