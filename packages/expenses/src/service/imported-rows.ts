import { createEvent, type Clock } from '@budgeting/platform';
import { IMPORTED_REVIEWED } from '../domain/review';
import type { Income } from '../model';
import type { ChunkRow, ImportRecord } from '../repository/import-jobs.repository';
import type { IncomeRow } from '../repository/imports.repository';
import { withImportOrigin } from '../repository/expense-item';
import { recordedEvent } from './expense-facts';
import { incomeFieldsOf } from '../domain/income-rows';
import { incomeFacts } from '../domain/income-events';
import { incomeRecorded } from '../events';
import { idInChangeShard } from './import-batches';

// One job: a chunk's row as what it records (an expense, or with `credits=income` an income
// entry) and the event it publishes, ready for the chunk's batch write (nothing is written here).

/**
 * A row as the expense it records (its id drawn in `changeShard`) and its expense.recorded
 * event. The expense holds its import (ImportOrigin: stored on its item, never shown), by
 * which the recurring job knows it from one recorded by hand (bill matching, the job's half).
 */
export async function importedExpense(clock: Clock, record: ImportRecord, { fingerprint, row, ruleId, renameRuleId, entryFingerprint }: ChunkRow, changeShard: number) {
  const now = clock.now();
  const timestamp = now.toISOString();
  const id = idInChangeShard(now.getTime(), changeShard);
  // A bank's row waits for a member's review (domain/review.ts): one attribute more on its item, nothing else.
  const expense = withImportOrigin(
    { id, budgetId: record.budgetId, ...row, reviewed: IMPORTED_REVIEWED, createdBy: record.userId, version: 1, createdAt: timestamp, updatedAt: timestamp },
    { importId: record.id, matchRecurring: record.matchRecurring !== false },
  );
  const origin = {
    via: 'import' as const,
    ...(ruleId ? { categorizedBy: { ruleId } } : {}),
    ...(renameRuleId ? { renamedBy: { ruleId: renameRuleId } } : {}),
  };
  return { expense, origin, publish: await recordedEvent(expense, clock, origin), fingerprint, ...(entryFingerprint === undefined ? {} : { entryFingerprint }) };
}

/**
 * A credit row (`credits=income`) as the income entry it records: the income create's fields
 * (income.service.ts), `createdBy` the importer, version 1, a new id in `changeShard` (the
 * group's change stamp is one counter's: ImportsRepository.recordIncome). No import origin is
 * kept on the entry: its import marker names it (`incomeId`), which is what an undo reads.
 * Its income.recorded carries a POST's data plus `via: "import"` and the import's id.
 */
export async function importedIncome(clock: Clock, record: ImportRecord, { fingerprint, row, entryFingerprint }: ChunkRow, changeShard: number): Promise<IncomeRow> {
  const now = clock.now();
  const timestamp = now.toISOString();
  const income: Income = { id: idInChangeShard(now.getTime(), changeShard), budgetId: record.budgetId, ...incomeFieldsOf(row), createdBy: record.userId, version: 1, createdAt: timestamp, updatedAt: timestamp };
  const data = { ...incomeFacts(income), createdBy: income.createdBy, version: income.version, via: 'import' as const, importId: record.id };
  const publish = { contract: incomeRecorded, event: await createEvent(incomeRecorded, data, clock) };
  return { income, publish, fingerprint, ...(entryFingerprint === undefined ? {} : { entryFingerprint }) };
}
