import type {
  BudgetCreatedData,
  BudgetMemberAddedData,
  BudgetMemberRemovedData,
  BudgetMemberRoleChangedData,
  BudgetMemberShareChangedData,
  BudgetSettlementDeletedData,
  BudgetSettlementRecordedData,
  BudgetSettlementUpdatedData,
  BudgetUpdatedData,
} from '@budgeting/budgets';
import {
  commentExcerpt,
  type ExpenseCommentAddedData,
  type ExpenseCommentDeletedData,
  type ExpenseDeletedData,
  type ExpenseRecordedData,
  type ExpenseUpdatedData,
  type IncomeDeletedData,
  type IncomeRecordedData,
  type IncomeUpdatedData,
} from '@budgeting/expenses';
import type { EventEnvelope } from '@budgeting/platform';
import type { ActivityAction, ActivityEntry, FieldChange } from '../model';

/** The name of the recurring-expenses job as an actor (the schedule records occurrences, not a person). */
export const RECURRING_SCHEDULE = 'recurring-expenses';

type Described = Omit<ActivityEntry, 'id' | 'at'>;

// `description`: only an expense's with one (events before it existed lack it). `splits`: only a split expense's event has them (its parts, each in its category); `tags`
// only an expense's with some (its labels, as stored); `foreign` only an expense's paid in
// another currency ({amount, currency}); `sharedWith` only an expense shared by some members
// (user ids: who shares it in the balances); `sharedAmounts` only an expense split by exact
// amounts ({userId, amount}: who owes what in the balances); `refund` only a refund's (true:
// `amount` is money back).
const EXPENSE_FIELDS = ['amount', 'refund', 'categoryId', 'splits', 'occurredOn', 'merchant', 'description', 'tags', 'foreign', 'sharedWith', 'sharedAmounts'] as const;

/** The expense's fields as one side of a change (created: after; deleted: before). */
function snapshot(data: ExpenseRecordedData | ExpenseDeletedData, side: 'before' | 'after'): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const f of EXPENSE_FIELDS) {
    const value = data[f] ?? null;
    if (value === null) continue;
    out[f] = side === 'after' ? { before: null, after: value } : { before: value, after: null };
  }
  return out;
}

// A settle-up payment's facts: `amount` in minor units of `currency` (as an expense's), who
// paid whom by user id (as a member entry's subject: only the actor's name is looked up on read),
// and its note only when it has one (events published before it lack it).
const SETTLEMENT_FIELDS = ['fromUserId', 'toUserId', 'amount', 'currency', 'paidOn', 'note'] as const;

/** The payment as one side of a change (recorded: after; deleted: before). */
function payment(data: BudgetSettlementRecordedData | BudgetSettlementDeletedData, side: 'before' | 'after'): Record<string, FieldChange> {
  return Object.fromEntries(
    SETTLEMENT_FIELDS.filter((f) => data[f] !== undefined).map((f) => [f, side === 'after' ? { before: null, after: data[f] } : { before: data[f], after: null }]),
  );
}

/** An entry for what a person did (every event but an occurrence the schedule recorded). */
function byUser(
  budgetId: string,
  userId: string,
  action: ActivityAction,
  subject: Described['subject'],
  changes?: Record<string, FieldChange>,
): Described {
  return { budgetId, actor: { type: 'user', id: userId }, action, subject, ...(changes ? { changes } : {}) };
}

/**
 * Pure translation of a domain event into an activity entry: who (actor), what (action,
 * subject) and the before/after of what changed. Returns undefined for events that are not
 * activity (nothing today; kept for forward compatibility).
 */
export function describe(event: EventEnvelope): ActivityEntry | undefined {
  const described = describeData(event.type, event.data);
  return described && { id: event.id, at: event.occurredAt, ...described };
}

