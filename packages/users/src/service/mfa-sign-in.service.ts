import { createHash, randomBytes } from 'node:crypto';
import { epochSeconds, type Clock, type ProblemError } from '@budgeting/platform';
import { toPublicUser, type User } from '../model';
import type { MfaChallengesRepository } from '../repository/mfa-challenges.repository';
import type { MfaRepository } from '../repository/mfa.repository';
import type { UsersRepository } from '../repository/users.repository';
import type { AddressLimit } from './address-limit';
import type { AuthResult } from './auth.service';
import type { Admission, LoginThrottle } from './login-throttle';
import type { MfaCodes } from './mfa-codes';
import { mfaProblems } from './mfa-problems';
import { userProblems } from './problems';
import type { SessionService } from './sessions.service';
import type { SignInPlaces } from './sign-in-places';

/** How long the password step stays good for its code: 5 minutes. */
export const MFA_CHALLENGE_SECONDS = 5 * 60;
/** Wrong codes per mfaToken; the next makes it void (and each counts toward the sign-in throttle too). */
export const MFA_MAX_FAILURES = 5;

const hashOf = (mfaToken: string) => createHash('sha256').update(mfaToken, 'utf8').digest('base64url');
/** base64url of 32 bytes. */
const MFA_TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * The second step of signing in to an account with two-factor on. Login (and a password
 * reset's confirmation) checks the password, then calls `challenge` instead of starting a
 * session: a stored challenge named by a random mfaToken (256 bits; only its SHA-256 is
 * stored), answered as the 401 `mfa-required`. `complete` takes the token and a code and
 * starts the session login would have started.
 *
 * Limits: a token lives 5 minutes and has at most 5 codes checked (each counted atomically on
 * the item before it is checked; the 5th wrong one voids it); every completion is also a sign-in attempt of the email's throttle
 * (per client: the 6th failure in 15 minutes is a 429), and of the per-address cost guard, so
 * fetching new tokens with the password does not buy unlimited guesses either.
 */
export class MfaSignIn {
  constructor(
    private readonly d: {
      users: UsersRepository;
      mfa: MfaRepository;
      challenges: MfaChallengesRepository;
      codes: MfaCodes;
      sessions: SessionService;
      throttle: LoginThrottle;
      addressLimit: AddressLimit;
      clock: Clock;
      places: SignInPlaces;
    },
  ) {}

  /**
   * Stores a challenge for `user` (password just checked) and returns the 401 to answer with.
   * `passwordStep`: what the password step counted in the sign-in throttle (login's), given
   * back with the code step's when the sign-in completes.
   */
  async challenge(user: Pick<User, 'id' | 'sessionEpoch'>, passwordStep?: Admission): Promise<ProblemError> {
    const token = randomBytes(32).toString('base64url');
    const now = this.d.clock.now();
    const expiresAt = epochSeconds(now) + MFA_CHALLENGE_SECONDS;
    await this.d.challenges.create(hashOf(token), { userId: user.id, epoch: user.sessionEpoch, expiresAt, ...(passwordStep ? { passwordStep } : {}) });
    return mfaProblems.mfaRequired(token, new Date(expiresAt * 1000).toISOString());
  }

  async complete(mfaToken: string, code: string, clientAddress?: string, userAgent?: string): Promise<AuthResult> {
    await this.d.addressLimit.admit(clientAddress);
    if (!MFA_TOKEN.test(mfaToken)) throw mfaProblems.invalidMfaToken();
    const tokenHash = hashOf(mfaToken);
    const challenge = await this.d.challenges.get(tokenHash);
    if (!challenge || challenge.expiresAt <= epochSeconds(this.d.clock.now()) || challenge.failures >= MFA_MAX_FAILURES) throw mfaProblems.invalidMfaToken();

    const [user, record] = await Promise.all([this.d.users.getById(challenge.userId), this.d.mfa.get(challenge.userId)]);
    // Deleted, its password changed or reset, or two-factor turned off since the password step.
    if (!user || user.sessionEpoch !== challenge.epoch || !record || record.state !== 'on') throw mfaProblems.invalidMfaToken();
    // Counted before the code is checked, under the account's email (stored normalized): the
    // challenge keeps no email (MfaChallenge). A void token above checked no code: nothing to count.
    const admission = await this.d.throttle.admit(user.email, clientAddress);

    // The attempt is counted on the challenge BEFORE the code is checked (an atomic ADD, only
    // while fewer than 5 were): counted after a wrong check, concurrent codes all passed the
    // read above and were all checked, each able to spend a recovery code. A right code's
    // count goes with the challenge it deletes.
    const attempts = await this.d.challenges.countAttempt(tokenHash, MFA_MAX_FAILURES);
    if (attempts === null) return this.lostToken(user.email, clientAddress, admission);
    const spend = this.d.codes.spendWrite(user.id, record, code);
    if (!spend) throw mfaProblems.invalidMfaCode(MFA_MAX_FAILURES - attempts);
    // Suspended by support: told only now that the password and the code proved right, and no
    // session. The code is NOT spent (nor the challenge ended): only a completing sign-in
    // spends one, and a recovery code burnt on a refusal would leave the owner fewer after the
    // lift. A right code is still the throttle's success, as at login. A suspension after the
    // read above moves the epoch, so the session write below fails instead.
    if (user.suspendedAt) {
      await this.d.throttle.succeeded(user.email, clientAddress, admission, challenge.passwordStep);
      throw userProblems.accountSuspended();
    }
    // A sign-in completes once: of two requests with good codes, one wins, and only its code is
    // spent (the code's write and the challenge's end are one transaction).
    let outcome = await this.d.challenges.consumeWith(tokenHash, MFA_MAX_FAILURES, spend);
    if (outcome === 'code-refused') {
      // The reseal job (or another request) moved this very seal to the current key after our read: checked again once against it.
      const again = await this.d.codes.spendWriteAfterRefusal(user.id, record, code);
      if (again) outcome = await this.d.challenges.consumeWith(tokenHash, MFA_MAX_FAILURES, again);
    }
    if (outcome === 'challenge-gone') return this.lostToken(user.email, clientAddress, admission);
    // Spent meanwhile (the same code, or a later TOTP step, accepted by another request).
    if (outcome === 'code-refused') throw mfaProblems.invalidMfaCode(MFA_MAX_FAILURES - attempts);
    await this.d.throttle.succeeded(user.email, clientAddress, admission, challenge.passwordStep);
    // Only now is it a sign-in: a new place is recorded (and mailed) with the session, never at the password step.
    const tokens = await this.d.sessions.start(user.id, user.sessionEpoch, await this.d.places.writesFor(user, { address: clientAddress, userAgent }));
    if (!tokens) throw userProblems.invalidCredentials();
    return { user: toPublicUser(user), tokens };
  }

  /**
   * The challenge went between this request's read and its write: another request completed the
   * sign-in (the same one sent twice, a retry after a lost answer) or used up its 5 codes. This
   * request guessed nothing (its code was not checked, or was right and lost the race), so its
   * sign-in attempt is given back: a client retrying must not lock its user out. A replay after
   * the challenge is gone never got this far (refused by the read, before any count), so
   * neither a replayed nor a raced token costs an attempt; the 5 codes checked per token
   * stay counted.
   */
  private async lostToken(email: string, clientAddress: string | undefined, admission: Admission): Promise<never> {
    await this.d.throttle.notAnAttempt(email, clientAddress, admission);
    throw mfaProblems.invalidMfaToken();
  }
}
