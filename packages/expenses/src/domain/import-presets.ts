/**
 * Built-in import presets: the column mappings of the CSV exports of the budgeting apps people
 * leave for us, so a user uploads the file as downloaded (`?profile=ynab`, or `?profile=auto`,
 * which tries them after the budget's saved profiles). Each is an ordinary mapping (layout.ts
 * CsvMapping), nothing a saved profile could not hold, and, for an app whose export says more
 * than a mapping can read (Firefly III's transaction types and currencies), its `reading`;
 * plus `signature`: the app's whole header,
 * which `?profile=auto` requires besides the mapped columns, so a bank file that happens to have
 * `Date`, `Payee` and `Amount` is not taken for an Actual export. Read-only and in code (no
 * item, no read): their ids are not ULIDs, so no saved profile can ever have one.
 *
 * A preset reads a category the budget does not have as uncategorized (not as the row's error,
 * as a mapped bank file does): the app's categories rarely match the new budget's one for one,
 * and the rules then categorize the row by its merchant.
 */
import type { CsvMapping, PresetReading } from './csv/layout';

export interface ImportPreset {
  /** Stable: `?profile=<id>` and the import's `profileId`. */
  id: string;
  /** The app's name, for an "Import from YNAB" button. */
  name: string;
  mapping: CsvMapping;
  /** The app's export header: every column must be in the file for `?profile=auto` to pick the preset. */
  signature: readonly string[];
  /**
   * How the app's own columns are read besides the mapping (layout.ts PresetReading: Firefly
   * III's transaction type and currencies). Not part of `mapping`: no query parameter or saved
   * profile holds it, the query cannot override it, and the preset list does not show it.
   */
  reading?: PresetReading;
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
      // Monarch joins a transaction's tags with commas ("Vacation, Reimbursable").
      tagsColumn: 'Tags',
      tagsSeparator: ',',
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
      // Mint's labels: how a cell of several is joined could not be checked here (no sample of
      // the export at hand); a comma is assumed, as Monarch's. A label holding a comma would be
      // read as two tags; `?profile=mint&tagsSeparator=...` reads another separator.
      tagsColumn: 'Labels',
      tagsSeparator: ',',
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
  {
    // Firefly III's transactions export (Data export, "transactions"): the header and the cells
    // as written by exportTransactions() in firefly-iii/firefly-iii
    // app/Support/Export/ExportDataGenerator.php. `amount` is negative for a withdrawal and
    // positive for the other types, but an opening balance from an asset account is negative
    // too: so the `type` column (TransactionTypeEnum's values) decides when the file has it
    // (`reading`), the sign (`amountSign`) only in a file without it. `date` is an Atom date-time
    // (`2026-03-05T00:00:00+01:00`): its day as written. The merchant of a withdrawal is its
    // destination (expense) account; `tags` are the tag names joined with `,` (mergeTags).
    // Versions differ in the order and in later columns (currency and native amounts moved or
    // added, `notes` and meta fields appended): the signature is the columns every version
    // seen writes, in any order.
    id: 'firefly',
    name: 'Firefly III',
    mapping: {
      dateColumn: 'date',
      merchantColumn: 'destination_name',
      categoryColumn: 'category',
      descriptionColumn: 'description',
      amountColumn: 'amount',
      amountSign: 'negativeIsSpending',
      dateFormat: 'YYYY-MM-DDThh:mm:ss',
      decimalSeparator: '.',
      tagsColumn: 'tags',
      tagsSeparator: ',',
    },
    signature: [
      'user_id', 'group_id', 'journal_id', 'created_at', 'updated_at', 'group_title', 'type', 'amount', 'foreign_amount', 'currency_code', 'foreign_currency_code',
      'description', 'date', 'source_name', 'source_iban', 'source_type', 'destination_name', 'destination_iban', 'destination_type', 'reconciled',
      'category', 'budget', 'bill', 'tags',
    ],
    reading: {
      types: {
        column: 'type',
        // A transfer moves money between the user's own accounts: never spending, and never a
        // refund (also with `credits=refunds`). Opening balances, reconciliations and a
        // liability's opening credit are bookkeeping entries, never an expense either.
        meanings: { Withdrawal: 'debit', Deposit: 'credit', Transfer: 'skip', 'Opening balance': 'skip', Reconciliation: 'skip', 'Liability credit': 'skip' },
      },
      // `amount` is in `currency_code`; `foreign_amount` (signed as `amount`) in `foreign_currency_code`, both empty when none.
      currency: { column: 'currency_code', foreignAmount: 'foreign_amount', foreignCurrency: 'foreign_currency_code' },
      // Exporters before amounts were rounded (bcround) wrote the stored decimal(32,12): `-12.500000000000`.
      trailingZeros: true,
      // A deposit's payer is its source (revenue) account; its destination is the user's own asset account.
      creditMerchant: 'source_name',
    },
  },
];

/** The preset with this id, if it is one. */
export const presetOf = (id: string): ImportPreset | undefined => IMPORT_PRESETS.find((preset) => preset.id === id);
