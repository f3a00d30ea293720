import { createHash } from 'node:crypto';
import type { ModuleStore } from '@budgeting/platform';

/**
 * Every key the expenses module writes, in one place. All values start with "expenses#"
 * (ModuleStore refuses anything else).
 *
 * Expense item         pk  expenses#budget#<budgetId>          sk  expenses#expense#<expenseId>
 *   (with an Idempotency-Key: the key's record in `idempotency`; deleted while it lives, the
 *   item becomes a tombstone, kind `expense-tombstone`, holding only the record, no index
 *   attributes, TTL = the record's expiry; deleted within 24 h of its creation without one, a
 *   tombstone of only the keys, TTL = createdAt + 24 h; see ExpensesRepository.remove)
 *   list index (gsi1)  pk  expenses#budget#<budgetId>          sk  expenses#date#<occurredOn>#<expenseId>
 *   category (gsi2)    pk  expenses#budget#<budgetId>#category#<categoryId>   (only with a category;
 *                      sk  same as gsi1                                        before: ...#uncategorized)
 *   split (gsi2)       pk  expenses#budget#<budgetId>#split   (a split expense instead: an item has
 *                      sk  same as gsi1                         one gsi2 entry, its parts several
 *                      categories; the list by category reads this partition too, filtered on
 *                      the item's `splitCategoryIds`, see ExpenseQueries.page)
 *   review (gsi3)      pk  expenses#review#<budgetId>          sk  same as gsi1
 *   (sparse: only an expense that needs review, `unreviewed: true`, carries it; every write of
 *   the item (toItem) sets or drops it with the flag. The review inbox, GET .../expenses?reviewed=false,
 *   reads it newest first, and the overview's `toReview` counts it; items written before
 *   2026-12-02 get it from jobs/review-index-backfill-job.ts)
 *   payments (gsi4)    pk  expenses#budget#<budgetId>#recurring#<recurringId>   sk  same as gsi1
 *   (sparse: only an expense a recurring expense recorded, `recurringExpenseId`, carries it,
 *   in every write of the item (toItem). GET .../expenses?recurringExpenseId= reads it: one
 *   Query of the bill's payments; items written before 2026-12-04 get it from
 *   jobs/payments-index-backfill-job.ts)
 * Deleted expense      pk  expenses#budget#<budgetId>          sk  expenses#deleted#<expenseId>
 *   (what DELETE leaves for POST .../restore, in the delete's own transaction: the expense's
 *   full stored content, kind `expense-deleted`, `deletedAt`, `deletedBy`, TTL 30 days; see
 *   deleted-expenses.ts. In the budget's expense partition, so the budget.deleted cleanup
 *   removes it with the expenses)
 *   deleted list (gsi1) pk  expenses#budget#<budgetId>#deleted  sk  expenses#deletedat#<deletedAt ISO>#<expenseId>
 *   (GET .../expenses/deleted, newest deletion first; never the budget's gsi1 partition, so
 *   expense lists never see it)
 * Running totals       pk  expenses#totals#<budgetId>          sk  expenses#month#<YYYY-MM>#<shard>
 *   (one per month and totals shard, holding the month's figures and each day's: see
 *   totals-attributes.ts. Tables written before 2026-11-30 also hold day items,
 *   sk expenses#day#<YYYY-MM-DD>#<shard>, until the totals migration folds them in:
 *   jobs/fold-day-totals-job.ts)
 * Totals repair record pk  expenses#totals-repair#<budgetId>   sk  expenses#repair#<at ISO>#<id>
 *   (one per transaction of an operator's `expenses-totals-check --repair yes`, put in that
 *   transaction: operator, reason, month, shard and each figure's from/to; TTL two years, see
 *   TotalsCheckRepository.repair. Its own partition, newest last, so the check lists the last
 *   repairs with one descending Query; the budget.deleted cleanup deletes it, BudgetDataRepository)
 * Closed budget        pk  expenses#closed#<budgetId>          sk  expenses#closed#<shard>
 *   (one per totals shard, written when the budget's data is deleted; expire a day later,
 *   see ExpensesRepository.closeBudget)
 * Recurring expense    pk  expenses#budget#<budgetId>          sk  expenses#recurring#<recurringId>
 *   due index (gsi1,   pk  expenses#due#<shard 0..15>          sk  expenses#due#<instant>#<budgetId>#<recurringId>
 *   only while due;    (<instant>: the UTC instant nextOccurrenceOn begins in the budget's time zone)
 * Recurring count     pk  expenses#budget#<budgetId>          sk  expenses#recurring-count
 *   (the budget's definitions, moved in their create/delete transactions: the cap, see RecurringRepository)
 * Deleted definition   pk  expenses#budget#<budgetId>          sk  expenses#recurring-deleted#<recurringId>
 *   (written by its DELETE, TTL 30 days: a push's create resent with its id is refused,
 *   recurring-definitions.ts deletedMarker)
 * Categorization rule  pk  expenses#budget#<budgetId>          sk  expenses#rule#<ruleId>
 * Rule count           pk  expenses#budget#<budgetId>          sk  expenses#rule-count
 *   (the budget's rules, moved in their create/delete transactions: the cap, see RulesRepository)
 * Import profile       pk  expenses#budget#<budgetId>          sk  expenses#importprofile#<profileId>
 * Profile count        pk  expenses#budget#<budgetId>          sk  expenses#importprofile-count
 *   (the budget's saved column mappings and their count, moved in their create/delete
 *   transactions: the cap, see ImportProfilesRepository)
 * Profile name         pk  expenses#budget#<budgetId>          sk  expenses#importprofile-name#<nameKey> (over 512 bytes: importprofile-namehash#<SHA-256>)
 *   (the name a profile holds, written with it in one transaction if absent: names unique per
 *   budget under concurrent creates and renames)
 * Occurrence marker    pk  expenses#budget#<budgetId>          sk  expenses#occurrence#<recurringId>#<date>
 *   (one per recorded occurrence; TTL, see RecurringRepository)
 * Reminder marker      pk  expenses#budget#<budgetId>          sk  expenses#reminder#<recurringId>#<date>
 *   (one per occurrence reminded of, written with its expense.recurring_due_soon; TTL, see
 *   RecurringRemindersRepository)
 * Calendar feed        pk  expenses#budget#<budgetId>          sk  expenses#calfeed#<userId>#<feedId>
 *   (a member's subscribable feed of the budget's upcoming bills: the SHA-256 of its URL's
 *   secret, never the secret; see CalendarFeedsRepository)
 * Calendar feed count  pk  expenses#budget#<budgetId>          sk  expenses#calfeed-count#<userId>
 *   (a member's feeds of the budget, moved in their create/delete transactions: the cap)
 * Import marker        pk  expenses#budget#<budgetId>          sk  expenses#import#<rowFingerprint>
 *   (one per imported CSV row, no TTL; see ImportsRepository; a row that matched a recorded bill
 *   carries `matched` and wrote no expense)
 * Bill match marker    pk  expenses#budget#<budgetId>          sk  expenses#billmatch#<recurringId>#<occurredOn>
 *   (one per recurring occurrence an imported row matched, written with that row's import
 *   marker, if absent: an occurrence is matched once across files; or that the recurring job
 *   settled with an expense an import had recorded, written with its occurrence marker, its
 *   expense match marker and the definition's advance: an import and the job never both match
 *   one occurrence; TTL 400 days, see ImportsRepository)
 * Expense match marker pk  expenses#budget#<budgetId>          sk  expenses#billmatchexpense#<expenseId>
 *   (one per imported expense the recurring job settled an occurrence with, written in that
 *   transaction, if absent: an imported expense settles one occurrence at most; TTL 400 days
 *   after the occurrence, see RecurringRepository.settleWithImported)
 * Import record        pk  expenses#budget#<budgetId>          sk  expenses#importjob#<importId>
 * Import chunk         pk  expenses#budget#<budgetId>          sk  expenses#importchunk#<importId>#<n, 6 digits>
 *   (the import job's status and the file's validated rows, one unit of work per chunk;
 *   TTL a week; see ImportJobsRepository)
 * Merchant rename      pk  expenses#budget#<budgetId>          sk  expenses#rename#<renameId>
 * Rename unit          pk  expenses#budget#<budgetId>          sk  expenses#renameunit#<renameId>#<n, 6 digits>
 *   (a merchant rename's status and counts, and one item per unit of its job, a page of the
 *   budget's expenses: the expenses it means to rename, then `done` with the next page's
 *   cursor, written with the unit's counts; TTL a week; see RenamesRepository)
 * Bulk edit's undo    pk  expenses#budget#<budgetId>          sk  expenses#bulk#<bulkId>
 *   (one per bulk edit, category reassign call or rule apply call that wrote anything: per
 *   written expense its id, the version the write left it at and the before-image of the
 *   fields it changed; then the undo's
 *   claim and outcome; TTL 24 h, see BulkUndoRepository)
 * Tag rename          pk  expenses#budget#<budgetId>          sk  expenses#tagrename#<renameId>
 * Tag rename unit     pk  expenses#budget#<budgetId>          sk  expenses#tagrenameunit#<renameId>#<n, 6 digits>
 *   (the same items for a tag rename, RenamesRepository with the tag kind's prefixes)
 *
 * Change counter       pk  expenses#changes#<budgetId>         sk  expenses#seq#<changeShard>
 *   (one per change shard, 00..15; never expires: delta sync's serverKnowledge counts on it)
 * Change entry         pk  expenses#changes#<budgetId>         sk  expenses#change#<changeShard>#<seq, 12 digits>
 *   (one per expense write, written with the counter in the write's transaction; TTL 90 days,
 *   see ChangeLog)
 *   activity (gsi1)    pk  expenses#feed#<budgetId>            sk  expenses#at#<occurredAt ISO>#<eventId>
 *   (the entry carries its event: the budget's expense activity, newest first, for the
 *   activity module; see ExpenseActivitySource)
 *
 * Recurring definitions, rules, import profiles, calendar feeds, occurrence, import, bill match and expense match markers live in the budget's expense partition, so the
 * budget.deleted cleanup (BudgetDataRepository) removes them with the expenses. Their
 * gsi1pk is a due shard, never the budget's, so expense lists never see them; the due entry is
 * an attribute pair of the definition itself (sparse: absent once the schedule has ended), so
 * it moves with nextOccurrenceOn in the same write and vanishes with the definition.
 *
 * The date sort key makes "newest occurredOn first, then newest id" a plain descending
 * Query, and from/to a BETWEEN on it ("newest id" is creation order: a keyed create's id is a
 * ULID of its key's time, platform id-from-key.ts). Expense ids are ULIDs (Crockford base32,
 * 0-9A-Z), so "~" sorts after every id and closes an inclusive upper bound.
 */
