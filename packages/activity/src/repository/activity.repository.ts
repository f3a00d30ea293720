import { attr, epochSeconds, shardOf, TABLE, type Clock, type Item, type Key, type ModuleStore, type TransactItem } from '@budgeting/platform';
import { ACTIVITY_ACTIONS, SUBJECT_TYPES, type ActivityEntry, type ActorRef, type FieldChange } from '../model';

/**
 * A budget's activity log: one partition per budget (`activity#budget#<budgetId>`), entries
 * sorted by time then event id (`activity#entry#<at>#<eventId>`), read newest first.
 *
 * Retention: as long as the change history of delta sync (90 days, the expenses module's
 * CHANGE_RETENTION_SECONDS), through the table's TTL; the partition goes with the budget
 * (budget.deleted).
 */
export const ACTIVITY_RETENTION_SECONDS = 90 * 24 * 60 * 60;
export const ACTIVITY_KIND = 'activity';
/** The index of the closed-marker check in putItems' items (and so in the subscriber's transaction). */
export const ENTRY_CLOSED_CHECK = 1;

/**
 * The closed marker of a deleted budget's log is spread over this many items (an entry checks
 * the one of its event id's shard): transactions that check one item conflict even when they
 * only check it, so one marker would make a burst of one budget's entries (an income import's
 * thousands of income.recorded) collide. The close writes them all, once per deleted budget.
 */
export const CLOSED_SHARDS = 8;

export class ActivityRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly clock: Clock,
  ) {}

  private pk(budgetId: string) {
    return this.store.key('budget', budgetId);
  }

  /** A deleted budget's closed marker, one per shard, in its own partition (the cleanup's slices never read it). */
  private closedKey(budgetId: string, shard: number): Key {
    return { pk: this.store.key('closed', budgetId), sk: this.store.key('closed', shard) };
  }

  /**
   * The put of an entry and the check that its budget's log is not closed (for the subscriber's
   * transaction with its inbox item; the check is the last of the two: ENTRY_CLOSED_CHECK).
   */
  putItems(entry: ActivityEntry): TransactItem[] {
    return [
      {
        Put: {
          Item: {
            pk: this.pk(entry.budgetId),
            sk: this.store.key('entry', entry.at, entry.id),
            kind: ACTIVITY_KIND,
            ...entry,
            [TABLE.ttlAttribute]: epochSeconds(new Date(entry.at)) + ACTIVITY_RETENTION_SECONDS,
          },
        },
      },
      { ConditionCheck: { Key: this.closedKey(entry.budgetId, shardOf(entry.id, CLOSED_SHARDS)), ConditionExpression: 'attribute_not_exists(pk)' } },
    ];
  }

  /**
   * Closes a deleted budget's log before its cleanup reads it: an entry whose event was read
   * before the deletion (or delivered late: a bus retry, a replayed dead letter) and written
   * after the cleanup's last read would otherwise stay, unread, until its TTL. Every entry checks
   * its shard's marker in its transaction and DynamoDB orders the two writes on that item: an
   * entry committed first is found by the cleanup's strongly consistent reads (which start after
   * this), one that comes after fails as a whole. The markers expire after ACTIVITY_RETENTION_SECONDS
   * (table TTL): an event of the budget is older than its deletion, so an entry it could still
   * write would have expired by then (page() shows no expired entry). They hold nothing but their keys (the budget's id) and expiry.
   */
  async close(budgetId: string, now: Date): Promise<void> {
    const expiresAt = epochSeconds(now) + ACTIVITY_RETENTION_SECONDS;
    for (let shard = 0; shard < CLOSED_SHARDS; shard++) {
      await this.store.put({ Item: { ...this.closedKey(budgetId, shard), kind: 'activity-closed', [TABLE.ttlAttribute]: expiresAt } });
    }
  }

  /**
   * Up to `limit` + 1 entries, newest first (time, then id), strictly before `before` when given (the one at `before` is read besides)
   * (the caller keeps `limit`: one more tells it more follow). `readTo`: where the read stopped when DynamoDB says there is more (its Limit, or 1 MB read
   * first): the position of the last entry read; older ones were not read (ActivityService).
   */
  async page(budgetId: string, limit: number, before?: { at: string; id: string }): Promise<{ entries: ActivityEntry[]; readTo?: { at: string; id: string } }> {
    const hi = before ? this.store.key('entry', before.at, before.id) : this.store.key('entry', '~');
    // Only the entries still in their retention (their TTL is `at` + ACTIVITY_RETENTION_SECONDS):
    // the older ones, not yet removed by the TTL (it can take days), are the log's tail, cut off
    // here rather than read, dropped, and answered as pages of nothing with a cursor.
    const now = epochSeconds(this.clock.now());
    const lo = this.store.key('entry', new Date((now - ACTIVITY_RETENTION_SECONDS + 1) * 1000).toISOString());
    // A cursor from before the window (the client paged slowly): nothing older is shown.
    if (hi < lo) return { entries: [] };
    const { items, lastKey } = await this.store.query<ActivityEntry & Record<string, unknown>>({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': this.pk(budgetId), ':lo': lo, ':hi': hi },
      ScanIndexForward: false,
      // BETWEEN is inclusive: the entry at `before` itself comes back and is dropped below, so
      // it is not counted as the one more (else a page with exactly `limit` left stopped at its
      // Limit, gave a readTo, and the page after it was a page of nothing).
      Limit: limit + (before ? 2 : 1),
    });
    // Expired but not yet removed by TTL (deletion is lazy): not shown (the key condition's test, by the stored expiry).
    const live = items.filter((i) => i.sk !== hi && Number(i[TABLE.ttlAttribute] ?? Infinity) > now);
    const entries = live.map(toEntry);
    const last = items[items.length - 1];
    return lastKey && last ? { entries, readTo: { at: attr.str(last, 'at'), id: attr.str(last, 'id') } } : { entries };
  }

  /**
   * Up to `limit` keys of what is left of a (deleted) budget's log, strongly consistent: the
   * cleanup job deletes them and asks again (jobs/activity-cleanup-job.ts).
   */
  async slice(budgetId: string, limit: number): Promise<Key[]> {
    const { items } = await this.store.query<Key>({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.pk(budgetId) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
      Limit: limit,
    });
    return items.map((i) => ({ pk: i.pk, sk: i.sk }));
  }
}

