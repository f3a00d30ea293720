import { createEvent, EventTooLargeError, type Clock } from '@budgeting/platform';
import { expenseRecorded, expenseUpdated } from '../events';
import type { Expense } from '../model';
import { sameForeign } from '../domain/foreign';
import { sameSharedWith } from '../domain/shared-with';
import { sameSharedAmounts } from '../domain/shared-amounts';
import { isRefund, refundField } from '../domain/refunds';
import type { Publish } from '../repository/expenses.repository';

/** What every expense event says about the expense. */
export function facts(e: Expense) {
  return {
    expenseId: e.id,
    budgetId: e.budgetId,
    amount: e.amount,
    // Only on a refund: `amount` (positive) is money back, spending -amount (domain/refunds.ts).
    ...refundField(e.refund),
    categoryId: e.categoryId,
    // Only a split expense's: its parts, so subscribers can credit each category.
    ...(e.splits ? { splits: e.splits } : {}),
    occurredOn: e.occurredOn,
    merchant: e.merchant ?? null,
    // Only when it has one: what it was ("Dinner with Sam"), for the activity log's creation and deletion.
    ...(e.description ? { description: e.description } : {}),
    // Only when it has some: its labels as stored (display spelling, order kept).
    ...(e.tags ? { tags: e.tags } : {}),
    // Only when it has one: what was paid in another currency (a record; `amount` counts).
    ...(e.foreign ? { foreign: e.foreign } : {}),
    // Only when set: who shares it in the balances (user ids in user id order; absent: every member).
    ...(e.sharedWith ? { sharedWith: e.sharedWith } : {}),
    // Only when set: who owes what of it by exact amounts (in user id order).
    ...(e.sharedAmounts ? { sharedAmounts: e.sharedAmounts } : {}),
  };
}

export interface RecordedVia {
  via?: 'api' | 'import' | 'recurring';
  recurringExpenseId?: string;
  /** The categorization rule that filled in its category (domain/categorization.ts). */
  categorizedBy?: { ruleId: string };
  /** The rule that renamed its merchant (`renameTo`), before categorization. */
  renamedBy?: { ruleId: string };
  /** Who put a deleted expense back (POST .../restore); `createdBy` stays who recorded it. */
  restoredBy?: string;
  /** Who recorded a recurring occurrence now (POST .../record-next); absent when the job did. */
  recordedBy?: string;
}

/** The expense.recorded event of a new expense (POST /expenses, CSV import and the recurring job alike). */
export async function recordedEvent(expense: Expense, clock: Clock, origin?: RecordedVia): Promise<Publish> {
  const event = await createEvent(
    expenseRecorded,
    { ...facts(expense), createdBy: expense.createdBy, version: expense.version, ...origin },
    clock,
  );
  return { contract: expenseRecorded, event };
}

/**
 * The expense.updated event of a write from `current` to `next` by `userId` (`origin.ruleId`: a
 * rule apply's). A split expense's parts are in it up to four times: the facts (after),
 * `previous` (before) and `changes.splits` (both); with 50 parts whose descriptions take 500
 * characters of 4 bytes each (the API's bounds) that is over EventBridge's 256 KB, which
 * createEvent refuses, and the PATCH was a 500. Such an event (only such: any other is as it
 * always was) carries the parts of `previous` and `changes.splits` without their descriptions
 * (optional in the contract): every amount and category a subscriber moves is there, and the
 * facts keep the parts whole.
 */
export async function updatedEvent(current: Expense, next: Expense, userId: string, clock: Clock, origin?: { ruleId: string }) {
  const changes = fieldChanges(current, next);
  const data = (slim: boolean) => ({
    ...facts(next),
    updatedBy: userId,
    version: next.version,
    previous: {
      amount: current.amount,
      // Only when the expense was a refund before (its spending was -amount).
      ...refundField(current.refund),
      categoryId: current.categoryId,
      ...(current.splits ? { splits: slim ? withoutDescriptions(current.splits) : current.splits } : {}),
      occurredOn: current.occurredOn,
    },
    changes: slim && changes.splits ? { ...changes, splits: { before: partsWithoutDescriptions(current.splits), after: partsWithoutDescriptions(next.splits) } } : changes,
    ...origin,
  });
  try {
    return await createEvent(expenseUpdated, data(false), clock);
  } catch (err) {
    if (!(err instanceof EventTooLargeError)) throw err;
    return createEvent(expenseUpdated, data(true), clock);
  }
}

/** Split parts without their descriptions. */
const withoutDescriptions = (splits: NonNullable<Expense['splits']>) => splits.map(({ categoryId, amount }) => ({ categoryId, amount }));
/** The same for `changes.splits`, where no parts are null. */
const partsWithoutDescriptions = (splits: Expense['splits']) => (splits ? withoutDescriptions(splits) : null);

const CHANGE_FIELDS = ['amount', 'categoryId', 'occurredOn', 'description', 'merchant'] as const;

/** Before and after of each field a write changed (absent text as null), for expense.updated. */
export function fieldChanges(before: Expense, after: Expense) {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const f of CHANGE_FIELDS) {
    const b = before[f] ?? null;
    const a = after[f] ?? null;
    if (b !== a) changes[f] = { before: b, after: a };
  }
  // A split expense's parts (absent: null), compared by value.
  const [b, a] = [before.splits ?? null, after.splits ?? null];
  if (JSON.stringify(b) !== JSON.stringify(a)) changes.splits = { before: b, after: a };
  // Tags likewise (none: null), compared by value in order.
  const [tb, ta] = [before.tags ?? null, after.tags ?? null];
  if (JSON.stringify(tb) !== JSON.stringify(ta)) changes.tags = { before: tb, after: ta };
  // The foreign amount as one value (none: null): both its fields are its meaning together.
  if (!sameForeign(before.foreign, after.foreign)) changes.foreign = { before: before.foreign ?? null, after: after.foreign ?? null };
  // Who shares it (every member: null), compared by value (stored in user id order).
  if (!sameSharedWith(before.sharedWith, after.sharedWith)) changes.sharedWith = { before: before.sharedWith ?? null, after: after.sharedWith ?? null };
  // Who owes what by exact amounts (none: null), likewise.
  if (!sameSharedAmounts(before.sharedAmounts, after.sharedAmounts)) {
    changes.sharedAmounts = { before: before.sharedAmounts ?? null, after: after.sharedAmounts ?? null };
  }
  // Refund or purchase (false: a purchase), as any field.
  if (isRefund(before) !== isRefund(after)) changes.refund = { before: isRefund(before), after: isRefund(after) };
  // Reviewed or not (the event's facts leave it out: an import's change entries stay as they were).
  if (before.reviewed !== after.reviewed) changes.reviewed = { before: before.reviewed, after: after.reviewed };
  return changes;
}