export const HIGH = '~';

export function expenseKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  const dateSk = (occurredOn: string, expenseId: string) => store.key('date', occurredOn, expenseId);
  const categoryPk = (budgetId: string, categoryId: string | null) =>
    categoryId === null ? store.key('budget', budgetId, 'uncategorized') : store.key('budget', budgetId, 'category', categoryId);
  const paymentsPk = (budgetId: string, recurringId: string) => store.key('budget', budgetId, 'recurring', recurringId);

  return {
    budgetPk,
    expenseSk: (expenseId: string) => store.key('expense', expenseId),
    /** Inclusive date bounds over gsi1sk/gsi2sk; open ends reach past every real date. */
    dateRange: (from: string | undefined, to: string | undefined) => ({
      lo: store.key('date', from ?? '0000-00-00'),
      hi: store.key('date', to ?? '9999-99-99', HIGH),
    }),
    categoryPk,
    /** The gsi2 partition of a budget's split expenses (see indexAttributes). */
    splitPk: (budgetId: string) => store.key('budget', budgetId, 'split'),
    /** The gsi3 partition of a budget's expenses that need review (the review inbox, see indexAttributes). */
    reviewPk: (budgetId: string) => store.key('review', budgetId),
    /** The gsi4 partition of the expenses one recurring expense recorded: its payments (see indexAttributes). */
    paymentsPk,
    /** The restorable copy of a deleted expense (see deleted-expenses.ts). */
    deletedSk: (expenseId: string) => store.key('deleted', expenseId),
    /** The gsi1 partition listing a budget's deleted expenses, and its sort key (newest deletion last). */
    deletedListPk: (budgetId: string) => store.key('budget', budgetId, 'deleted'),
    deletedListSk: (deletedAt: string, expenseId: string) => store.key('deletedat', deletedAt, expenseId),
    closedBudget: (budgetId: string, shard: number) => ({ pk: store.key('closed', budgetId), sk: store.key('closed', shard) }),
    /**
     * The index attributes an expense carries, recomputed whenever its date or category changes.
     * gsi2 only with a category: lists filter by one of the budget's category ids, never by
     * "uncategorized", so an uncategorized expense's gsi2 entry was never read (items stored
     * before still have one, under `...#uncategorized`: harmless, and a rewrite drops it).
     * A split expense's gsi2 entry is in the budget's split partition, whatever its parts.
     * gsi3 only while it needs review (`reviewed: false`), sorted as gsi1: a reviewed expense
     * (every one recorded by hand) carries exactly what it carried before the review index.
     * gsi4 only on an expense a recurring expense recorded (its `recurringExpenseId`, set by the
     * job and record-next and kept by every later write), sorted as gsi1: the bill's payments,
     * one partition per definition. An expense entered by hand or imported has no link, so its
     * item is unchanged.
     */
    indexAttributes: (e: {
      budgetId: string;
      id: string;
      occurredOn: string;
      categoryId: string | null;
      splits?: unknown[];
      reviewed?: boolean;
      recurringExpenseId?: string;
    }) => {
      const gsi2pk = e.splits ? store.key('budget', e.budgetId, 'split') : e.categoryId === null ? undefined : categoryPk(e.budgetId, e.categoryId);
      return {
        gsi1pk: budgetPk(e.budgetId),
        gsi1sk: dateSk(e.occurredOn, e.id),
        ...(gsi2pk === undefined ? {} : { gsi2pk, gsi2sk: dateSk(e.occurredOn, e.id) }),
        ...(e.reviewed === false ? { gsi3pk: store.key('review', e.budgetId), gsi3sk: dateSk(e.occurredOn, e.id) } : {}),
        ...(e.recurringExpenseId === undefined ? {} : { gsi4pk: paymentsPk(e.budgetId, e.recurringExpenseId), gsi4sk: dateSk(e.occurredOn, e.id) }),
      };
    },
  };
}

