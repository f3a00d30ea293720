import { randomUUID } from 'node:crypto';
import { conditionFailedAt, isConditionFailed, refusingItem, type ModuleStore } from '@budgeting/platform';
import type { UsersKeys } from './keys';
import type { TransactItem } from './transact';

/**
 * The account's TOTP enrolment (`users#mfa`, in the user's partition). One item: a pending
 * enrolment (secret made, not yet confirmed with a code) or an active one. The secret is
 * always sealed (domain/totp-secret-sealer.ts); recovery codes are stored as hashes only, in a
 * String Set so that spending one is a single conditional DELETE (a code works once, also
 * under concurrent use). The profile's `mfaOn` flag is written in the same transactions that
 * turn the enrolment on and off, so sign-in learns it from the profile it reads anyway.
 */
export interface MfaRecord {
  state: 'pending' | 'on';
  /** The sealed TOTP secret (never the secret itself). */
  sealedSecret: string;
  createdAt: string;
  enabledAt?: string;
  /** The last time step whose code was accepted: a code of it or an earlier step is refused (replay). */
  lastStep?: number;
  /** Hashes of the unused recovery codes (domain/totp.ts recoveryCodeHash). */
  recoveryHashes: string[];
}

/**
 * The conditional update that spends a code (a TOTP step or a recovery code), as a transaction
 * item. It marks the enrolment with a token of its own (`spendToken`, ':spendToken'): alone
 * (apply), a refusal by an enrolment holding it is this very spend, sent again by the SDK after
 * its answer was lost.
 */
export interface SpendWrite {
  Update: {
    Key: { pk: string; sk: string };
    UpdateExpression: string;
    ConditionExpression: string;
    ExpressionAttributeNames: Record<string, string>;
    ExpressionAttributeValues: Record<string, unknown>;
  };
}

