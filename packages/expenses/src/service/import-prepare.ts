import type { Clock } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { appliedRules, mayApplyRules } from '../domain/categorization';
import { categoryIdsByName } from '../domain/csv/cells';
import { fingerprintKeyed, fingerprintRows } from '../domain/csv/fingerprint';
import type { ImportRow, RowContext } from '../domain/csv/rows';
import { validateFileRow } from '../domain/file-rows';
import type { ImportFile } from '../domain/import-file';
import type { ImportProfilesRepository } from '../repository/import-profiles.repository';
import type { ChunkRow } from '../repository/import-jobs.repository';
import type { RecurringRepository } from '../repository/recurring.repository';
import { candidateOccurrences, matchBills, occurrenceKey, type MatchableRow } from '../domain/bill-matching';
import type { RulesRepository } from '../repository/rules.repository';
import { authorize } from './access';
import { isRefund } from '../domain/refunds';
import { isIncomeCredit, readsCredits } from '../domain/income-rows';
import { fileOf } from './import-file-layout';
import { read, tooManyRows } from './import-read';
import type { ImportRequest } from './import-request';

// One job: an uploaded file made into the import's rows, writing nothing (shared by start and
// dryRun): access, the file's layout and reading, the row rules, the rows' identities
// (fingerprints, repeats), then the categorization rules and bill matching.

/** What preparing a file reads: the budget's access, profiles, rules and recurring bills. */
type PrepareDeps = {
  budgets: BudgetsFacade;
  profiles: Pick<ImportProfilesRepository, 'get' | 'all'>;
  rules: Pick<RulesRepository, 'all'>;
  recurring?: Pick<RecurringRepository, 'all' | 'recorded'>;
  clock: Clock;
};

/**
 * Access, reading the file by its format (import-file.ts: every reader gives the same rows),
 * the row rules, the row limit and the rows' identities: shared by start and dryRun, and by
 * CSV and OFX. `repeated`: lines of rows whose identity an earlier row of the same file has
 * (a bank statement listing a transaction twice), duplicates from the start: two writes of
 * one marker in one transaction would fail it.
 */
export async function prepareImport(deps: PrepareDeps, maxRows: number, budgetId: string, userId: string, input: ImportRequest) {
  const access = await authorize(deps.budgets, budgetId, userId, 'write');
  const prepared = await fileOf(deps.profiles, budgetId, input);
  const { file: importFile, profileId, charset } = prepared;
  const { rows: records, skipped } = await read(importFile, access.currency, maxRows);
  const entries = records.length + skipped.length;
  if (entries > maxRows) throw tooManyRows(entries, maxRows);
  const preset = prepared.preset === true;
  const context: RowContext = {
    currency: access.currency,
    categoryIds: categoryIdsByName(access.categories),
    // Another app's export (a built-in preset): a category we do not have is left empty (import-presets.ts).
    ...(preset ? { unknownCategory: 'uncategorized' as const } : {}),
  };
  const errors: { line: number; message: string }[] = [];
  const rows: (Omit<ChunkRow, 'fingerprint'> & { key?: string; identity?: ImportRow })[] = [];
  const splitFallbacks: { line: number; reason: string }[] = [];
  for (const record of records) {
    const result = validateFileRow(record, context);
    if (result.ok) {
      const { row, identity, splitFallback } = result.value;
      rows.push({
        line: record.line,
        row,
        ...(identity === undefined ? {} : { identity }),
        ...(record.key === undefined ? {} : { key: record.key }),
        ...(record.entryKey === undefined ? {} : { entryFingerprint: fingerprintKeyed(budgetId, record.entryKey) }),
      });
      if (splitFallback !== undefined) splitFallbacks.push({ line: record.line, reason: splitFallback });
    } else errors.push({ line: record.line, message: result.message });
  }
  // The identity of a row is what the FILE says (an empty category is null), not what a rule
  // makes of it, so the same file imported twice adds nothing even when the rules changed.
  // A row the file names (OFX: account and FITID) is known by that name; the others by their
  // values and occurrence among the file's rows without a name.
  // A QIF split row is known by its values as they were read before splits were (file-rows.ts `identity`).
  const byValues = fingerprintRows(budgetId, rows.filter((r) => r.key === undefined).map((r): ImportRow => r.identity ?? r.row)).values();
  const seen = new Set<string>();
  const unique: ChunkRow[] = [];
  const repeated: number[] = [];
  for (const { key, identity: _identity, ...r } of rows) {
    const fingerprint = key === undefined ? byValues.next().value! : fingerprintKeyed(budgetId, key);
    if (seen.has(fingerprint)) repeated.push(r.line);
    else unique.push({ ...r, fingerprint });
    seen.add(fingerprint);
  }
  // A camt.053 batch entry the file also lists as one row (once without its amounts): its
  // transactions are duplicates of that row (and one transaction never writes a marker twice).
  const listedWhole = (r: ChunkRow) => r.entryFingerprint !== undefined && seen.has(r.entryFingerprint);
  repeated.push(...unique.filter(listedWhole).map((r) => r.line));
  const valid = unique.filter((r) => !listedWhole(r));
  // `credits=income`: the credits become income entries (domain/income-rows.ts), kept away from
  // the rules and bill matching, which are the expenses' (a refund row is never matched anyway).
  const creditsAsIncome = importFile.credits === 'income' && readsCredits(importFile);
  if (creditsAsIncome) for (const r of valid) if (isIncomeCredit(importFile, r.row)) r.income = true;
  const expenseRows = creditsAsIncome ? valid.filter((r) => !r.income) : valid;
  await categorize(deps.rules, budgetId, expenseRows, new Set(access.categories.map((c) => c.id)));
  if (input.matchRecurring !== false) await matchRecorded(deps, budgetId, expenseRows);
  return { total: records.length, valid, errors, repeated, skipped, countsSkipped: countsSkipped(importFile), creditsAsIncome, profileId, charset, format: importFile.format, splitFallbacks };
}

