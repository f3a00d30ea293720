import { shardOf, type Key, type ModuleStore } from '@budgeting/platform';

/** The report due index is write-sharded over this many gsi2 partitions (by budget id). */
export const REPORT_DUE_SHARDS = 16;

/**
 * Every key of the budgets module, in one place. Layout (all values carry "budgets#"):
 *
 * | item       | pk                      | sk                        | gsi1pk / gsi1sk                                 |
 * | ---------- | ----------------------- | ------------------------- | ----------------------------------------------- |
 * | budget     | budgets#budget#<id>     | budgets#budget            |                                                 |
 * | membership | budgets#budget#<id>     | budgets#member#<userId>   | budgets#member#<userId> / budgets#budget#<id>   |
 * |  (archived) |                        |                           | budgets#member#<userId> / budgets#archived#<id> |
 * | threshold  | budgets#thresholds#<id> | budgets#threshold#<start>#<end>#budget#<pct> or ...#category#<categoryId>#<pct> | |
 * | pace marker | budgets#thresholds#<id> | budgets#pace#<start>#<end>#budget or ...#category#<categoryId> |  |
 * | report     | budgets#reports#<id>    | budgets#report#<start>#<end> |                                              |
 * | invitation | budgets#invitations#<id> | budgets#invitation#<sha256(email)> |                                       |
 * | invitation count | budgets#invitations#<id> | budgets#invitation-count |                                          |
 * | settlement | budgets#settlements#<id> | budgets#settlement#<paidOn>#<ULID> |                                        |
 * | settlement pointer | budgets#settlements#<id> | budgets#settlement#<day of its id>#<ULID> |                       |
 * | settlement count | budgets#settlements#<id> | budgets#settlement-count |                                          |
 * | deleted copy | budgets#deleted-copy#<id> | budgets#deleted-copy |                                                 |
 * | former member | budgets#former-members#<id> | budgets#former-member#<userId> | budgets#former-of#<userId> / budgets#budget#<id> |
 *
 * The budget item also carries the report job's due index (gsi2, see report-schedule.repository.ts):
 * gsi2pk `budgets#reports-due#<shard 0..15>`, gsi2sk `budgets#due#<UTC instant its next report is due>#<id>`
 * (the instant its period's following day begins in the budget's own time zone).
 *
 * A budget and its memberships share one partition, so "the budget and the caller's
 * membership" is one BatchGetItem and "all members" one strongly consistent Query. gsi1
 * answers "every budget this user belongs to" (ordered by budget id, i.e. creation time).
 * The owner has a membership item too (role "owner"): membership alone authorizes.
 * A threshold marker records that a threshold was crossed in one period (written once, with
 * its budget.threshold_crossed event); a budget's markers share a partition of their own, so
 * one Query reads a period's markers and the budget's partition stays small. A pace marker
 * records that a line of a period was projected over (budget.overspend_projected, once per
 * period and line) in the same partition, under its own prefix.
 * A report is written once per (budget, period): its key is the period, so "exactly once" is a
 * conditional Put; a budget's reports share a partition, so one descending Query lists them
 * newest period first.
 * A budget's invitations share a partition of their own (not the budget's: its deletion
 * transaction deletes the budget's partition by key, members counted, and the budget.deleted
 * cleanup job empties this one, as it does the reports' and the markers': jobs/budget-cleanup-job.ts). Keyed by the invitee's email hash,
 * one per email; with the count item that caps them (MAX_PENDING_INVITATIONS).
 * A budget's recorded settle-up payments share a partition of their own too (emptied by the
 * same job), sorted by the day paid: the balances read a date range with one Query,
 * the list pages it newest first; the count item caps them (MAX_SETTLEMENTS). A settlement's
 * id is `<paidOn as YYYYMMDD>-<ULID>` as recorded and never changes, so a GET or DELETE by id
 * is one read by key; a payment whose day was corrected is stored under its new day and
 * leaves a pointer (kind `settlement-pointer`) at the key its id names: one read more.
 * A former member's item records the version their last membership had when it ended (written
 * by the removal, in the same transaction), so a membership added again continues from it and an
 * ETag of the earlier one never matches the new one (RFC 9110: a tag names one representation
 * over time). In a partition of their own, emptied by the budget cleanup job as the invitations'
 * are: one item per account that ever left, which the budget's deletion transaction cannot list;
 * indexed by the account (gsi1, under its own partition, so no reader of memberships meets it),
 * so the account's deletion forgets every budget it left (subscriptions/user-cleanup.ts).
 */
