import type { EventContract, ModuleStore, TransactItem } from '@budgeting/platform';
import type { z } from 'zod';
import type { BudgetSchema } from './schemas/budgets.schemas';

/**
 * The budgets module's public contract: what other modules may ask of it, and the port it
 * needs from whoever records spending (implemented by the expenses module, wired by the app;
 * budgets never imports expenses, so the package graph has no cycle).
 */
export type BudgetRole = 'owner' | 'editor' | 'viewer';
export type BudgetPeriod = 'weekly' | 'monthly' | 'yearly';

/**
 * The key of the uncategorized line: spending without a category and in categories removed from
 * the budget (the summary's `uncategorizedSpent`). GET .../daily-spending?categoryId= takes it,
 * and GET .../spending?by=category (expenses module) names that line's item by it. Category ids
 * are server ULIDs, so no category is ever called this.
 */
export const UNCATEGORIZED_KEY = 'uncategorized';

export interface BudgetCategoryRef {
  id: string;
  name: string;
  limit?: number;
  /** Its category group; absent when ungrouped. */
  group?: string;
}

/** What another module needs to authorize and validate a request against one budget. */
export interface BudgetAccess {
  budgetId: string;
  role: BudgetRole;
  currency: string;
  timezone: string;
  period: BudgetPeriod;
  categories: BudgetCategoryRef[];
  /** The budget exactly as GET /v1/budgets/{budgetId} shows it to this caller (delta sync sends it). */
  budget: BudgetView;
}

/** A member's user id and display name (BudgetsFacade.memberNames). */
export interface BudgetMemberName {
  userId: string;
  /** The name snapshot, else the email snapshot; null when the membership has neither. */
  name: string | null;
}

/** The Budget resource of the API (BudgetSchema), as seen by one caller (`role`). */
export type BudgetView = z.infer<typeof BudgetSchema>;

export interface BudgetsFacade {
  /** The caller's access to a budget, or null when the budget does not exist or is not visible to them. */
  getAccess(budgetId: string, userId: string): Promise<BudgetAccess | null>;
  /** Every member's user id (owner included); empty when the budget does not exist. */
  memberIds(budgetId: string): Promise<string[]>;
  /**
   * Every member (owner included) with their display name as the members list knows it: the
   * name snapshot the membership keeps (refreshed on user.name_changed / user.email_changed),
   * its email when no name is set, null when it has neither. ONE strongly consistent Query of
   * the budget's memberships (at most 50: one page), in user id order; empty when the budget
   * does not exist. Someone no longer a member is not listed.
   */
  memberNames(budgetId: string): Promise<BudgetMemberName[]>;
  /**
   * ConditionChecks that hold exactly when `userId` may write to the budget (a writing role, the
   * budget not archived: getAccess's `budget.archivedAt` then explains the failure) and `value` fits
   * it (its category and every one of `categoryIds` is one of the budget's, null ones left
   * out; its currency the budget's, its `notCurrency` not), all in ONE check of the budget item: for a transaction
   * that would otherwise need getAccess first. When the transaction fails on one of them, ask
   * getAccess for the precise answer (a budget item older than the checks also fails them).
   * The first check is always the writer's membership, which the budget's deletion removes in
   * its own transaction: a transaction carrying it cannot commit after the budget is deleted.
   */
  writeChecks(budgetId: string, userId: string, value: WriteCheckValue): TransactCheck[];
  /**
   * A ConditionCheck on the budget item that holds exactly when each of `categoryIds` (null ones
   * left out) is one of the budget's now; none (an empty list) when none is named. For a write
   * made on another's behalf that already holds its own access conditions (the recurring job's
   * and record-next's recording, created by the definition's creator) and only needs its
   * categories to fit, so a removal committed after its read of the categories fails it: read
   * getAccess again and write without the removed one. One item more in the transaction. A
   * budget item written before `categoryIds` (2026-11-30), not changed since and not yet given
   * them by the operator job `budgets-category-ids-backfill` passes it.
   */
  categoriesCheck(budgetId: string, categoryIds: readonly (string | null)[]): TransactCheck[];
  /**
   * The budget's category ids now (ONE strongly consistent GetItem of the budget item, whoever
   * asks: no membership read); undefined when the budget is gone. For a write made on behalf of
   * someone who may have left (an import's chunk) whose categoriesCheck failed: which of its
   * categories to drop.
   */
  categoryIdsOf(budgetId: string): Promise<string[] | undefined>;
  /**
   * One ConditionCheck per user id, in the order given, that holds exactly when that user is a
   * member of the budget now (their membership item exists: any role, archived or not). For a
   * write naming other members (an expense's `sharedWith`) to join its own transaction: no
   * request more, one item more per user. A failed one at index n: `userIds[n]` is no member.
   */
  membersCheck(budgetId: string, userIds: readonly string[]): TransactCheck[];
  /**
   * A ConditionCheck that holds exactly when `userId` is a member of the budget (any role) and it
   * is not archived: for a write any member may make (deleting one's own comment) to close the
   * archive race in its own transaction (writeChecks asks a writing role). When it fails, ask
   * getAccess for the precise answer.
   */
  activeMemberCheck(budgetId: string, userId: string): TransactCheck;
  /**
   * A ConditionCheck on the budget item that holds unless the budget is archived (a deleted
   * budget passes: the caller checks that its own way). For a job's write made on behalf of
   * someone who may have left meanwhile (an import's bill matches), where a membership check
   * would refuse more than the archive.
   */
  notArchivedCheck(budgetId: string): TransactCheck;
  /**
   * Every budget's id, a page at a time, for one-off operator jobs of other modules (the
   * expenses totals migration). Read from the report due index, which every budget carries
   * (eventually consistent; budgets still on the index of before issue 10 appear once
   * budgets-rekey-due-index has run). `cursor`: from the previous page; absent after the last.
   */
  allBudgetIds(cursor: string | undefined): Promise<{ ids: string[]; cursor?: string }>;
  /**
   * A random sample of at most `count` budget ids (in all), a shard of the report due index a
   * page, each shard read from a random point (`random`: a source of numbers in [0, 1), injected
   * so tests are deterministic): for a bounded daily job that must, over the days, reach every
   * budget though the index's order moves (reports/repository/due-index-sample.ts; not uniform:
   * every budget has a chance each day). `cursor`: from the previous page; absent after the last.
   */
  budgetIdsSample(count: number, random: () => number, cursor: string | undefined): Promise<{ ids: string[]; cursor?: string }>;
}

