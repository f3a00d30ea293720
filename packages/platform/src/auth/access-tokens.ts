import { SignJWT, errors as joseErrors, jwtVerify } from 'jose';
import type { Clock } from '../clock';
import { epochSeconds } from '../clock';

/**
 * Short-lived signed access tokens (JWT, HS256). They are verified with the signing key alone,
 * without a database read, so every module can authenticate a request cheaply. Refresh
 * tokens are not JWTs: they are opaque and live in the users module.
 */
const ISSUER = 'budgeting';
const AUDIENCE = 'budgeting-api';

export interface AccessTokenClaims {
  userId: string;
}

export class InvalidTokenError extends Error {
  constructor(readonly reason: 'expired' | 'invalid') {
    super(reason === 'expired' ? 'The access token has expired.' : 'The access token is invalid.');
    this.name = 'InvalidTokenError';
  }
}

export class AccessTokens {
  private readonly key: Uint8Array;

  constructor(
    signingKey: string,
    readonly ttlSeconds: number,
    private readonly clock: Clock,
  ) {
    this.key = new TextEncoder().encode(signingKey);
  }

  async sign(claims: AccessTokenClaims): Promise<string> {
    const now = epochSeconds(this.clock.now());
    return new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', typ: 'JWT' })
      .setSubject(claims.userId)
      .setIssuer(ISSUER)
      .setAudience(AUDIENCE)
      .setIssuedAt(now)
      .setExpirationTime(now + this.ttlSeconds)
      .sign(this.key);
  }

  async verify(token: string): Promise<AccessTokenClaims> {
    try {
      const { payload } = await jwtVerify(token, this.key, {
        algorithms: ['HS256'],
        issuer: ISSUER,
        audience: AUDIENCE,
        currentDate: this.clock.now(),
        requiredClaims: ['sub', 'exp', 'iat'],
      });
      return { userId: payload.sub as string };
    } catch (err) {
      if (err instanceof joseErrors.JWTExpired) throw new InvalidTokenError('expired');
      throw new InvalidTokenError('invalid');
    }
  }
}
