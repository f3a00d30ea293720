import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { Clock } from '../clock';
import { epochSeconds } from '../clock';
import type { RateLimiter } from '../http/rate-limit';

/**
 * Short-lived signed access tokens (JWT, HS256). They are verified with the signing key alone,
 * without a database read, so every module can authenticate a request cheaply. Refresh
 * tokens are not JWTs: they are opaque and live in the users module.
 */
const ISSUER = 'budgeting';
const AUDIENCE = 'budgeting-api';

export interface AccessTokenClaims {
  userId: string;
  /**
   * The session (the users module's refresh-token family) the token was issued for, as the
   * `sid` claim. The account check refuses it once that session was ended (signed out, logged
   * out). Optional: tokens signed before sessions were named carry none and still verify; they
   * just cannot say which session they belong to (and outlive its end until they expire).
   */
  sessionId?: string;
  /**
   * The account's session epoch when the token was issued, as the `sep` claim (the users
   * module raises the epoch on a password change or reset). The account check requires the
   * profile to still be at it, so such a change ends every access token issued before it at
   * once, not when it expires. Optional: tokens without it are checked for the account only.
   */
  sessionEpoch?: number;
  /**
   * When the session signed in (its password login, with the second factor when the account
   * has one), in seconds since the epoch, as OpenID Connect Core's `auth_time` claim. A refresh
   * carries the original sign-in time forward, so a route that wants a recent sign-in (account
   * deletion, the users module's "sudo" check) can tell an old session from a fresh one without
   * a read. Optional: tokens signed before it existed carry none, and count as not recent.
   */
  authTime?: number;
}

/**
 * Personal access tokens (the users module's, for scripts and integrations) start with this,
 * so one string test tells them from a JWT (which starts with `eyJ`): a JWT request pays nothing
 * for their existence.
 */
export const PERSONAL_TOKEN_PREFIX = 'bgt_';

/** What a personal access token may do: `read` only GET and HEAD, `write` everything a session may (bar account management). */
export type PersonalTokenScope = 'read' | 'write';

/** A personal access token the users module found valid (see AccessTokenOptions.personalTokens). */
export interface PersonalTokenGrant {
  userId: string;
  tokenId: string;
  scope: PersonalTokenScope;
  /**
   * The account's session epoch when the token was made: the account check requires the profile
   * to still be at it, so whatever ends every session (password change or reset, too many
   * sign-outs) ends every personal access token too, in the same check and at no cost.
   */
  sessionEpoch: number;
}

/** Who a bearer token names: a session's access token, or a personal access token (`personalToken` set). */
export interface Caller extends AccessTokenClaims {
  personalToken?: { id: string; scope: PersonalTokenScope };
}

const MESSAGES = {
  expired: 'The access token has expired.',
  invalid: 'The access token is invalid.',
  'personal-invalid': 'The personal access token is invalid or was revoked.',
  'personal-expired': 'The personal access token has expired.',
  'account-gone': 'The account of this access token no longer exists, or its session was ended (signed out, or a password change or reset).',
} as const;

export class InvalidTokenError extends Error {
  constructor(readonly reason: keyof typeof MESSAGES) {
    super(MESSAGES[reason]);
    this.name = 'InvalidTokenError';
  }
}

export interface AccessTokenOptions {
  /**
   * Whether the account a token names still exists, at the session epoch the token names if
   * it names one, with the session the token names not ended if it names one (the users
   * module answers). A deleted account's token, one issued before a password change, or one
   * of a signed-out session, stays validly signed until it expires; with this, every protected
   * route refuses it with 401, at the cost of one key read per request (which rides the
   * route's own read or write: auth-middleware.ts).
   */
  accountExists?: (userId: string, sessionEpoch?: number, sessionId?: string) => Promise<boolean>;
  /**
   * The per-caller rate limit every protected route applies once the token is verified
   * (requireAuth; http/rate-limit.ts). It travels with the tokens because every module already
   * receives them and hands them to requireAuth: no module's wiring knows about it. Absent: no limit.
   */
  rateLimiter?: RateLimiter;
  /**
   * Resolves a personal access token (`bgt_...`, the users module's): one key read of the
   * token's item. 'invalid' for a malformed, unknown or revoked one, 'expired' past its expiry;
   * both are a 401. Absent: such tokens are refused as invalid.
   */
  personalTokens?: (token: string) => Promise<PersonalTokenGrant | 'invalid' | 'expired'>;
  /**
   * The signing key before the last rotation: tokens it signed still verify (until they
   * expire, at most the TTL after the rotation); nothing is signed with it.
   */
  previousSigningKey?: string;
}

/**
 * Tokens whose signature and time-independent claims passed, with what the time checks need.
 * A client sends the same access token with every request until it expires; checking its
 * HMAC again each time cost a WebCrypto job (a thread-pool round trip) per request. Only a
 * token that verified is kept, so nothing unverified is ever trusted; the time checks (`nbf`,
 * `exp`, as jose makes them) run on every use. Bounded: the oldest entry goes first.
 */
interface VerifiedToken {
  userId: string;
  sessionId?: string;
  sessionEpoch?: number;
  authTime?: number;
  exp: number;
  nbf?: number;
}
const VERIFIED_TOKENS_KEPT = 1_000;

export class AccessTokens {
  private readonly key: Uint8Array;
  private readonly previousKey?: Uint8Array;
  private readonly verified = new Map<string, VerifiedToken>();