/**
 * Rows with a merchant are renamed by the first matching rule with a `renameTo` (whatever
 * their category), then rows with an empty category take the first rule's category and tags
 * matching the (renamed) merchant, and the row's amount and description where a rule has
 * those conditions (domain/categorization.ts appliedRules), rules whose
 * category the budget no longer has passed over. The rules are read once per import (one
 * Query), only when some row has a merchant. The fingerprints were computed before, from
 * the file's values.
 */
async function categorize(rulesRepository: PrepareDeps['rules'], budgetId: string, rows: ChunkRow[], categories: ReadonlySet<string>): Promise<void> {
  const asking = rows.filter((r) => mayApplyRules({ merchant: r.row.merchant }));
  if (asking.length === 0) return;
  const rules = await rulesRepository.all(budgetId);
  for (const r of asking) {
    // An empty category asks a rule (an API body without the field does the same).
    const { categoryId, ...rest } = r.row;
    const applied = appliedRules({ ...rest, ...(categoryId === null ? {} : { categoryId }) }, rules, (id) => categories.has(id));
    if (!applied.categorizedBy && !applied.renamedBy) continue;
    const { splits } = applied.input;
    r.row = {
      ...r.row,
      merchant: applied.input.merchant,
      categoryId: applied.input.categoryId ?? null,
      // A split rule's parts (domain/rule-split.ts): the worker records them as a QIF split row's.
      ...(splits ? { splits } : {}),
      ...(applied.input.tags ? { tags: applied.input.tags } : {}),
    };
    if (applied.categorizedBy) r.ruleId = applied.categorizedBy;
    if (applied.renamedBy) r.renameRuleId = applied.renamedBy;
  }
}

/**
 * Bill matching (domain/bill-matching.ts), once per file at acceptance, after the rename rules:
 * the rows that are bills the recurring job recorded get their `match`. Reads, only when some
 * row has a merchant: the budget's recurring definitions (at most
 * MAX_RECURRING_PER_BUDGET: RecurringRepository.all, ONE Query for a typical budget), then, only when some row has the amount and merchant of
 * a definition and a date in the window of one of its dates, one BatchGetItem per 100 such
 * occurrences of their occurrence markers: an occurrence was recorded exactly when its marker
 * exists (not skipped, not fallen while paused, also of a paused or ended definition, and the
 * marker names the expense). Markers live 100 days after their date, so older bills are not
 * matched (imported as usual).
 */
async function matchRecorded(deps: Pick<PrepareDeps, 'recurring' | 'clock'>, budgetId: string, rows: ChunkRow[]): Promise<void> {
  const recurring = deps.recurring;
  // Each row by its index: lines are not unique (a camt.053 batch's rows share their entry's).
  const matchable: MatchableRow[] = rows.flatMap((r, position) =>
    // A refund is money back, never a bill paid: not matched.
    r.row.merchant === undefined || isRefund(r.row) ? [] : [{ position, occurredOn: r.row.occurredOn, amount: r.row.amount, merchant: r.row.merchant }],
  );
  if (!recurring || matchable.length === 0) return;
  const definitions = await recurring.all(budgetId);
  const candidates = candidateOccurrences(matchable, definitions);
  if (candidates.length === 0) return;
  const recorded = await recurring.recorded(budgetId, candidates, deps.clock.now());
  const occurrences = candidates.flatMap((c) => {
    const mark = recorded.get(occurrenceKey(c));
    if (!mark) return [];
    // At the amount recorded for it (the definition's may have changed since); a marker from
    // before markers held it: the definition's, as then.
    return [{ ...c, amount: mark.amount ?? c.amount, ...(mark.expenseId === undefined ? {} : { expenseId: mark.expenseId }) }];
  });
  for (const { position, ...match } of matchBills(matchable, occurrences)) rows[position]!.match = match;
}

/**
 * Whether the answer counts skipped entries (money in, not spending): a bank statement (OFX, camt.053, QIF),
 * and a CSV file read with `amountSign=negativeIsSpending` or with debit and credit columns. Our own CSV format has none (its
 * answers stay as they were).
 */
function countsSkipped(file: ImportFile): boolean {
  return readsCredits(file);
}
