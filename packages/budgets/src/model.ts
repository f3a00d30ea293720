import type { BudgetPeriod, BudgetRole } from './contract';
import type { TargetFigures } from './domain/category-target';

/** The budgets module's domain types (internal: other modules see contract.ts only). */
export interface Category {
  id: string;
  name: string;
  /** The category's own limit per period, in minor units; absent when it has none. */
  limit?: number;
  /**
   * The category group it belongs to ("Bills", "Everyday"), absent when ungrouped: a label,
   * normalized like a category name (nameText) and then compared exactly (domain/groups-math.ts).
   */
  group?: string;
  /**
   * Category rollover ("beyond" the spec, as YNAB's category balances and Actual's carryover):
   * present (true) only on a category with a limit whose unspent (or overspent) amount carries
   * into the next period; absent when off.
   */
  rollover?: true;
  /**
   * Set by the server with `rollover`: the start (YYYY-MM-DD) of the period, in the budget's
   * time zone and period kind, in which rollover was turned on for this category (or it was
   * created with it). Kept while rollover stays on, removed with it. Carrying starts there.
   */
  rolloverSince?: string;
  /**
   * A savings target (sinking fund, as YNAB's "needed for spending by date"): `amount` set aside
   * by `by` (YYYY-MM-DD); without `by`, a balance to reach with no date (YNAB's "have a balance
   * of"). Only on a rollover category (absent otherwise); the summary lines add its figures
   * (domain/category-target.ts).
   */
  target?: { amount: number; by?: string };
  /** A note about the category (free text, trimmed, 1..200 characters); absent when none. */
  note?: string;
  /**
   * Hidden in the app (YNAB's "hide"): present (true) only when hidden, absent when shown. Only a
   * display flag: the category's spending counts in every total, line, alert and report as any
   * other's, expenses may be recorded in it and rules may target it. The quick budget suggests no
   * limit for it (domain/limit-suggestions.ts).
   */
  hidden?: true;  /** One emoji shown before the name in the app (domain/category-style.ts says what counts as one); absent when none. */
  emoji?: string;
  /** `#RRGGBB`, upper-case (stored so whatever case was sent); absent when none. */
  color?: string;
}

export interface Budget {
  id: string;
  ownerId: string;
  name: string;
  currency: string;
  period: BudgetPeriod;
  timezone: string;
  limit: number;
  categories: Category[];
  rollover: boolean;
  alertThresholds: number[];
  /**
   * "On pace to overspend" alerts (docs/alerts.md "Pace alerts"): opted in per budget. Read as false
   * when absent (budgets stored before it); stored only when true, so items stay as before.
   */
  paceAlerts?: boolean;
  /**
   * Per-period category limits (packages/budgets/docs/periods-and-limits.md "Move money", domain/period-limits.ts): in the period starting
   * `periodStart`, the category's limit is `limit` instead of its own. Normalized and sorted
   * (periodStart, then categoryId); absent or empty when none (items older than it have none).
   */
  periodLimits?: PeriodLimit[];
  /**
   * Limit history (domain/limit-history.ts): the limits that applied before a PATCH changed them,
   * so earlier periods keep theirs. Normalized and sorted (before, then categoryId, the budget's
   * own first); absent or empty when no limit ever changed (items older than it have none).
   */
  limitHistory?: LimitChange[];
  version: number;
  createdAt: string;
  /**
   * The local date the budget was created on, in the time zone it had then: kept (set by the
   * first PATCH that changes the time zone, absent until then, when it is createdAt's date in
   * `timezone`) so that a time zone changed later does not move the budget's first period, where
   * rollover, reports and every "since the budget's first period" start (domain/periods.ts
   * firstPeriodOf). Internal: not in the Budget resource.
   */
  createdOn?: string;
  updatedAt: string;
  /**
   * When the owner archived it (POST .../archive; absent while active): the budget is then
   * read-only (docs/budget-lifecycle.md "Archiving a budget"), left out of the budgets list and the overview, and
   * the jobs pass it over. Its memberships carry the same attribute (repository/archive.ts).
   */
  archivedAt?: string;
}

/** One per-period override of a category's limit (see Budget.periodLimits). */
export interface PeriodLimit {
  /** The first day (YYYY-MM-DD) of a period of the budget's kind. */
  periodStart: string;
  categoryId: string;
  /** The category's limit in that period, minor units (0 or more). */
  limit: number;
}

/**
 * One entry of Budget.limitHistory: in the periods that start before `before` (and not before
 * the previous entry's `before` for the same target), the target's limit was `limit`.
 */