function describeData(type: string, raw: unknown): Described | undefined {
  switch (type) {
    case 'expense.recorded':
      return describeRecorded(raw as ExpenseRecordedData);
    case 'expense.updated': {
      const d = raw as ExpenseUpdatedData;
      // Events written before `changes` existed: what the totals moved (amount, category, date).
      const changes =
        d.changes ??
        Object.fromEntries(
          (['amount', 'categoryId', 'occurredOn'] as const)
            .filter((f) => d.previous[f] !== d[f])
            .map((f) => [f, { before: d.previous[f], after: d[f] }]),
        );
      return { ...byUser(d.budgetId, d.updatedBy, 'expense.updated', { type: 'expense', id: d.expenseId }, changes), ...appliedRule(d.ruleId, changes) };
    }
    case 'expense.deleted': {
      const d = raw as ExpenseDeletedData;
      return byUser(d.budgetId, d.deletedBy, 'expense.deleted', { type: 'expense', id: d.expenseId }, snapshot(d, 'before'));
    }
    case 'budget.created': {
      const d = raw as BudgetCreatedData;
      const changes = Object.fromEntries((['name', 'currency', 'period', 'timezone', 'limit'] as const).map((f) => [f, { before: null, after: d[f] }]));
      return byUser(d.budgetId, d.ownerId, 'budget.created', { type: 'budget', id: d.budgetId }, changes);
    }
    case 'budget.updated': {
      const d = raw as BudgetUpdatedData;
      if (!d.updatedBy) return undefined; // written before the actor was recorded: nobody to show
      const changes = d.changes ?? Object.fromEntries(d.changed.map((f) => [f, { before: null, after: null }]));
      return byUser(d.budgetId, d.updatedBy, 'budget.settings_changed', { type: 'budget', id: d.budgetId }, changes);
    }
    case 'budget.member_added': {
      const d = raw as BudgetMemberAddedData;
      return byUser(d.budgetId, d.addedBy, 'member.added', { type: 'member', id: d.userId }, { role: { before: null, after: d.role } });
    }
    case 'budget.member_role_changed': {
      const d = raw as BudgetMemberRoleChangedData;
      return byUser(d.budgetId, d.changedBy, 'member.role_changed', { type: 'member', id: d.userId }, { role: { before: d.previousRole, after: d.role } });
    }
    case 'budget.member_share_changed': {
      const d = raw as BudgetMemberShareChangedData;
      return byUser(d.budgetId, d.changedBy, 'member.share_changed', { type: 'member', id: d.userId }, { share: { before: d.previousShare, after: d.share } });
    }
    case 'budget.member_removed': {
      const d = raw as BudgetMemberRemovedData;
      return byUser(d.budgetId, d.removedBy, 'member.removed', { type: 'member', id: d.userId });
    }
    case 'budget.settlement_recorded':
    case 'budget.settlement_updated':
    case 'budget.settlement_deleted':
      return describeSettlement(type, raw);
    case 'expense.comment_added':
    case 'expense.comment_deleted':
      return describeComment(type, raw);
    case 'income.recorded':
    case 'income.updated':
    case 'income.deleted':
      return describeIncome(type, raw);
    default:
      return undefined;
  }
}

/** An expense.recorded entry: by hand, imported, restored, or a recurring occurrence (the schedule's, or recorded now by `recordedBy`). */
function describeRecorded(d: ExpenseRecordedData): Described {
  const subject = { type: 'expense' as const, id: d.expenseId };
  const changes = snapshot(d, 'after');
  if (d.via === 'recurring') {
    const from = d.recurringExpenseId ? { recurringExpenseId: d.recurringExpenseId } : {};
    // Recorded now by a member (record-next, `recordedBy`): created by them, from the definition.
    if (d.recordedBy) return { ...byUser(d.budgetId, d.recordedBy, 'expense.created', subject, changes), ...from };
    const actor = { type: 'schedule' as const, name: RECURRING_SCHEDULE, onBehalfOf: d.createdBy };
    return { budgetId: d.budgetId, actor, action: 'expense.recorded_by_schedule', subject, changes, ...from };
  }
  // A deleted expense put back: by whoever restored it, with what came back.
  if (d.restoredBy) return byUser(d.budgetId, d.restoredBy, 'expense.restored', subject, changes);
  const created = byUser(d.budgetId, d.createdBy, d.via === 'import' ? 'expense.imported' : 'expense.created', subject, changes);
  // The category in `changes` came from a categorization rule, the merchant from a rename rule: say which.
  return {
    ...created,
    ...(d.categorizedBy ? { categorizedBy: { ruleId: d.categorizedBy.ruleId } } : {}),
    ...(d.renamedBy ? { renamedBy: { ruleId: d.renamedBy.ruleId } } : {}),
  };
}

/**
 * A rule apply's change (expense.updated with `ruleId`) names its rule where a new expense's
 * does: `categorizedBy` when it filed the expense or added the rule's tags, `renamedBy` when it
 * renamed the merchant (both when it did both).
 */
