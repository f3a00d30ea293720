/** Before and after of one field (null: absent). */
export interface FieldChange {
  before: unknown;
  after: unknown;
}

export const ACTIVITY_ACTIONS = [
  'expense.created',
  'expense.imported',
  'expense.recorded_by_schedule',
  'expense.updated',
  'expense.deleted',
  'expense.restored',
  'budget.created',
  'budget.settings_changed',
  'member.added',
  'member.role_changed',
  'member.share_changed',
  'member.removed',
  'settlement.recorded',
  'settlement.updated',
  'settlement.deleted',
  'comment.added',
  'comment.deleted',
  'income.recorded',
  'income.updated',
  'income.deleted',
  'income.restored',
] as const;
export type ActivityAction = (typeof ACTIVITY_ACTIONS)[number];

/** What an entry is about. */
export const SUBJECT_TYPES = ['expense', 'budget', 'member', 'recurring-expense', 'settlement', 'comment', 'income'] as const;

/**
 * Who did it: a user, or the recurring-expenses schedule acting on behalf of the user who
 * defined the recurring expense.
 */
export type ActorRef = { type: 'user'; id: string } | { type: 'schedule'; name: string; onBehalfOf: string };

/** One line of a budget's activity log, as stored (names are looked up when read). */
export interface ActivityEntry {
  /** The id of the event it was made from (unique; a redelivery writes nothing new). */
  id: string;
  budgetId: string;
  at: string;
  actor: ActorRef;
  action: ActivityAction;
  subject: { type: (typeof SUBJECT_TYPES)[number]; id: string };
  changes?: Record<string, FieldChange>;
  /** For a recurring occurrence: the recurring expense it came from. */
  recurringExpenseId?: string;
  /** For an expense recorded without a category: the categorization rule that gave it one; for an update by a rule apply that filed it or added its tags: that rule. */
  categorizedBy?: { ruleId: string };
  /** For an expense recorded with a merchant a rule renamed, or renamed by a rule apply: that rule. */
  renamedBy?: { ruleId: string };
  /** For a comment: the expense it is on. */
  expenseId?: string;
}
