import { AsyncLocalStorage } from 'node:async_hooks';
import { budgetArchived } from '@budgeting/budgets';
import {
  cancellationUntouched,
  cancelledOnlyAt,
  KeyedLanes,
  problems,
  publishedFields,
  waitBefore,
  type EventContract,
  type EventEnvelope,
  type Item,
  type JitterPolicy,
  type Key,
  type ModuleStore,
  type TransactItem,
} from '@budgeting/platform';
import { HIGH, changeKeys, type ChangeKeys } from './keys';
import { TOTALS_SHARDS, idHash } from './totals-deltas';

/**
 * The change log that delta sync (GET /changes) reads: every expense write gets a number
 * INSIDE its own transaction, so numbers become visible in commit order.
 *
 * Why not a timestamp or a number reserved beforehand: two concurrent writes could commit in
 * the other order than their stamps, and a client syncing between the two commits would move
 * past the smaller stamp before it exists, missing that change forever. Here a write reads its
 * shard's counter (v) and its transaction sets it to v + 1 under the condition `seq = v`, and
 * puts the entry numbered v + 1. Two writes cannot both commit v + 1 (the loser's condition
 * fails, it re-reads and tries again), and entry v + 1 exists from the moment the counter says
 * v + 1: a reader that has seen counter c has every entry up to c.
 *
 * Sharding: one counter per (budget, change shard) so concurrent writers of a budget do not
 * all meet on one item. The change shard is the id's hash modulo CHANGE_SHARDS, a multiple of
 * TOTALS_SHARDS, so two writes on one counter are always on one totals shard too: the counter
 * adds no collision between writes that were independent before (only between those of
 * different months of the same shard). Readers query each shard; serverKnowledge is the vector
 * of the shards' numbers.
 *
 * Retention: entries expire through the table's TTL (CHANGE_RETENTION_SECONDS). Numbers of a
 * shard are consecutive, so a reader notices a missing entry (a gap) instead of skipping it.
 *
 * The entry is also the write's event: it carries the outbox attributes (publishedFields) and
 * the relay publishes it from its stream INSERT, so a write stores one item for "what changed"
 * instead of a change entry and an outbox item holding the same fact. And it is the write's
 * activity record: the event says who did what with before/after, and the entry is indexed
 * by event time (gsi1, `activity`), so the activity log reads expense activity from here
 * (same 90-day retention) instead of a subscriber writing a copy of every expense event.
 *
 * Archive: the budget's archive transaction sets `archivedAt` on its 16 counters (archiveItems,
 * carried by the budgets module through ArchiveParticipantPort) and unarchive removes it; the
 * increment's condition asks it absent. So a write already past its access read when the
 * archive commits fails on its own counter (no request, no item added), and the re-read that
 * a failed counter condition makes anyway sees `archivedAt` and answers 409 budget-archived
 * instead of retrying (only that re-read: a first attempt leaves the refusal to its
 * transaction, so a viewer's create still meets its role check first, 403). A counter the
 * archive created has no `seq`: read as 0 like a missing one.
 *
 * Income: every income write (IncomeRepository: POST, PATCH, DELETE, an import undo's
 * deletion; ImportsRepository.recordIncome) is stamped the same way, on the same counters
 * (shard = hash of the entry's id), so delta sync serves income with the same guarantee. Its
 * entry says `incomeId` where an expense's says `expenseId`, and its recent slot has the flag
 * `i` (recentSlotValue): an entry or slot without them is an expense's, as every one written
 * before. An income entry carries no event and no activity index: income's events are outbox
 * items of their own (IncomeRepository) that the activity log copies, so the relay and the
 * activity log pass over it.
 */
export const CHANGE_SHARDS = 16;
export const CHANGE_RETENTION_SECONDS = 90 * 24 * 60 * 60;
export const CHANGE_KIND = 'expense-change';
/**
 * A write whose change number was taken by a concurrent write of the same change shard (from
 * another process: within one, ChangeLog.serialized queues them) re-reads the counter and
 * tries again; the rest of the write is still valid. Each round one competing writer wins, so
 * this bounds how many writers of one shard may collide at once before one gives up (503).
 */
