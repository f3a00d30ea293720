import type { Clock } from '@budgeting/platform';
import { newRecoveryCodes, newTotpSecret, normalizeCode, otpauthUri, recoveryCodeHash, totpStepOf } from '../domain/totp';
import type { TotpSecretSealer } from '../domain/totp-secret-sealer';
import { mfaStatusOf, type MfaStatus } from '../domain/mfa-status';
import type { User } from '../model';
import type { MfaRepository } from '../repository/mfa.repository';
import type { UsersRepository } from '../repository/users.repository';
import type { AddressLimit } from './address-limit';
import type { LoginThrottle } from './login-throttle';
import type { MfaCodes } from './mfa-codes';
import { mfaProblems } from './mfa-problems';
import type { PasswordHasher } from './passwords';
import { userProblems } from './problems';
import { securityNotice, type QueueUnit } from './security-notices';

export type { MfaStatus } from '../domain/mfa-status';

export interface TotpEnrolment {
  secret: string;
  otpauthUri: string;
  status: 'pending';
}

/**
 * /v1/me/mfa: enrol an authenticator, confirm it, read the state, turn it off, new recovery
 * codes. Every change but the confirmation re-checks the password exactly as a password change
 * does (the hashing cost guard per address, then the sign-in throttle of the email: a wrong
 * password, or a wrong code, is a failed attempt), so a stolen access token alone can neither
 * turn two-factor off nor read a new secret. The confirmation needs the code of the secret just
 * shown instead: only whoever holds that secret can give it, and a wrong code is a failed
 * attempt of the same throttle (so the code cannot be guessed either). Turning it on or off and
 * new recovery codes each tell the account's address (a security notice, in the change's own
 * transaction: docs/security-notices.md).
 */
export class MfaSettingsService {
  constructor(
    private readonly d: {
      users: UsersRepository;
      mfa: MfaRepository;
      codes: MfaCodes;
      sealer: TotpSecretSealer;
      passwords: PasswordHasher;
      throttle: LoginThrottle;
      addressLimit: AddressLimit;
      clock: Clock;
      /** The security notices' units go into the changes' transactions (docs/security-notices.md). */
      queueUnit: QueueUnit;
    },
  ) {}

  async status(userId: string): Promise<MfaStatus> {
    return mfaStatusOf(await this.d.mfa.get(userId));
  }

  /** A new secret, sealed and stored as pending (replacing a pending one); shown only in this answer. */
  async enrol(userId: string, password: string, clientAddress?: string): Promise<TotpEnrolment> {
    // Refused before the password is counted or checked: with two-factor on, a right password
    // alone must not be the throttle's success (it would clear the client's failed codes and
    // make it known, so a stolen session with the password could guess codes without limit).
    const user = await this.checkPassword(userId, password, clientAddress, undefined, (u) => {
      if (u.mfaOn) throw mfaProblems.alreadyOn();
    });
    const secret = newTotpSecret();
    const outcome = await this.d.mfa.putPending(userId, this.d.sealer.seal(secret, userId), this.d.clock.now().toISOString(), this.d.users.accountCheck(userId));
    if (outcome === 'on') throw mfaProblems.alreadyOn();
    // Deleted after the request's account check: nothing stored (MfaRepository.putPending).
    if (outcome === 'account-gone') throw userProblems.accountGone();
    return { secret, otpauthUri: otpauthUri(secret, user.email), status: 'pending' };
  }

  /**
   * Turns the pending enrolment on with a code of its secret; the answer's recovery codes are
   * shown only here (their hashes are stored). Other sessions are left alone: a user who fears
   * one is someone else's ends it (DELETE /v1/me/sessions/{id}) or changes the password.
   */
  async confirm(userId: string, code: string, clientAddress?: string): Promise<{ recoveryCodes: string[] }> {
    const [record, user] = await Promise.all([this.d.mfa.get(userId), this.d.users.getById(userId)]);
    if (!user) throw userProblems.accountGone();
    if (!record || record.state !== 'pending') throw mfaProblems.notPending();
    // Each code is a sign-in attempt of the email's throttle, as every other code check: without
    // it a stolen access token could guess the pending secret's code for as long as the
    // enrolment waits, and be shown the recovery codes.
    const admission = await this.d.throttle.admit(user.email, clientAddress);
    const step = totpStepOf(this.d.sealer.open(record.sealedSecret, userId), normalizeCode(code), this.d.clock.now().getTime());
    if (step === null) throw mfaProblems.incorrectCode();
    await this.d.throttle.succeeded(user.email, clientAddress, admission);
    const recoveryCodes = newRecoveryCodes();
    const hashes = recoveryCodes.map((c) => recoveryCodeHash(userId, c));
    const now = this.d.clock.now();
    if (!(await this.d.mfa.confirm(userId, record.sealedSecret, step, hashes, now.toISOString(), [securityNotice(this.d.queueUnit, userId, 'two-factor-on', now)]))) {
      if (!(await this.d.users.getById(userId))) throw userProblems.accountGone();
      // Replaced by a new enrolment, or confirmed by a concurrent request, meanwhile.
      throw mfaProblems.notPending();
    }
    return { recoveryCodes };
  }