/** Due entries are spread over this many gsi1 partitions (by recurring id); the planner pages each. */
export const DUE_SHARDS = 16;

export function recurringKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  return {
    budgetPk,
    recurringSk: (recurringId: string) => store.key('recurring', recurringId),
    /** Every definition of a budget (a begins_with on sk). */
    recurringPrefix: store.key('recurring', ''),
    /** The count of a budget's definitions (not under recurringPrefix: `recurring-count`, no `#` after `recurring`). */
    recurringCount: (budgetId: string) => ({ pk: budgetPk(budgetId), sk: store.key('recurring-count') }),
    /** A deleted definition's marker (recurring-definitions.ts deletedMarker; not under recurringPrefix either). */
    deleted: (budgetId: string, recurringId: string) => ({ pk: budgetPk(budgetId), sk: store.key('recurring-deleted', recurringId) }),
    occurrence: (budgetId: string, recurringId: string, date: string) => ({
      pk: budgetPk(budgetId),
      sk: store.key('occurrence', recurringId, date),
    }),
    duePk: (shard: number) => store.key('due', shard),
    dueSk: (dueAt: string, budgetId: string, recurringId: string) => store.key('due', dueAt, budgetId, recurringId),
    /** Due entries with an instant on or before `at` (inclusive). */
    dueUntil: (at: string) => ({ lo: store.key('due', ''), hi: store.key('due', at, HIGH) }),
    /**
     * Due entries with an instant after `after` and on or before `until` (the reminder job's
     * window, domain/reminders.ts): `<after>#<budgetId>...` sorts below `<after>#HIGH`, so the
     * tick's own instant is left out (those are due, the recording job's).
     */
    dueBetween: (after: string, until: string) => ({ lo: store.key('due', after, HIGH), hi: store.key('due', until, HIGH) }),
    /** The reminder marker of one occurrence: it was reminded of (expense.recurring_due_soon published). */
    reminder: (budgetId: string, recurringId: string, date: string) => ({
      pk: budgetPk(budgetId),
      sk: store.key('reminder', recurringId, date),
    }),
    /** The instant of a due entry's sort key. */
    dueAtOf: (gsi1sk: string) => gsi1sk.slice(store.key('due', '').length).split('#')[0]!,
  };
}

