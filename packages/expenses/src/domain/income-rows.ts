import type { Income } from '../model';
import type { ImportRow } from './csv/rows';
import { layoutSkipsCredits, type CsvLayout } from './csv/layout';
import type { ImportFormat } from './import-file';

/**
 * `credits=income` (packages/expenses/docs/income.md "Income and cash flow", packages/expenses/docs/expense-fields.md "Refunds"): which rows of an import are a bank
 * format's credits to be written as income entries, and what entry each makes.
 *
 * The readers find credits exactly as for `credits=refunds` (any `credits` but `skip` reads
 * them): each a refund row (`refund: true`, its positive amount), so it is validated by the row
 * rules and fingerprinted as the refund row would be, apart from the debits. Only in a format
 * with a sign convention is a refund row a credit: OFX/QFX, camt.053, QIF, and a CSV read with
 * `amountSign=negativeIsSpending`, debit and credit columns or a type column (a preset's too:
 * layout.ts layoutSkipsCredits). In our own CSV format, or a mapping without a sign convention,
 * a refund row is a negative amount, a refund as before, whatever `credits` says.
 */
export function readsCredits(file: { format: ImportFormat; layout?: CsvLayout | undefined }): boolean {
  return file.format !== 'csv' || layoutSkipsCredits(file.layout);
}

/** Whether the import writes `row` as an income entry: `credits=income`, a format that reads credits, and a credit. */
export function isIncomeCredit(file: { format: ImportFormat; layout?: CsvLayout | undefined; credits?: string | undefined }, row: Pick<ImportRow, 'refund'>): boolean {
  return file.credits === 'income' && row.refund === true && readsCredits(file);
}

/**
 * The income entry's own fields of a credit row: its amount, `receivedOn` its date, `source` its
 * merchant (payee, debtor), `description` its memo. The row's category, tags, foreign amount and
 * splits have no place on an entry (income has none) and are dropped.
 */
export function incomeFieldsOf(row: ImportRow): Pick<Income, 'amount' | 'receivedOn' | 'source' | 'description'> {
  return {
    amount: row.amount,
    receivedOn: row.occurredOn,
    ...(row.merchant ? { source: row.merchant } : {}),
    ...(row.description ? { description: row.description } : {}),
  };
}
