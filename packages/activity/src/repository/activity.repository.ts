import { attr, epochSeconds, TABLE, type Clock, type Item, type Key, type ModuleStore, type TransactItem } from '@budgeting/platform';
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

export class ActivityRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly clock: Clock,
  ) {}

  private pk(budgetId: string) {
    return this.store.key('budget', budgetId);
  }

  /** The put of an entry (for the subscriber's transaction with its inbox item). */
  putItem(entry: ActivityEntry): TransactItem {
    return {
      Put: {
        Item: {
          pk: this.pk(entry.budgetId),
          sk: this.store.key('entry', entry.at, entry.id),
          kind: ACTIVITY_KIND,
          ...entry,
          [TABLE.ttlAttribute]: epochSeconds(new Date(entry.at)) + ACTIVITY_RETENTION_SECONDS,
        },
      },
    };
  }

  /**
   * Up to `limit` + 1 entries, newest first (time, then id), strictly before `before` when given
   * (the caller keeps `limit`: one more tells it more follow). `readTo`: where the read stopped when DynamoDB says there is more (its Limit, or 1 MB read
   * first): the position of the last entry read; older ones were not read (ActivityService).
   */
  async page(budgetId: string, limit: number, before?: { at: string; id: string }): Promise<{ entries: ActivityEntry[]; readTo?: { at: string; id: string } }> {
    const hi = before ? this.store.key('entry', before.at, before.id) : this.store.key('entry', '~');
    const { items, lastKey } = await this.store.query<ActivityEntry & Record<string, unknown>>({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': this.pk(budgetId), ':lo': this.store.key('entry', ''), ':hi': hi },
      ScanIndexForward: false,
      // BETWEEN is inclusive: the entry at `before` itself comes back and is dropped below.
      Limit: limit + 1,
    });
    // Expired but not yet removed by TTL (deletion is lazy): not shown.
    const now = epochSeconds(this.clock.now());
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