/**
 * What the users module's data export reads of budgets (wired by the app into its export port).
 * Cursors are opaque; a page is one bounded Query.
 */
export interface BudgetsExportFacade {
  /** One page of the budgets `userId` is a member of (gsi1: eventually consistent), with their role. */
  membershipsOf(userId: string, cursor: string | undefined): Promise<{ items: { budgetId: string; role: BudgetRole }[]; cursor?: string }>;
  /** The budget as `userId` sees it and their membership; null when it is gone or they are no longer a member. */
  budgetOf(budgetId: string, userId: string): Promise<{ budget: BudgetView; membership: { role: BudgetRole; share: number; addedAt: string } } | null>;
  /** One page of the budget's period reports, newest first. */
  reportsPage(budgetId: string, cursor: string | undefined): Promise<{ records: unknown[]; cursor?: string }>;
  /** One page of the budget's recorded settle-up payments, newest paidOn first. */
  settlementsPage(budgetId: string, cursor: string | undefined): Promise<{ records: unknown[]; cursor?: string }>;
}

/**
 * What a write names that must fit the budget: a category, more categories (a split
 * expense's parts; null ones are uncategorized and need no check), a currency, and a
 * currency that must NOT be the budget's (an expense's foreign amount's).
 */
export interface WriteCheckValue {
  categoryId?: string | null;
  categoryIds?: readonly (string | null)[];
  currency?: string;
  notCurrency?: string;
}

/** A ConditionCheck built by the module that owns the item, for another module's transaction. */
export type TransactCheck = ReturnType<ModuleStore['conditionCheck']>;

/**
 * The budget's event watchers, for the webhooks module's fan-out (kept apart from
 * BudgetsFacade: only that module asks). See repository/watchers.repository.ts.
 */