export const MAX_STAMP_ATTEMPTS = 60;
/**
 * The wait between those tries: a ceiling 5 ms higher per try (linear, as since the change log
 * began), at most 50 ms, so at most about 2.7 s over all MAX_STAMP_ATTEMPTS tries.
 */
const COUNTER_RACE_WAIT: JitterPolicy = { baseMs: 5, capMs: 50, growth: 'linear' };
/**
 * The counter item also keeps its shard's last RECENT_SLOTS changes (attribute r<seq % N>,
 * overwritten in turn by the same conditional update that takes the number), so a delta sync
 * that is at most that far behind reads every shard's news in the one counters Query instead
 * of one Query per shard (issue 11). Older news comes from the entries, as before.
 *
 * A slot is one string, `<seq>|<d when deleted>|<expenseId>` (recentSlotValue), not a map:
 * every sync reads all 16 counters, and DynamoDB Local and the SDK's (un)marshalling pay per
 * attribute, so 8 maps of 2-3 attributes per counter cost a sync about as much as its 20
 * expenses did (issue 11). Counters written before keep map slots `{seq, expenseId, deleted?}`
 * until their shard's next writes overwrite them; both are read.
 */
export const RECENT_SLOTS = 8;
export const COUNTER_KIND = 'change-counter';
/** The counter's attribute set while its budget is archived (archiveItems). */
const ARCHIVED_AT = 'archivedAt';

if (CHANGE_SHARDS % TOTALS_SHARDS !== 0) throw new Error('CHANGE_SHARDS must be a multiple of TOTALS_SHARDS');

const recentSlot = (seq: number) => `r${seq % RECENT_SLOTS}`;

/**
 * A recent slot's value (see RECENT_SLOTS): the id last, so any id reads back whole. The middle
 * field holds flags: `d` deleted, `i` an income entry's change (none: an expense's, as every
 * slot written before income was synced), `r` a recurring definition's (with `i` a recurring
 * income's, without a recurring expense's; since definitions are synced, 2026-12-05).
 */
export const recentSlotValue = (seq: number, expenseId: string, deleted: boolean, income = false, recurring = false) =>
  `${seq}|${deleted ? 'd' : ''}${income ? 'i' : ''}${recurring ? 'r' : ''}|${expenseId}`;

/** A recent slot as written by recentSlotValue, or as a map by earlier writes; undefined for anything else. */
export function fromRecentSlot(shard: number, value: unknown): ChangeEntry | undefined {
  if (typeof value === 'string') {
    const first = value.indexOf('|');
    const second = value.indexOf('|', first + 1);
    const seq = Number(value.slice(0, first));
    const expenseId = value.slice(second + 1);
    if (first < 1 || second < 0 || !Number.isInteger(seq) || expenseId === '') return undefined;
    const flags = value.slice(first + 1, second);
    return { shard, seq, expenseId, deleted: flags.includes('d'), ...(flags.includes('i') ? { income: true as const } : {}), ...(flags.includes('r') ? { recurring: true as const } : {}) };
  }
  const r = value as { seq?: unknown; expenseId?: unknown; deleted?: unknown } | undefined;
  return r && typeof r.expenseId === 'string' ? { shard, seq: Number(r.seq), expenseId: r.expenseId, deleted: r.deleted === true } : undefined;
}

/**
 * How a stamp is taken. `retry`: the previous attempt's counter condition failed (stampItems).
 * `evenArchived`: without the condition that the budget is not archived, for the recurring jobs'
 * advance of an archived budget's definitions past their due dates (skipped, not caught up on
 * unarchiving): bookkeeping of the system's, not a member's write, which the archive does not
 * stop today; numbered all the same so a client sees the new next date once the budget is back.
 */
export interface StampOptions {
  retry?: boolean;
  evenArchived?: boolean;
}

/** A committed change's number: which shard's counter, and the number the write took there. */
export interface ChangeNumber {
  shard: number;
  seq: number;
}

/** Where commitStamped puts the numbers its commits took, within a recordChanges scope. */
const recorders = new AsyncLocalStorage<ChangeNumber[]>();

