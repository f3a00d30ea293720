import { formatMinorUnits } from '@budgeting/platform';
import type { Expense } from '../../model';
import { partSpendingOf, spendingOf } from '../refunds';
import { qifExportDate, type QifExportDateFormat } from './date-formats';

/**
 * The QIF export (packages/expenses/docs/import-export.md "QIF export"): one `!Type:Bank` section, one record per expense, in
 * the form our own reader (read.ts) and GnuCash's read back:
 *
 * - `D` the date, by default as ISO `2026-11-21`. read.ts reads a four-digit first number as
 *   year first whatever the file's other dates are, where `11/05/2026` would make a file whose
 *   days are all 1..12 a 400 (its order cannot be found) unless the import names `dateFormat`.
 *   GnuCash takes the same three numbers and sees the year first; Quicken (US) wants
 *   `MM/DD/YYYY`, which the context's `dateFormat` asks for (or `DD/MM/YYYY`, Quicken and
 *   Money outside the US): our import reads such a file back given the same `dateFormat`.
 * - `T` what the account paid: minus the spending (spendingOf), so a purchase is negative and a
 *   refund positive (read back as a refund with `?credits=refunds`), in major units with the
 *   currency's exponent (formatMinorUnits: digits, never a float, no thousands separator).
 * - `P` merchant, `M` description, each left out when empty.
 * - `L` the category's name, then `/` and the first tag as its class (read.ts reads a class back
 *   as a tag); the other tags have no place in QIF: one class per record, and newer Quicken's
 *   `tag1:tag2` is a class and its subclass to every other reader, ours included (not in the
 *   memo either: packages/expenses/docs/import-export.md "QIF export" says why, importer by importer). Left out with neither.
 * - A split expense: its parts as `S` category, `E` the part's own description, `$` its amount
 *   (the same sign rule), after an `L` with the class only (its category is the parts').
 * - `^` ends the record. CRLF line ends, as Quicken writes them.
 *
 * QIF is one field per line, with no quoting: a line break inside a text field would start a
 * new field (or end the record at a `^`), so each is replaced with one space (runs of them and
 * the blanks around them too). A category name holding `/` cannot be written faithfully (the
 * part after it reads as a class) and is written as it is: packages/expenses/docs/import-export.md "QIF export".
 */
export const QIF_HEADER = '!Type:Bank\r\n';

export interface QifWriteContext {
  currency: string;
  /** The budget's category names by id; an id not in it (a removed category) is written as none. */
  names: ReadonlyMap<string, string>;
  /** Whether a split part (by its category) is exported: all of them without a category filter. */
  wanted: (categoryId: string | null) => boolean;
  /** How `D` is written (date-formats.ts); absent: ISO. The CSV writer ignores it (CSV keeps ISO dates). */
  dateFormat?: QifExportDateFormat;
}

/** A run of blanks (`\s` holds U+2028 and U+2029, not NEL). */
export const BLANK_RUN = /[\s\u0085]+/g;
export const LINE_BREAK = /[\r\n\u2028\u2029\u0085]/;

/**
 * A text value on one line: line breaks (and blanks around them) become one space. Each run of
 * blanks is found once and replaced when it holds a break: a pattern of blanks-then-a-break
 * retried the whole run from each of its positions, quadratic (a 4 MB export of descriptions
 * padded with spaces took 2 s).
 */
export const qifLine = (text: string): string => text.replace(BLANK_RUN, (run) => (LINE_BREAK.test(run) ? ' ' : run)).trim();

/**
 * The records of these expenses. With a category filter a split expense holds only its parts
 * in the category: two or more stay a split of their sum, one is a plain record of that part
 * (its description, else the expense's), so `T` adds up to what the summary shows for it.
 */
export function qifRecords(expenses: readonly Expense[], ctx: QifWriteContext): string {
  return expenses.map((e) => qifRecord(e, ctx)).join('');
}

function qifRecord(e: Expense, ctx: QifWriteContext): string {
  const amount = (spending: number) => formatMinorUnits(-spending, ctx.currency);
  const category = (id: string | null) => (id === null ? '' : (ctx.names.get(id) ?? ''));
  const tag = e.tags?.[0];
  const lines = [`D${qifExportDate(e.occurredOn, ctx.dateFormat ?? 'YYYY-MM-DD')}`];
  const text = (code: string, value: string | undefined) => {
    const line = qifLine(value ?? '');
    if (line !== '') lines.push(`${code}${line}`);
  };
  const label = (name: string) => text('L', `${qifLine(name)}${tag === undefined ? '' : `/${tag}`}`);

  const parts = e.splits?.filter((p) => ctx.wanted(p.categoryId));
  // No part in the filtered category: nothing of it is exported (as the CSV writes no row).
  if (parts && parts.length === 0) return '';
  if (parts && parts.length === 1) {
    const [part] = parts as [NonNullable<Expense['splits']>[number]];
    lines.push(`T${amount(partSpendingOf(e, part))}`);
    text('P', e.merchant);
    text('M', part.description ?? e.description);
    label(category(part.categoryId));
  } else if (parts) {
    lines.push(`T${amount(parts.reduce((sum, p) => sum + partSpendingOf(e, p), 0))}`);
    text('P', e.merchant);
    text('M', e.description);
    label('');
    for (const p of parts) {
      // `S` is written even when empty: it starts the part (an uncategorized one).
      lines.push(`S${qifLine(category(p.categoryId))}`);
      text('E', p.description);
      lines.push(`$${amount(partSpendingOf(e, p))}`);
    }
  } else {
    lines.push(`T${amount(spendingOf(e))}`);
    text('P', e.merchant);
    text('M', e.description);
    label(category(e.categoryId));
  }
  lines.push('^');
  return `${lines.join('\r\n')}\r\n`;
}