export interface BudgetWatchersFacade {
  /**
   * Which members may watch the budget's events outside the app (a hint kept for the webhooks
   * fan-out; see repository/watchers.repository.ts). `known: false`: read the real settings,
   * then `recordEventWatchers` with the `gen` read here.
   */
  eventWatchers(budgetId: string): Promise<BudgetWatchers>;
  /**
   * Stores the watchers computed after `eventWatchers` answered `gen`; false when they changed
   * meanwhile. `dropPins`: the `expiredPins` it answered, removed with the record.
   */
  recordEventWatchers(budgetId: string, watchers: string[], gen: number | null, dropPins?: readonly string[]): Promise<boolean>;
  /**
   * `userId` now watches these budgets (call after storing what they watch with). `unpin`: the
   * pin `pinEventWatcher` set before that write, ended now.
   */
  addEventWatcher(budgetIds: string[], userId: string, unpin?: string): Promise<void>;
  /**
   * Pins `userId` as a watcher of these budgets BEFORE a write that makes them one and runs
   * nothing after its commit on a retry (a keyed webhook create): no recount removes a pin,
   * `addEventWatcher` with the same `pin` (an id of that attempt's own: a ULID made right before
   * pinning, newId at the clock's now) ends it after the commit. A crash before that leaves the
   * user listed (reads only) for 15 minutes from the pin's ULID time (PIN_LIFETIME_MS, longer
   * than any request runs): then the hint reads as unknown, and the recount that follows lists
   * who really watches and drops the pin.
   */
  pinEventWatcher(budgetIds: string[], userId: string, pin: string): Promise<void>;
  /** The ids of every budget `userId` is a member of (through an index: a budget joined a moment ago may be missing). */
  budgetIdsOf(userId: string): Promise<string[]>;
}

export interface BudgetWatchers {
  known: boolean;
  /** The watchers recorded, and the pinned users. */
  watchers: string[];
  gen: number | null;
  /** The pinned users (pinEventWatcher, pins within their lifetime): a recount must record them too, whatever it found. */
  pinned: string[];
  /**
   * Pins past their lifetime: they list nobody, and make `known` false (one may be the only
   * listing of a webhook whose mark a crash lost); the recount passes them to `recordEventWatchers` to drop them.
   */
  expiredPins: string[];
}

/**
 * The caller's unread notifications, for the home overview (GET /v1/me/overview). Declared
 * here and implemented by the notifications module (which imports budgets, so budgets cannot
 * import it), wired by the app, like SpendingPort.
 */
export interface UnreadNotificationsPort {
  /** One bounded read whatever the number of notifications (see the notifications README "Unread count"). */
  unreadCount(userId: string): Promise<UnreadNotifications>;
}

/** How many notifications are unread, capped: `more` says there are more than `count` ("99+"). */
export interface UnreadNotifications {
  count: number;
  more: boolean;
}

/**
 * How many of a budget's expenses need review (imported rows nobody marked reviewed), for the
 * home overview's badge: declared here and implemented by the expenses module (which imports
 * budgets), wired by the app, like SpendingPort. One small read per budget whatever the
 * backlog (see packages/expenses/docs/import-export.md "Review of imported expenses").
 */
export interface ReviewCountPort {
  toReview(budgetId: string): Promise<ToReview>;
}

/** Expenses that need review, capped like the unread notifications: `more` says there are more than `count` ("99+"). */
export interface ToReview {
  count: number;
  more: boolean;
}

/** Spending in a date range (inclusive, YYYY-MM-DD), in the budget's minor units. */
export interface SpendingTotals {
  total: number;
  byCategory: Record<string, number>;
  uncategorized: number;
}

/** Spending of one day (only days with spending are listed). */
export interface DaySpending {
  date: string;
  total: number;
}

/** Spending at one merchant in a date range; `count` is the number of expenses. */
export interface MerchantSpending {
  merchant: string;
  spent: number;
  count: number;
}

/** Dates from `from` to `to`, inclusive (YYYY-MM-DD); empty when `from` is after `to`. */
export interface DateRange {
  from: string;
  to: string;
}