/**
 * Runs `write` and appends to `into` the change number of every write it commits (every stamped
 * write commits through ChangeLog.commitStamped, which records them), with nothing to thread
 * through the write paths' results: an offline push runs each mutation through the single
 * write routes' services (ExpensesService, IncomeService), whose results are the resources, and
 * needs only to know which numbers are its own (PushService: the answer's token advances over
 * them, and stops at another writer's). A scope is the async context of this call: concurrent
 * requests of one process never see each other's numbers, and a write queued behind another
 * request's on the same counter (ChangeLog.serialized) still runs in the context that queued it.
 * Writes that commit nothing (a resend that finds its expense, a PATCH that changes nothing, a
 * refusal) record nothing.
 */
export function recordChanges<T>(into: ChangeNumber[], write: () => Promise<T>): Promise<T> {
  return recorders.run(into, write);
}

/** Is a recordChanges scope open (an offline push's mutation)? A write finding its own earlier commit looks up its numbers only then. */
export function recordingChanges(): boolean {
  return recorders.getStore() !== undefined;
}

/**
 * Appends to the open recordChanges scope numbers a write committed in an earlier attempt of
 * the same request (a keyed push's retry finding the occurrence its first attempt recorded:
 * ChangeLog.recordingNumbers), so the answer covers them as it covers the numbers committed now.
 */
export function recordFound(numbers: readonly ChangeNumber[]): void {
  recorders.getStore()?.push(...numbers);
}

/** Is `e` a kept change (not a deletion) of item `id` of this kind (an expense, an income entry, or either's definition)? */
function isChangeOf(e: ChangeEntry | undefined, id: string, kind: { income: boolean; recurring: boolean }): e is ChangeEntry {
  return e !== undefined && e.expenseId === id && !e.deleted && (e.income === true) === kind.income && (e.recurring === true) === kind.recurring;
}

const counterId = (c: ChangeRef) => `${c.budgetId}#${shardOfRef(c)}`;

/** The change shard a write is numbered in: its id's, or `shardOf`'s (a definition's change riding on its occurrence's). */
const shardOfRef = (c: ChangeRef): number => changeShardOf(c.shardOf ?? c.expenseId);

export const changeShardOf = (expenseId: string): number => idHash(expenseId) % CHANGE_SHARDS;

export interface ChangeEntry {
  shard: number;
  seq: number;
  /** The changed expense's id, or with `income`, the income entry's. */
  expenseId: string;
  deleted: boolean;
  /** The change is an income entry's (absent: an expense's); with `recurring`, a recurring income definition's. */
  income?: true;
  /** The change is a recurring definition's: a recurring expense's, or with `income` a recurring income's. */
  recurring?: true;
}

/**
 * What a write records: which expense (or, with `income`, income entry; with `recurring`, a
 * recurring expense definition, with both a recurring income definition), and whether the
 * write deleted it. `shardOf`: the id whose change shard numbers it, when not its own: a
 * definition's change written by the transaction that records its occurrence rides on the
 * occurrence's counter (one entry more, no counter more). Readers never derive a shard from
 * an id: the entry's key and the counter's slot say where it is.
 */
export interface ChangeRef {
  budgetId: string;
  expenseId: string;
  deleted: boolean;
  income?: true;
  recurring?: true;
  shardOf?: string;
}

/** The entry attribute naming what changed (toChangeEntry reads them back). */
function entryIdAttribute(change: { income?: true; recurring?: true }): string {
  if (change.recurring) return change.income ? 'recurringIncomeId' : 'recurringExpenseId';
  return change.income ? 'incomeId' : 'expenseId';
}

/** The event a change entry carries (it is also the write's outbox event). */
type Publish = { contract: EventContract; event: EventEnvelope };

/** How many counters a process remembers (see `known`); past that it forgets them all. */
const KNOWN_COUNTERS_MAX = 10_000;

export class ChangeLog {
  private readonly keys: ChangeKeys;
  /**
   * Writes of one counter from this process, one at a time. They can only commit one after
   * the other anyway (each takes the next number); queueing them here, instead of letting
   * them all read v and all but one fail and retry, turns N concurrent writers of a shard
   * from ~N^2/2 transactions into N. Writers in other processes are still kept apart by the
   * condition; this is only an optimization.
   */
  private readonly queues = new KeyedLanes();
  /** The counter value after this process's last write of it: saves a read when no one else wrote. */
  private readonly known = new Map<string, number>();