export function ruleKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  return {
    budgetPk,
    ruleSk: (ruleId: string) => store.key('rule', ruleId),
    /** Every rule of a budget (a begins_with on sk; `rule-count` has no `#` after `rule`, so it is not under it). */
    rulePrefix: store.key('rule', ''),
    ruleCount: (budgetId: string) => ({ pk: budgetPk(budgetId), sk: store.key('rule-count') }),
  };
}

export function importProfileKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  return {
    budgetPk,
    profile: (budgetId: string, profileId: string) => ({ pk: budgetPk(budgetId), sk: store.key('importprofile', profileId) }),
    /** Every profile of a budget (a begins_with on sk; `importprofile-count` and `-name` have no `#` after `importprofile`). */
    profilePrefix: store.key('importprofile', ''),
    profileCount: (budgetId: string) => ({ pk: budgetPk(budgetId), sk: store.key('importprofile-count') }),
    /**
     * The claim of a name (its nameKey) in the budget; a key over NAME_CLAIM_MAX_BYTES is claimed
     * by its SHA-256 (`importprofile-namehash#<base64url>`), as DynamoDB refuses a sort key over
     * 1,024 bytes: nameKey folds compatibility forms (NFKC), and a 100-character name can fold to
     * 1,800 characters ("ﷺ" is 18), whose claim made the create a 500 until 2026-12-07.
     */
    name: (budgetId: string, nameKey: string) => ({
      pk: budgetPk(budgetId),
      sk:
        Buffer.byteLength(nameKey) <= NAME_CLAIM_MAX_BYTES
          ? store.key('importprofile-name', nameKey)
          : store.key('importprofile-namehash', createHash('sha256').update(nameKey).digest('base64url')),
    }),
  };
}