  constructor(
    signingKey: string,
    readonly ttlSeconds: number,
    private readonly clock: Clock,
    private readonly options: AccessTokenOptions = {},
  ) {
    this.key = new TextEncoder().encode(signingKey);
    if (options.previousSigningKey && options.previousSigningKey !== signingKey) this.previousKey = new TextEncoder().encode(options.previousSigningKey);
  }

  /** verify(), then the account check: what a protected route asks of a bearer token. */
  async authenticate(token: string): Promise<AccessTokenClaims> {
    const claims = await this.verify(token);
    await this.checkAccount(claims);
    return claims;
  }

  /**
   * Who a bearer token names, without the account check (requireAuth runs that alongside the
   * route): a JWT is verified as verify() does, with no read; a personal access token costs the
   * one read of its item (AccessTokenOptions.personalTokens) and names its account at the
   * epoch the token was made in, with no session.
   */
  async identify(token: string): Promise<Caller> {
    if (!token.startsWith(PERSONAL_TOKEN_PREFIX)) return this.verify(token);
    const grant = this.options.personalTokens ? await this.options.personalTokens(token) : 'invalid';
    if (grant === 'invalid') throw new InvalidTokenError('personal-invalid');
    if (grant === 'expired') throw new InvalidTokenError('personal-expired');
    return { userId: grant.userId, sessionEpoch: grant.sessionEpoch, personalToken: { id: grant.tokenId, scope: grant.scope } };
  }

  /** The caller rate limit, when there is one (see AccessTokenOptions.rateLimiter). */
  get rateLimiter(): RateLimiter | undefined {
    return this.options.rateLimiter;
  }

  /** The account check alone (the auth middleware runs it alongside the route, see requireAuth). */
  async checkAccount({ userId, sessionEpoch, sessionId }: AccessTokenClaims): Promise<void> {
    if (this.options.accountExists && !(await this.options.accountExists(userId, sessionEpoch, sessionId))) throw new InvalidTokenError('account-gone');
  }

  async sign(claims: AccessTokenClaims): Promise<string> {
    return (await this.issue(claims)).token;
  }

  /**
   * A token living ttlSeconds, or only until `notAfter` (epoch seconds) when that comes first: a
   * token of a session that ends then (the users module's absolute session lifetime) must not
   * outlive it. `expiresIn`: its seconds left, from the same clock reading as its `exp`.
   */
  async issue(claims: AccessTokenClaims, notAfter?: number): Promise<{ token: string; expiresIn: number }> {
    const now = epochSeconds(this.clock.now());
    const exp = notAfter === undefined ? now + this.ttlSeconds : Math.min(now + this.ttlSeconds, notAfter);
    const token = await new SignJWT({
      ...(claims.sessionId ? { sid: claims.sessionId } : {}),
      ...(claims.sessionEpoch !== undefined ? { sep: claims.sessionEpoch } : {}),
      ...(claims.authTime !== undefined ? { auth_time: claims.authTime } : {}),
    })
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(exp)
      .sign(this.key);
    return { token, expiresIn: exp - now };
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    const known = this.verified.get(token);
    if (known) return checkTimes(known, epochSeconds(this.clock.now()));
    try {
      const { payload } = await this.verifySignature(token);
      const claims = claimsOf(payload.sub as string, payload.sid, payload.sep, payload.auth_time);
      this.remember(token, { ...claims, exp: payload.exp as number, ...(payload.nbf !== undefined ? { nbf: payload.nbf } : {}) });
      return claims;
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new InvalidTokenError('expired');
      throw new InvalidTokenError('invalid');
    }
  }

  /** jose's checks under the current key, then (only if the signature was not ours) the previous one. */
  private async verifySignature(token: string) {
    const options = { algorithms: ['HS256'], issuer: ISSUER, audience: AUDIENCE, currentDate: this.clock.now(), requiredClaims: ['sub', 'exp', 'iat'] };
    try {
      return await jwtVerify(token, this.key, options);
    } catch (err) {
      if (!this.previousKey || !(err instanceof joseErrors.JWSSignatureVerificationFailed)) throw err;
      return jwtVerify(token, this.previousKey, options);
    }
  }

  private remember(token: string, verified: VerifiedToken): void {
    if (this.verified.size >= VERIFIED_TOKENS_KEPT) this.verified.delete(this.verified.keys().next().value!);
    this.verified.set(token, verified);
  }
}

/** jose's time checks with no clock tolerance: not before `nbf`, expired at `exp`. */
function checkTimes(token: VerifiedToken, now: number): AccessTokenClaims {
  if (token.nbf !== undefined && token.nbf > now) throw new InvalidTokenError('invalid');
  if (token.exp <= now) throw new InvalidTokenError('expired');
  return claimsOf(token.userId, token.sessionId, token.sessionEpoch, token.authTime);
}

/**
 * `sid` only when it is a non-empty string, `sep` and `auth_time` only when they are
 * non-negative integers; anything else is as if absent (older tokens).
 */
function claimsOf(userId: string, sid: unknown, sep: unknown, authTime: unknown): AccessTokenClaims {
  return {
    userId,
    ...(typeof sid === 'string' && sid !== '' ? { sessionId: sid } : {}),
    ...(isCount(sep) ? { sessionEpoch: sep } : {}),
    ...(isCount(authTime) ? { authTime } : {}),
  };
}

function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}
