import { randomUUID } from 'node:crypto';
import { attr, capRefused, conditionFailedAt, giveBackPlace, isConditionFailed, refusingItem, takePlace, type Item, type ModuleStore } from '@budgeting/platform';

/** One element of a ModuleStore.transactWrite call. */
type TransactItem = Parameters<ModuleStore['transactWrite']>[0][number];
import { WEBHOOK_EVENT_TYPES } from '../domain/event-types';
import type { SecretSealer } from '../domain/secret-sealer';
import { WEBHOOK_STATUSES, type DisabledMailOwed, type Webhook } from '../model';
import { webhookKeys, type WebhookKeys } from './keys';

const KIND = 'webhook';
/** The owner's webhook count, moved by each create and delete (the cap: MAX_WEBHOOKS_PER_USER). */
const COUNT_KIND = 'webhook-count';

/**
 * Webhooks, in their owner's partition with their count (a user has few: MAX_WEBHOOKS_PER_USER). Their signing
 * secrets are stored sealed (`sealedSecret`, `sealedPreviousSecret`: see SecretSealer), so a table
 * export or backup cannot forge our signatures; items written before that hold a plain `secret`
 * (and `previousSecret`), still read, and replaced by the sealed form on their next write or by
 * the one-off job `webhooks-reseal-secrets` (legacy-secrets.ts).
 */
export class WebhooksRepository {
  private readonly keys: WebhookKeys;

  constructor(
    private readonly store: ModuleStore,
    private readonly sealer: SecretSealer,
  ) {
    this.keys = webhookKeys(store);
  }

  /**
   * Creates it unless its owner has `max` webhooks already, moving the owner's count in the same
   * transaction (so creates racing at the cap cannot all pass: a count of the list before the
   * write let each of them through), with `alsoWrite` (a keyed create's lease completion,
   * platform keyCompletion) in it too: 'exists' when the id is taken already (a committed
   * creation's), 'full' at the cap, 'key-taken' when the completion's condition failed (its lease
   * taken over by its retry); nothing written then. `listed`: how many webhooks the owner's list
   * held when read, the count's start for an owner whose webhooks predate the count item.
   * `ownerCheck` (UsersFacade.accountCheck): only while the owner's account exists, else
   * 'owner-gone' (a webhook created as the account is deleted would escape its user.deleted
   * cleanup, webhooks-on-users, and be stored for ever).
   */
  /** `notice`: the owner's security notice (UsersFacade.credentialNotice), last: a new item that refuses nothing. */
  async createWith(
    webhook: Webhook,
    ownerCheck: TransactItem,
    alsoWrite: TransactItem[],
    listed: number,
    max: number,
    notice?: TransactItem,
  ): Promise<'created' | 'exists' | 'full' | 'owner-gone' | 'key-taken'> {
    try {
      await this.store.transactWrite([
        { Put: { Item: this.toItem(webhook), ConditionExpression: 'attribute_not_exists(pk)' } },
        // An owner without the item is let through only below the cap by its list's count.
        takePlace({ Key: this.keys.count(webhook.ownerId), max, kind: COUNT_KIND, absent: listed }),
        ownerCheck,
        ...alsoWrite,
        ...(notice ? [notice] : []),
      ]);
      return 'created';
    } catch (err) {
      // The key first: an overtaken attempt answers its retry's answer (409 "in use", then the replay).
      if (alsoWrite.some((_, n) => conditionFailedAt(err, 3 + n))) return 'key-taken';
      if (conditionFailedAt(err, 0)) return 'exists';
      if (conditionFailedAt(err, 2)) return 'owner-gone';
      if (capRefused(err, 1)) return 'full';
      throw err;
    }
  }

  async get(ownerId: string, id: string): Promise<Webhook | undefined> {
    const item = await this.store.get({ Key: this.keys.webhook(ownerId, id), ConsistentRead: true });
    return item ? this.toWebhook(item) : undefined;
  }

