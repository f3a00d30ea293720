import { attr, dueIndexPage, dueInstant, isConditionFailed, limitPage, shardOf as dueShard, startOfDayIn, type Item, type Key, type ModuleStore } from '@budgeting/platform';
import type { Income, RecurringIncome } from '../model';
import { schedule } from './attributes';
import { CappedCollection, type CappedCreateOutcome } from './capped-collection';
import type { IncomeRepository } from './income.repository';
import type { DefinitionChange } from './recurring.repository';
import { INCOME_DUE_SHARDS, recurringIncomeKeys } from './keys';
import { TotalsLimitError } from './totals-cap';
import { putGuarded, type WriterGuard } from './writer-guard';

const DEFINITION_KIND = 'recurring-income';
const COUNT_KIND = 'recurring-income-count';
const OCCURRENCE_KIND = 'recurring-income-occurrence';
const TABLE_KEY = ['pk', 'sk'] as const;

/**
 * The most recurring income definitions one budget holds: every read of all of them (the list's
 * pages, upcoming's Query: 100 x ~0.4 KB, one page) stays bounded. A household has a few (two
 * salaries, a pension, a rent received).
 */
export const MAX_RECURRING_INCOME_PER_BUDGET = 100;

/**
 * An occurrence marker is needed only while its date could be computed again (nextOccurrenceOn
 * only moves forward; a changed schedule restarts from today): 35 days, as the recurring
 * expenses' markers were before the import's bill matching needed them longer.
 */
const MARKER_RETENTION_SECONDS = 35 * 24 * 60 * 60;

/** The definition changed (PATCH, DELETE, or another job run advanced it) since it was read. */
export class RecurringIncomeChangedError extends Error {
  constructor() {
    super('The recurring income changed concurrently');
    this.name = 'RecurringIncomeChangedError';
  }
}

/** What the due index says about one definition (the job re-reads the definition itself). */
export interface IncomeDueEntry {
  budgetId: string;
  id: string;
  createdBy: string;
  nextOccurrenceOn: string;
}

/** The event's outbox item (platform outboxPut), written in the recording's transaction. */
type TransactItem = Parameters<ModuleStore['transactWrite']>[0][number];

/**
 * Recurring income definitions (expenses README "Recurring income"), their due entries (gsi1,
 * attributes of the definition itself: sparse, absent while paused or ended) and their
 * occurrence markers. The layout of the recurring expenses' (RecurringRepository): a capped
 * collection, the due index keyed by the instant the next occurrence's day begins in the
 * budget's time zone, and each occurrence recorded in ONE transaction through the income
 * create's own write (IncomeRepository.create: the entry, its month's income total, its
 * income.recorded outbox item, the writer guard) with the occurrence marker (if absent) and the
 * definition's advance (conditioned on the version and nextOccurrenceOn read).
 */
export class RecurringIncomeRepository {
  private readonly keys: ReturnType<typeof recurringIncomeKeys>;
  private readonly capped: CappedCollection;

  constructor(
    private readonly store: ModuleStore,
    private readonly income: IncomeRepository,
    /** Tests lower it; production passes nothing. */
    readonly maxPerBudget = MAX_RECURRING_INCOME_PER_BUDGET,
  ) {
    this.keys = recurringIncomeKeys(store);
    this.capped = new CappedCollection(store, this.keys.count, COUNT_KIND, maxPerBudget);
  }

  async get(budgetId: string, id: string): Promise<RecurringIncome | undefined> {
    const item = await this.store.get({ Key: this.keys.definition(budgetId, id), ConsistentRead: true });
    return item && item.kind === DEFINITION_KIND ? toDefinition(item) : undefined;
  }

