import { TABLE, attr, conditionFailedAt, isConditionFailed, refusingItem, type ModuleStore, type ProblemBody } from '@budgeting/platform';
import type { BulkUndoEntry, KeptReason } from '../domain/bulk-undo';
import { bulkUndoKeys, expenseKeys } from './keys';
import { shardOf } from './totals-deltas';

export const BULK_UNDO_KIND = 'bulk-undo';

/** What an undo answered: stored on the record once, so every later call answers the same. */
export interface BulkUndoOutcome {
  undone: string[];
  kept: { expenseId: string; reason: KeptReason }[];
  failed: { expenseId: string; problem: ProblemBody }[];
}

export interface BulkUndoRecord {
  bulkId: string;
  budgetId: string;
  createdBy: string;
  createdAt: string;
  /** Epoch seconds: the table's TTL removes it then; past it the record counts as gone. */
  expiresAt: number;
  entries: BulkUndoEntry[];
  /** The claim of the undo under way: who (a random token) and since when (epoch ms). */
  claim?: { token: string; at: number };
  outcome?: BulkUndoOutcome;
}

/**
 * A bulk edit's undo record (keys.ts "Bulk edit's undo"): one item per bulk call that wrote
 * anything, in the budget's expense partition (the budget.deleted cleanup removes it with the
 * rest), written with ONE PutItem after the bulk's writes. The entries and the outcome are
 * stored as JSON strings: one attribute each, smaller than a list of maps, read whole anyway.
 */
export class BulkUndoRepository {
  private readonly keys: ReturnType<typeof bulkUndoKeys>;

  constructor(private readonly store: ModuleStore) {
    this.keys = bulkUndoKeys(store);
  }

  /**
   * Stores the record with the budget's closed-budget check (ExpensesRepository.closeBudget, the
   * marker of the bulk id's shard) in one transaction: the record is written after the call's
   * expense writes, so a DELETE of the budget committing between the two (and its cleanup
   * reading the partition) would otherwise leave it stored for its 24 hours, naming expenses
   * that are gone (tests/integration/races/budget-lifecycle-races.test.ts). 'budget-closed':
   * nothing written.
   */
  async put(record: Omit<BulkUndoRecord, 'claim' | 'outcome'>): Promise<'stored' | 'budget-closed'> {
    const item = {
      ...this.keys.undo(record.budgetId, record.bulkId),
      kind: BULK_UNDO_KIND,
      budgetId: record.budgetId,
      bulkId: record.bulkId,
      createdBy: record.createdBy,
      createdAt: record.createdAt,
      entries: JSON.stringify(record.entries),
      [TABLE.ttlAttribute]: record.expiresAt,
    };
    const open = { ConditionCheck: { Key: expenseKeys(this.store).closedBudget(record.budgetId, shardOf(record.bulkId)), ConditionExpression: 'attribute_not_exists(pk)' } };
    try {
      await this.store.transactWrite([{ Put: { Item: item } }, open]);
      return 'stored';
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'budget-closed';
      throw err;
    }
  }

  /**
   * The record, strongly consistent (a plain keyed read: it may travel in the access check's
   * BatchGetItem); undefined when there is none or it is past its 24 h (the TTL may not have
   * removed it yet).
   */
  async get(budgetId: string, bulkId: string, now: Date): Promise<BulkUndoRecord | undefined> {
    const item = await this.store.get({ Key: this.keys.undo(budgetId, bulkId), ConsistentRead: true });
    if (!item || item.kind !== BULK_UNDO_KIND) return undefined;
    const expiresAt = attr.num(item, TABLE.ttlAttribute);
    if (expiresAt <= Math.floor(now.getTime() / 1000)) return undefined;
    const claimToken = item.claimToken as string | undefined;
    return {
      bulkId: attr.str(item, 'bulkId'),
      budgetId: attr.str(item, 'budgetId'),
      createdBy: attr.str(item, 'createdBy'),
      createdAt: attr.str(item, 'createdAt'),
      expiresAt,
      entries: JSON.parse(attr.str(item, 'entries')) as BulkUndoEntry[],
      ...(claimToken ? { claim: { token: claimToken, at: attr.num(item, 'claimedAt') } } : {}),
      ...(typeof item.outcome === 'string' ? { outcome: JSON.parse(item.outcome) as BulkUndoOutcome } : {}),
    };
  }

  /**
   * Takes the undo for this call: only when no outcome is stored and no other call holds a
   * claim younger than `staleBefore` (epoch ms; a claim older than that belongs to a call that
   * died). Of concurrent calls exactly one gets true. A refusal brings the claim back (ALL_OLD):
   * one holding this call's own token is this call's (the write committed, its answer was lost,
   * and the SDK's second sending met it; until 2026-12-07 that was a 409 "being undone by
   * another request", and the call's retries met it too for the claim's 60 s).
   */
  async claim(budgetId: string, bulkId: string, token: string, at: number, staleBefore: number): Promise<boolean> {
    try {
      await this.store.update({
        Key: this.keys.undo(budgetId, bulkId),
        UpdateExpression: 'SET claimToken = :token, claimedAt = :at',
        ConditionExpression: '#kind = :kind AND attribute_not_exists(outcome) AND (attribute_not_exists(claimedAt) OR claimedAt < :stale)',
        ExpressionAttributeNames: { '#kind': 'kind' },
        ExpressionAttributeValues: { ':token': token, ':at': at, ':stale': staleBefore, ':kind': BULK_UNDO_KIND },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return true;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const held = refusingItem(err);
      return held?.claimToken === token && held.outcome === undefined;
    }
  }

  /** Stores the outcome, only under this call's claim (false: another call took it over meanwhile). */
  async finish(budgetId: string, bulkId: string, token: string, outcome: BulkUndoOutcome): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.undo(budgetId, bulkId),
      UpdateExpression: 'SET outcome = :outcome',
      ConditionExpression: 'claimToken = :token AND attribute_not_exists(outcome)',
      ExpressionAttributeValues: { ':token': token, ':outcome': JSON.stringify(outcome) },
    });
  }
}
