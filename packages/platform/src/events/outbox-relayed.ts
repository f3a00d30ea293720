import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { epochSeconds } from '../clock';
import { TABLE } from '../dynamo/table-definition';
import { OUTBOX_KIND } from './outbox';

/** How long a relayed outbox item stays before DynamoDB TTL removes it (kept a day for forensics). */
export const OUTBOX_RETENTION_SECONDS = 24 * 60 * 60;

/** `<module>#outbox#<eventId>` / `<module>#outbox`: the only keys this file will ever touch. */
const OUTBOX_PK = /^([a-z][a-z0-9-]*)#outbox#[^#]+$/;

export class NotAnOutboxKeyError extends Error {
  constructor(key: { pk: unknown; sk: unknown }) {
    super(`Refusing to mark a non-outbox key as relayed: ${JSON.stringify(key)}`);
    this.name = 'NotAnOutboxKeyError';
  }
}

/**
 * Marks an outbox item as relayed and lets TTL remove it.
 *
 * THE ONE EXCEPTION to "every table access goes through a module's prefix-guarded
 * ModuleStore": the relay is not a module, it runs over every module's outbox items. So this
 * capability is deliberately narrow instead of handing the relay a raw client: it accepts
 * only an outbox key (`<module>#outbox#<id>` + `<module>#outbox`, same module), it can only
 * update an existing item whose `kind` is outbox (never create one), and it sets exactly
 * `relayedAt` and `expiresAt`. Marking twice is harmless (a redelivered stream record).
 *
 * Returns false when the item is already gone (TTL removed it before a late redelivery).
 */
export async function markOutboxRelayed(
  doc: DynamoDBDocumentClient,
  tableName: string,
  key: { pk: string; sk: string },
  relayedAt: Date,
  retentionSeconds = OUTBOX_RETENTION_SECONDS,
): Promise<boolean> {
  const match = OUTBOX_PK.exec(key.pk);
  if (!match || key.sk !== `${match[1]}#outbox`) throw new NotAnOutboxKeyError(key);
  try {
    await doc.send(
      new UpdateCommand({
        TableName: tableName,
        Key: { pk: key.pk, sk: key.sk },
        UpdateExpression: 'SET relayedAt = :at, #ttl = :ttl',
        ConditionExpression: 'attribute_exists(pk) AND kind = :outbox',
        ExpressionAttributeNames: { '#ttl': TABLE.ttlAttribute },
        ExpressionAttributeValues: {
          ':at': relayedAt.toISOString(),
          ':ttl': epochSeconds(relayedAt) + retentionSeconds,
          ':outbox': OUTBOX_KIND,
        },
      }),
    );
    return true;
  } catch (err) {
    if ((err as { name?: string }).name === 'ConditionalCheckFailedException') return false;
    throw err;
  }
}