  async list(ownerId: string): Promise<Webhook[]> {
    const items = await this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)',
      ExpressionAttributeValues: { ':pk': this.keys.ownerPartition(ownerId), ':w': this.keys.webhookPrefix() },
      ConsistentRead: true,
    });
    return items.map((item) => this.toWebhook(item));
  }

  /**
   * Writes `next` if the stored version is still `next.version - 1`; false otherwise (changed or
   * gone). The item carries a token of this write's (`writeToken`), and a refusal brings the
   * stored item back (ALL_OLD): one holding this token is this very write (it committed, its
   * answer was lost, and the SDK's second sending met the version it wrote). Until 2026-12-07
   * that was "changed meanwhile": a PATCH that was applied answered 412, and the budgets it
   * added were not watched.
   */
  async replace(next: Webhook): Promise<boolean> {
    const writeToken = randomUUID();
    try {
      await this.store.put({
        Item: { ...this.toItem(next), writeToken },
        ConditionExpression: 'version = :previous',
        ExpressionAttributeValues: { ':previous': next.version - 1 },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return true;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      return refusingItem(err)?.writeToken === writeToken;
    }
  }

  /**
   * As `replace`, with `alsoWrite` (a keyed rotation's lease completion, platform keyCompletion)
   * in the same transaction: 'changed' when the webhook changed or is gone, 'key-taken' when the
   * completion's condition failed (its lease taken over by its retry); nothing written then.
   */
  async replaceWith(next: Webhook, alsoWrite: TransactItem[]): Promise<'replaced' | 'changed' | 'key-taken'> {
    if (alsoWrite.length === 0) return (await this.replace(next)) ? 'replaced' : 'changed';
    try {
      await this.store.transactWrite([
        { Put: { Item: this.toItem(next), ConditionExpression: 'version = :previous', ExpressionAttributeValues: { ':previous': next.version - 1 } } },
        ...alsoWrite,
      ]);
      return 'replaced';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'changed';
      if (alsoWrite.some((_, n) => conditionFailedAt(err, 1 + n))) return 'key-taken';
      throw err;
    }
  }

  /**
   * Deletes it if its version is still `version`, giving its place back in the owner's count in the
   * same transaction; false when it is gone or changed meanwhile. `listed`: how many webhooks the
   * owner's list held when read (this one included), the count's start for an owner whose
   * webhooks predate the count item (every write since keeps the item, so a stale `listed` is
   * never used once it exists).
   */
  async delete(ownerId: string, id: string, version: number, listed: number): Promise<boolean> {
    try {
      await this.store.transactWrite([
        { Delete: { Key: this.keys.webhook(ownerId, id), ConditionExpression: 'version = :v', ExpressionAttributeValues: { ':v': version } } },
        giveBackPlace({ Key: this.keys.count(ownerId), kind: COUNT_KIND, absent: listed }),
      ]);
      return true;
    } catch (err) {
      if (conditionFailedAt(err, 0)) return false;
      throw err;
    }
  }

  // Conditional updates look alike across this file and deliveries.repository.ts (Key, update,
  // condition, names, values: the UpdateItem request); each guards a different item and state,
  // and what they share, the answer to a failed condition, is ModuleStore.updateIf.
  /**
   * Disables an enabled webhook; true only for the call that disabled it. False too when it is
   * gone (deleted meanwhile: a missing item has no status, so the condition fails and nothing
   * is written back). The same write records the mail its owner is owed (`owed`), removed by
   * disabledMailSent: a process dying between the two leaves it for the delivery's retry.
   *
   * The write carries a token of its own (`writeToken`, as a PATCH's put), and a refusal brings
   * the webhook back (ALL_OLD): one holding it is this very disable (it committed, its answer
   * was lost, and the SDK's second sending met it disabled), so true. Until 2026-12-07 that was
   * false: the caller took it for another's disable, mailed nothing and settled the delivery,
   * and the owner was never told (the mail stayed owed with no message left to send it).
   */
  async disable(webhook: Webhook, reason: string, at: string, owed: DisabledMailOwed): Promise<boolean> {
    const writeToken = randomUUID();
    try {
      await this.store.update({
        Key: this.keys.webhook(webhook.ownerId, webhook.id),
        UpdateExpression: 'SET #s = :disabled, disabledReason = :reason, updatedAt = :at, version = version + :one, disabledMailOwed = :owed, writeToken = :writeToken',
        ConditionExpression: '#s = :enabled',
        ExpressionAttributeNames: { '#s': 'status' },
        ExpressionAttributeValues: { ':disabled': 'disabled', ':enabled': 'enabled', ':reason': reason, ':at': at, ':one': 1, ':owed': owed, ':writeToken': writeToken },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return true;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      return refusingItem(err)?.writeToken === writeToken;
    }
  }

  /** The owed "disabled" mail went: nothing more owed (only the mail of that delivery; nothing when the webhook is gone). */
  async disabledMailSent(webhook: Webhook, deliveryId: string): Promise<void> {
    await this.store.updateIf({
      Key: this.keys.webhook(webhook.ownerId, webhook.id),
      UpdateExpression: 'REMOVE disabledMailOwed',
      ConditionExpression: 'disabledMailOwed.deliveryId = :d',
      ExpressionAttributeValues: { ':d': deliveryId },
    });
  }

  /** Deletes the webhook's item, whatever it holds (its owner's account was deleted; the count goes with deleteAllOf). */
  async forget(ownerId: string, id: string): Promise<void> {
    await this.store.delete({ Key: this.keys.webhook(ownerId, id) });
  }

  /** Every webhook of a user (their account was deleted). */
  async deleteAllOf(ownerId: string): Promise<Webhook[]> {
    const all = await this.list(ownerId);
    await this.store.batchDelete([...all.map((w) => this.keys.webhook(ownerId, w.id)), this.keys.count(ownerId)]);
    return all;
  }

  /** The whole item: a put replaces it, so a legacy plain `secret`/`previousSecret` is gone after it. */
  private toItem(webhook: Webhook): Item {
    // An owed mail is never put back: a put is an owner's change (they acted meanwhile), see Webhook.disabledMailOwed.
    const { secret, previousSecret, disabledMailOwed: _owed, ...rest } = webhook;
    return {
      ...this.keys.webhook(webhook.ownerId, webhook.id),
      kind: KIND,
      ...rest,
      sealedSecret: this.sealer.seal(secret, webhook.id),
      sealedPreviousSecret: previousSecret === null ? null : this.sealer.seal(previousSecret, webhook.id),
    };
  }

  private toWebhook(item: Item): Webhook {
    const stored = { ...attr.fields(item, WEBHOOK_FIELDS), ...owedMailOf(item), ...(typeof item.enabledAt === 'string' ? { enabledAt: item.enabledAt } : {}) };
    const sealed = attr.fields(item, SEALED_FIELDS);
    if (sealed.sealedSecret === null) return { ...stored, ...attr.fields(item, LEGACY_PLAIN_FIELDS) };
    return {
      ...stored,
      secret: this.sealer.open(sealed.sealedSecret, stored.id),
      previousSecret: sealed.sealedPreviousSecret === null ? null : this.sealer.open(sealed.sealedPreviousSecret, stored.id),
    };
  }
}

/** A webhook as stored, without its secrets (and its keys and kind). */
const WEBHOOK_FIELDS = {
  id: attr.str, ownerId: attr.str, url: attr.str, budgetIds: attr.nullableStrList,
  eventTypes: (item: Item, field: string) => attr.nullableListOf(item, field, WEBHOOK_EVENT_TYPES), description: attr.nullableStr,
  status: attr.among(WEBHOOK_STATUSES), disabledReason: attr.nullableStr,
  previousSecretExpiresAt: attr.nullableStr, version: attr.num, createdAt: attr.str, updatedAt: attr.str,
};
/** The mail a give-up still owes (Webhook.disabledMailOwed), only when one is. */
function owedMailOf(item: Item): { disabledMailOwed?: DisabledMailOwed } {
  const owed = item.disabledMailOwed as Partial<DisabledMailOwed> | undefined;
  return typeof owed?.deliveryId === 'string' && typeof owed.last === 'string' ? { disabledMailOwed: { deliveryId: owed.deliveryId, last: owed.last } } : {};
}
/** Its secrets as written now (absent on items written before they were sealed). */
const SEALED_FIELDS = { sealedSecret: attr.nullableStr, sealedPreviousSecret: attr.nullableStr };
/** Its secrets as items written before sealing hold them. */
const LEGACY_PLAIN_FIELDS = { secret: attr.str, previousSecret: attr.nullableStr };
