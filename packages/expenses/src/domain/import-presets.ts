/**
 * Built-in import presets: the column mappings of the CSV exports of the budgeting apps people
 * leave for us, so a user uploads the file as downloaded (`?profile=ynab`, or `?profile=auto`,
 * which tries them after the budget's saved profiles). Each is an ordinary mapping (layout.ts
 * CsvMapping), nothing a saved profile could not hold, plus `signature`: the app's whole header,
 * which `?profile=auto` requires besides the mapped columns, so a bank file that happens to have
 * `Date`, `Payee` and `Amount` is not taken for an Actual export. Read-only and in code (no
 * item, no read): their ids are not ULIDs, so no saved profile can ever have one.
 *
 * A preset reads a category the budget does not have as uncategorized (not as the row's error,
 * as a mapped bank file does): the app's categories rarely match the new budget's one for one,
 * and the rules then categorize the row by its merchant.
 */
import type { CsvMapping } from './csv/layout';

export interface ImportPreset {
  /** Stable: `?profile=<id>` and the import's `profileId`. */
  id: string;
  /** The app's name, for an "Import from YNAB" button. */
  name: string;
  mapping: CsvMapping;
  /** The app's export header: every column must be in the file for `?profile=auto` to pick the preset. */
  signature: readonly string[];
}

export const IMPORT_PRESETS: readonly ImportPreset[] = [
  {
    // YNAB's register export: money out and in as two columns, US dates. `decimalSeparator` `.`
    // reads `1,234.56`; YNAB writes its currency symbol in them (`$12.34`), left out.
    id: 'ynab',
    name: 'YNAB',
    mapping: {
      dateColumn: 'Date',
      merchantColumn: 'Payee',
      categoryColumn: 'Category',
      descriptionColumn: 'Memo',
      debitColumn: 'Outflow',
      creditColumn: 'Inflow',
      dateFormat: 'MM/DD/YYYY',
      decimalSeparator: '.',
      currencySymbol: 'ignore',
    },
    signature: ['Account', 'Flag', 'Date', 'Payee', 'Category Group/Category', 'Category Group', 'Category', 'Memo', 'Outflow', 'Inflow', 'Cleared'],
  },
  {
    // Monarch Money's transactions export: one signed amount, spending negative, ISO dates.
    id: 'monarch',
    name: 'Monarch Money',
    mapping: {
      dateColumn: 'Date',
      merchantColumn: 'Merchant',
      categoryColumn: 'Category',
      descriptionColumn: 'Notes',
      amountColumn: 'Amount',
      amountSign: 'negativeIsSpending',
      decimalSeparator: '.',
    },
    signature: ['Date', 'Merchant', 'Category', 'Account', 'Original Statement', 'Notes', 'Amount', 'Tags'],
  },
  {
    // Mint's transactions.csv: positive amounts, "Transaction Type" debit or credit, M/D/YYYY.
    id: 'mint',
    name: 'Mint',
    mapping: {
      dateColumn: 'Date',
      merchantColumn: 'Description',
      categoryColumn: 'Category',
      descriptionColumn: 'Notes',
      amountColumn: 'Amount',
      typeColumn: 'Transaction Type',
      dateFormat: 'M/D/YYYY',
      decimalSeparator: '.',
    },
    signature: ['Date', 'Description', 'Original Description', 'Amount', 'Transaction Type', 'Category', 'Account Name', 'Labels', 'Notes'],
  },
  {
    // Actual Budget's transactions export: one signed amount, spending negative, ISO dates.
    id: 'actual',
    name: 'Actual Budget',
    mapping: {
      dateColumn: 'Date',
      merchantColumn: 'Payee',
      categoryColumn: 'Category',
      descriptionColumn: 'Notes',
      amountColumn: 'Amount',
      amountSign: 'negativeIsSpending',
      decimalSeparator: '.',
    },
    signature: ['Account', 'Date', 'Payee', 'Notes', 'Category', 'Amount'],
  },
];

/** The preset with this id, if it is one. */
export const presetOf = (id: string): ImportPreset | undefined => IMPORT_PRESETS.find((preset) => preset.id === id);