/**
 * The longest name key claimed as it is (UTF-8 bytes): with the module's and the claim's
 * prefixes, far under DynamoDB's 1,024 bytes of a sort key. Every claim written before
 * hashing was shorter (a longer one could not be written), so it is still found under its key.
 */
export const NAME_CLAIM_MAX_BYTES = 512;

export function calendarFeedKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  return {
    budgetPk,
    feed: (budgetId: string, userId: string, feedId: string) => ({ pk: budgetPk(budgetId), sk: store.key('calfeed', userId, feedId) }),
    /** Every feed of one member of a budget (a begins_with on sk; `calfeed-count` has no `#` after `calfeed`). */
    feedPrefix: (userId: string) => store.key('calfeed', userId, ''),
    feedCount: (budgetId: string, userId: string) => ({ pk: budgetPk(budgetId), sk: store.key('calfeed-count', userId) }),
  };
}

export function totalsKeys(store: ModuleStore) {
  return {
    totalsPk: (budgetId: string) => store.key('totals', budgetId),
    monthSk: (month: string, shard: number) => store.key('month', month, shard),
    /** Every shard of every month in [from, to] (YYYY-MM). */
    monthRange: (from: string, to: string) => ({ lo: store.key('month', from), hi: store.key('month', to, HIGH) }),
    /** Every month item (spending shards and income totals) of the months before `month` (YYYY-MM): `month`'s own sort keys all sort after `hi`. */
    monthsBefore: (month: string) => ({ lo: store.key('month', ''), hi: store.key('month', month) }),
    /** Every day item of the layout before 2026-11-30 (a begins_with on sk; only the migration reads them). */
    legacyDayPrefix: store.key('day', ''),
    /**
     * A month's income total (one item, unsharded: see IncomeRepository). After the month's
     * spending shards (`#0`..`#3` < `#income` < `#~`), so monthRange's Query reads it with them
     * (the cash flow's one Query); its only attribute `income` is no spending figure
     * (parseTotalsAttribute ignores it), so the spending readers of that Query pass over it.
     */
    incomeMonthSk: (month: string) => store.key('month', month, INCOME_TOTALS_SHARD),
  };
}

/** The audit records of the totals repair (service/totals-check.ts): one partition per budget, sorted by time. */
export function totalsRepairKeys(store: ModuleStore) {
  return {
    repairsPk: (budgetId: string) => store.key('totals-repair', budgetId),
    record: (budgetId: string, at: string, id: string) => ({ pk: store.key('totals-repair', budgetId), sk: store.key('repair', at, id) }),
  };
}

/** The "shard" part of a month's income total's sort key (never a number: the spending shards' are). */
export const INCOME_TOTALS_SHARD = 'income';