export interface LimitChange {
  /** The first day (YYYY-MM-DD) of the period from which the next value applied. */
  before: string;
  /** Absent: the budget's own limit; else one of its categories'. */
  categoryId?: string;
  /** Minor units (0 or more); null: the category had no limit then (never for the budget's own). */
  limit: number | null;
}

export interface Member {
  budgetId: string;
  userId: string;
  role: BudgetRole;
  /** Snapshot taken when the member was added (null if the account could not be found). */
  email: string | null;
  name: string | null;
  addedAt: string;
  /**
   * Weight in the settle-up balances' split (0..100, DEFAULT_SHARE when never set: items older
   * than it have none); 0: pays into the pot but owes nothing.
   */
  share: number;
  /**
   * Bumped by every change of this membership (role, share), sent as the ETag of PATCH
   * .../members/{userId} and honoured in its If-Match. 1 when never changed: like `share`, it is
   * stored only once it differs (items older than it have none and are at version 1).
   */
  version: number;
  /**
   * The account's profile version (UserSummary.version) the email and name were read at, stored
   * with them: a refresh that read an older version (MembersRepository.setDetails) must not
   * write its details over these. Absent on memberships older than it (any refresh may write).
   * Never shown (memberView).
   */
  detailsVersion?: number;
}

/** The version of a membership never changed since it was added (not stored: see Member.version). */
export const FIRST_MEMBER_VERSION = 1;

/**
 * The first version of a membership added when the account's former membership of the budget
 * ended at `formerVersion` (none: FIRST_MEMBER_VERSION): one past it, so no ETag of the earlier
 * membership matches the new one.
 */
export const firstVersionAfter = (formerVersion: number | undefined): number => (formerVersion === undefined ? FIRST_MEMBER_VERSION : formerVersion + 1);

/** A member's share in the balances until the owner sets another. */
export const DEFAULT_SHARE = 1;
/** The largest share a member can have (small numbers: they are weights, not percentages). */
export const MAX_SHARE = 100;

/** A budget as one caller sees it: the budget plus that caller's role in it. */
export interface BudgetForCaller {
  budget: Budget;
  role: BudgetRole;
}

/**
 * How many categories and members one budget may have (SPEC: at most 50 categories). The
 * categories live on the budget item: 50 of them with 100-character names and 50-character
 * groups are at most about 35 KB (even if every character took 4 bytes of UTF-8; about 10 KB
 * in ASCII); rollover, rolloverSince and a target add under 100 bytes a category (about 5 KB for
 * 50); a note adds at most 600 bytes (200 UTF-16 code units, at most 3 bytes of UTF-8 each:
 * 30 KB for 50, only when written) and `hidden` a few bytes: under 80 KB in all; the per-period
 * limits and the limit history (240 entries each, about 18 KB each at the cap) bring it under
 * 120 KB, far from DynamoDB's 400 KB item limit. The largest budget.updated event (every category's note and
 * name changed, with the per-period limits; the limit history is not in it) stays far under EventBridge's 256 KB (about 170 KB at worst): see the
 * test of tests/integration/budgets/category-notes.test.ts.
 */
export const MAX_CATEGORIES = 50;
export const MAX_MEMBERS = 50;
/**
 * Budgets one account may own (archived ones included; budgets of others it joined do not count):
 * each is a budget item, memberships, a report due-index entry and scheduled work, so one account
 * must not grow them without bound. A count item moves in each create's and delete's transaction
 * (budgets.repository.ts), so creates racing at the cap cannot all pass.
 */
export const MAX_OWNED_BUDGETS = 100;
/** Pending invitations a budget may hold at once (invitations.repository.ts counts them). */
export const MAX_PENDING_INVITATIONS = 20;
/** How long an invitation's link works after it was sent (or re-sent). */
export const INVITATION_TTL_SECONDS = 7 * 24 * 60 * 60;

/** An invitation to join a budget (its secret is never held here: only the mail job sees it). */
export interface Invitation {
  budgetId: string;
  id: string;
  /** Normalized (trimmed, lower case). */
  email: string;
  role: Exclude<BudgetRole, 'owner'>;
  invitedBy: string;
  createdAt: string;
  /** ISO instant; the item's TTL attribute holds the same instant in epoch seconds. */
  expiresAt: string;
  /** Changes with every (re-)invite: names the mail job's unit, so a superseded unit sends nothing. */
  nonce: string;
}

