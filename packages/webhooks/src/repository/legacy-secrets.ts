import type { ModuleStore } from '@budgeting/platform';
import type { SecretSealer } from '../domain/secret-sealer';
import { webhookKeys } from './keys';

/** A webhook item written before secrets were sealed: its plain secrets as read. */
export interface LegacySecretItem {
  pk: string;
  sk: string;
  id: string;
  secret: string;
  previousSecret: string | null;
}

/** Items evaluated per Scan page (each page reads up to this many items of the whole table, at most 1 MB). */
const PAGE_ITEMS = 1000;

/**
 * Finds and reseals webhook items that still hold a plain `secret` (written before secrets were
 * sealed; see WebhooksRepository), for the one-off job jobs/reseal-secrets-job.ts. Webhooks sit
 * in their owners' partitions and no index reaches them all, so they are found by a parallel
 * Scan of the module's items (ModuleStore.scanSegment), segment by segment.
 */
export class LegacySecrets {
  constructor(
    private readonly store: ModuleStore,
    private readonly sealer: SecretSealer,
    private readonly pageItems = PAGE_ITEMS,
  ) {}

  /**
   * One page of a segment: the legacy items in it, and where the next page starts. Throws when
   * the page holds a webhook sealed with another key: the job is then running with a
   * WEBHOOK_SECRETS_KEY that is not the deployment's, and must not seal anything with it.
   */
  async page(segment: number, totalSegments: number, startKey: Record<string, unknown> | undefined) {
    const { items, lastKey } = await this.store.scanSegment<Record<string, unknown>>({
      segment,
      totalSegments,
      limit: this.pageItems,
      startKey,
      filter: 'begins_with(sk, :webhook) AND (attribute_exists(#secret) OR attribute_exists(sealedSecret))',
      names: { '#secret': 'secret' },
      values: { ':webhook': webhookKeys(this.store).webhookPrefix() },
      projection: 'pk, sk, id, #secret, previousSecret, sealedSecret',
    });
    const foreign = items.filter((i) => typeof i.sealedSecret === 'string' && !this.sealer.sealedWithThisKey(i.sealedSecret));
    if (foreign.length > 0) {
      throw new Error(`Webhook ${String(foreign[0]!.id)} is sealed with another key: WEBHOOK_SECRETS_KEY is not the key this table's secrets are sealed with; nothing was resealed from this page`);
    }
    const legacy = items.filter((i) => i.sealedSecret === undefined && typeof i.secret === 'string').map(asLegacy);
    return { legacy, lastKey };
  }

  /**
   * Replaces the item's plain secrets with their sealed form, if they are still the values read:
   * a rotation (or any write of the item) since then has sealed them already and wins, and a
   * second run finds nothing to do. The version is kept (the webhook itself did not change, so
   * its ETag stays valid). True when this call resealed it.
   */
  async reseal(item: LegacySecretItem): Promise<boolean> {
    const previousHeld = item.previousSecret === null ? '(attribute_not_exists(previousSecret) OR attribute_type(previousSecret, :nullType))' : 'previousSecret = :previous';
    return this.store.updateIf({
      Key: { pk: item.pk, sk: item.sk },
      UpdateExpression: 'SET sealedSecret = :sealed, sealedPreviousSecret = :sealedPrevious REMOVE #secret, previousSecret',
      ConditionExpression: `#secret = :plain AND attribute_not_exists(sealedSecret) AND ${previousHeld}`,
      ExpressionAttributeNames: { '#secret': 'secret' },
      ExpressionAttributeValues: {
        ':plain': item.secret,
        ':sealed': this.sealer.seal(item.secret, item.id),
        ':sealedPrevious': item.previousSecret === null ? null : this.sealer.seal(item.previousSecret, item.id),
        ...(item.previousSecret === null ? { ':nullType': 'NULL' } : { ':previous': item.previousSecret }),
      },
    });
  }
}

function asLegacy(item: Record<string, unknown>): LegacySecretItem {
  const { pk, sk, id, secret, previousSecret } = item;
  if (typeof pk !== 'string' || typeof sk !== 'string' || typeof id !== 'string' || typeof secret !== 'string') {
    throw new Error(`Webhook item ${String(pk)} / ${String(sk)} is malformed (pk, sk, id and secret must be strings)`);
  }
  return { pk, sk, id, secret, previousSecret: typeof previousSecret === 'string' ? previousSecret : null };
}