  /** One page of a budget's definitions, oldest first (ids are ULIDs). Strongly consistent. */
  async page(budgetId: string, limit: number, startKey?: Record<string, unknown>) {
    const read = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.definitionPrefix },
      ConsistentRead: true,
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    const { items, lastKey } = limitPage(read.items, limit, read.lastKey, TABLE_KEY);
    return { items: items.map(toDefinition), ...(lastKey ? { lastKey } : {}) };
  }

  /** As CappedCollection.create: 'exists' (an Idempotency-Key retry), 'budget-closed', 'full'. */
  create(r: RecurringIncome, timezone: string, guard?: WriterGuard): Promise<CappedCreateOutcome> {
    return this.capped.create(r.budgetId, r.id, this.toItem(r, timezone), guard);
  }

  /** Replaces `previous` with `next` if neither a PATCH (version) nor the job (nextOccurrenceOn) moved it. */
  async replace(previous: RecurringIncome, next: RecurringIncome, timezone: string, guard?: WriterGuard): Promise<void> {
    if (!(await putGuarded(this.store, { Item: this.toItem(next, timezone), ...unchanged(previous) }, guard))) throw new RecurringIncomeChangedError();
  }

  /** Deletes the definition and gives its place back in the budget's count; entries recorded stay. */
  async remove(previous: RecurringIncome, guard?: WriterGuard): Promise<void> {
    await this.capped.remove(previous.budgetId, this.keys.definition(previous.budgetId, previous.id), unchanged(previous), () => new RecurringIncomeChangedError(), [], guard);
  }

  /** One page of one due shard: entries due at or before the instant `at`, oldest first (gsi1: eventually consistent). */
  async duePage(shard: number, at: string, limit: number, startKey?: Record<string, unknown>) {
    const { lo, hi } = this.keys.dueUntil(at);
    const { items, lastKey } = await dueIndexPage(this.store, { pk: this.keys.duePk(shard), lo, hi, attributes: DUE_ENTRY_ATTRIBUTES, limit, startKey });
    return {
      entries: items.map((i) => ({
        budgetId: attr.str(i, 'budgetId'),
        id: attr.str(i, 'id'),
        createdBy: attr.str(i, 'createdBy'),
        nextOccurrenceOn: attr.str(i, 'nextOccurrenceOn'),
        dueAt: this.keys.dueAtOf(attr.str(i, 'gsi1sk')),
      })),
      lastKey,
    };
  }

  /**
   * Records the occurrence `previous.nextOccurrenceOn` as `entry` and moves the definition to
   * `nextOccurrenceOn`, in ONE transaction: the income create's own (IncomeRepository.create:
   * entry, month total, `event`, `guard`) plus the advance and the occurrence marker.
   * 'changed': the definition is not as read (another run won, a PATCH, a DELETE);
   * 'already-recorded': the date's marker exists (a changed schedule met a date recorded
   * before); 'totals-limit': the month's income total cannot take it. Nothing written but on
   * 'recorded'. WriterRefusedError when the guard failed (the creator may no longer write, or
   * the budget was archived or deleted). `change`: the advance is also an API change of the
   * definition (record-next: its new version and updatedAt), as the recurring expenses'.
   */
  async recordOccurrence(
    previous: RecurringIncome,
    entry: Income,
    event: TransactItem,
    nextOccurrenceOn: string | null,
    timezone: string,
    guard: WriterGuard,
    change?: DefinitionChange,
  ): Promise<'recorded' | 'changed' | 'already-recorded' | 'totals-limit'> {
    const date = previous.nextOccurrenceOn!;
    const marker: Item = {
      ...this.keys.occurrence(previous.budgetId, previous.id, date),
      kind: OCCURRENCE_KIND,
      recurringIncomeId: previous.id,
      incomeId: entry.id,
      occurredOn: date,
      expiresAt: Math.floor(Date.parse(`${date}T00:00:00Z`) / 1000) + MARKER_RETENTION_SECONDS,
    };
    let outcome: Awaited<ReturnType<IncomeRepository['create']>>;
    try {
      outcome = await this.income.create(entry, event, guard, [
        this.advanceItem(previous, nextOccurrenceOn, timezone, change),
        { Put: { Item: marker, ConditionExpression: 'attribute_not_exists(pk)' } },
      ]);
    } catch (err) {
      if (err instanceof TotalsLimitError) return 'totals-limit';
      throw err;
    }
    if (outcome === 'created') return 'recorded';
    if (outcome === 'exists') throw new Error(`income id ${entry.id} already exists`); // fresh ULIDs: a bug
    return outcome.alsoFailed === 0 ? 'changed' : 'already-recorded';
  }

  /** Moves the definition past occurrences it does not record (already recorded, or skipped). */
  async advance(previous: RecurringIncome, nextOccurrenceOn: string | null, timezone: string): Promise<'advanced' | 'changed'> {
    try {
      await this.store.update(this.advanceItem(previous, nextOccurrenceOn, timezone).Update);
      return 'advanced';
    } catch (err) {
      if (isConditionFailed(err)) return 'changed';
      throw err;
    }
  }

  private advanceItem(previous: RecurringIncome, next: string | null, timezone: string, change?: DefinitionChange) {
    const guard = unchanged(previous);
    const due = next === null ? undefined : this.dueAttributes({ ...previous, nextOccurrenceOn: next }, timezone);
    const sets = [...(due ? ['nextOccurrenceOn = :next', 'gsi1pk = :duePk', 'gsi1sk = :dueSk'] : []), ...(change ? ['#version = :newVersion', 'updatedAt = :updatedAt'] : [])];
    return {
      Update: {
        Key: this.keys.definition(previous.budgetId, previous.id),
        UpdateExpression: [sets.length > 0 ? `SET ${sets.join(', ')}` : '', due ? '' : 'REMOVE nextOccurrenceOn, gsi1pk, gsi1sk'].filter(Boolean).join(' '),
        ConditionExpression: guard.ConditionExpression,
        ExpressionAttributeNames: guard.ExpressionAttributeNames,
        ExpressionAttributeValues: {
          ...guard.ExpressionAttributeValues,
          ...(due ? { ':next': next, ':duePk': due.gsi1pk, ':dueSk': due.gsi1sk } : {}),
          ...(change ? { ':newVersion': change.version, ':updatedAt': change.updatedAt } : {}),
        },
      },
    };
  }

  /** gsi1 keys while an occurrence is pending: the UTC instant its day begins in the budget's time zone, sharded by id. */
  private dueAttributes(r: RecurringIncome, timezone: string) {
    if (r.nextOccurrenceOn === null || r.paused) return undefined;
    const at = dueInstant(startOfDayIn(r.nextOccurrenceOn, timezone));
    return { gsi1pk: this.keys.duePk(dueShard(r.id, INCOME_DUE_SHARDS)), gsi1sk: this.keys.dueSk(at, r.budgetId, r.id) };
  }

  private toItem(r: RecurringIncome, timezone: string): Item {
    const { nextOccurrenceOn, paused, ...rest } = r;
    return {
      ...(this.keys.definition(r.budgetId, r.id) as Key),
      kind: DEFINITION_KIND,
      ...rest,
      ...(paused ? { paused: true } : {}),
      ...(nextOccurrenceOn === null ? {} : { nextOccurrenceOn }),
      ...this.dueAttributes(r, timezone),
    };
  }
}