  constructor(private readonly store: ModuleStore) {
    this.keys = changeKeys(store);
  }

  /**
   * The two transaction items that stamp one write: the counter's conditional increment
   * (first: its failure means "another write took this number, re-read and retry") and the
   * entry. Reads the counter (strongly consistent) to know the number to take. `retry`: the
   * previous attempt's counter condition failed; this read refuses a counter marked archived
   * (409 budget-archived) instead of trying again. Only then: a first attempt leaves every
   * refusal to the transaction, whose other checks (the writer's role) answer first.
   */
  async stampItems(change: ChangeRef, now: Date, publish: Publish | undefined, retry = false): Promise<[TransactItem, TransactItem]> {
    const [increment, entry] = await this.stampMany([{ change, publish }], now, { retry });
    return [increment!, entry!];
  }

  /**
   * The stamp of one or more writes of ONE change shard in one transaction (a single write,
   * or a CSV import batch): the counter's conditional increment by `changes.length`, then one
   * entry per write, numbered consecutively in the order given. `committed` takes the last
   * entry's number. `retry`: as stampItems'. `publish` absent (an income write): the entry
   * carries no event (see the class's comment).
   */
  async stampMany(changes: { change: ChangeRef; publish?: Publish | undefined }[], now: Date, options: StampOptions = {}): Promise<TransactItem[]> {
    const first = changes[0]!.change;
    const shard = shardOfRef(first);
    if (changes.some((c) => c.change.budgetId !== first.budgetId || shardOfRef(c.change) !== shard)) {
      throw new Error('stampMany: every write must be of one budget and one change shard');
    }
    const current = this.known.get(counterId(first)) ?? (await this.counter(first.budgetId, shard, options.retry === true && !options.evenArchived));
    const entries = changes.map(({ change, publish }, i) => this.entryItem(change, shard, current + 1 + i, now, publish));
    return [this.incrementItem(first.budgetId, shard, current, changes.map((c) => c.change), options.evenArchived === true), ...entries];
  }

  /**
   * The counter's conditional move from `current` to `current + changes.length`, keeping the
   * last RECENT_SLOTS of these changes in its recent slots.
   */
  private incrementItem(budgetId: string, shard: number, current: number, changes: ChangeRef[], evenArchived: boolean): TransactItem {
    const recent = changes
      .map((change, i) => ({ seq: current + 1 + i, value: recentSlotValue(current + 1 + i, change.expenseId, change.deleted, change.income === true, change.recurring === true) }))
      .slice(-RECENT_SLOTS);
    return {
      Update: {
        Key: this.keys.counter(budgetId, shard),
        UpdateExpression: `SET #seq = :next, #kind = :kind, ${recent.map((_, i) => `#slot${i} = :recent${i}`).join(', ')}`,
        // One term more than the number: the budget is not archived (see the class's comment).
        // (evenArchived: the jobs' bookkeeping of an archived budget's definitions, StampOptions.)
        ConditionExpression: `${current === 0 ? 'attribute_not_exists(#seq)' : '#seq = :current'}${evenArchived ? '' : ' AND attribute_not_exists(#archivedAt)'}`,
        ExpressionAttributeNames: { '#seq': 'seq', '#kind': 'kind', ...(evenArchived ? {} : { '#archivedAt': ARCHIVED_AT }), ...Object.fromEntries(recent.map((r, i) => [`#slot${i}`, recentSlot(r.seq)])) },
        ExpressionAttributeValues: {
          ':next': current + changes.length,
          ':kind': COUNTER_KIND,
          ...Object.fromEntries(recent.map((r, i) => [`:recent${i}`, r.value])),
          ...(current === 0 ? {} : { ':current': current }),
        },
      },
    };
  }