export function changeKeys(store: ModuleStore) {
  const changesPk = (budgetId: string) => store.key('changes', budgetId);
  const shardPart = (shard: number) => String(shard).padStart(2, '0');
  // Zero-padded so the string order of the sort keys is the numeric order of seq.
  const seqPart = (seq: number) => String(seq).padStart(12, '0');
  return {
    changesPk,
    counter: (budgetId: string, shard: number) => ({ pk: changesPk(budgetId), sk: store.key('seq', shardPart(shard)) }),
    /** Every counter of a budget (a begins_with on sk). */
    counterPrefix: store.key('seq', ''),
    entry: (budgetId: string, shard: number, seq: number) => ({
      pk: changesPk(budgetId),
      sk: store.key('change', shardPart(shard), seqPart(seq)),
    }),
    /** The activity index (gsi1) of the entries: by event time, then event id. */
    activityPk: (budgetId: string) => store.key('feed', budgetId),
    activitySk: (at: string, eventId: string) => store.key('at', at, eventId),
    /** The (time, event id) an activity sort key names (the ISO time and the ULID hold no `#`). */
    activityPosition: (sk: string) => {
      const [at = '', id = ''] = sk.split('#').slice(-2);
      return { at, id };
    },
    /** The entries of one shard with a seq greater than `after` (inclusive bounds of a BETWEEN). */
    entriesAfter: (shard: number, after: number) => ({
      lo: store.key('change', shardPart(shard), seqPart(after + 1)),
      hi: store.key('change', shardPart(shard), HIGH),
    }),
  };
}

/** The month of a totals item's sort key (`expenses#month#<YYYY-MM>#<shard>`). */
export const monthOfTotalsSk = (sk: string): string => sk.split('#')[2]!;

/** Date and shard of an old day item's sort key (`expenses#day#<YYYY-MM-DD>#<shard>`). */
export function legacyDayOfSk(sk: string): { date: string; shard: number } {
  const [, , date, shard] = sk.split('#');
  return { date: date!, shard: Number(shard) };
}

export function importKeys(store: ModuleStore) {
  return {
    marker: (budgetId: string, fingerprint: string) => ({ pk: store.key('budget', budgetId), sk: store.key('import', fingerprint) }),
    /** The claim of a recorded recurring occurrence by an imported row that matched it (see ImportsRepository.recordMatched). */
    billMatch: (budgetId: string, recurringId: string, occurredOn: string) => ({ pk: store.key('budget', budgetId), sk: store.key('billmatch', recurringId, occurredOn) }),
    /** The claim of an imported expense by the recurring occurrence the job settled with it (see RecurringRepository.settleWithImported). */
    expenseMatch: (budgetId: string, expenseId: string) => ({ pk: store.key('budget', budgetId), sk: store.key('billmatchexpense', expenseId) }),
  };
}

export type ImportKeys = ReturnType<typeof importKeys>;

export function importJobKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  return {
    record: (budgetId: string, importId: string) => ({ pk: budgetPk(budgetId), sk: store.key('importjob', importId) }),
    chunk: (budgetId: string, importId: string, n: number) => ({ pk: budgetPk(budgetId), sk: store.key('importchunk', importId, String(n).padStart(6, '0')) }),
  };
}

/** A rename's items, under its kind's prefixes (`rename`/`renameunit` for a merchant's, `tagrename`/`tagrenameunit` for a tag's). */
export function renameKeys(store: ModuleStore, prefixes: { recordPrefix: string; unitPrefix: string }) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  return {
    record: (budgetId: string, renameId: string) => ({ pk: budgetPk(budgetId), sk: store.key(prefixes.recordPrefix, renameId) }),
    unit: (budgetId: string, renameId: string, n: number) => ({ pk: budgetPk(budgetId), sk: store.key(prefixes.unitPrefix, renameId, String(n).padStart(6, '0')) }),
  };
}

export type ExpenseKeys = ReturnType<typeof expenseKeys>;
export type TotalsKeys = ReturnType<typeof totalsKeys>;
export type ChangeKeys = ReturnType<typeof changeKeys>;
export type RecurringKeys = ReturnType<typeof recurringKeys>;
export type RuleKeys = ReturnType<typeof ruleKeys>;

/**
 * Attachment         pk  expenses#budget#<budgetId>   sk  expenses#attachment#<expenseId>#<attachmentId>
 * Attachment count   pk  expenses#budget#<budgetId>   sk  expenses#attachment#<expenseId>#count
 *   (in the budget's expense partition, so the budget.deleted cleanup removes them with the
 *   expenses; the count moves in each create's and delete's transaction: the per-expense cap.
 *   Under the expense's attachment prefix, after every id (ULIDs are upper case), so ONE Query
 *   finds all an expense.deleted has to remove)
 */
