import { type Clock, createEvent, type ModuleStore, newId, normalizeTimeZone, outboxPut } from '@budgeting/platform';
import { userRegistered } from '../events';
import { DEFAULT_CURRENCY, DEFAULT_NOTIFICATIONS, DEFAULT_TIMEZONE, normalizeEmail, storedLocale, toPublicUser, type PublicUser, type User } from '../model';
import type { UsersRepository } from '../repository/users.repository';
import type { AddressLimit } from './address-limit';
import type { PasswordPolicy } from './common-passwords';
import type { LoginThrottle } from './login-throttle';
import type { MfaSignIn } from './mfa-sign-in.service';
import type { PasswordHasher } from './passwords';
import { userProblems } from './problems';
import type { SessionService, TokenPair } from './sessions.service';
import type { SignInPlaces } from './sign-in-places';

export interface SignupInput {
  email: string;
  password: string;
  name?: string;
  timezone?: string;
  currency?: string;
  /** A BCP 47 tag (validated by the schema, as PATCH /v1/me's), stored canonical; absent or null: none. */
  locale?: string | null;
}

export interface AuthResult {
  user: PublicUser;
  tokens: TokenPair;
}

/** Sign-up and sign-in: everything that turns credentials into a session. */
export class AuthService {
  constructor(
    private readonly store: ModuleStore,
    private readonly users: UsersRepository,
    private readonly sessions: SessionService,
    private readonly passwords: PasswordHasher,
    private readonly throttle: LoginThrottle,
    private readonly addressLimit: AddressLimit,
    private readonly refreshLimit: AddressLimit,
    private readonly clock: Clock,
    /** Two-factor sign-in: the challenge answered instead of tokens when the account has it on. */
    private readonly mfa: Pick<MfaSignIn, 'challenge'>,
    /** Sign-in alerts: the account's known places, recorded with the session. */
    private readonly places: SignInPlaces,
    /** Refuses a common or guessable new password (never consulted at sign-in). */
    private readonly policy: PasswordPolicy,
  ) {}

  /**
   * The account, its email reservation, the `user.registered` event and the first session
   * are committed in one transaction: a taken email (any case) leaves nothing behind. The
   * client address is admitted first: hashing is the cost an address may only spend slowly.
   * (Before that, the password policy: a refused password costs no hashing and no attempt.)
   */
  async signup(input: SignupInput, clientAddress?: string, userAgent?: string): Promise<AuthResult> {
    await this.policy.check(input.password, normalizeEmail(input.email), 'password');
    await this.addressLimit.admit(clientAddress);
    const now = this.clock.now();
    const timestamp = now.toISOString();
    const user: User = {
      id: newId(now.getTime()),
      email: normalizeEmail(input.email),
      name: input.name ?? null,
      timezone: input.timezone ? (normalizeTimeZone(input.timezone) ?? input.timezone) : DEFAULT_TIMEZONE,
      currency: input.currency ?? DEFAULT_CURRENCY,
      locale: storedLocale(input.locale),
      passwordHash: await this.passwords.hash(input.password),
      sessionEpoch: 0,
      version: 1,
      notifications: structuredClone(DEFAULT_NOTIFICATIONS),
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    // The first place is known from the start: signing up from it never mails.
    user.knownPlaces = this.places.first(user.id, { address: clientAddress, userAgent });
    const session = this.sessions.prepare(user.id, user.sessionEpoch);
    const event = await createEvent(userRegistered, { userId: user.id, email: user.email, name: user.name }, this.clock);
    const outcome = await this.users.register(user, [outboxPut(this.store, userRegistered, event), ...session.writes]);
    if (outcome === 'email-taken') throw userProblems.emailTaken();
    return { user: toPublicUser(user), tokens: await this.sessions.pairFor(session) };
  }

  /**
   * Unknown email and wrong password give the same 401 after the same amount of hashing; the
   * attempt is counted against the email either way. `clientAddress` (as the runtime saw it)
   * lets the throttle tell a guesser on one network from the owner on another. Both limits
   * are checked before the account is read or any hash computed.
   */
  async login(email: string, password: string, clientAddress?: string, userAgent?: string): Promise<AuthResult> {
    const normalized = normalizeEmail(email);
    await this.addressLimit.admit(clientAddress);
    const admission = await this.throttle.admit(normalized, clientAddress);
    const user = await this.users.findByEmail(normalized);
    const valid = user ? await this.passwords.verify(password, user.passwordHash) : await this.passwords.burn(password);
    if (!user || !valid) throw userProblems.invalidCredentials();
    // With two-factor on, a suspension is told only after the code too (MfaSignIn.complete).
    if (user.mfaOn) {
      // The password is right but not enough: no session, and not yet a success for the
      // throttle (this attempt stays counted until a code completes the sign-in, which then
      // gives back both steps' counts: the challenge carries this one's).
      await this.upgradeHashIfOutdated(user, password);
      throw await this.mfa.challenge(user, admission);
    }

    await this.throttle.succeeded(normalized, clientAddress, admission);
    // Suspended by support: told only now that the password proved right, and no session. A
    // suspension that commits after this read moves the epoch the session below is written
    // under, so that write fails (the 401 below) rather than outlive it.
    if (user.suspendedAt) throw userProblems.accountSuspended();
    await this.upgradeHashIfOutdated(user, password);
    // A place the account has not signed in from: recorded, and its mail's event written, in
    // the session's own transaction (the mail is sent after the commit, never before the answer).
    const tokens = await this.sessions.start(user.id, user.sessionEpoch, await this.places.writesFor(user, { address: clientAddress, userAgent }));
    // Deleted, or its password changed, between the password check and the session write:
    // the password just checked is no longer the account's.
    if (!tokens) throw userProblems.invalidCredentials();
    return { user: toPublicUser(user), tokens };
  }

  /** Counted per client address before the token is even looked up. */
  async refresh(refreshToken: string, clientAddress?: string): Promise<TokenPair> {
    await this.refreshLimit.admit(clientAddress);
    return this.sessions.refresh(refreshToken);
  }

  /**
   * Counted with the refreshes (one allowance per client address for presenting refresh
   * tokens): logout also looks an arbitrary token up with a consistent read.
   */
  async logout(refreshToken: string, clientAddress?: string): Promise<void> {
    await this.refreshLimit.admit(clientAddress);
    await this.sessions.logout(refreshToken);
  }

  /**
   * Raising the scrypt parameters later takes effect for each user at their next sign-in. Only
   * over the hash that was checked: a password change committed meanwhile must not be undone.
   */
  private async upgradeHashIfOutdated(user: User, password: string): Promise<void> {
    if (!this.passwords.needsRehash(user.passwordHash)) return;
    await this.users.setPasswordHash(user.id, user.passwordHash, await this.passwords.hash(password));
  }
}