/** What the summary and the threshold checks ask of whoever records spending. */
export interface SummarySpendingPort {
  /** Must cost a bounded number of requests regardless of how many expenses exist. */
  totalsBetween(budgetId: string, from: string, to: string): Promise<SpendingTotals>;
  /**
   * Spending in each of `ranges` (answers in the same order), each exactly what
   * totalsBetween answers for it, from ONE strongly consistent read of the running totals
   * that covers them all: for adjacent ranges (a period and everything before it) one request
   * instead of one per range. Ranges far apart also read what lies between them. Empty
   * ranges answer zero. Optional: without it callers ask totalsBetween once per range.
   */
  totalsOfRanges?(budgetId: string, ranges: DateRange[]): Promise<SpendingTotals[]>;
  /**
   * Spending in one calendar month (YYYY-MM) read by key: one strongly consistent
   * BatchGetItem of the month's buckets, which a caller running in a read scope
   * (platform withRequestReads/deferReads) can send together with its own key reads.
   * Optional: without it callers use totalsBetween.
   */
  monthTotalsByKey?(budgetId: string, month: string): Promise<SpendingTotals>;
}

/** What reports ask in addition (budgets/src/reports only). */
export interface ReportSpendingPort {
  /**
   * totalsOfRanges' answers for `ranges` (same order, same numbers), and the spending of each
   * day in `days` (days without spending left out, in date order), from ONE strongly consistent
   * read of the running totals: the month items that hold the range figures hold the day
   * figures too, so a period report reads its summary, its previous period and its days in one
   * request. Its cost grows with the months covered, never with the number of expenses.
   * With `of`, each day's figure is that of one category (`categoryId`; null: the
   * uncategorized part, and with `keptCategories` the removed categories' too; split parts
   * counted in their own categories) instead of the total.
   */
  totalsAndDays(budgetId: string, ranges: DateRange[], days: DateRange, of?: DayFigure): Promise<TotalsAndDays>;
  /**
   * The `limit` merchants with the most spending in [from, to], most first. Walks the
   * expenses of the range (for a period report only: its cost grows with those expenses).
   */
  topMerchants(budgetId: string, from: string, to: string, limit: number): Promise<MerchantSpending[]>;
}

/** Which figure of each day ReportSpendingPort.totalsAndDays gives: one category's (null: uncategorized). */
export interface DayFigure {
  categoryId: string | null;
  /**
   * With `categoryId` null only: the budget's categories. Each day's figure then also counts
   * the spending in every category NOT listed (categories removed from the budget), as the
   * summary's `uncategorizedSpent` does.
   */
  keptCategories?: readonly string[];
}

/** What ReportSpendingPort.totalsAndDays answers. */
export interface TotalsAndDays {
  /** One per range asked, in the same order. */
  totals: SpendingTotals[];
  days: DaySpending[];
}

/** One occurrence of a recurring expense not recorded yet (see ForecastSpendingPort). */
export interface ScheduledOccurrence extends InstallmentFigures {
  recurringExpenseId: string;
  occurredOn: string;
  amount: number;
  /** The definition's category (null: uncategorized, and always null when split); it may have been removed from the budget since. */
  categoryId: string | null;
  /** A split definition's parts (each counted in its own category; they add up to `amount`). Absent when not split. */
  splits?: ScheduledPart[];
  description?: string;
  merchant?: string;
  /** The definition's tags, which the recorded expense will carry. Absent when none. */
  tags?: string[];
  /** The definition's foreign amount (minor units of that currency), which the recorded expense will carry; never counted. Absent when none. */
  foreign?: { amount: number; currency: string };
  /** The members (user ids) the recorded expense will be shared with in the settle-up balances. Absent: every member. */
  sharedWith?: string[];
  /** Or who will owe what of the recorded expense in the settle-up balances, exactly (`{userId, amount}` adding up to `amount`). Absent: none. */
  sharedAmounts?: { userId: string; amount: number }[];
}

/**
 * Where an occurrence stands in its installment plan ("payment 2 of 4"), as the forecast's
 * `upcoming` entries and the expenses module's upcoming bills show it: all three null for a
 * definition without a count (not a plan).
 */
export interface InstallmentFigures {
  /** The plan's payments (the definition's `schedule.count`). */
  count: number | null;
  /** Payments still to record, from the definition's next occurrence (its `paymentsLeft`). */
  paymentsLeft: number | null;
  /** Which payment of the plan this date is, 1-based. */
  paymentNumber: number | null;
}

/** One part of a split occurrence: its amount counts in its category (null: uncategorized). */
export interface ScheduledPart {
  categoryId: string | null;
  amount: number;
  description?: string;
}

