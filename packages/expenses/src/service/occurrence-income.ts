import { createEvent, newId, outboxPut, type Clock, type ModuleStore } from '@budgeting/platform';
import { incomeFacts } from '../domain/income-events';
import { incomeRecorded } from '../events';
import type { Income, RecurringIncome } from '../model';

/** What record-next changes of the entry the job would record (each absent: as the job). */
export interface IncomeOccurrenceOverrides {
  id?: string;
  receivedOn?: string;
}

/**
 * The income entry of one occurrence: the definition's amount and texts, created by its creator,
 * dated the occurrence, linked to its definition (`recurringIncomeId`). The job
 * (jobs/recurring-income-job.ts) records it exactly so; record-next
 * (RecurringIncomeService.recordNext) the same entry with `overrides`: the id the
 * Idempotency-Key reserved and the day the money actually came in.
 */
export function occurrenceIncome(d: RecurringIncome, date: string, now: Date, overrides: IncomeOccurrenceOverrides = {}): Income {
  const timestamp = now.toISOString();
  return {
    id: overrides.id ?? newId(now.getTime()),
    budgetId: d.budgetId,
    amount: d.amount,
    receivedOn: overrides.receivedOn ?? date,
    ...(d.source !== undefined ? { source: d.source } : {}),
    ...(d.description !== undefined ? { description: d.description } : {}),
    recurringIncomeId: d.id,
    createdBy: d.createdBy,
    version: 1,
    createdAt: timestamp,
    updatedAt: timestamp,
  };
}

/**
 * The income.recorded outbox item of an occurrence's entry (`via: "recurring"`, its
 * definition's id), for the recording's own transaction. `recordedBy`: the member who asked
 * record-next (the activity log's actor; `createdBy` stays the definition's creator); absent
 * for the job's.
 */
export async function occurrenceIncomeEvent(store: ModuleStore, clock: Clock, entry: Income, recordedBy?: string) {
  const data = {
    ...incomeFacts(entry),
    createdBy: entry.createdBy,
    version: 1,
    via: 'recurring' as const,
    recurringIncomeId: entry.recurringIncomeId!,
    ...(recordedBy !== undefined ? { recordedBy } : {}),
  };
  return outboxPut(store, incomeRecorded, await createEvent(incomeRecorded, data, clock));
}
