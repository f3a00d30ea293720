import { createEvent, epochSeconds, outboxPut, type Clock, type ModuleStore } from '@budgeting/platform';
import { planPlace, placeKey, placesWrite, signInPlace, type KnownPlaces } from '../domain/sign-in-place';
import { userSignedInFromNewPlace } from '../events';
import type { User } from '../model';
import type { SignInWrites } from '../repository/sessions.repository';

/** What a sign-in request says about where it comes from (nothing else is looked at). */
export interface SignInClient {
  /** As the runtime saw it (platform clientAddress): never a header. */
  address?: string;
  userAgent?: string;
}

/**
 * Sign-in alerts (docs/sign-in-alerts.md "Sign-in alerts"): which places an account knows, and what a completed
 * sign-in writes about its own. Pure planning plus the event; the writes ride the transaction
 * that starts the session (SessionsRepository.start), so a sign-in from a known place costs no
 * request, and a new one none of its own either.
 */
export class SignInPlaces {
  private readonly key: Buffer;
  /** The previous signing key's place key, while a rotation keeps it (TOKEN_SIGNING_KEY_PREVIOUS). */
  private readonly previousKey?: Buffer;

  constructor(
    private readonly store: ModuleStore,
    private readonly clock: Clock,
    signingKey: string,
    previousSigningKey?: string,
  ) {
    this.key = placeKey(signingKey);
    if (previousSigningKey && previousSigningKey !== signingKey) this.previousKey = placeKey(previousSigningKey);
  }

  /** Signup: the first place, recorded without a mail (the account holder is right there). */
  first(userId: string, client: SignInClient): KnownPlaces {
    return { [signInPlace(this.key, userId, client.address, client.userAgent).hash]: epochSeconds(this.clock.now()) };
  }

  /**
   * A sign-in about to start its session (the password, and the code with two-factor on, were
   * checked): the places to store when they change, and the event when the place is new. A
   * profile made before sign-in alerts has no places: its first sign-in is recorded without a
   * mail, as signup's (otherwise every existing account would be mailed once for nothing).
   * During a signing key rotation a place known under the previous key is known: re-keyed in the
   * same write, no event (one more HMAC, no request).
   */
  async writesFor(user: Pick<User, 'id' | 'knownPlaces'>, client: SignInClient): Promise<SignInWrites> {
    const now = this.clock.now();
    const place = signInPlace(this.key, user.id, client.address, client.userAgent);
    const unknownNow = user.knownPlaces !== undefined && user.knownPlaces[place.hash] === undefined;
    const previousHash = this.previousKey && unknownNow ? signInPlace(this.previousKey, user.id, client.address, client.userAgent).hash : undefined;
    const plan = planPlace(user.knownPlaces, place.hash, epochSeconds(now), previousHash);
    const write = plan.next ? placesWrite(user.knownPlaces, plan.next) : null;
    const out: SignInWrites = write ? { knownPlaces: write } : {};
    if (!plan.isNew || user.knownPlaces === undefined) return out;
    const event = await createEvent(userSignedInFromNewPlace, { userId: user.id, at: now.toISOString(), device: place.device, deviceParts: place.deviceParts, network: place.network }, this.clock);
    return { ...out, writes: [outboxPut(this.store, userSignedInFromNewPlace, event)] };
  }
}