/** Spending scheduled but not recorded yet in a date range, in the budget's minor units. */
export interface ScheduledSpending extends SpendingTotals {
  /** The first occurrences in date order (then by recurring expense id), at most the limit asked. */
  upcoming: ScheduledOccurrence[];
  /** More occurrences fall in the range than `upcoming` lists (the sums count them all). */
  upcomingTruncated: boolean;
  /** How many occurrences fall in the range (all of them, listed or not: what the sums count). */
  occurrences: number;
}

/** What the period forecast asks in addition (GET /v1/budgets/{budgetId}/forecast). */
export interface ForecastSpendingPort {
  /**
   * The occurrences of the budget's recurring expenses in [from, to] that are not recorded yet
   * (on or after each definition's next occurrence to record, within its schedule's end), summed
   * exactly, and the first `upcomingLimit` of them (an integer 0..100: more is refused). Reads the budget's
   * recurring definitions (one strongly consistent Query, paged); the work per definition is
   * bounded (arithmetic sums, at most `upcomingLimit` dates), never the number of occurrences.
   */
  scheduledBetween(budgetId: string, from: string, to: string, upcomingLimit: number): Promise<ScheduledSpending>;
}

/** Who paid how much in a date range, and among whom it is shared (PaidByMemberPort). */
export interface PaidByMember {
  /** Sum of the amounts of the expenses each user recorded (`createdBy`), users without any left out. */
  paid: Record<string, number>;
  /**
   * The amounts of the expenses shared by only some people (an expense's `sharedWith`), summed
   * per distinct set of user ids: `userIds` in user id order, each set once. What is in no set
   * (expenses without `sharedWith`) is shared by every member: the sum of `paid` less these.
   */
  sharedBy: { userIds: string[]; amount: number }[];
  /**
   * What each user owes by exact amounts (an expense's `sharedAmounts`), summed per user over the
   * range: a refund's entries negative, as its amount is. Those expenses are in no `sharedBy`
   * set; what is neither in a set nor owed exactly is shared by every member. Absent: none.
   */
  owedExactly?: Record<string, number>;
  /** How many expenses were examined (at most `maxExpenses` + 1). */
  examined: number;
  /** More than `maxExpenses` expenses fall in the range: `paid` and `sharedBy` are incomplete, do not use them. */
  tooMany: boolean;
}

/** What the settle-up balances ask in addition (GET /v1/budgets/{budgetId}/balances). */
export interface PaidByMemberPort {
  /**
   * The sum of the amounts of the expenses dated in [from, to] per user who recorded them (the
   * payer; a split expense counts whole), and per distinct set of people sharing them (`sharedWith`),
   * and per user named by their exact amounts (`sharedAmounts`).
   * Walks the range's expenses through the date index a page at a time, reading only amount,
   * recorder, `sharedWith` and `sharedAmounts`, keeping one sum per user and one per distinct set (memory bounded
   * by the number of payers and of distinct sets, never the expenses; a household has a few
   * sets), and stops after `maxExpenses` + 1 expenses (`tooMany`): its cost grows with the
   * expenses of the range, up to that bound.
   */
  paidByMember(budgetId: string, from: string, to: string, maxExpenses: number): Promise<PaidByMember>;
}

/** The merchants of a range as the year in review ranks them (YearReviewSpendingPort.merchantsRanked). */
export interface MerchantRanking {
  /** At most the `limit` asked, most spent first; only merchants whose spending is above 0; empty when `tooMany`. */
  merchants: MerchantSpending[];
  /** How many expenses the range holds (refunds included); when `tooMany`, how many were examined. */
  expenses: number;
  /** More than `maxExpenses` expenses fall in the range: `merchants` is empty, do not use `expenses`. */
  tooMany: boolean;
  /**
   * Only when true: a merchant's spending (or the walk's running sum) passed 2^53 - 1, which
   * another merchant's refunds can leave the range's total far under: `merchants` is empty, as it
   * cannot be given exactly (the year in review's 422).
   */
  inexact?: true;
}