  /**
   * The archive's (or with `archivedAt` undefined, the unarchive's) updates of the budget's 16
   * counters, built by this module's store for the budgets module's transaction to carry
   * (ModuleStore.ownerUpdate). Creates a counter never written (no `seq`: read as 0). Sends nothing.
   */
  archiveItems(budgetId: string, archivedAt: string | undefined): TransactItem[] {
    return Array.from({ length: CHANGE_SHARDS }, (_, shard) =>
      this.store.ownerUpdate({
        Key: this.keys.counter(budgetId, shard),
        UpdateExpression: archivedAt === undefined ? 'SET #kind = :kind REMOVE #archivedAt' : 'SET #kind = :kind, #archivedAt = :at',
        ExpressionAttributeNames: { '#kind': 'kind', '#archivedAt': ARCHIVED_AT },
        ExpressionAttributeValues: { ':kind': COUNTER_KIND, ...(archivedAt === undefined ? {} : { ':at': archivedAt }) },
      }),
    );
  }

  /**
   * The change entry numbered `seq`: what sync reads, and the write's event and activity record.
   * An income entry's (`change.income`): `incomeId`, no event, no activity index (class comment).
   */
  private entryItem(change: ChangeRef, shard: number, seq: number, now: Date, publish: Publish | undefined): TransactItem {
    // Each fact once: the shard is in the sort key and `deleted` is written only when true
    // (absent reads as false): see toChangeEntry. Older entries carry `shard` and `deleted: false`.
    const entry = {
      ...this.keys.entry(change.budgetId, shard, seq),
      kind: CHANGE_KIND,
      seq,
      [entryIdAttribute(change)]: change.expenseId,
      ...(change.deleted ? { deleted: true } : {}),
      expiresAt: Math.floor(now.getTime() / 1000) + CHANGE_RETENTION_SECONDS,
    };
    if (change.income || change.recurring || !publish) return { Put: { Item: entry } };
    // An expense write's entry is also its outbox event and its activity record (issue 11: one item).
    return {
      Put: {
        Item: {
          ...entry,
          gsi1pk: this.keys.activityPk(change.budgetId),
          gsi1sk: this.keys.activitySk(publish.event.occurredAt, publish.event.id),
          ...publishedFields(publish.contract, publish.event),
        },
      },
    };
  }

  /**
   * Stamps `changes` (one budget, one change shard: stampMany) and commits them with `send`,
   * which puts the stamp's items in its transaction with the counter's increment at
   * `counterAt`. When only that increment's condition failed (another write took the number),
   * reads the counter again and retries, up to MAX_STAMP_ATTEMPTS (then 503), unless that read
   * finds it marked archived (409 budget-archived). Any other failure is the caller's to
   * interpret. After this process's earlier writes of the counter (serialized), unless
   * `queued` is false: a single income write goes without the queue, because its lost race
   * (the entry changed since read) re-reads outside the queue and would join it again at the
   * back, behind writers of the same entry holding the same stale version, so N concurrent
   * PATCHes of one entry would need N rounds, past its 5 attempts (optimistic.ts). Unqueued,
   * its counter is kept by the condition alone (a number taken meanwhile is retried), as a
   * writer of another process is; income writes are few, so the queue saves little there.
   */
  async commitStamped(
    changes: { change: ChangeRef; publish?: Publish | undefined }[],
    now: Date,
    counterAt: number,
    send: (stamp: TransactItem[]) => Promise<unknown>,
    queued = true,
    evenArchived = false,
  ): Promise<void> {
    const change = changes[0]!.change;
    const attempts = async () => {
      for (let attempt = 1; ; attempt++) {
        const stamp = await this.stampMany(changes, now, { retry: attempt > 1, evenArchived });
        try {
          await send(stamp);
          this.committed(change, stamp);
          recorders.getStore()?.push(...stamp.slice(1).map((entry) => ({ shard: shardOfRef(change), seq: Number(entry.Put!.Item!.seq) })));
          return;
        } catch (err) {
          // A transaction cancelled on other items while the counter's own condition held wrote
          // nothing and proved the value right: kept (the jobs' next settle candidate reads no counter).
          if (!cancellationUntouched(err, counterAt)) this.forget(change);
          // Only the counter's own condition failed (a number taken meanwhile): stamp again.
          if (!cancelledOnlyAt(err, counterAt)) throw err;
          if (attempt >= MAX_STAMP_ATTEMPTS) throw problems.serviceUnavailable(1, 'Too many concurrent changes to this budget; retry shortly.');
          // A little jitter so the losers of one round do not all meet again at once.
          await waitBefore(attempt, COUNTER_RACE_WAIT);
        }
      }
    };
    await (queued ? this.serialized(change, attempts) : attempts());
  }

