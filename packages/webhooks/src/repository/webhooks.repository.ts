import { attr, conditionHeld, type Item, type ModuleStore } from '@budgeting/platform';
import { WEBHOOK_EVENT_TYPES } from '../domain/event-types';
import { WEBHOOK_STATUSES, type Webhook } from '../model';
import { webhookKeys, type WebhookKeys } from './keys';

const KIND = 'webhook';

/** Webhooks, in their owner's partition (a user has few: MAX_WEBHOOKS_PER_USER). */
export class WebhooksRepository {
  private readonly keys: WebhookKeys;

  constructor(private readonly store: ModuleStore) {
    this.keys = webhookKeys(store);
  }

  /** false when the id is taken already (the replay of a committed creation). */
  async create(webhook: Webhook): Promise<boolean> {
    return conditionHeld(
      this.store.put({
        Item: { ...this.keys.webhook(webhook.ownerId, webhook.id), kind: KIND, ...webhook },
        ConditionExpression: 'attribute_not_exists(pk)',
      }),
    );
  }

  async get(ownerId: string, id: string): Promise<Webhook | undefined> {
    const item = await this.store.get({ Key: this.keys.webhook(ownerId, id), ConsistentRead: true });
    return item ? toWebhook(item) : undefined;
  }

  async list(ownerId: string): Promise<Webhook[]> {
    const items = await this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :w)',
      ExpressionAttributeValues: { ':pk': this.keys.ownerPartition(ownerId), ':w': this.keys.webhookPrefix() },
      ConsistentRead: true,
    });
    return items.map(toWebhook);
  }

  /** Writes `next` if the stored version is still `next.version - 1`; false otherwise (changed or gone). */
  async replace(next: Webhook): Promise<boolean> {
    return conditionHeld(
      this.store.put({
        Item: { ...this.keys.webhook(next.ownerId, next.id), kind: KIND, ...next },
        ConditionExpression: 'version = :previous',
        ExpressionAttributeValues: { ':previous': next.version - 1 },
      }),
    );
  }

  /** Deletes it if its version is still `version`; false when it is gone or changed meanwhile. */
  async delete(ownerId: string, id: string, version: number): Promise<boolean> {
    return conditionHeld(
      this.store.delete({
        Key: this.keys.webhook(ownerId, id),
        ConditionExpression: 'version = :v',
        ExpressionAttributeValues: { ':v': version },
      }),
    );
  }

  // Conditional updates look alike across this file and deliveries.repository.ts (Key, update,
  // condition, names, values: the UpdateItem request); each guards a different item and state,
  // and what they share, the answer to a failed condition, is ModuleStore.updateIf.
  /** Disables an enabled webhook; true only for the call that disabled it. */
  async disable(webhook: Webhook, reason: string, at: string): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.webhook(webhook.ownerId, webhook.id),
      UpdateExpression: 'SET #s = :disabled, disabledReason = :reason, updatedAt = :at, version = version + :one',
      ConditionExpression: '#s = :enabled',
      ExpressionAttributeNames: { '#s': 'status' },
      ExpressionAttributeValues: { ':disabled': 'disabled', ':enabled': 'enabled', ':reason': reason, ':at': at, ':one': 1 },
    });
  }

  /** Every webhook of a user (their account was deleted). */
  async deleteAllOf(ownerId: string): Promise<Webhook[]> {
    const all = await this.list(ownerId);
    await this.store.batchDelete(all.map((w) => this.keys.webhook(ownerId, w.id)));
    return all;
  }
}

/** A webhook as stored (its keys and kind left out). */
const WEBHOOK_FIELDS = {
  id: attr.str, ownerId: attr.str, url: attr.str, budgetIds: attr.nullableStrList,
  eventTypes: (item: Item, field: string) => attr.nullableListOf(item, field, WEBHOOK_EVENT_TYPES), description: attr.nullableStr,
  status: attr.among(WEBHOOK_STATUSES), disabledReason: attr.nullableStr, secret: attr.str, previousSecret: attr.nullableStr,
  previousSecretExpiresAt: attr.nullableStr, version: attr.num, createdAt: attr.str, updatedAt: attr.str,
};
const toWebhook = (item: Item): Webhook => attr.fields(item, WEBHOOK_FIELDS);