/** What the year in review asks in addition (GET /v1/budgets/{budgetId}/year-review). */
export interface YearReviewSpendingPort {
  /**
   * The `limit` merchants with the most spending in [from, to] (signed: a refund lowers its
   * merchant's), grouped as the spending breakdown by merchant groups them (the expenses module's
   * GET .../spending?by=merchant: spelling, case, accents and spacing ignored, shown in the
   * range's most frequent spelling). The breakdown's own bounded walk of the range's expenses
   * through the date index (a page per 1 MB, amount, merchant and a few attributes projected),
   * stopping after `maxExpenses` + 1 (`tooMany`): its cost grows with the range's expenses, up
   * to that bound; memory holds one group per merchant, never the expenses.
   */
  merchantsRanked(budgetId: string, from: string, to: string, limit: number, maxExpenses: number): Promise<MerchantRanking>;
}

/**
 * A month's (or a range's) cash flow as GET .../cash-flow of the expenses module gives it:
 * `income` recorded, `spent` (the month-level spending total, refunds lowering it), `net` =
 * income - spent and `savingsRate` = net / income in basis points rounded a half away from
 * zero, null when income is 0. All integer minor units.
 */
export interface CashFlowFigures {
  income: number;
  spent: number;
  net: number;
  savingsRate: number | null;
}

/**
 * The sums of a month range asked with `totalsOf`: income, spending and net, without a rate (no
 * reader shows one: the year in review compares income and net), so a rate past 2^53 - 1 basis
 * points (1 cent of income against 10^12 spent) does not make the answer inexact.
 */
export type CashFlowSums = Omit<CashFlowFigures, 'savingsRate'>;

/** A calendar month (YYYY-MM) and its cash flow. */
export interface MonthCashFlow extends CashFlowFigures {
  month: string;
}

/** The calendar months from `from` to `to` (YYYY-MM, inclusive). */
export interface MonthRange {
  from: string;
  to: string;
}

/** What CashFlowSpendingPort.totalsAndCashFlow answers. */
export interface TotalsAndCashFlow extends TotalsAndDays {
  /**
   * Each month asked, in order, and `total`: the figures of the months' sums (the rate of the
   * sums, not a mean of rates). Null when a figure passes 2^53 - 1 (minor units or basis points)
   * and cannot be given exactly, as the cash flow route's 422.
   */
  cashFlow: { months: MonthCashFlow[]; total: CashFlowFigures; totalsOf?: CashFlowSums[] } | null;
  /**
   * Each month asked, in order: its income alone (minor units), given even when `cashFlow` is
   * null, so a reader of the income only (ready to assign) is not refused for a spending or a
   * savings rate it does not show; null for a month whose income itself passes 2^53 - 1.
   */
  monthsIncome: (number | null)[];
}

/** What the year in review and the period report ask of income (the expenses module's cash flow). */
export interface CashFlowSpendingPort {
  /**
   * totalsAndDays' answers for `ranges` and `days` (null: no day figures), and the cash flow of
   * the calendar months `months`, computed by the cash flow's own code (GET .../cash-flow), from
   * the SAME one strongly consistent Query of the running totals: each month's income total item
   * sits among the month items that Query reads for the spending (`months` widens it like one
   * more range), so income costs no request more and, within the spending's months, no byte more.
   * `totalsOf` (optional): more month ranges whose figures of the sums (as `total`) the answer's
   * `cashFlow.totalsOf` gives, same order, from the same Query (each widens it like `months`): the
   * year in review's months compared with the previous year's (their sums, no rate: CashFlowSums).
   * `cashFlow` is null when any figure of `months`, `total` or `totalsOf` passes 2^53 - 1.
   */
  totalsAndCashFlow(budgetId: string, ranges: DateRange[], days: DateRange | null, months: MonthRange, totalsOf?: readonly MonthRange[]): Promise<TotalsAndCashFlow>;
}

/** Everything budgets asks of whoever records spending (implemented by expenses, wired by the app). */
export type SpendingPort = SummarySpendingPort & ReportSpendingPort & ForecastSpendingPort & PaidByMemberPort & YearReviewSpendingPort & CashFlowSpendingPort;

/** What budgets reads from an expense event (expense.recorded|updated|deleted) to re-check thresholds. */
export interface ExpenseFacts {
  budgetId: string;
  occurredOn: string;
  categoryId: string | null;
  /** expense.updated's: the expense before the change (a refund's `refund: true`). */
  previous?: { occurredOn: string; refund?: true };
}