function appliedRule(ruleId: string | undefined, changes: Record<string, FieldChange>): Pick<Described, 'categorizedBy' | 'renamedBy'> {
  if (!ruleId) return {};
  return {
    ...(changes.categoryId || changes.tags ? { categorizedBy: { ruleId } } : {}),
    ...(changes.merchant ? { renamedBy: { ruleId } } : {}),
  };
}

/** A settle-up payment recorded (its facts as afters), corrected (the event's before/after) or deleted (befores). */
function describeSettlement(type: 'budget.settlement_recorded' | 'budget.settlement_updated' | 'budget.settlement_deleted', raw: unknown): Described {
  if (type === 'budget.settlement_recorded') {
    const d = raw as BudgetSettlementRecordedData;
    return byUser(d.budgetId, d.recordedBy, 'settlement.recorded', { type: 'settlement', id: d.settlementId }, payment(d, 'after'));
  }
  if (type === 'budget.settlement_updated') {
    // The subject is the payment under its id as changed (a new day is a new id).
    const d = raw as BudgetSettlementUpdatedData;
    return byUser(d.budgetId, d.updatedBy, 'settlement.updated', { type: 'settlement', id: d.settlementId }, d.changes);
  }
  const d = raw as BudgetSettlementDeletedData;
  return byUser(d.budgetId, d.deletedBy, 'settlement.deleted', { type: 'settlement', id: d.settlementId }, payment(d, 'before'));
}

/** A comment written or deleted: subject the comment, `expenseId` the expense, `changes.text` its excerpt. */
function describeComment(type: 'expense.comment_added' | 'expense.comment_deleted', raw: unknown): Described {
  if (type === 'expense.comment_added') {
    const d = raw as ExpenseCommentAddedData;
    const entry = byUser(d.budgetId, d.authorId, 'comment.added', { type: 'comment', id: d.commentId }, { text: { before: null, after: commentExcerpt(d.text) } });
    return { ...entry, expenseId: d.expenseId };
  }
  const d = raw as ExpenseCommentDeletedData;
  const entry = byUser(d.budgetId, d.deletedBy, 'comment.deleted', { type: 'comment', id: d.commentId }, { text: { before: commentExcerpt(d.text), after: null } });
  return { ...entry, expenseId: d.expenseId };
}

// An income entry's facts an entry shows: `amount` in minor units of the budget's currency (as
// an expense's), the day it came in, who paid it and the note (the last two only when given).
const INCOME_FIELDS = ['amount', 'receivedOn', 'source', 'description'] as const;

/** The entry as one side of a change (recorded: after; deleted: before), absent text left out. */
function incomeSnapshot(data: IncomeRecordedData | IncomeDeletedData, side: 'before' | 'after'): Record<string, FieldChange> {
  const out: Record<string, FieldChange> = {};
  for (const f of INCOME_FIELDS) {
    const value = data[f];
    if (value === undefined) continue;
    out[f] = side === 'after' ? { before: null, after: value } : { before: value, after: null };
  }
  return out;
}

/**
 * Income recorded (its facts as afters: "Ada recorded income Acme payroll 3,200.00"), changed
 * (the event's before/after of each changed field) or deleted (its facts as befores); the
 * subject is the entry under its id, which never changes.
 */
function describeIncome(type: 'income.recorded' | 'income.updated' | 'income.deleted', raw: unknown): Described {
  if (type === 'income.recorded') {
    const d = raw as IncomeRecordedData;
    // A deleted entry put back (POST .../income/{id}/restore): by whoever restored it, with what came back.
    if (d.restoredBy) return byUser(d.budgetId, d.restoredBy, 'income.restored', { type: 'income', id: d.incomeId }, incomeSnapshot(d, 'after'));
    // A recurring income's occurrence recorded now (record-next): by the member who asked.
    return byUser(d.budgetId, d.recordedBy ?? d.createdBy, 'income.recorded', { type: 'income', id: d.incomeId }, incomeSnapshot(d, 'after'));
  }
  if (type === 'income.updated') {
    const d = raw as IncomeUpdatedData;
    return byUser(d.budgetId, d.updatedBy, 'income.updated', { type: 'income', id: d.incomeId }, d.changes);
  }
  const d = raw as IncomeDeletedData;
  return byUser(d.budgetId, d.deletedBy, 'income.deleted', { type: 'income', id: d.incomeId }, incomeSnapshot(d, 'before'));
}
