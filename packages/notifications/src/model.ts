import type { PushPlatform } from '@budgeting/platform';

/** What an alert's threshold is about: the whole budget or one category. */
export const ALERT_SCOPES = ['budget', 'category'] as const;

/** What a notification is about: each kind has its own fields (besides id, userId, createdAt, readAt). */
export type Notification =
  | BudgetAlertNotification
  | BudgetPaceNotification
  | DataExportNotification
  | ExpenseCommentNotification
  | ImportNotification
  | MerchantRenameNotification
  | ImportUndoNotification
  | BillDueSoonNotification
  | IncomeRecordedNotification;

/**
 * A recurring income of a budget the user belongs to recorded a paycheck (income.recorded with
 * `via: "recurring"`), told only to members who opted in (`notifications.push.income`): the app
 * opens the entry, GET /v1/budgets/{budgetId}/income/{incomeId}. Amount (minor units of
 * `currency`, the budget's), day, source and description as the entry had them when recorded;
 * `budgetName` as the user could read it then.
 */
export interface IncomeRecordedNotification {
  id: string;
  userId: string;
  kind: 'income.recorded';
  budgetId: string;
  budgetName: string;
  incomeId: string;
  recurringIncomeId: string;
  receivedOn: string;
  amount: number;
  currency: string;
  source: string | null;
  description: string | null;
  /** What it says, as pushed, in the member's locale then (income-message.ts): "Salary 3200.00 USD from Acme payroll recorded (2026-11-28)." without one. */
  message: string;
  createdAt: string;
  readAt: string | null;
}

/**
 * A recurring expense of a budget the user belongs to is due tomorrow
 * (expense.recurring_due_soon): the app opens the definition,
 * GET /v1/budgets/{budgetId}/recurring-expenses/{recurringExpenseId}. Amount (minor units of
 * `currency`), merchant and description as the definition said when the reminder went out;
 * `budgetName` as the user could read it then.
 */
export interface BillDueSoonNotification {
  id: string;
  userId: string;
  kind: 'bill.due_soon';
  budgetId: string;
  budgetName: string;
  recurringExpenseId: string;
  dueOn: string;
  amount: number;
  currency: string;
  merchant: string | null;
  description: string | null;
  /** What it says, as pushed, in the member's locale then (bill-message.ts): "Rent Co: 1200.00 EUR due tomorrow (2026-12-01) in Household." without one. */
  message: string;
  createdAt: string;
  readAt: string | null;
}

/** How an import ended. */
export const IMPORT_STATUSES = ['succeeded', 'failed'] as const;

/**
 * A CSV or bank-statement import the user started ended (expense.import_finished): the app
 * opens GET /v1/budgets/{budgetId}/imports/{importId}. Counts as the import's when it ended;
 * `budgetName` as the user could read it then (null: the budget is gone, or they left it);
 * `failure`: a failed import's reason (null when it succeeded).
 */
export interface ImportNotification {
  id: string;
  userId: string;
  kind: 'import.finished';
  budgetId: string;
  budgetName: string | null;
  importId: string;
  status: (typeof IMPORT_STATUSES)[number];
  total: number;
  imported: number;
  duplicates: number;
  /** Rows that were bills a recurring expense had recorded (not recorded again); 0 on notifications stored before bill matching. */
  matched: number;
  errorCount: number;
  failure: string | null;
  /**
   * Beside `failure`: its reason as a code (the event's `failureCode`: stalled, budget-deleted, budget-archived,
   * part-failed, not-started), which the text words in the user's language; absent when it
   * succeeded, on an event without one, and on notifications stored before codes. Stored, not
   * listed (GET /v1/notifications answers as before).
   */
  failureCode?: string;
  /**
   * Of `imported`, the income entries (the event's `incomeImported`: `credits=income` imports
   * only), which the text tells apart from the expenses when there are some; absent on every
   * other import and on notifications stored before it. Stored, not listed (as `failureCode`).
   */
  incomeImported?: number;
  /** What it says, as pushed, in the user's locale then (import-message.ts): "Your import into Household finished: 1,980 added, 20 duplicates, 0 errors." without one. */
  message: string;
  createdAt: string;
  readAt: string | null;
}

/** How a merchant rename ended (as an import). */
export const RENAME_STATUSES = IMPORT_STATUSES;

/**
 * A merchant rename the user started ended (expense.merchant_rename_finished): the app opens
 * GET /v1/budgets/{budgetId}/merchant-renames/{renameId}. Names and counts as the rename's when
 * it ended; `budgetName` as the user could read it then (null: the budget is gone, or they left
 * it); `failure`: a failed rename's reason (null when it succeeded).
 */
export interface MerchantRenameNotification {
  id: string;
  userId: string;
  kind: 'merchant-rename.finished';
  budgetId: string;
  budgetName: string | null;
  renameId: string;
  from: string[];
  to: string;
  status: (typeof RENAME_STATUSES)[number];
  examined: number;
  renamed: number;
  failure: string | null;
  /** As an import's `failureCode`. */
  failureCode?: string;
  /** What it says, as pushed, in the user's locale then (rename-message.ts): 'Your rename to "Amazon" in Household finished: 37 expenses renamed.' without one. */
  message: string;
  createdAt: string;
  readAt: string | null;
}

/** How an import's undo ended (as an import). */
export const UNDO_STATUSES = IMPORT_STATUSES;