export function attachmentKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  return {
    budgetPk,
    attachment: (budgetId: string, expenseId: string, id: string) => ({ pk: budgetPk(budgetId), sk: store.key('attachment', expenseId, id) }),
    /** Every attachment of the budget, and the counts among them (a begins_with on sk). */
    budgetPrefix: store.key('attachment', ''),
    /** Every attachment of an expense (a begins_with on sk). */
    expensePrefix: (expenseId: string) => store.key('attachment', expenseId, ''),
    count: (budgetId: string, expenseId: string) => ({ pk: budgetPk(budgetId), sk: store.key('attachment', expenseId, 'count') }),
  };
}

/**
 * Comment            pk  expenses#budget#<budgetId>   sk  expenses#comment#<expenseId>#<commentId>
 * Comment count      pk  expenses#budget#<budgetId>   sk  expenses#comment#<expenseId>#count
 *   (in the budget's expense partition, so the budget.deleted cleanup removes them with the
 *   expenses. The count moves in each create's and delete's transaction: the per-expense cap;
 *   it also holds `participants`, a string set of everyone who ever commented, added in the same
 *   update, which a new comment's event names as the people to notify. Under the expense's
 *   comment prefix, after every id (ULIDs are upper case), so ONE Query finds all an
 *   expense.deleted has to remove, and a page of comments, oldest first, meets it only last)
 */
export function commentKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  return {
    budgetPk,
    comment: (budgetId: string, expenseId: string, id: string) => ({ pk: budgetPk(budgetId), sk: store.key('comment', expenseId, id) }),
    /** Every comment (and comment count) of a budget (a begins_with on sk). */
    budgetPrefix: store.key('comment', ''),
    /** Every comment of an expense (a begins_with on sk). */
    expensePrefix: (expenseId: string) => store.key('comment', expenseId, ''),
    count: (budgetId: string, expenseId: string) => ({ pk: budgetPk(budgetId), sk: store.key('comment', expenseId, 'count') }),
  };
}

/**
 * Dismissed pair     pk  expenses#budget#<budgetId>   sk  expenses#dupdismissed#<expenseId>#<expenseId>
 *   (POST .../expenses/duplicates/dismiss: "these two are not duplicates", the smaller id first
 *   (domain/duplicates.ts pairKey), holding only who dismissed it and when. In the budget's
 *   expense partition, so the budget.deleted cleanup removes them with the expenses; ONE Query
 *   of the prefix reads a budget's all (at most MAX_DISMISSED_PAIRS, ~200 bytes each: one page).
 *   An expense deleted later leaves its pairs: harmless (never listed again) and counted in the cap)
 */
export function duplicateKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  return {
    budgetPk,
    dismissed: (budgetId: string, pair: string) => ({ pk: budgetPk(budgetId), sk: store.key('dupdismissed', pair) }),
    /** Every dismissed pair of a budget (a begins_with on sk). */
    dismissedPrefix: store.key('dupdismissed', ''),
  };
}

/**
 * Income entry      pk  expenses#budget#<budgetId>           sk  expenses#income#<incomeId>
 * Deleted income    pk  expenses#budget#<budgetId>           sk  expenses#incomedeleted#<incomeId>
 *   (restorable copy, kind `income-deleted`, TTL 30 days, deleted-copies.ts; listed through gsi1
 *   pk expenses#budget#<budgetId>#incomedeleted, sk expenses#deletedat#<deletedAt ISO>#<incomeId>)
 *   list (gsi1)     pk  expenses#budget#<budgetId>#income    sk  expenses#received#<receivedOn>#<incomeId>
 *   occurrences (gsi4) pk  expenses#budget#<budgetId>#recurincome#<recurringIncomeId>   sk  same as gsi1
 *   (money that came in, packages/expenses/docs/income.md "Income and cash flow". In the budget's expense
 *   partition, so the budget.deleted cleanup removes it with the expenses; its gsi1 partition is
 *   its own, never the budget's, so expense lists never see it. Newest receivedOn first is a
 *   descending Query; from/to a BETWEEN. Its month's total is the totals partition's
 *   `expenses#month#<YYYY-MM>#income`, totalsKeys.incomeMonthSk, moved in each write's transaction.
 *   gsi4 is sparse: only an entry a recurring income recorded, `recurringIncomeId`, carries it,
 *   in every write of the item (IncomeRepository.toItem); GET .../income?recurringIncomeId= reads
 *   it, one Query a page. `recurincome#`, not the bills' `recurring#`: a bill's payments never
 *   meet a definition's paychecks)
 */
