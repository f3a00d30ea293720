import { epochSeconds, keyInUse, newId, problems, type Clock, type KeyCompletion, type PersonalTokenScope } from '@budgeting/platform';
import { RECENT_SIGN_IN_SECONDS, signedInRecently } from '../domain/recent-sign-in';
import { formatPersonalToken, hashPersonalTokenSecret, newPersonalTokenSecret } from '../domain/personal-token';
import { personalTokenView, type PersonalTokenView } from '../domain/personal-token-view';
import type { PersonalTokenRecord, PersonalTokensRepository } from '../repository/personal-tokens.repository';
import type { UsersRepository } from '../repository/users.repository';
import type { LoginThrottle } from './login-throttle';
import type { MfaStepUp } from './mfa-step-up';
import { userProblems } from './problems';
import { securityNotice, type QueueUnit } from './security-notices';

/** At most this many personal access tokens per account (expired ones count until deleted). */
export const MAX_PERSONAL_TOKENS = 20;
export const DEFAULT_PERSONAL_TOKEN_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;

export interface NewPersonalToken {
  name: string;
  scope: PersonalTokenScope;
  expiresInDays?: number;
  /** The second factor, required when the account has two-factor on (never stored). */
  code?: string;
}

/** A token as its create answers it: with its secret, shown this once. */
export type CreatedPersonalToken = PersonalTokenView & { token: string };

/** /v1/me/tokens: the caller's personal access tokens (made, listed, revoked). */
export class PersonalTokensService {
  constructor(
    private readonly users: UsersRepository,
    private readonly tokens: PersonalTokensRepository,
    private readonly clock: Clock,
    private readonly stepUp: MfaStepUp,
    private readonly throttle: LoginThrottle,
    /** The security notice's unit goes into the create's transaction (docs/security-notices.md). */
    private readonly queueUnit: QueueUnit,
  ) {}

