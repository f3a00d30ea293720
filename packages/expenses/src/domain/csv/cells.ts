import { nameKey, normalizeName } from '@budgeting/platform';

/**
 * Text cells of the CSV files (category, description, merchant) and spreadsheet formula
 * injection (OWASP "CSV Injection"): a spreadsheet app runs a cell that starts with = + - @
 * (or a tab / carriage return before one) as a formula, so an exported text cell starting
 * with one of them gets a leading apostrophe, which spreadsheets show as "this is text".
 * Only text cells are guarded: a date or an amount never starts with those characters.
 *
 * Importing undoes it (an apostrophe followed by one of those characters is dropped), so an
 * exported file imports back to the same values, and a file saved by a spreadsheet (which
 * never writes the apostrophe) is unaffected. A text that itself starts with apostrophes before
 * one of them (a category "'=Quoted", a description "'=SUM(A1)") is guarded too, with one
 * apostrophe more, and the import drops only that one: before, it was written as it was and
 * the import took the user's own apostrophe for the guard's (the category was then not found,
 * the texts lost it).
 */
const FORMULA_START = /^'*[=+\-@\t\r]/;
const GUARDED = /^'(?='*[=+\-@\t\r])/;

export const guardCell = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

export const unguardCell = (text: string): string => text.replace(GUARDED, '');

/**
 * A text cell of the exports (category, description, merchant, tags; an income's source and
 * description) with each `;`-separated piece guarded as a cell of its own (guardCell), not only
 * its start: a spreadsheet whose list separator is `;` (Excel in most of Europe, LibreOffice
 * asked to split at it) reads `Lunch;=1+2` as two cells, the second a formula a co-member wrote
 * (OWASP "CSV Injection": an attacker's separator starts a new cell). Until 2026-12-07 only the
 * tags cell was guarded so. `unguardText` undoes it piece by piece, so the file imports back.
 */
const PIECE_SEPARATOR = ';';

export const guardText = (text: string): string => text.split(PIECE_SEPARATOR).map(guardCell).join(PIECE_SEPARATOR);

export const unguardText = (text: string): string => text.split(PIECE_SEPARATOR).map(unguardCell).join(PIECE_SEPARATOR);

/** The columns of both files, in order. */
export const CSV_COLUMNS = ['date', 'amount', 'category', 'description', 'merchant'] as const;

/**
 * The export's columns: the import's plus `tags` (an expense's tags joined with TAG_SEPARATOR,
 * each `;`-separated piece guarded), the foreign amount (`foreignAmount` in major units of
 * `foreignCurrency`, written as the amount column is; both empty when none), `reviewed`
 * (`true` or `false`, domain/review.ts) and last `recurringExpenseId` (the recurring expense
 * that recorded it, empty for the others). The import accepts this header too: it ignores
 * `tags` (it records no tags), `reviewed` (every imported row needs review: it came from a
 * file) and `recurringExpenseId` (an imported row is not an occurrence: only the job and
 * record-next link one) and imports the foreign amount, so an exported file imports back.
 */
export const FOREIGN_COLUMNS = ['foreignAmount', 'foreignCurrency'] as const;
export const EXPORT_COLUMNS = [...CSV_COLUMNS, 'tags', ...FOREIGN_COLUMNS, 'reviewed', 'recurringExpenseId'] as const;
/** The export's header before the recurring link (last `reviewed`): files saved then still import. */
export const REVIEWED_EXPORT_COLUMNS = [...CSV_COLUMNS, 'tags', ...FOREIGN_COLUMNS, 'reviewed'] as const;
/** The export's header before review existed (last the foreign amount): files saved then still import. */
export const FOREIGN_EXPORT_COLUMNS = [...CSV_COLUMNS, 'tags', ...FOREIGN_COLUMNS] as const;
/** The export's header before foreign amounts (a last `tags` column): files saved then still import. */
export const TAGS_EXPORT_COLUMNS = [...CSV_COLUMNS, 'tags'] as const;
export const TAG_SEPARATOR = ';';

/** How category names are compared: the budgets module's uniqueness rule (the platform's nameKey). */
export const categoryNameKey = (name: string): string => nameKey(name);

/**
 * The budget's categories as RowContext.categoryIds: categoryNameKey(name) -> id (the first one
 * under a key), and each name exactly as stored (normalized) -> its id. Names are unique by
 * nameKey only since it folds what it folds now: a budget stored before may hold "Food" and
 * fullwidth "Ｆｏｏｄ" under one key, and a file naming one of them exactly (as the export wrote
 * it) must reach that one (categoryIdOf tries the exact name first).
 */
export function categoryIdsByName(categories: readonly { id: string; name: string }[]): Map<string, string> {
  const ids = new Map<string, string>();
  for (const c of categories) {
    const key = categoryNameKey(c.name);
    if (!ids.has(key)) ids.set(key, c.id);
  }
  for (const c of categories) ids.set(normalizeName(c.name), c.id);
  return ids;
}

/**
 * The category a cell names (undefined: none of the budget's): the one of that exact name,
 * else the one under its categoryNameKey. An exact name met under a key is its own key's
 * category (a name equal to a key is already folded), so a plain map of keys answers the same.
 */
export function categoryIdOf(categoryIds: ReadonlyMap<string, string>, cell: string): string | undefined {
  return categoryIds.get(normalizeName(cell)) ?? categoryIds.get(categoryNameKey(cell));
}