export function budgetsKeys(store: ModuleStore) {
  const budgetPk = (budgetId: string) => store.key('budget', budgetId);
  return {
    budget: (budgetId: string): Key => ({ pk: budgetPk(budgetId), sk: store.key('budget') }),
    member: (budgetId: string, userId: string): Key => ({ pk: budgetPk(budgetId), sk: store.key('member', userId) }),
    /**
     * The budget's event watchers (watchers.repository.ts), in a partition of their own: it may be written by the webhooks
     * fan-out after the budget's deletion (then its TTL removes it), and the budget's partition must be empty once deleted.
     */
    watch: (budgetId: string): Key => ({ pk: store.key('watch', budgetId), sk: store.key('watch') }),
    budgetPk,
    /**
     * A keyed copy deleted while its Idempotency-Key may still be retried (copy.service.ts): the
     * retry's create of the budget under the key's id checks it is absent, so the deleted copy is
     * not made again under its id. In a partition of its own (the budget's is emptied by the
     * deletion); its TTL removes it once the key has expired.
     */
    deletedCopy: (budgetId: string): Key => ({ pk: store.key('deleted-copy', budgetId), sk: store.key('deleted-copy') }),
    /** How many budgets a user owns (the cap MAX_OWNED_BUDGETS), in a partition of the user's own. */
    ownedCount: (userId: string): Key => ({ pk: store.key('owner', userId), sk: store.key('owned-count') }),
    memberSkPrefix: store.key('member', ''),
    /** gsi1 keys of a membership: the user's budgets. */
    memberIndex: (userId: string, budgetId: string) => ({
      gsi1pk: store.key('member', userId),
      gsi1sk: store.key('budget', budgetId),
    }),
    /**
     * gsi1sk of a membership of an ARCHIVED budget (repository/archive.repository.ts): in the same
     * user partition (the export and the account cleanup still see it), under another prefix, so
     * the budgets list reads active or archived ones with a key condition and pages stay full.
     */
    archivedMemberIndexSk: (budgetId: string) => store.key('archived', budgetId),
    /** The gsi1sk prefixes of a user's active and archived memberships. */
    memberIndexSkPrefix: { active: store.key('budget', ''), archived: store.key('archived', '') },
    thresholdPk: (budgetId: string) => store.key('thresholds', budgetId),
    /** A marker's sort key; a period is its first and last day (a budget may change its period kind). */
    thresholdSk: (period: { start: string; end: string }, categoryId: string | null, threshold: number) =>
      categoryId === null
        ? store.key('threshold', period.start, period.end, 'budget', threshold)
        : store.key('threshold', period.start, period.end, 'category', categoryId, threshold),
    thresholdPeriodPrefix: (period: { start: string; end: string }) => store.key('threshold', period.start, period.end, ''),
    /**
     * A pace marker's sort key (docs/alerts.md "Pace alerts"): in the threshold markers' partition (the
     * budget's deletion removes both), under its own prefix, so a threshold marker's prefix
     * Query never meets it and it cannot collide with one.
     */
    paceSk: (period: { start: string; end: string }, categoryId: string | null) =>
      categoryId === null ? store.key('pace', period.start, period.end, 'budget') : store.key('pace', period.start, period.end, 'category', categoryId),
    pacePeriodPrefix: (period: { start: string; end: string }) => store.key('pace', period.start, period.end, ''),
    report: (budgetId: string, period: { start: string; end: string }): Key => ({
      pk: store.key('reports', budgetId),
      sk: store.key('report', period.start, period.end),
    }),
    reportsPk: (budgetId: string) => store.key('reports', budgetId),
    invitationsPk: (budgetId: string) => store.key('invitations', budgetId),
    invitation: (budgetId: string, emailKey: string): Key => ({ pk: store.key('invitations', budgetId), sk: store.key('invitation', emailKey) }),
    invitationSkPrefix: store.key('invitation', ''),
    invitationCount: (budgetId: string): Key => ({ pk: store.key('invitations', budgetId), sk: store.key('invitation-count') }),
    reportSkPrefix: store.key('report', ''),
    ...formerMemberKeys(store),
    settlementsPk: (budgetId: string) => store.key('settlements', budgetId),
    settlement: (budgetId: string, paidOn: string, ulid: string): Key => ({ pk: store.key('settlements', budgetId), sk: store.key('settlement', paidOn, ulid) }),
    settlementSkPrefix: store.key('settlement', ''),
    /** The sort keys of every settlement paid from `from` to `to`, both included (BETWEEN). */
    settlementRange: (from: string, to: string) => ({ lo: store.key('settlement', from, ''), hi: store.key('settlement', to, '~') }),
    settlementCount: (budgetId: string): Key => ({ pk: store.key('settlements', budgetId), sk: store.key('settlement-count') }),
    /** gsi2 of a budget item: the UTC instant (dueInstant spelling) its next report is due, in its shard. */
    reportDue: (budgetId: string, dueAt: string) => ({
      gsi2pk: store.key('reports-due', shardOf(budgetId, REPORT_DUE_SHARDS)),
      gsi2sk: store.key('due', dueAt, budgetId),
    }),
    reportDuePk: (shard: number) => store.key('reports-due', shard),
    /** The one unsharded, date-keyed partition of the index before issue 10 (read only by the re-key job). */
    legacyReportDuePk: store.key('reports-due'),
    /** Every due entry of a shard up to and including the instant `at`. */
    reportDueRange: (at: string) => ({ lo: store.key('due', ''), hi: store.key('due', at, '~') }),
    /** The instant of a due entry's sort key. */
    reportDueAt: (gsi2sk: string) => gsi2sk.slice(store.key('due', '').length).split('#')[0]!,
  };
}

/** The keys of a former member's record (its last membership version: see the table above). */
function formerMemberKeys(store: ModuleStore) {
  return {
    formerMembersPk: (budgetId: string) => store.key('former-members', budgetId),
    formerMember: (budgetId: string, userId: string): Key => ({ pk: store.key('former-members', budgetId), sk: store.key('former-member', userId) }),
    /** gsi1 of the record: by the account, in a partition of its own (no membership reader meets it). */
    formerMemberIndex: (userId: string, budgetId: string) => ({ gsi1pk: store.key('former-of', userId), gsi1sk: store.key('budget', budgetId) }),
  };
}

export type BudgetsKeys = ReturnType<typeof budgetsKeys>;

/** One element of a ModuleStore.transactWrite call (the DocumentClient shape minus TableName). */
export type { TransactItem } from '@budgeting/platform';