/** The condition "still at the version and nextOccurrenceOn read" (and so still there). */
function unchanged(previous: RecurringIncome) {
  const next = previous.nextOccurrenceOn;
  return {
    ConditionExpression: `#version = :version AND ${next === null ? 'attribute_not_exists(nextOccurrenceOn)' : 'nextOccurrenceOn = :readNext'}`,
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':version': previous.version, ...(next === null ? {} : { ':readNext': next }) },
  };
}

const DUE_ENTRY_ATTRIBUTES = ['budgetId', 'id', 'createdBy', 'nextOccurrenceOn'];

function toDefinition(item: Item): RecurringIncome {
  const source = attr.optionalStr(item, 'source');
  const description = attr.optionalStr(item, 'description');
  const skippedThrough = attr.optionalStr(item, 'skippedThrough');
  return {
    ...attr.fields(item, { id: attr.str, budgetId: attr.str, amount: attr.num }),
    ...(source === undefined ? {} : { source }),
    ...(description === undefined ? {} : { description }),
    schedule: schedule(item, 'schedule'),
    nextOccurrenceOn: attr.nullableStr(item, 'nextOccurrenceOn'),
    paused: item.paused === true,
    ...(skippedThrough === undefined ? {} : { skippedThrough }),
    ...attr.fields(item, { createdBy: attr.str, version: attr.num, createdAt: attr.str, updatedAt: attr.str }),
  };
}