/** An entry as stored (its keys, kind and expiry left out). */
function toEntry(item: Item): ActivityEntry {
  const subject = attr.map(item, 'subject');
  const changes = attr.optionalMap(item, 'changes');
  const recurringExpenseId = attr.optionalStr(item, 'recurringExpenseId');
  const expenseId = attr.optionalStr(item, 'expenseId');
  const ruleRef = (field: 'categorizedBy' | 'renamedBy') => {
    const ref = attr.optionalMap(item, field);
    return ref === undefined ? {} : { [field]: { ruleId: attr.str(ref, 'ruleId') } };
  };
  return {
    ...attr.fields(item, { id: attr.str, budgetId: attr.str, at: attr.str, action: attr.among(ACTIVITY_ACTIONS) }),
    actor: toActor(attr.map(item, 'actor')),
    subject: { type: attr.oneOf(subject, 'type', SUBJECT_TYPES), id: attr.str(subject, 'id') },
    ...(changes === undefined ? {} : { changes: toChanges(changes) }),
    ...(recurringExpenseId === undefined ? {} : { recurringExpenseId }),
    ...ruleRef('categorizedBy'),
    ...ruleRef('renamedBy'),
    ...(expenseId === undefined ? {} : { expenseId }),
  };
}

function toActor(actor: Item): ActorRef {
  if (attr.oneOf(actor, 'type', ['user', 'schedule']) === 'user') return { type: 'user', id: attr.str(actor, 'id') };
  return { type: 'schedule', name: attr.str(actor, 'name'), onBehalfOf: attr.str(actor, 'onBehalfOf') };
}

/** Each changed field's before and after, as they were recorded (any JSON value). */
function toChanges(changes: Item): Record<string, FieldChange> {
  return Object.fromEntries(
    Object.keys(changes).map((field) => {
      const change = attr.map(changes, field);
      return [field, { before: change.before, after: change.after }];
    }),
  );
}