export class MfaRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: UsersKeys,
  ) {}

  async get(userId: string): Promise<MfaRecord | null> {
    const item = await this.store.get({ Key: this.keys.mfa(userId), ConsistentRead: true });
    if (!item) return null;
    const hashes = item.recoveryHashes instanceof Set ? [...(item.recoveryHashes as Set<string>)] : [];
    return {
      state: item.state === 'on' ? 'on' : 'pending',
      sealedSecret: item.sealedSecret as string,
      createdAt: item.createdAt as string,
      ...(typeof item.enabledAt === 'string' ? { enabledAt: item.enabledAt } : {}),
      ...(typeof item.lastStep === 'number' ? { lastStep: item.lastStep } : {}),
      recoveryHashes: hashes,
    };
  }

  /**
   * A new pending enrolment, replacing a pending one; 'on' (nothing written) when two-factor is
   * already on. Only while the account exists (`accountCheck`: UsersRepository.accountCheck, in
   * the same transaction), else 'account-gone', nothing written: an enrolment that checked the
   * password just before the account was deleted, written after DELETE /v1/me's transaction
   * (which deletes this item), would keep a deleted account's sealed secret for ever (no TTL,
   * no cleanup comes back for it).
   */
  async putPending(userId: string, sealedSecret: string, createdAt: string, accountCheck: TransactItem): Promise<'pending' | 'on' | 'account-gone'> {
    try {
      await this.store.transactWrite([
        {
          Put: {
            Item: { ...this.keys.mfa(userId), kind: 'mfa', state: 'pending', sealedSecret, createdAt },
            ConditionExpression: 'attribute_not_exists(pk) OR #state = :pending',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':pending': 'pending' },
          },
        },
        accountCheck,
      ]);
      return 'pending';
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'account-gone';
      if (conditionFailedAt(err, 0)) return 'on';
      throw err;
    }
  }

  /**
   * Turns the pending enrolment whose secret is `sealedSecret` on (the code's step recorded as
   * used, the recovery codes' hashes stored) and sets the profile's flag, in ONE transaction.
   * False when the enrolment changed meanwhile (replaced, confirmed, removed) or the profile is
   * gone. `alsoWrite` commits with it (the security notice's unit).
   */
  async confirm(userId: string, sealedSecret: string, step: number, recoveryHashes: string[], enabledAt: string, alsoWrite: TransactItem[] = []): Promise<boolean> {
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.mfa(userId),
            UpdateExpression: 'SET #state = :on, enabledAt = :at, lastStep = :step, recoveryHashes = :hashes',
            ConditionExpression: '#state = :pending AND sealedSecret = :secret',
            ExpressionAttributeNames: { '#state': 'state' },
            ExpressionAttributeValues: { ':on': 'on', ':pending': 'pending', ':at': enabledAt, ':step': step, ':hashes': new Set(recoveryHashes), ':secret': sealedSecret },
          },
        },
        this.profileFlag(userId, true),
        ...alsoWrite,
      ]);
      return true;
    } catch (err) {
      // A transaction's failed condition is a TransactionCanceledException, never the
      // ConditionalCheckFailedException isConditionFailed knows: two confirmations at once
      // answered the loser a 500 until 2026-12-06.
      if (eitherConditionFailed(err)) return false;
      throw err;
    }
  }

  /** Removes the enrolment and the profile's flag together, with `alsoWrite`; false when it was not on (anymore). */
  async disable(userId: string, alsoWrite: TransactItem[] = []): Promise<boolean> {
    try {
      await this.store.transactWrite([this.removeOn(userId), this.profileFlag(userId, false), ...alsoWrite]);
      return true;
    } catch (err) {
      // As confirm's: two turn-offs at once answered the loser a 500 until 2026-12-06.
      if (eitherConditionFailed(err)) return false;
      throw err;
    }
  }

  /**
   * Support's reset (service/mfa-operator-reset.ts): the enrolment removed as `disable` does,
   * with `profileWrite` (the flag off AND every session ended: one write of the profile) and
   * `audit` (the durable record that publishes the event), in ONE transaction. 'not-on' when
   * the enrolment is not on (anymore), 'profile-moved' when the profile's write was refused
   * (its epoch moved meanwhile, or it is gone): nothing written either way.
   */
  async resetByOperator(userId: string, profileWrite: TransactItem, audit: TransactItem): Promise<'reset' | 'not-on' | 'profile-moved'> {
    try {
      await this.store.transactWrite([this.removeOn(userId), profileWrite, audit]);
      return 'reset';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'not-on';
      if (conditionFailedAt(err, 1)) return 'profile-moved';
      throw err;
    }
  }

  /**
   * Records `step` as the last used one, only if it is later than the last: a TOTP code is
   * accepted once, and never one older than the last accepted (RFC 6238 §5.2). False: replayed.
   * With `reseal`, the same write replaces the sealed secret `from` (the one the code was
   * checked against) by `to`, the same secret sealed under the current key.
   */
  useStep(userId: string, step: number, reseal?: { from: string; to: string }): Promise<boolean> {
    return this.apply(this.stepWrite(userId, step, reseal));
  }

  /** useStep's write, for a caller that commits it with another (the sign-in's challenge). */
  stepWrite(userId: string, step: number, reseal?: { from: string; to: string }): SpendWrite {
    return {
      Update: {
        Key: this.keys.mfa(userId),
        UpdateExpression: reseal ? 'SET lastStep = :step, sealedSecret = :to, spendToken = :spendToken' : 'SET lastStep = :step, spendToken = :spendToken',
        ConditionExpression: `#state = :on AND (attribute_not_exists(lastStep) OR lastStep < :step)${reseal ? ' AND sealedSecret = :from' : ''}`,
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':on': 'on', ':step': step, ':spendToken': randomUUID(), ...(reseal ? { ':from': reseal.from, ':to': reseal.to } : {}) },
      },
    };
  }

  /** Spends one recovery code: removed from the set only if it is in it. False: unknown or already used. */
  useRecoveryCode(userId: string, hash: string): Promise<boolean> {
    return this.apply(this.recoveryCodeWrite(userId, hash));
  }

  /** useRecoveryCode's write, for a caller that commits it with another (the sign-in's challenge). */
  recoveryCodeWrite(userId: string, hash: string): SpendWrite {
    return {
      Update: {
        Key: this.keys.mfa(userId),
        UpdateExpression: 'SET spendToken = :spendToken DELETE recoveryHashes :one',
        ConditionExpression: '#state = :on AND contains(recoveryHashes, :hash)',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':on': 'on', ':one': new Set([hash]), ':hash': hash, ':spendToken': randomUUID() },
      },
    };
  }

  /**
   * A spend on its own: one conditional UpdateItem; false when its condition failed. A refusal
   * brings the enrolment back (ALL_OLD): one holding this spend's token is this very spend (it
   * committed, its answer was lost, and the SDK's second sending met the step or the missing
   * code it had spent), so true. Until 2026-12-07 that right code was answered 422 'incorrect
   * code' and counted as a failed attempt, spent all the same (a recovery code lost for good).
   */
  async apply(write: SpendWrite): Promise<boolean> {
    try {
      await this.store.update({ ...write.Update, ReturnValuesOnConditionCheckFailure: 'ALL_OLD' });
      return true;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      return refusingItem(err)?.spendToken === write.Update.ExpressionAttributeValues[':spendToken'];
    }
  }

  /**
   * Replaces every recovery code (the old ones are void at once), with `alsoWrite` (the security
   * notice's unit) in one transaction; false when two-factor is not on.
   */
  async replaceRecoveryCodes(userId: string, hashes: string[], alsoWrite: TransactItem[] = []): Promise<boolean> {
    const update = {
      Key: this.keys.mfa(userId),
      UpdateExpression: 'SET recoveryHashes = :hashes',
      ConditionExpression: '#state = :on',
      ExpressionAttributeNames: { '#state': 'state' },
      ExpressionAttributeValues: { ':on': 'on', ':hashes': new Set(hashes) },
    };
    if (alsoWrite.length === 0) return this.store.updateIf(update);
    try {
      await this.store.transactWrite([{ Update: update }, ...alsoWrite]);
      return true;
    } catch (err) {
      if (conditionFailedAt(err, 0)) return false;
      throw err;
    }
  }

  /** The enrolment's removal, only while it is on. */
  private removeOn(userId: string): TransactItem {
    return {
      Delete: {
        Key: this.keys.mfa(userId),
        ConditionExpression: '#state = :on',
        ExpressionAttributeNames: { '#state': 'state' },
        ExpressionAttributeValues: { ':on': 'on' },
      },
    };
  }

  private profileFlag(userId: string, on: boolean) {
    return {
      Update: {
        Key: this.keys.profile(userId),
        UpdateExpression: on ? 'SET mfaOn = :true' : 'REMOVE mfaOn',
        ConditionExpression: 'attribute_exists(pk)',
        ...(on ? { ExpressionAttributeValues: { ':true': true } } : {}),
      },
    };
  }
}

/** A two-item transaction (the enrolment, the profile's flag) refused by the condition of either item. */
function eitherConditionFailed(err: unknown): boolean {
  return conditionFailedAt(err, 0) || conditionFailedAt(err, 1);
}