  /** Runs `write` (a stamp and its commit) after this process's earlier writes of the same counter. */
  async serialized<T>(change: ChangeRef, write: () => Promise<T>): Promise<T> {
    const id = counterId(change);
    return this.queues.run(id, write);
  }

  /** Remembers the counter value a stamp committed (called right after the transaction). */
  committed(change: ChangeRef, stamp: TransactItem[]): void {
    this.remember(counterId(change), Number(stamp[stamp.length - 1]!.Put!.Item!.seq));
  }

  /**
   * Keeps the larger of `value` and the value remembered: a counter only grows, so the larger is
   * the newer. A smaller one arrives late (a read primed after this process's write committed,
   * or of two unqueued writes the first to commit settling last) and would condition the next
   * write on a number already taken: never a wrong number (`seq = :current` fails), but a
   * cancelled transaction and a counter read more. A remembered value above the counter (its
   * budget's data deleted) fails the same way once, and is forgotten (commitStamped).
   */
  private remember(id: string, value: number): void {
    const known = this.known.get(id);
    if (known !== undefined && known >= value) return;
    if (this.known.size >= KNOWN_COUNTERS_MAX) this.known.clear();
    this.known.set(id, value);
  }

  /** The key of the counter that numbers the own writes of `id` (a definition's), to read it with other items. */
  counterKeyOf(budgetId: string, id: string): Key {
    return this.keys.counter(budgetId, changeShardOf(id));
  }

  /**
   * Remembers the value of `id`'s counter read by the caller (`item`, absent: never written),
   * strongly consistent, with the items it read anyway in one BatchGetItem (the recurring jobs'
   * read of a definition): the stamp of its write then reads nothing more. A value stale by the
   * time of the write costs what any stale value costs: the condition fails, re-read, retry.
   * Never older than the value remembered (remember: a read that was in flight while this
   * process's own write committed, as the job's settles of several definitions meet).
   */
  prime(budgetId: string, id: string, item: Item | undefined): void {
    this.remember(counterId({ budgetId, expenseId: id, deleted: false }), Number(item?.seq ?? 0));
  }

  /**
   * The two numbers a recording of `definitionId`'s occurrence as `entryId` took (ONE strongly
   * consistent GetItem of the entry's counter): the entry's change and, right after it on the same
   * counter, the definition's (ChangeRef.shardOf), as the recording's transaction numbers them.
   * Found among the counter's recent slots; [] when they are no longer there (RECENT_SLOTS - 1
   * changes of that shard since) or not as a recording writes them: an answer then covers nothing
   * of them, and the client's next sync brings them again (harmless). Once the recording's entry
   * slot is overwritten, a later change of the entry followed by one of the definition may be
   * returned instead: harmless too, the recording's number (after the push's token, not claimed)
   * stops the token's advance before them (review 55d). `income`: an income
   * entry and a recurring income, else an expense and a recurring expense.
   */
  async recordingNumbers(budgetId: string, entryId: string, definitionId: string, income: boolean): Promise<ChangeNumber[]> {
    const shard = changeShardOf(entryId);
    const slots = await this.recentOf(budgetId, shard);
    const is = (e: ChangeEntry | undefined, id: string, recurring: boolean) => isChangeOf(e, id, { income, recurring });
    // The pair a recording writes: the entry's earliest change kept here, the definition's right
    // after it. The caller reads both items again after this read, so its answer holds whatever
    // change these numbers are.
    const entry = slots.filter((e) => is(e, entryId, false)).sort((a, b) => a.seq - b.seq)[0];
    const definition = entry && slots.find((e) => e.seq === entry.seq + 1);
    return entry && is(definition, definitionId, true) ? [{ shard, seq: entry.seq }, { shard, seq: entry.seq + 1 }] : [];
  }