/** Whether the invitation is no longer pending at `now` (it expires at `expiresAt` exactly): list, revoke, accept and the mail ask the same. */
export const invitationExpired = (invitation: Pick<Invitation, 'expiresAt'>, now: Date) => invitation.expiresAt <= now.toISOString();
export const DEFAULT_ALERT_THRESHOLDS = [80, 100];

/**
 * Recorded settle-up payments a budget may hold (settlements.repository.ts counts them): what
 * bounds the balances' read of a range's payments (one Query of small items, at most this many).
 */
export const MAX_SETTLEMENTS = 10_000;
/**
 * A settlement's version (its ETag) when recorded; each PATCH adds one. Items stored before
 * payments could change have no `version` attribute: they read as this one.
 */
export const SETTLEMENT_VERSION = 1;

/**
 * A settle-up payment between two members ("Sam paid Kim 42.00"), recorded after the fact: not
 * spending, it moves only the two members' balances. Its amount, day and note can be corrected
 * (PATCH); who paid whom cannot (delete and record again). Its id starts with the day it was
 * paid when recorded (`20261124-<ULID>`) and never changes: correcting the day moves the stored
 * item to the new day and leaves a pointer under the id's day (settlements.repository.ts).
 */
export interface Settlement {
  budgetId: string;
  id: string;
  fromUserId: string;
  toUserId: string;
  /** Positive, in the budget's minor units. */
  amount: number;
  /** The budget's currency (cannot change after creation). */
  currency: string;
  paidOn: string;
  note?: string;
  recordedBy: string;
  createdAt: string;
  /** 1 when recorded, +1 per change (the ETag). */
  version: number;
  /** When it was last changed; absent while never changed. */
  updatedAt?: string;
}

/**
 * A period report: an immutable snapshot of one ended period, generated once (by the report
 * job or on request). Amounts in the budget's minor units.
 */
/**
 * A category's line of a period, as the summary, the forecast and the report carry it: its
 * name, limit and group (null when none), what it spent, and with category rollover only
 * (absent on other categories' lines) what earlier periods since its `rolloverSince` carry into
 * this one (`limit - spent` each) and `available` = limit + carriedOver.
 */
export interface CategoryFigures {
  categoryId: string;
  name: string;
  limit: number | null;
  group: string | null;
  /** Only on a hidden category's line (absent otherwise): the category is hidden in the app; its figures count as any other's. */
  hidden?: true;
  /** Only on the line of a category with an emoji / a color (absent otherwise), as the category had them when the line was made. */
  emoji?: string;
  color?: string;
  carriedOver?: number;
  available?: number;
  spent: number;
  /** A rollover category's target and where it stands in this period (domain/category-target.ts); absent without one. */
  target?: TargetFigures;
}

export interface Report {
  /** Deterministic: the period's first and last day, e.g. "20261101-20261130". */
  id: string;
  budgetId: string;
  budgetName: string;
  /** The owner when it was generated (emailed the report). */
  ownerId: string;
  periodStart: string;
  periodEnd: string;
  currency: string;
  limit: number;
  carriedOver: number;
  available: number;
  spent: number;
  remaining: number;
  /**
   * A monthly budget's reports only, and only when the month had income (reports made since
   * 2026-12-05; older ones never carry it): the month's income as GET .../cash-flow gives it.
   */
  income?: number;
  /** With `income` only: (income - spent) / income in basis points, rounded a half away from zero (the cash flow's). */
  savingsRate?: number;
  /** Each category as it was when the report was made (the summary's lines). */
  byCategory: CategoryFigures[];
  /** The category groups of `byCategory` (domain/groups-math.ts), as they were when the report was made. */
  groups: ReportGroup[];
  uncategorizedSpent: number;
  /** Every day of the period, in order, with what was spent that day. */
  byDay: { date: string; spent: number }[];
  topMerchants: { merchant: string; spent: number; count: number }[];
  previousPeriod: { periodStart: string; periodEnd: string; spent: number } | null;
  generatedAt: string;
}

/**
 * A report's category group: its categories' lines summed, as a trend period's (the report's
 * category lines carry no `remaining`, so neither does its group line).
 */
export interface ReportGroup {
  name: string;
  categoryIds: string[];
  /** Its categories' limits summed; null when none has one. */
  limit: number | null;
  /** Only when a category of the group rolls over: its rollover categories' carriedOver summed (reports made since 2026-12-03). */
  carriedOver?: number;
  /** Only when a category of the group rolls over: limit + carriedOver. */
  available?: number;
  spent: number;
}

/** How many merchants a report ranks. */
export const TOP_MERCHANTS = 5;
