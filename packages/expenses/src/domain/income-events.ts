import type { Income } from '../model';

/** The fields of an income entry its events carry and `changes` compares (what a member sees of it). */
export const INCOME_EVENT_FIELDS = ['amount', 'receivedOn', 'source', 'description'] as const;

/** An entry's facts as income.recorded / updated / deleted carry them (events.schemas.ts incomeFacts). */
export interface IncomeFacts {
  budgetId: string;
  incomeId: string;
  amount: number;
  receivedOn: string;
  source?: string;
  description?: string;
}

export function incomeFacts(i: Income): IncomeFacts {
  return {
    budgetId: i.budgetId,
    incomeId: i.id,
    amount: i.amount,
    receivedOn: i.receivedOn,
    ...(i.source === undefined ? {} : { source: i.source }),
    ...(i.description === undefined ? {} : { description: i.description }),
  };
}

/**
 * Before and after of each field that differs between `before` and `after` (absent text is
 * null), as expense.updated's `changes`: the activity log shows them, a receiver mirroring
 * income applies them. Empty when a PATCH sent the values the entry had.
 */
export function incomeChanges(before: Income, after: Income): Record<string, { before: unknown; after: unknown }> {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const field of INCOME_EVENT_FIELDS) {
    const was = before[field] ?? null;
    const is = after[field] ?? null;
    if (was !== is) changes[field] = { before: was, after: is };
  }
  return changes;
}
