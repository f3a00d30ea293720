import { conditionFailedAt, isConditionFailed, outboxPut, type EventContract, type EventEnvelope, type ModuleStore } from '@budgeting/platform';
import type { RecurringExpense } from '../model';
import { recurringKeys, type RecurringKeys } from './keys';
import type { DueEntry } from './recurring.repository';
import { WriterRefusedError, transactGuarded, type WriterGuard } from './writer-guard';
import { dueEntryOf } from './recurring-definitions';

/**
 * The attribute on a definition naming the occurrence it was last reminded of. The reminder
 * planner's filter leaves such entries out, so a definition is handed to a unit once per
 * occurrence, not at every tick of its 15-hour window (domain/reminders.ts). A hint only: the marker item below is
 * what makes the reminder exactly once (a PATCH's Put drops the attribute; the next tick then
 * hands the definition over once more, its unit meets the marker and writes the hint back).
 */
const REMINDED_ON = 'remindedOn';

/** Markers are read only while their date is ahead; they go with the table's TTL well after it. */
const MARKER_RETENTION_SECONDS = 35 * 24 * 60 * 60;

/** An entry of the due index the reminder job reads (the projection of `remindPage`). */
export type ReminderEntry = DueEntry;

/**
 * Bill reminders over the recurring definitions' due index (gsi1, written by
 * RecurringRepository) and their reminder markers (`expenses#reminder#<recurringId>#<date>` in
 * the budget's expense partition, so the budget's data cleanup removes them too).
 */
export class RecurringRemindersRepository {
  private readonly keys: RecurringKeys;

  constructor(private readonly store: ModuleStore) {
    this.keys = recurringKeys(store);
  }

  /**
   * One page of one due shard: entries whose instant (the start of nextOccurrenceOn's day in
   * the budget's time zone) is after `after` and on or before `until`, oldest first, without
   * those already reminded of that occurrence. gsi1 is eventually consistent: the unit re-reads
   * the definition. The filter runs after the read (the index entries are read, ~200 bytes
   * each, not handed out); a page may hold none and still have more (`lastKey`).
   */
  async remindPage(shard: number, after: string, until: string, limit: number, startKey?: Record<string, unknown>) {
    const { lo, hi } = this.keys.dueBetween(after, until);
    const { items, lastKey } = await this.store.query({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :lo AND :hi',
      FilterExpression: 'attribute_not_exists(#reminded) OR #reminded <> nextOccurrenceOn',
      ExpressionAttributeNames: { '#reminded': REMINDED_ON },
      ExpressionAttributeValues: { ':pk': this.keys.duePk(shard), ':lo': lo, ':hi': hi },
      ProjectionExpression: 'budgetId, id, createdBy, nextOccurrenceOn, gsi1sk',
      Limit: limit,
      ExclusiveStartKey: startKey,
    });
    return {
      entries: items.map((i) => dueEntryOf(i, this.keys)),
      lastKey,
    };
  }

  /**
   * Publishes `event` (the reminder of `definition.nextOccurrenceOn`) in ONE transaction with
   * the occurrence's marker (attribute_not_exists: once per definition and date, whatever the
   * deliveries) and the definition's hint, conditioned on the definition still being at that
   * date (not paused: a paused one has no nextOccurrenceOn; not skipped past it; not deleted)
   * and at the version read: the event tells the definition's amount, merchant and category as
   * read, so a PATCH committed since (answered before this commits) fails it rather than have
   * a reminder published after it tell what it replaced. 'already': reminded before (the hint
   * is written back, best effort); 'changed': the definition moved or changed meanwhile (the
   * job reads it again); nothing written in either case. `guard`: the creator's writer check
   * (writer-guard.ts), so a budget archived (or a creator made a viewer) since the job's access
   * read is 'refused', nothing published: no reminder of a bill the job will not record.
   */
  async remind(definition: RecurringExpense, contract: EventContract, event: EventEnvelope, guard: WriterGuard): Promise<'reminded' | 'already' | 'changed' | 'refused'> {
    const date = definition.nextOccurrenceOn!;
    try {
      await transactGuarded(this.store, [
        {
          Put: {
            Item: {
              ...this.keys.reminder(definition.budgetId, definition.id, date),
              kind: 'recurring-reminder',
              recurringExpenseId: definition.id,
              dueOn: date,
              eventId: event.id,
              expiresAt: Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) + MARKER_RETENTION_SECONDS,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        this.hint(definition, date, definition.version),
        outboxPut(this.store, contract, event),
      ], guard);
      return 'reminded';
    } catch (err) {
      if (err instanceof WriterRefusedError) return 'refused';
      if (conditionFailedAt(err, 0)) {
        await this.writeHint(definition, date);
        return 'already';
      }
      if (conditionFailedAt(err, 1)) return 'changed';
      throw err;
    }
  }

  /** The hint, while the definition is at `date` (and, given `version`, still at that version). */
  private hint(definition: RecurringExpense, date: string, version?: number) {
    return {
      Update: {
        Key: { pk: this.keys.budgetPk(definition.budgetId), sk: this.keys.recurringSk(definition.id) },
        UpdateExpression: 'SET #reminded = :date',
        ConditionExpression: version === undefined ? 'nextOccurrenceOn = :date' : 'nextOccurrenceOn = :date AND #version = :version',
        ExpressionAttributeNames: { '#reminded': REMINDED_ON, ...(version === undefined ? {} : { '#version': 'version' }) },
        ExpressionAttributeValues: { ':date': date, ...(version === undefined ? {} : { ':version': version }) },
      },
    };
  }

  private async writeHint(definition: RecurringExpense, date: string): Promise<void> {
    try {
      await this.store.update(this.hint(definition, date).Update);
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
    }
  }
}