/**
 * A run of an import's undo the user asked for ended (expense.import_undo_finished): the app
 * opens GET /v1/budgets/{budgetId}/imports/{importId} (the undo is its `undo`). Counts as the
 * undo's when it ended (all its runs); `attempt`: which run (a failed undo asked again is a new
 * run, told again); `budgetName` as the user could read it then; `failure`: a failed undo's
 * reason (null when it succeeded).
 */
export interface ImportUndoNotification {
  id: string;
  userId: string;
  kind: 'import-undo.finished';
  budgetId: string;
  budgetName: string | null;
  importId: string;
  attempt: number;
  status: (typeof UNDO_STATUSES)[number];
  removed: number;
  kept: number;
  gone: number;
  total: number;
  failure: string | null;
  /** As an import's `failureCode` (the undo's own: also expired, import-undo-unavailable). */
  failureCode?: string;
  /** What it says, as pushed, in the user's locale then (undo-message.ts): "Your undo of an import into Household finished: 4 expenses removed, 1 kept." without one. */
  message: string;
  createdAt: string;
  readAt: string | null;
}

/**
 * Someone commented on an expense you recorded or commented on (expense.comment_added): the app
 * opens the expense's comments. `excerpt`: the comment's first characters, as written then.
 */
export interface ExpenseCommentNotification {
  id: string;
  userId: string;
  kind: 'expense.comment';
  budgetId: string;
  expenseId: string;
  commentId: string;
  authorId: string;
  excerpt: string;
  createdAt: string;
  readAt: string | null;
}

/** The kinds of a data export's notification: it succeeded (ready to download) or failed. */
export const DATA_EXPORT_KINDS = ['data-export.ready', 'data-export.failed'] as const;

/**
 * A data export of the user's finished (user.data_export_finished): the app opens
 * GET /v1/me/exports/{exportId} (the download URL is minted there, never stored here).
 */
export interface DataExportNotification {
  id: string;
  userId: string;
  kind: (typeof DATA_EXPORT_KINDS)[number];
  exportId: string;
  createdAt: string;
  readAt: string | null;
}

/** One budget alert for one member: a threshold of a budget (or one category) reached in a period. */
export interface BudgetAlertNotification {
  id: string;
  userId: string;
  kind: 'budget.alert';
  budgetId: string;
  budgetName: string;
  currency: string;
  scope: (typeof ALERT_SCOPES)[number];
  categoryId: string | null;
  categoryName: string | null;
  threshold: number;
  spent: number;
  limit: number;
  periodStart: string;
  periodEnd: string;
  createdAt: string;
  readAt: string | null;
}

/**
 * One pace alert for one member (budget.overspend_projected): at the pace so far, the budget's
 * total (`categoryId` null) or one category would pass its limit (`limit`: its available with
 * rollover) by the period's end, `projected` being that spending. Figures as the event had them;
 * `budgetName` / `categoryName` as the member could read them then; `message` in their locale
 * then (pace-message.ts): "Dining: at this pace 620.00 of 500.00 EUR by 2026-11-30" without one.
 */
export interface BudgetPaceNotification {
  id: string;
  userId: string;
  kind: 'budget.pace';
  budgetId: string;
  budgetName: string;
  currency: string;
  categoryId: string | null;
  categoryName: string | null;
  limit: number;
  spent: number;
  projected: number;
  periodStart: string;
  periodEnd: string;
  message: string;
  createdAt: string;
  readAt: string | null;
}

export interface Device {
  id: string;
  userId: string;
  platform: PushPlatform;
  /** Where pushes go: the SNS endpoint ARN in AWS, a local address otherwise. */
  address: string;
  createdAt: string;
  /**
   * When its app last registered it again (every app start does, answered 200), written at most
   * once per DEVICE_SEEN_RESOLUTION_MS; absent until then (and on devices stored before it):
   * `createdAt` counts. Which device a 21st replaces goes by it (lastRegistered), not by `createdAt`.
   */
  registeredAt?: string;
  /**
   * The session that registered it (the access token's `sid`), or registered it again last: when
   * that session ends (signed out, logged out, a password change...), the device is released
   * (README "Devices and sessions"). Absent on devices registered before it was recorded: they
   * stay until removed, replaced, gone, or registered again (which records the session then).
   */
  sessionId?: string;
  /**
   * Whether the device is one of its endpoint's users (the endpoint item, see
   * DevicesRepository: written with the device since). False on a device stored before
   * endpoint items existed: removing it never deletes its endpoint (another account's device may
   * share it), and its next registration (every app start) counts it.
   */
  counted: boolean;
}

/** Devices kept per user: registering one more forgets the one registered longest ago (see NotificationsService.registerDevice). */
export const DEVICES_PER_USER = 20;

/** A registration again within this of the last one recorded writes nothing (an app registers at every start). */
export const DEVICE_SEEN_RESOLUTION_MS = 24 * 60 * 60 * 1000;

/** When the device's app last registered it (as far as recorded): its later registration, or its first. */
export const lastRegistered = (d: Pick<Device, 'createdAt' | 'registeredAt'>): string => d.registeredAt ?? d.createdAt;

/** "Mark all read" (POST /v1/notifications/read-all): every notification up to `upToId` (a ULID: time order) was read at `at`. */
export interface ReadAllMark {
  upToId: string;
  at: string;
}

/**
 * A notification as its owner sees it: read if it was marked read itself or is covered by the
 * read-all mark; of the two times, the earlier one.
 */
export function withReadAll(n: Notification, mark: ReadAllMark | undefined): Notification {
  if (!mark || n.id > mark.upToId) return n;
  return { ...n, readAt: n.readAt !== null && n.readAt < mark.at ? n.readAt : mark.at };
}