export function incomeKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  const receivedSk = (receivedOn: string, incomeId: string) => store.key('received', receivedOn, incomeId);
  return {
    budgetPk,
    income: (budgetId: string, incomeId: string) => ({ pk: budgetPk(budgetId), sk: store.key('income', incomeId) }),
    /** Every income entry of a budget (a begins_with on sk), by id: the data export's pages. */
    incomePrefix: store.key('income', ''),
    listPk: (budgetId: string) => store.key('budget', budgetId, 'income'),
    /** The gsi4 partition of the entries one recurring income recorded (IncomeRepository.toItem). */
    occurrencesPk: (budgetId: string, recurringIncomeId: string) => store.key('budget', budgetId, 'recurincome', recurringIncomeId),
    /**
     * The restorable copy of a deleted entry (deleted-copies.ts, IncomeRepository.deleted):
     * `incomedeleted#`, under neither `income#` (the export's pages) nor `deleted#` (expenses').
     */
    deletedSk: (incomeId: string) => store.key('incomedeleted', incomeId),
    /** The gsi1 partition listing a budget's deleted entries (GET .../income/deleted), and its sort key. */
    deletedListPk: (budgetId: string) => store.key('budget', budgetId, 'incomedeleted'),
    deletedListSk: (deletedAt: string, incomeId: string) => store.key('deletedat', deletedAt, incomeId),
    receivedSk,
    /** Inclusive receivedOn bounds over gsi1sk; open ends reach past every real date. */
    receivedRange: (from: string | undefined, to: string | undefined) => ({
      lo: store.key('received', from ?? '0000-00-00'),
      hi: store.key('received', to ?? '9999-99-99', HIGH),
    }),
  };
}

/** Recurring income's due entries are spread over this many gsi1 partitions (by definition id); the planner pages each. */
export const INCOME_DUE_SHARDS = 4;

/**
 * Recurring income     pk  expenses#budget#<budgetId>          sk  expenses#recurincome#<definitionId>
 *   due index (gsi1,   pk  expenses#incomedue#<shard 0..3>     sk  expenses#incomedue#<instant>#<budgetId>#<definitionId>
 *   while not ended and not paused: the recurring income job's, apart from the recurring expenses' shards)
 * Its count          pk  expenses#budget#<budgetId>          sk  expenses#recurincome-count
 * Deleted marker     pk  expenses#budget#<budgetId>          sk  expenses#recurincome-deleted#<definitionId>
 * Occurrence marker  pk  expenses#budget#<budgetId>          sk  expenses#recurincomeocc#<definitionId>#<date>
 *   (one per recorded occurrence, naming the income entry; TTL, see RecurringIncomeRepository)
 * In the budget's expense partition, so the budget.deleted cleanup removes them with the rest;
 * `recurincome` is not under `recurring#` nor `income#`, so neither the recurring expenses'
 * reads nor the income pages meet them.
 */
export function recurringIncomeKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  return {
    budgetPk,
    definition: (budgetId: string, id: string) => ({ pk: budgetPk(budgetId), sk: store.key('recurincome', id) }),
    /** Every definition of a budget (a begins_with on sk). */
    definitionPrefix: store.key('recurincome', ''),
    count: (budgetId: string) => ({ pk: budgetPk(budgetId), sk: store.key('recurincome-count') }),
    /** A deleted definition's marker (recurring-definitions.ts deletedMarker; not under definitionPrefix). */
    deleted: (budgetId: string, id: string) => ({ pk: budgetPk(budgetId), sk: store.key('recurincome-deleted', id) }),
    occurrence: (budgetId: string, id: string, date: string) => ({ pk: budgetPk(budgetId), sk: store.key('recurincomeocc', id, date) }),
    duePk: (shard: number) => store.key('incomedue', shard),
    dueSk: (dueAt: string, budgetId: string, id: string) => store.key('incomedue', dueAt, budgetId, id),
    /** Due entries with an instant on or before `at` (inclusive). */
    dueUntil: (at: string) => ({ lo: store.key('incomedue', ''), hi: store.key('incomedue', at, HIGH) }),
    /** The instant of a due entry's sort key. */
    dueAtOf: (gsi1sk: string) => gsi1sk.slice(store.key('incomedue', '').length).split('#')[0]!,
  };
}

/** A bulk edit's undo record (see BulkUndoRepository). */
export function bulkUndoKeys(store: ModuleStore) {
  return { undo: (budgetId: string, bulkId: string) => ({ pk: store.key('budget', budgetId), sk: store.key('bulk', bulkId) }) };
}
