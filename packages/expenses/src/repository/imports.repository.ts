import type { ModuleStore } from '@budgeting/platform';
import type { Expense } from '../model';
import type { ExpensesRepository, Publish } from './expenses.repository';
import { importKeys } from './keys';

export type ImportOutcome = 'imported' | 'duplicate' | 'budget-closed';

/**
 * Records an imported CSV row: ExpensesRepository.create (the expense, its running totals, its
 * expense.recorded outbox event, the closed-budget check) with the row's import marker in the
 * SAME transaction, Put only if absent. A marker already there means this row (same budget,
 * values and occurrence in its file: see csv/fingerprint.ts) was imported before: nothing is
 * written and the row is a duplicate. So a file imported twice, even by two concurrent
 * requests, records each row once.
 *
 * Markers do not expire: "importing the same file twice adds nothing" holds however long
 * after. They live in the budget's expense partition, so the budget.deleted cleanup
 * (BudgetDataRepository) removes them with the expenses; nothing else reads them (no
 * index attributes, so expense lists never see them). A marker outlives a change or deletion
 * of its expense on purpose: re-importing the file still adds nothing.
 */
export class ImportsRepository {
  private readonly keys: ReturnType<typeof importKeys>;

  constructor(
    private readonly store: ModuleStore,
    private readonly expenses: ExpensesRepository,
  ) {
    this.keys = importKeys(store);
  }

  /**
   * The markers among `fingerprints` that exist: fingerprint -> the import that wrote it
   * (undefined for markers of the synchronous import that came before the job). Batch reads
   * (100 keys per request, strongly consistent), so a file imported again costs reads, not one
   * failed transaction per row. A row imported meanwhile is still caught by record's condition.
   */
  async markers(budgetId: string, fingerprints: string[]): Promise<Map<string, string | undefined>> {
    const items = await this.store.batchGet(fingerprints.map((f) => this.keys.marker(budgetId, f)), true);
    const prefix = this.keys.marker(budgetId, '').sk;
    return new Map(items.map((i) => [String(i.sk).slice(prefix.length), typeof i.importId === 'string' ? i.importId : undefined]));
  }

  /** `importId` names the import job on the marker, so a retried chunk knows its own rows. */
  async record(expense: Expense, publish: Publish, fingerprint: string, importId: string): Promise<ImportOutcome> {
    const marker = {
      Put: {
        Item: { ...this.keys.marker(expense.budgetId, fingerprint), kind: 'import-marker', expenseId: expense.id, importedAt: expense.createdAt, importId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
    const outcome = await this.expenses.create(expense, publish, [marker]);
    if (outcome === 'created') return 'imported';
    if (outcome === 'budget-closed') return 'budget-closed';
    if (outcome === 'exists') throw new Error(`expense id ${expense.id} already exists`); // fresh ULIDs: a bug
    return 'duplicate';
  }
}
