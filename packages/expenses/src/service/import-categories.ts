import type { Clock } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { Expense } from '../model';
import type { ImportsRepository, RecordedRow } from '../repository/imports.repository';
import { recordedEvent, type RecordedVia } from './expense-facts';

/** An import's row as written, with what its expense.recorded says of where it came from (to say it again when rebuilt). */
export type ImportedRow = RecordedRow & { origin: RecordedVia };

/** Tries of one batch: a category removed each time between the read and the write is past any real use. */
const MAX_TRIES = 3;

/**
 * Writes one batch of an import's chunk (ImportsRepository.recordMany) with the budgets module's
 * check that the categories its rows name are still the budget's (BudgetsFacade.categoriesCheck):
 * the rows were given their categories when the file was accepted, and a category removed since
 * (minutes before, or between this delivery's read and its write) must not receive them. When
 * the check fails, nothing was written: the budget's categories are read (one GetItem) and the
 * rows written again without the removed ones, as the recurring job records an occurrence
 * (a removed category's row uncategorized, a removed part's part uncategorized; the rest kept).
 */
export async function recordBatch(
  deps: { imports: Pick<ImportsRepository, 'recordMany'>; budgets: Pick<BudgetsFacade, 'categoriesCheck' | 'categoryIdsOf'>; clock: Clock },
  budgetId: string,
  importId: string,
  batch: ImportedRow[],
): Promise<Exclude<Awaited<ReturnType<ImportsRepository['recordMany']>>, 'category-removed'>> {
  let rows = batch;
  for (let attempt = 1; ; attempt++) {
    const outcome = await deps.imports.recordMany(rows, importId, deps.budgets.categoriesCheck(budgetId, categoriesOf(rows)));
    if (outcome !== 'category-removed') return outcome;
    // Before the read: the last try's categories would serve no write. (A deleted budget is
    // 'budget-closed' from recordMany itself: its closed check comes before the categories'.)
    if (attempt >= MAX_TRIES) throw new Error(`import ${importId}: the budget's categories changed on every one of ${MAX_TRIES} tries`);
    const known = await deps.budgets.categoryIdsOf(budgetId);
    if (known === undefined) return 'budget-closed';
    rows = await Promise.all(rows.map((r) => withoutRemoved(r, new Set(known), deps.clock)));
  }
}

/** Every category the rows' expenses name (their own, their parts'). */
function categoriesOf(rows: readonly RecordedRow[]): (string | null)[] {
  return rows.flatMap(({ expense }) => [expense.categoryId, ...(expense.splits ?? []).map((p) => p.categoryId)]);
}

/**
 * The row with its expense's removed categories dropped (same id: the chunk's accounting names
 * it) and its event made again from it; a rule's `categorizedBy` goes with a category it chose.
 * The row itself when nothing was removed.
 */
async function withoutRemoved(row: ImportedRow, known: ReadonlySet<string>, clock: Clock): Promise<ImportedRow> {
  const kept = (id: string | null) => (id !== null && known.has(id) ? id : null);
  const { expense } = row;
  const gone = (expense.categoryId !== null && !known.has(expense.categoryId)) || (expense.splits ?? []).some((p) => p.categoryId !== null && !known.has(p.categoryId));
  if (!gone) return row;
  const next: Expense = { ...expense, categoryId: kept(expense.categoryId), ...(expense.splits ? { splits: expense.splits.map((p) => ({ ...p, categoryId: kept(p.categoryId) })) } : {}) };
  const { categorizedBy: _dropped, ...rest } = row.origin;
  const origin = next.categoryId === null && expense.categoryId !== null ? rest : row.origin;
  return { ...row, expense: next, origin, publish: await recordedEvent(next, clock, origin) };
}
