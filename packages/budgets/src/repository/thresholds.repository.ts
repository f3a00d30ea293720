import type { ModuleStore } from '@budgeting/platform';
import type { BudgetsKeys, TransactItem } from './keys';

/**
 * Threshold markers: one item per (budget, period, scope, threshold) that was announced with
 * a budget.threshold_crossed event. The marker is put with attribute_not_exists in the same
 * transaction as the event's outbox item, so two deliveries racing on the same crossing
 * cannot both publish: the second transaction fails on the marker and writes nothing.
 */
export interface ThresholdMarker {
  budgetId: string;
  periodStart: string;
  periodEnd: string;
  scope: 'budget' | 'category';
  categoryId: string | null;
  threshold: number;
  spent: number;
  limit: number;
  /** The budget.threshold_crossed event published with the marker. */
  eventId: string;
  crossedAt: string;
}

export const THRESHOLD_KIND = 'threshold';

/**
 * Pace markers (docs/alerts.md "Pace alerts"): one item per (budget, period, line) announced with a
 * budget.overspend_projected event, put exactly like a threshold marker (attribute_not_exists,
 * in the event's transaction), in the same partition under its own sort key prefix.
 */
export interface PaceMarker {
  budgetId: string;
  periodStart: string;
  periodEnd: string;
  /** null: the budget's total. */
  categoryId: string | null;
  limit: number;
  spent: number;
  projected: number;
  /** The budget.overspend_projected event published with the marker. */
  eventId: string;
  projectedAt: string;
}

export const PACE_KIND = 'pace';

export class ThresholdsRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  /** The markers of one period: one strongly consistent Query, bounded by thresholds x scopes. */
  async forPeriod(budgetId: string, period: { start: string; end: string }): Promise<ThresholdMarker[]> {
    return this.store.queryAll<ThresholdMarker & Record<string, unknown>>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.thresholdPk(budgetId), ':prefix': this.keys.thresholdPeriodPrefix(period) },
      ConsistentRead: true,
    });
  }

  /** The marker, written only if no marker of this crossing exists yet. */
  put(marker: ThresholdMarker): TransactItem {
    const key = {
      pk: this.keys.thresholdPk(marker.budgetId),
      sk: this.keys.thresholdSk({ start: marker.periodStart, end: marker.periodEnd }, marker.categoryId, marker.threshold),
    };
    return { Put: { Item: { ...key, kind: THRESHOLD_KIND, ...marker }, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /** The pace markers of one period: one strongly consistent Query, at most 1 + categories items. */
  async paceForPeriod(budgetId: string, period: { start: string; end: string }): Promise<PaceMarker[]> {
    return this.store.queryAll<PaceMarker & Record<string, unknown>>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.thresholdPk(budgetId), ':prefix': this.keys.pacePeriodPrefix(period) },
      ConsistentRead: true,
    });
  }

  /** The pace marker, written only if none of this (period, line) exists yet. */
  pacePut(marker: PaceMarker): TransactItem {
    const key = {
      pk: this.keys.thresholdPk(marker.budgetId),
      sk: this.keys.paceSk({ start: marker.periodStart, end: marker.periodEnd }, marker.categoryId),
    };
    return { Put: { Item: { ...key, kind: PACE_KIND, ...marker }, ConditionExpression: 'attribute_not_exists(pk)' } };
  }

  /**
   * Holds a transaction to the budget as it was read: still there, settings unchanged. A
   * crossing computed from a limit that has since changed is recomputed; and no marker can be
   * written after the budget's deletion (whose cleanup removes the markers it finds).
   */
  budgetUnchanged(budgetId: string, version: number): TransactItem {
    return {
      ConditionCheck: {
        Key: this.keys.budget(budgetId),
        ConditionExpression: 'attribute_exists(pk) AND #version = :version',
        ExpressionAttributeNames: { '#version': 'version' },
        ExpressionAttributeValues: { ':version': version },
      },
    };
  }
}