  /**
   * Makes a token and answers it with its secret, the only time the secret is shown.
   * `reservedId` is the Idempotency-Key's reserved resource id: a retry after an attempt that
   * committed but never answered finds the token made then, and, since nobody can hold that
   * attempt's secret (the 2xx was never stored, so never sent), gives it a new one instead of
   * making a second token.
   *
   * The token records the profile's session epoch, read here (the read travels in the account
   * check's BatchGetItem, no request of its own) and required unchanged by the create's
   * transaction: whatever moves the epoch (a password change or reset, too many sign-outs)
   * therefore ends every personal access token in the account check each request already
   * makes, with no list of tokens to walk; deleting the account ends them too (no profile).
   *
   * `completeKey`: a keyed create's answer is committed with the token (sealed by the route's
   * sealer, as the middleware's own completion), so a retry after a crash between the commit and
   * the answer replays it at once, the first secret included; the reissue above then serves only
   * an attempt whose transaction failed after committing without it (not the case today).
   */
  async create(
    userId: string,
    input: NewPersonalToken,
    reservedId?: string,
    clientAddress?: string,
    completeKey?: KeyCompletion<CreatedPersonalToken>,
    /** The session's sign-in time (the access token's `auth_time`, seconds): see below. */
    authTime?: number,
  ): Promise<CreatedPersonalToken> {
    const state = await this.users.sessionState(userId);
    if (!state) throw userProblems.accountGone();
    const now = this.clock.now();
    // A token lives up to a year and outlives the session that made it: minting one is a step up.
    // With two-factor on, a current code; without, a sign-in within the last 10 minutes (as
    // deleting the account: domain/recent-sign-in.ts), so a stolen access token or refresh token
    // cannot turn itself into a year-long credential.
    if (state.mfaOn) {
      // A create the cap refuses anyway must not spend the code first (a recovery code would be
      // gone for good): told before it, as a password change refused for its new password.
      // One GetItem, only with two-factor on; the create's transaction still decides.
      if (await this.wouldBeRefusedForTheCap(userId, reservedId)) throw userProblems.tooManyPersonalTokens(this.tokens.max);
      await this.secondFactor(userId, state.email, input.code, clientAddress);
    } else if (!signedInRecently(authTime, epochSeconds(now))) throw userProblems.reauthenticationRequired(RECENT_SIGN_IN_SECONDS / 60, 'Creating a personal access token');
    const secret = newPersonalTokenSecret();
    const record: PersonalTokenRecord = {
      userId,
      tokenId: reservedId ?? newId(now.getTime()),
      name: input.name,
      scope: input.scope,
      epoch: state.epoch,
      secretHash: hashPersonalTokenSecret(secret),
      createdAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + (input.expiresInDays ?? DEFAULT_PERSONAL_TOKEN_DAYS) * DAY_MS).toISOString(),
      lastUsedAt: null,
    };
    const created: CreatedPersonalToken = { ...personalTokenView(record, now), token: formatPersonalToken(userId, record.tokenId, secret) };
    // The account's address is told of the new token, in the create's transaction (a notice's
    // fresh item never fails its condition, so a refusal there is still the key's). A reissue
    // below queues none: the attempt that committed queued it.
    const notice = securityNotice(this.queueUnit, userId, 'personal-token-created', now, record.name);
    const outcome = await this.tokens.create(record, [...(completeKey ? [completeKey.item(created)] : []), notice]);
    if (outcome === 'created') {
      completeKey?.committed();
      return created;
    }
    if (outcome === 'key-taken') throw keyInUse();
    if (outcome === 'full') throw userProblems.tooManyPersonalTokens(this.tokens.max);
    if (outcome === 'account-changed') throw userProblems.accountGone();
    return this.reissue(userId, record.tokenId, secret);
  }

  /**
   * With two-factor on, a token (which outlives every session and skips the second factor)
   * takes a current code (MfaStepUp): counted as a sign-in attempt of the email's throttle,
   * so a wrong code is a failed one and a right one a success, as on POST /v1/auth/login/mfa.
   * No password: the session already proved it, and a code is the factor a stolen session lacks.
   */
  private async secondFactor(userId: string, email: string, code: string | undefined, clientAddress: string | undefined): Promise<void> {
    const user = { id: userId, mfaOn: true };
    this.stepUp.require(user, code);
    const admission = await this.throttle.admit(email, clientAddress);
    await this.stepUp.spend(user, code);
    await this.throttle.succeeded(email, clientAddress, admission);
  }

  /**
   * The user has the cap's 20 tokens, none of them this create's own (a keyed retry whose first
   * attempt made its token is not refused: create() reissues it).
   */
  private async wouldBeRefusedForTheCap(userId: string, reservedId: string | undefined): Promise<boolean> {
    if (!(await this.tokens.isFull(userId))) return false;
    return reservedId === undefined || !(await this.tokens.get(userId, reservedId));
  }

  /** The 'exists' case of create(): the earlier attempt's token, with a new secret (see create). */
  private async reissue(userId: string, tokenId: string, secret: string): Promise<CreatedPersonalToken> {
    const existing = await this.tokens.get(userId, tokenId);
    if (existing && (await this.tokens.replaceUnusedSecret(userId, tokenId, existing.secretHash, hashPersonalTokenSecret(secret)))) {
      return { ...personalTokenView(existing, this.clock.now()), token: formatPersonalToken(userId, tokenId, secret) };
    }
    throw problems.conflict('The personal access token of this Idempotency-Key was already made and used or deleted; create another with a new key.');
  }

  async list(userId: string): Promise<PersonalTokenView[]> {
    const now = this.clock.now();
    return (await this.tokens.list(userId)).map((record) => personalTokenView(record, now));
  }

  /** One token as the list shows it (expired ones too, until deleted), never its secret; someone else's or an unknown id is a 404. */
  async get(userId: string, tokenId: string): Promise<PersonalTokenView> {
    const record = await this.tokens.get(userId, tokenId);
    if (!record) throw userProblems.personalTokenNotFound();
    return personalTokenView(record, this.clock.now());
  }

  /** Deletes the token at once (its next use is a 401); someone else's or an unknown id is a 404. */
  async revoke(userId: string, tokenId: string): Promise<void> {
    if (!(await this.tokens.remove(userId, tokenId))) throw userProblems.personalTokenNotFound();
  }
}
