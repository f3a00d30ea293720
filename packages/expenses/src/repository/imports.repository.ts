import type { ModuleStore } from '@budgeting/platform';
import type { Expense } from '../model';
import type { ExpensesRepository, Publish } from './expenses.repository';
import { importKeys } from './keys';
import { TotalsLimitError } from './totals-cap';

/**
 * Records imported CSV rows in batches: ExpensesRepository.createMany (the expenses, their
 * running totals, their change entries = expense.recorded events, the closed-budget check)
 * with each row's import marker in the SAME transaction, Put only if absent. A marker already
 * there means this row (same budget, values and occurrence in its file: see
 * csv/fingerprint.ts) was imported before: the row is a duplicate. So a file imported twice,
 * even by two concurrent imports, records each row once. The marker names the import that
 * wrote it, so a chunk delivered again after a crash counts its own rows as imported.
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

  /**
   * Records a batch of rows (one budget, one change shard: see ExpensesRepository.createMany)
   * in ONE transaction, each with its marker (conditional, as in `record`). When other writers
   * took some rows' markers meanwhile, those rows are left out and the rest is written again;
   * `raced` names them (the caller reads their markers to tell another import from itself).
   *
   * A batch refused because it would take a month's running totals past 2^53 - 1
   * (TotalsLimitError) is written again row by row (a transaction each: only then), so the
   * rows that still fit are recorded; `overLimit` names the ones that do not (nothing of them
   * written), for the import's error lines.
   */
  async recordMany(
    rows: { expense: Expense; publish: Publish; fingerprint: string }[],
    importId: string,
  ): Promise<{ imported: string[]; raced: string[]; overLimit: string[] } | 'budget-closed'> {
    const raced: string[] = [];
    let pending = rows;
    while (pending.length > 0) {
      let outcome: Awaited<ReturnType<ExpensesRepository['createMany']>>;
      try {
        outcome = await this.expenses.createMany(
          pending.map(({ expense, publish, fingerprint }) => ({ expense, publish, extra: [this.markerPut(expense, fingerprint, importId)] })),
        );
      } catch (err) {
        if (!(err instanceof TotalsLimitError)) throw err;
        if (pending.length === 1) return { imported: [], raced, overLimit: [pending[0]!.fingerprint] };
        return this.oneByOne(pending, importId, raced);
      }
      if (outcome === 'created') return { imported: pending.map((r) => r.fingerprint), raced, overLimit: [] };
      if (outcome === 'budget-closed') return 'budget-closed';
      const failed = new Set(outcome.extraFailed);
      raced.push(...pending.filter((_, i) => failed.has(i)).map((r) => r.fingerprint));
      pending = pending.filter((_, i) => !failed.has(i));
    }
    return { imported: [], raced, overLimit: [] };
  }

  /** recordMany's rows each in a transaction of its own (after the batch met the totals limit). */
  private async oneByOne(rows: { expense: Expense; publish: Publish; fingerprint: string }[], importId: string, raced: string[]) {
    const out = { imported: [] as string[], raced, overLimit: [] as string[] };
    for (const row of rows) {
      const one = await this.recordMany([row], importId);
      if (one === 'budget-closed') return one;
      out.imported.push(...one.imported);
      out.raced.push(...one.raced);
      out.overLimit.push(...one.overLimit);
    }
    return out;
  }

  private markerPut(expense: Expense, fingerprint: string, importId: string) {
    return {
      Put: {
        Item: { ...this.keys.marker(expense.budgetId, fingerprint), kind: 'import-marker', expenseId: expense.id, importedAt: expense.createdAt, importId },
        ConditionExpression: 'attribute_not_exists(pk)',
      },
    };
  }
}
