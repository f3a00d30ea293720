import type { FileRow } from '../import-file';
import { CSV_COLUMNS } from './cells';

/**
 * Refunds in our own CSV format (`date,amount,category,description,merchant`, or the export's
 * header; packages/expenses/docs/expense-fields.md "Refunds"): a negative amount (`-59.99`, as the export writes a refund) is a
 * refund of 59.99, its sign taken off here so the row check (amount.ts, which refuses signs)
 * reads the positive amount. Also a bank's CSV read with a layout but no sign convention (no
 * `amountSign`, no debit and credit columns: bank-csv.ts), so a delimiter or a column mapping
 * alone does not change what a negative amount means. With a sign convention, and in OFX,
 * camt.053 and QIF, credits are skipped (their sign means money in, most often not a returned
 * purchase) unless the import asks `credits=refunds` (each reader then marks them itself). A
 * row of another length, or one a reader already found in error, is left as it is (the row
 * check names its count; the error stands).
 */
export function withRefunds<R extends FileRow>(rows: R[]): R[] {
  for (const row of rows) {
    if (row.error !== undefined || row.fields.length !== CSV_COLUMNS.length) continue;
    const amount = row.fields[1]!.trim();
    if (!amount.startsWith('-')) continue;
    row.fields[1] = amount.slice(1);
    row.refund = true;
  }
  return rows;
}
