import { randomUUID } from 'node:crypto';
import { conditionFailedAt, isConditionFailed, refusingItem, waitBefore, type JitterPolicy, type ModuleStore } from '@budgeting/platform';
import type { UsersKeys } from './keys';
import type { SpendWrite } from './mfa.repository';

/**
 * A sign-in whose password was right, waiting for its second factor (`users#mfa-challenge#
 * <sha256 of the mfaToken>`). Only the hash of the token is stored, so the table yields no
 * usable token. `epoch` is the profile's session epoch when the password was checked: the
 * session the code completes is started in it, so a password change meanwhile voids the
 * challenge (the session write's condition). TTL `expiresAt`; reads compare it with the clock.
 * Not in the user's partition: account deletion leaves it, inert (no profile, no session can
 * start) and gone within minutes by TTL.
 *
 * No email: the second step reads the account by `userId` anyway and takes the sign-in
 * throttle's email from it (its per-client keys hash the email with the client's bucket, known
 * only at the second step, so no stored hash could stand in for it). Items written before kept
 * `email`; it is ignored, and they complete as any other during their 5 minutes.
 */
export interface MfaChallenge {
  userId: string;
  epoch: number;
  /** Epoch seconds; also the TTL attribute. */
  expiresAt: number;
  /** Codes checked so far (each counted before its check; a right one deletes the item). */
  failures: number;
  /**
   * The password step's count in the email-wide sign-in throttle (service/login-throttle.ts Admission):
   * refunded with the code step's when the sign-in completes. Absent: not counted (a known
   * client, or a password reset's challenge).
   */
  passwordStep?: { countedForEmail: boolean; emailWindowEndsAt?: number };
}

/** Tries of a count refused by a concurrent transaction on the challenge (about 0.6 s at most in all). */
const COUNT_ATTEMPTS = 5;
/** The wait between those tries: 40 ms, doubling (20 * 2^attempt ms); COUNT_ATTEMPTS bounds it (40 + 80 + 160 + 320 ms). */
const CONFLICT_WAIT: JitterPolicy = { baseMs: 40, capMs: Number.POSITIVE_INFINITY, growth: 'doubling' };

export class MfaChallengesRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: UsersKeys,
  ) {}

  /**
   * Writes the challenge of a fresh mfaToken (its key the token's hash: no other call writes it).
   * A refusal brings the item back (ALL_OLD): this very challenge (its user and expiry) means the
   * PutItem committed, its answer was lost, and the SDK's second sending met it; the sign-in goes
   * on. Until 2026-12-07 that was a 500, the password step already counted.
   */
  async create(tokenHash: string, challenge: Omit<MfaChallenge, 'failures'>): Promise<void> {
    const { passwordStep, ...fields } = challenge;
    const counted = passwordStep?.countedForEmail ? passwordStep.emailWindowEndsAt : undefined;
    try {
      await this.store.put({
        Item: { ...this.keys.mfaChallenge(tokenHash), kind: 'mfa-challenge', ...fields, failures: 0, ...(counted === undefined ? {} : { emailCountedUntil: counted }) },
        ConditionExpression: 'attribute_not_exists(pk)',
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
    } catch (err) {
      const held = refusingItem(err);
      if (held?.userId === challenge.userId && held.expiresAt === challenge.expiresAt && held.failures === 0) return;
      throw err;
    }
  }

  async get(tokenHash: string): Promise<MfaChallenge | null> {
    const item = await this.store.get({ Key: this.keys.mfaChallenge(tokenHash), ConsistentRead: true });
    if (!item) return null;
    return {
      userId: item.userId as string,
      epoch: item.epoch as number,
      expiresAt: item.expiresAt as number,
      failures: typeof item.failures === 'number' ? item.failures : 0,
      ...(typeof item.emailCountedUntil === 'number' ? { passwordStep: { countedForEmail: true, emailWindowEndsAt: item.emailCountedUntil } } : {}),
    };
  }

  /**
   * Counts a code about to be checked with one atomic ADD, only while fewer than `max` were
   * counted: the count after it, or null when the challenge is gone or was already used up
   * (concurrent codes cannot get past the limit between a read and a write, and no code is
   * checked without its count).
   *
   * The count marks the challenge with its own token (`countToken`) and is refused when it
   * already holds it; a refusal brings the challenge back (ALL_OLD), and one holding the token
   * is this very count (it committed, its answer was lost, and the SDK sent it again): its
   * failures are the answer. Until 2026-12-07 the second sending counted the code again (one
   * try of the five lost), and the fifth code's found the limit reached: a right code answered
   * 401 invalid-mfa-token.
   */
  async countAttempt(tokenHash: string, max: number): Promise<number | null> {
    const countToken = randomUUID();
    for (let attempt = 1; ; attempt++) {
      try {
        const out = await this.store.update({
          Key: this.keys.mfaChallenge(tokenHash),
          UpdateExpression: 'SET countToken = :token ADD failures :one',
          ConditionExpression: 'attribute_exists(pk) AND failures < :max AND (attribute_not_exists(countToken) OR countToken <> :token)',
          ExpressionAttributeValues: { ':one': 1, ':max': max, ':token': countToken },
          ReturnValues: 'UPDATED_NEW',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        });
        return out.Attributes?.failures as number;
      } catch (err) {
        const own = refusingItem(err);
        if (own?.countToken === countToken) return own.failures as number;
        if (isConditionFailed(err)) return null;
        // Another request's consumeWith transaction holds the item: DynamoDB refuses a plain
        // write to it meanwhile (and the SDK does not retry that). Once it is done the challenge
        // is gone (null above) or, its code refused, still there to count on.
        if ((err as { name?: string })?.name !== 'TransactionConflictException' || attempt >= COUNT_ATTEMPTS) throw err;
        await waitBefore(attempt, CONFLICT_WAIT);
      }
    }
  }

  /**
   * Spends the challenge (a sign-in completes once) and the code together, in ONE
   * transaction: of two requests with two right codes, the one that loses the challenge spends
   * no code (spent apart, each request spent its own before one of them found the challenge
   * gone). 'challenge-gone' wins over
   * 'code-refused' when both failed: the token is void either way. Its right code was counted
   * (countAttempt) before the check, so up to `max` counted codes still complete; a count past
   * `max` is never reached.
   */
  async consumeWith(tokenHash: string, max: number, spend: SpendWrite): Promise<'consumed' | 'challenge-gone' | 'code-refused'> {
    try {
      await this.store.transactWrite([
        {
          Delete: {
            Key: this.keys.mfaChallenge(tokenHash),
            ConditionExpression: 'attribute_exists(pk) AND failures <= :max',
            ExpressionAttributeValues: { ':max': max },
          },
        },
        spend,
      ]);
      return 'consumed';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'challenge-gone';
      if (conditionFailedAt(err, 1)) return 'code-refused';
      throw err;
    }
  }
}