/**
 * The expense events budgets subscribes to. Their contracts belong to the expenses module,
 * which budgets may not import (expenses imports budgets), so the app hands them in: events
 * are still validated against the publisher's own schema.
 */
export type ExpenseEventContracts = EventContract<string, z.ZodType<ExpenseFacts>>[];

/** Which of a budget's settings kept by another module a copy takes along (POST /v1/budgets/{budgetId}/copy). */
export interface ContentsToCopy {
  rules: boolean;
  recurringExpenses: boolean;
  /** The saved bank CSV column mappings (import profiles). */
  importProfiles: boolean;
  /** The recurring income (paychecks on a schedule). */
  recurringIncome: boolean;
}

/** How many of each a copy would write into a NEW budget, and the per-budget caps they must fit. */
export interface CopyableContents {
  rules: { count: number; max: number };
  recurringExpenses: { count: number; max: number };
  importProfiles: { count: number; max: number };
  recurringIncome: { count: number; max: number };
}

/** One copy of a budget's categorization rules, recurring expenses and import profiles into another budget. */
export interface ContentsCopy {
  from: string;
  to: string;
  include: ContentsToCopy;
  /**
   * Source category id -> the copy's category id. A rule naming a category not in it (one the
   * source no longer has, so the rule does nothing there) is left out; a recurring expense (or a
   * part of a split one) naming one is copied uncategorized, as the job records it in the source.
   */
  categoryIds: Readonly<Record<string, string>>;
  /** Who copies (the copy's owner): the creator of what is written. */
  by: string;
  /** The copy's time zone: a recurring expense starts no earlier than today there. */
  timezone: string;
  /**
   * Items the transaction of the LAST item written also carries (a keyed copy's lease
   * completion: the copy's last step completes its key, nothing is written after it).
   */
  alsoWithLast?: readonly ArchiveTransactItem[];
}

/**
 * 'carried': copied, and the last item was written now, with `alsoWithLast` in its transaction;
 * 'copied': copied without committing `alsoWithLast` (nothing to write, or the last item there
 * already); 'full': a cap was met (nothing more written); 'budget-closed': the target's data was
 * deleted meanwhile; 'key-taken': an item of `alsoWithLast` failed its condition (the key's
 * lease taken over by its retry), that last item not written.
 */
export type ContentsCopyOutcome = 'copied' | 'carried' | 'full' | 'budget-closed' | 'key-taken';

/**
 * What a budget copy asks of the module that keeps categorization rules, recurring expenses and
 * import profiles (implemented by expenses, wired by the app, like SpendingPort).
 */
export interface BudgetContentsPort {
  /** What copying `include` of `from` would write (only rules whose category is one of `categoryIds`); reads only. */
  copyable(from: string, include: ContentsToCopy, categoryIds: readonly string[]): Promise<CopyableContents>;
  /**
   * Writes the copy, one item at a time, each conditional on not being there yet (a copied
   * item's id is derived from its source's), so a second call after a failure writes only what
   * the first did not: retry-safe. Outcomes: ContentsCopyOutcome.
   */
  copy(copy: ContentsCopy): Promise<ContentsCopyOutcome>;
}

/** One item of a TransactWriteItems, as a ModuleStore takes it. */
export type ArchiveTransactItem = TransactItem;

/**
 * Items another module adds to the archive and unarchive transaction (docs/budget-lifecycle.md "Archiving a
 * budget"), built by that module's own store on its own keys (ModuleStore.ownerUpdate), so
 * budgets carries them without writing another module's items. Implemented by expenses (its
 * change counters: a write racing the archive fails on them), wired by the app, like
 * SpendingPort. Sends no request (async only so its code loads on first use); at most
 * ARCHIVE_PARTICIPANT_MAX_ITEMS items, so the transaction (the budget, at most 50 memberships,
 * the event) stays under 100.
 */
export interface ArchiveParticipantPort {
  /** The items that mark the budget archived at `archivedAt`, or unmark it (undefined: unarchive). */
  archiveItems(budgetId: string, archivedAt: string | undefined): Promise<ArchiveTransactItem[]>;
}

/** How many items an ArchiveParticipantPort may add: 100 - (budget + 50 memberships + event). */
export const ARCHIVE_PARTICIPANT_MAX_ITEMS = 48;