  /**
   * The numbers of the changes of `id` (an item of kind `kind`) that its own counter still keeps
   * among its recent slots, oldest first, deletions left out (ONE strongly consistent GetItem):
   * what a push's retry claims of its first attempt's write that it finds done (a create that
   * finds its item; PushService.foundCreate). [] when none is kept
   * (RECENT_SLOTS changes of that shard since). The caller reads the item AFTER this read, so its
   * answer holds every change so numbered.
   */
  async ownNumbers(budgetId: string, id: string, kind: { income: boolean; recurring: boolean }): Promise<ChangeNumber[]> {
    const shard = changeShardOf(id);
    return (await this.recentOf(budgetId, shard))
      .filter((e) => isChangeOf(e, id, kind))
      .sort((a, b) => a.seq - b.seq)
      .map((e) => ({ shard, seq: e.seq }));
  }

  /** One counter's recent slots (strongly consistent GetItem), in slot order. */
  private async recentOf(budgetId: string, shard: number): Promise<ChangeEntry[]> {
    const item = await this.store.get({ Key: this.keys.counter(budgetId, shard), ConsistentRead: true });
    return Array.from({ length: RECENT_SLOTS }, (_, slot) => fromRecentSlot(shard, item?.[`r${slot}`])).filter((e): e is ChangeEntry => e !== undefined);
  }

  /** Forgets a counter value (a write lost the race, or failed in a way that leaves it unknown). */
  forget(change: ChangeRef): void {
    this.known.delete(counterId(change));
  }

  /** The current number of every shard (0 for a shard never written), strongly consistent. */
  async counters(budgetId: string): Promise<number[]> {
    return (await this.countersWithRecent(budgetId)).seqs;
  }

