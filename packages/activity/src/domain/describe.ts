import type {
  BudgetCreatedData,
  BudgetMemberAddedData,
  BudgetMemberRemovedData,
  BudgetUpdatedData,
} from '@budgeting/budgets';
import type { ExpenseDeletedData, ExpenseRecordedData, ExpenseUpdatedData } from '@budgeting/expenses';
import type { EventEnvelope } from '@budgeting/platform';
import type { ActivityEntry, FieldChange } from '../model';

/** The name of the recurring-expenses job as an actor (the schedule records occurrences, not a person). */
export const RECURRING_SCHEDULE = 'recurring-expenses';

type Described = Omit<ActivityEntry, 'id' | 'at'>;

const EXPENSE_FIELDS = ['amount', 'categoryId', 'occurredOn', 'merchant'] as const;

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
    case 'expense.recorded': {
      const d = raw as ExpenseRecordedData;
      const subject = { type: 'expense' as const, id: d.expenseId };
      const changes = snapshot(d, 'after');
      if (d.via === 'recurring') {
        return {
          budgetId: d.budgetId,
          actor: { type: 'schedule', name: RECURRING_SCHEDULE, onBehalfOf: d.createdBy },
          action: 'expense.recorded_by_schedule',
          subject,
          changes,
          ...(d.recurringExpenseId ? { recurringExpenseId: d.recurringExpenseId } : {}),
        };
      }
      return {
        budgetId: d.budgetId,
        actor: { type: 'user', id: d.createdBy },
        action: d.via === 'import' ? 'expense.imported' : 'expense.created',
        subject,
        changes,
      };
    }
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
      return { budgetId: d.budgetId, actor: { type: 'user', id: d.updatedBy }, action: 'expense.updated', subject: { type: 'expense', id: d.expenseId }, changes };
    }
    case 'expense.deleted': {
      const d = raw as ExpenseDeletedData;
      return { budgetId: d.budgetId, actor: { type: 'user', id: d.deletedBy }, action: 'expense.deleted', subject: { type: 'expense', id: d.expenseId }, changes: snapshot(d, 'before') };
    }
    case 'budget.created': {
      const d = raw as BudgetCreatedData;
      return {
        budgetId: d.budgetId,
        actor: { type: 'user', id: d.ownerId },
        action: 'budget.created',
        subject: { type: 'budget', id: d.budgetId },
        changes: Object.fromEntries((['name', 'currency', 'period', 'timezone', 'limit'] as const).map((f) => [f, { before: null, after: d[f] }])),
      };
    }
    case 'budget.updated': {
      const d = raw as BudgetUpdatedData;
      if (!d.updatedBy) return undefined; // written before the actor was recorded: nobody to show
      const changes = d.changes ?? Object.fromEntries(d.changed.map((f) => [f, { before: null, after: null }]));
      return { budgetId: d.budgetId, actor: { type: 'user', id: d.updatedBy }, action: 'budget.settings_changed', subject: { type: 'budget', id: d.budgetId }, changes };
    }
    case 'budget.member_added': {
      const d = raw as BudgetMemberAddedData;
      return {
        budgetId: d.budgetId,
        actor: { type: 'user', id: d.addedBy },
        action: 'member.added',
        subject: { type: 'member', id: d.userId },
        changes: { role: { before: null, after: d.role } },
      };
    }
    case 'budget.member_removed': {
      const d = raw as BudgetMemberRemovedData;
      return { budgetId: d.budgetId, actor: { type: 'user', id: d.removedBy }, action: 'member.removed', subject: { type: 'member', id: d.userId } };
    }
    default:
      return undefined;
  }
}