  /** Off again: the password and a code (TOTP or recovery), then the item and the profile's flag go in one transaction. */
  async disable(userId: string, password: string, code: string, clientAddress?: string): Promise<void> {
    await this.checkPassword(userId, password, clientAddress, code);
    if (!(await this.d.mfa.disable(userId, [securityNotice(this.d.queueUnit, userId, 'two-factor-off', this.d.clock.now())]))) throw mfaProblems.notOn();
  }

  /** New recovery codes: the old ones are void at once. */
  async regenerateRecoveryCodes(userId: string, password: string, code: string, clientAddress?: string): Promise<{ recoveryCodes: string[] }> {
    await this.checkPassword(userId, password, clientAddress, code);
    const recoveryCodes = newRecoveryCodes();
    const notice = securityNotice(this.d.queueUnit, userId, 'recovery-codes-renewed', this.d.clock.now());
    if (!(await this.d.mfa.replaceRecoveryCodes(userId, recoveryCodes.map((c) => recoveryCodeHash(userId, c)), [notice]))) throw mfaProblems.notOn();
    return { recoveryCodes };
  }

  /**
   * The enrolment must be on (else 'not-on', the 409), then the code is checked and spent:
   * 'wrong' when it is, which the throttle counts as a failed attempt. A code refused because a
   * concurrent request turned two-factor off in between (its spend's condition met no
   * enrolment) is that request's 409 too, not a wrong code counted against the caller: re-read
   * once, only on a refusal.
   */
  private async spendCode(user: User, code: string): Promise<'spent' | 'wrong' | 'not-on'> {
    const record = await this.d.mfa.get(user.id);
    if (!record || record.state !== 'on') return 'not-on';
    if (await this.d.codes.spend(user.id, record, code)) return 'spent';
    const now = await this.d.mfa.get(user.id);
    if (!now || now.state !== 'on') return 'not-on';
    return 'wrong';
  }

  /**
   * The password check of POST /v1/me/password, then, given `code`, the second factor: only
   * when both pass is the attempt a success for the throttle, so a wrong code counts as a
   * failed sign-in attempt too (422 naming `code`). `refuse`: a refusal told from the profile
   * before anything is counted or hashed.
   *
   * With `code` (turning off, new recovery codes) two-factor must be on: 409 `mfa-not-on`, not
   * counted, from the profile's flag before anything is counted, or, turned off by a concurrent
   * request after that read, with the attempt given back (a client whose screen still shows it
   * on and retries must not run into the throttle's 429; until 2026-12-07 each such 409 was a
   * failed attempt).
   */
  private async checkPassword(userId: string, password: string, clientAddress: string | undefined, code?: string, refuse?: (user: User) => void): Promise<User> {
    await this.d.addressLimit.admit(clientAddress);
    const user = await this.d.users.getById(userId);
    if (!user) throw userProblems.accountGone();
    refuse?.(user);
    if (code !== undefined && !user.mfaOn) throw mfaProblems.notOn();
    const admission = await this.d.throttle.admit(user.email, clientAddress);
    if (!(await this.d.passwords.verify(password, user.passwordHash))) throw mfaProblems.incorrectPassword();
    if (code !== undefined) {
      const spent = await this.spendCode(user, code);
      if (spent === 'not-on') {
        await this.d.throttle.notAnAttempt(user.email, clientAddress, admission);
        throw mfaProblems.notOn();
      }
      if (spent === 'wrong') throw mfaProblems.incorrectCode();
    }
    await this.d.throttle.succeeded(user.email, clientAddress, admission);
    return user;
  }
}