  /**
   * The current number of every shard and, per shard, its last changes kept on the counter
   * (see RECENT_SLOTS; oldest first), in one strongly consistent Query.
   */
  async countersWithRecent(budgetId: string): Promise<{ seqs: number[]; recent: ChangeEntry[][] }> {
    const items = await this.store.queryAll<Item>({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.changesPk(budgetId), ':prefix': this.keys.counterPrefix },
      ConsistentRead: true,
    });
    return this.fromCounters(items);
  }

  /**
   * The same, read by key (the 16 counter keys are known): a strongly consistent BatchGetItem
   * that a request can send together with its access read (platform deferReads).
   */
  async countersByKey(budgetId: string): Promise<{ seqs: number[]; recent: ChangeEntry[][] }> {
    const keys = Array.from({ length: CHANGE_SHARDS }, (_, shard) => this.keys.counter(budgetId, shard));
    return this.fromCounters(await this.store.batchGet<Item>(keys, true));
  }

  private fromCounters(items: Item[]): { seqs: number[]; recent: ChangeEntry[][] } {
    const seqs = new Array<number>(CHANGE_SHARDS).fill(0);
    const recent: ChangeEntry[][] = Array.from({ length: CHANGE_SHARDS }, () => []);
    for (const item of items) {
      const shard = Number(String(item.sk).split('#').pop());
      if (!Number.isInteger(shard) || shard < 0 || shard >= CHANGE_SHARDS) continue;
      seqs[shard] = Number(item.seq ?? 0);
      for (let slot = 0; slot < RECENT_SLOTS; slot++) {
        const entry = fromRecentSlot(shard, item[`r${slot}`]);
        if (entry) recent[shard]!.push(entry);
      }
      recent[shard]!.sort((a, b) => a.seq - b.seq);
    }
    return { seqs, recent };
  }

  /** Up to `limit` entries of one shard numbered after `after`, oldest first, strongly consistent. */
  async entriesAfter(budgetId: string, shard: number, after: number, limit: number): Promise<ChangeEntry[]> {
    const { lo, hi } = this.keys.entriesAfter(shard, after);
    const { items } = await this.store.query<Item>({
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': this.keys.changesPk(budgetId), ':lo': lo, ':hi': hi },
      ConsistentRead: true,
      Limit: limit,
    });
    return items.map(toChangeEntry);
  }

  /**
   * The events of `limit` + 1 of the budget's entries, newest first (event time, then id),
   * strictly before `before` when given (the one at `before` is read besides; the caller keeps `limit`: one more tells it more follow). Through the activity index: eventually consistent in AWS,
   * like every history. Entries past their retention but not yet removed by TTL are left out.
   * `readTo`: where the read stopped when DynamoDB says there is more (its Limit, or 1 MB read
   * first): the position of the last entry read; older ones were not read (ActivityService).
   */
  async events(budgetId: string, limit: number, now: Date, before?: { at: string; id: string }): Promise<{ events: EventEnvelope[]; readTo?: { at: string; id: string } }> {
    const hi = before ? this.keys.activitySk(before.at, before.id) : this.keys.activitySk(HIGH, '');
    const nowSeconds = Math.floor(now.getTime() / 1000);
    // Only the events of the last CHANGE_RETENTION_SECONDS (the activity log's own window, by
    // event time): the older entries, not yet removed by the TTL, are the tail, cut off here
    // rather than read, dropped, and answered as pages of nothing with a cursor.
    const lo = this.keys.activitySk(new Date((nowSeconds - CHANGE_RETENTION_SECONDS + 1) * 1000).toISOString(), '');
    // A cursor from before the window (the client paged slowly): nothing older is shown.
    if (hi < lo) return { events: [] };
    const { items, lastKey } = await this.store.query<Item>({
      IndexName: 'gsi1',
      KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :lo AND :hi',
      ExpressionAttributeValues: { ':pk': this.keys.activityPk(budgetId), ':lo': lo, ':hi': hi },
      ScanIndexForward: false,
      // BETWEEN is inclusive: the entry at `before` itself comes back and is dropped below, so it
      // is not counted as the one more (ActivityRepository.page, the same).
      Limit: limit + (before ? 2 : 1),
    });
    const events = items
      .filter((i) => i.gsi1sk !== hi && Number(i.expiresAt ?? Infinity) > nowSeconds && typeof i.detail === 'string')
      .map((i) => JSON.parse(String(i.detail)) as EventEnvelope);
    const last = items[items.length - 1];
    return lastKey && last ? { events, readTo: this.keys.activityPosition(String(last.gsi1sk)) } : { events };
  }

  /** The key of one entry (to read entries whose numbers are known, in a batch). */
  entryKey(budgetId: string, shard: number, seq: number): Key {
    return this.keys.entry(budgetId, shard, seq);
  }

  /** Keys of every counter and entry of a budget (for deleting the budget's data). */
  async allKeys(budgetId: string): Promise<Key[]> {
    return this.store.queryAll<Key>({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.keys.changesPk(budgetId) },
      ProjectionExpression: 'pk, sk',
      ConsistentRead: true,
    });
  }

  /**
   * The counter's number, read before a write takes the next one. Read again after the
   * write's counter condition failed (`retry`), a counter marked archived answers 409
   * budget-archived, the access check's answer: the budget was archived after the write's
   * access read, and no retry would pass.
   */
  private async counter(budgetId: string, shard: number, retry: boolean): Promise<number> {
    const item = await this.store.get({ Key: this.keys.counter(budgetId, shard), ConsistentRead: true });
    if (retry && item?.[ARCHIVED_AT] !== undefined) throw budgetArchived(budgetId);
    return Number(item?.seq ?? 0);
  }
}

/**
 * An entry as sync reads it. Entries written since the entry states each fact once have no
 * `shard` (read from the sort key, `expenses#change#<shard>#<seq>`) and `deleted` only when
 * true; older ones have `shard` and `deleted: false` too.
 */
export function toChangeEntry(i: Item): ChangeEntry {
  const shard = i.shard ?? String(i.sk).split('#')[2];
  // A definition's change names its id as recurringExpenseId or recurringIncomeId (entryIdAttribute).
  if (typeof i.recurringIncomeId === 'string') return { shard: Number(shard), seq: Number(i.seq), expenseId: i.recurringIncomeId, deleted: i.deleted === true, income: true, recurring: true };
  if (typeof i.recurringExpenseId === 'string') return { shard: Number(shard), seq: Number(i.seq), expenseId: i.recurringExpenseId, deleted: i.deleted === true, recurring: true };
  // An income entry's change names `incomeId` (see ChangeLog); every other entry an expense.
  if (typeof i.incomeId === 'string') return { shard: Number(shard), seq: Number(i.seq), expenseId: i.incomeId, deleted: i.deleted === true, income: true };
  return { shard: Number(shard), seq: Number(i.seq), expenseId: String(i.expenseId), deleted: i.deleted === true };
}
