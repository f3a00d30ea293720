import type { CreditsAs, FileRow, ReadFile } from '../import-file';
import { CSV_COLUMNS } from './cells';
import { isCurrencyCode } from '@budgeting/platform';
import { COLUMN_PARAMETERS, DEBIT_CREDIT_PARAMETERS, type CsvField, type CsvLayout, type DateFormat, type PresetReading, type TypeMeaning } from './layout';
import { parseAmount, withoutTrailingZeros } from './amount';
import { dayMonthSwap, dayMonthSwappedFormat, normalizeDate } from './date-format';

export type { CsvLayout };
export { normalizeDate };
import { CsvFileError, CsvRowLimitError, readOwnHeader, recordsToRead, splitCsv, type CsvDelimiter, type CsvRecord } from './read';
import { clip } from '../quoted-text';
import { withRefunds } from './refund-rows';
import { readTagsCell } from './tags-cell';

/**
 * Bank CSV exports read as they are, the import's query parameters saying how (the column
 * mapping of Actual Budget's and Firefly III's importers): which header column holds each of
 * our fields, the delimiter, the date's and the amount's spelling, the sign of spending, and
 * the lines a bank writes before its header, or a debit and a credit column instead of one
 * signed amount (UK/EU exports). The reader turns every row into our own five
 * cells (`date,amount,category,description,merchant`, ISO date, amount in major units with a
 * `.`), so the row check, the fingerprint, the categorization rules and the job are the ones
 * of our own format: only reading differs, as for OFX (import-file.ts). Nothing here guesses:
 * a row not in the stated format is that row's error.
 */

/** A parameter of the layout that does not fit the file (a mapped column the header lacks): a 400 naming it. */
export class CsvLayoutError extends Error {
  constructor(
    readonly parameter: string,
    message: string,
  ) {
    super(message);
    this.name = 'CsvLayoutError';
  }
}

/**
 * A record being read: a reader's error, and the cells read apart from our five (debit and
 * credit columns, a type column, tags; a preset's type, and its currency, foreign amount and
 * foreign currency: PresetReading).
 */
type BankRecord = CsvRecord & { error?: string; debitCredit?: [string, string]; type?: string; tagsCell?: string; presetType?: string; currencyCells?: [string, string, string]; creditMerchant?: string };

/**
 * The file's rows as our five cells (see the top of this file); skipped: the lines of money in
 * (negativeIsSpending, a credit column), unless `credits` is `refunds`: then each is a refund
 * row of its amount (`refund: true`; its fingerprint, by its values, marks it: fingerprint.ts).
 * Without a sign convention (no `amountSign`, no debit and credit columns) `credits` does not
 * apply: a negative amount is a refund row, as in our own format, and nothing is skipped.
 * `currency`: the budget's, which a preset's currency column is checked against (PresetReading).
 */
export function readBankCsv(text: string, layout: CsvLayout, credits: CreditsAs = 'skip', currency?: string, maxRows?: number): ReadFile {
  if (layout.reading?.currency && currency === undefined) throw new Error("readBankCsv: a preset reading a currency column needs the budget's currency");
  const records: BankRecord[] = splitCsv(text, layout.delimiter ?? ',', layout.skipLines ?? 0, recordsToRead(maxRows));
  if (layout.columns || layout.debitCredit) mapColumns(records, layout.columns ?? {}, layout);
  else readOwnHeader(records);
  if (layout.dateFormat) refuseSwappedDayMonth(records, layout.dateFormat);

  const rows: FileRow[] = [];
  const skipped: number[] = [];
  for (const record of records) {
    const row = record.error === undefined ? withTags(normalizeRecord(record, layout, credits, currency ?? ''), record, layout) : { line: record.line, fields: [], error: record.error };
    if (row === 'skip') skipped.push(record.line);
    else rows.push(row);
  }
  // No sign convention (neither amountSign nor debit and credit columns): a negative amount is a
  // refund, as in our own format (refund-rows.ts), so a file read with only `delimiter=;` or a
  // column mapping means what it would without them.
  const signless = layout.amountSign === undefined && layout.debitCredit === undefined && layout.typeColumn === undefined;
  return { rows: signless ? withRefunds(rows) : rows, skipped };
}

/**
 * A file whose dates are written with day and month the other way round from `format` (a UK
 * bank's DD/MM/YYYY read as MM/DD/YYYY, a European YNAB export under the preset's US format):
 * refused as a whole (CsvLayoutError naming `dateFormat`, which a profile's or preset's field
 * reports as `profile`) when one of its date cells is a date only that way round and another
 * reads as two different days. Each row alone would otherwise be read: the first the row's
 * error, the second stored on the wrong day (`05/03/2026` as May 3 instead of March 5) without
 * any error, which nobody would see. A file where nothing reads two ways keeps its row errors.
 */
function refuseSwappedDayMonth(records: readonly BankRecord[], format: DateFormat): void {
  let swappedOnly: BankRecord | undefined;
  let twoDays: BankRecord | undefined;
  for (const record of records) {
    if (record.error !== undefined || record.fields.length !== CSV_COLUMNS.length) continue;
    const swap = dayMonthSwap(record.fields[0]!, format);
    if (swap === 'swappedOnly') swappedOnly ??= record;
    else if (swap === 'twoDays') twoDays ??= record;
    if (swappedOnly && twoDays) break;
  }
  if (!swappedOnly || !twoDays) return;
  const other = dayMonthSwappedFormat(format);
  const cell = (r: BankRecord) => `line ${r.line} ("${clip(r.fields[0]!.trim())}")`;
  throw new CsvLayoutError(
    'dateFormat',
    `The dates are not all ${format}: ${cell(swappedOnly)} is a date only with its day and month the other way round, and ${cell(twoDays)} would then be another day than ${format} reads; ${
      other ? `give dateFormat=${other} to read the file that way` : 'give the dateFormat the file is written in'
    }`,
  );
}

/** Lines read for a header row (after skipLines): blank lines may come before it; the rest of the file is not parsed. */
const HEADER_LINES = 20;

/**
 * The file's header row as a layout with `delimiter` and `skipLines` reads it (the first record
 * after those lines, as readBankCsv), its cells as written; undefined when there is none or the
 * start of the file cannot be parsed (`?profile=auto` then finds no profile fitting it). Only
 * the first lines are parsed; a quoted field running past them makes it read the whole file.
 */
export function headerRow(text: string, delimiter: CsvDelimiter, skipLines: number): string[] | undefined {
  // The head found by an index walk over the line ends, not by splitting the file.
  const ends = /\r\n?|\n/g;
  let end = text.length;
  for (let n = 0; n < skipLines + HEADER_LINES; n++) {
    const found = ends.exec(text);
    if (!found) {
      end = text.length;
      break;
    }
    end = found.index;
  }
  const head = text.slice(0, end).replace(/\r\n?/g, '\n');
  for (const part of head.length < text.length ? [head, text] : [text]) {
    try {
      // Only the first record is kept (the whole file is parsed when a quoted field runs past the head).
      return splitCsv(part, delimiter, skipLines, 1)[0]?.fields;
    } catch (err) {
      if (err instanceof CsvRowLimitError) return err.first?.fields;
      if (!(err instanceof CsvFileError)) throw err;
    }
  }
  return undefined;
}

/**
 * A header name as the reader compares it (and ?profile=auto matches it: import-profiles.ts):
 * a leading BOM dropped, trimmed, any case.
 */
export const columnKey = (name: string) => name.replace(/^\uFEFF/, '').trim().toLowerCase();

/**
 * Replaces the header and each record's fields by our five cells, found by the header's names.
 * With debit and credit columns the amount cell stays empty and the two cells ride along
 * (`debitCredit`) for normalizeRecord to make the amount of.
 */
function mapColumns(records: BankRecord[], columns: Partial<Record<CsvField, string>>, { debitCredit, typeColumn, tags, reading, delimiter = ',' }: CsvLayout): void {
  const header = records.shift();
  if (!header) throw new CsvLayoutError(COLUMN_PARAMETERS.date, 'The file has no header row to find the mapped columns in');
  const names = header.fields.map(columnKey);
  /** The index of the column named `given` (or, not given, `fallback`); undefined when neither is there and it is not `required`. */
  const find = (parameter: string, given: string | undefined, fallback: string, required: boolean): number | undefined => {
    const wanted = columnKey(given ?? fallback);
    const found = names.flatMap((name, i) => (name === wanted ? [i] : []));
    if (found.length > 1) throw new CsvLayoutError(parameter, `The header (line ${header.line}) has ${found.length} columns named "${clip(wanted)}"`);
    if (found.length === 1) return found[0]!;
    if (given !== undefined) throw new CsvLayoutError(parameter, `The header (line ${header.line}) has no column "${clip(given.trim())}"`);
    if (required) throw new CsvLayoutError(parameter, `${parameter} is required with a column mapping: the header (line ${header.line}) has no column named ${fallback}`);
    return undefined;
  };
  const index = CSV_COLUMNS.map((field) =>
    // Debit and credit columns take the amount column's place: no `amount` column is looked for.
    field === 'amount' && debitCredit ? undefined : find(COLUMN_PARAMETERS[field], columns[field], field, field === 'date' || field === 'amount'),
  );
  const pair = debitCredit
    ? ([find(DEBIT_CREDIT_PARAMETERS.debit, debitCredit.debit, '', true)!, find(DEBIT_CREDIT_PARAMETERS.credit, debitCredit.credit, '', true)!] as const)
    : undefined;
  const type = typeColumn === undefined ? undefined : find('typeColumn', typeColumn, '', true)!;
  const tagsAt = tags === undefined ? undefined : find('tagsColumn', tags.column, '', true)!;
  // A preset's own columns are read when the header has them (a problem with them names `profile`).
  const optional = (name: string | undefined) => (name === undefined ? undefined : find('profile', undefined, name, false));
  const presetTypeAt = optional(reading?.types?.column);
  const currencyAt = reading?.currency && [optional(reading.currency.column), optional(reading.currency.foreignAmount), optional(reading.currency.foreignCurrency)];
  const currencyRead = currencyAt && currencyAt[0] !== undefined ? currencyAt : undefined;
  const creditMerchantAt = optional(reading?.creditMerchant);
  const needed = Math.max(...index.map((i) => i ?? -1), ...(pair ?? []), type ?? -1, tagsAt ?? -1, presetTypeAt ?? -1, creditMerchantAt ?? -1, ...(currencyRead ?? []).map((i) => i ?? -1)) + 1;
  const width = header.fields.length;
  const usual = usualLength(records);
  for (const record of records) {
    // A short record would silently give empty cells: it is refused. A longer one is read (a
    // bank ending its rows but not its header with a delimiter).
    if (record.fields.length < needed) {
      record.error = `expected at least ${needed} columns as the header (line ${header.line}) maps them, found ${record.fields.length}`;
      continue;
    }
    // But not one longer than the file's other rows with values past the header: a value holding
    // the delimiter unquoted (`1,234.56` in a comma file) moved every cell after it, so the
    // amount column read `1` (and the memo `234.56`) without an error.
    if (record.fields.length > width && record.fields.length !== usual && record.fields.slice(width).some((f) => f.trim() !== '')) {
      record.error = `expected ${width} columns as the header (line ${header.line}) has, found ${record.fields.length} with values past them: a value holding the delimiter "${clip(delimiter)}" must be in quotes`;
      continue;
    }
    if (pair) record.debitCredit = [record.fields[pair[0]]!, record.fields[pair[1]]!];
    if (type !== undefined) record.type = record.fields[type]!;
    if (tagsAt !== undefined) record.tagsCell = record.fields[tagsAt]!;
    if (presetTypeAt !== undefined) record.presetType = record.fields[presetTypeAt]!;
    if (currencyRead) record.currencyCells = currencyRead.map((i) => (i === undefined ? '' : record.fields[i]!)) as [string, string, string];
    if (creditMerchantAt !== undefined) record.creditMerchant = record.fields[creditMerchantAt]!;
    record.fields = index.map((i) => (i === undefined ? '' : record.fields[i]!));
  }
}

/**
 * The length most of the records have (the shorter of two as common): the file's width, which
 * a header may fall short of (a bank naming no last column, or ending rows but not the header
 * with a delimiter); a longer record with values past the header is then no row of the file's
 * shape, but one whose unquoted delimiter moved its cells.
 */
function usualLength(records: readonly BankRecord[]): number | undefined {
  const counts = new Map<number, number>();
  for (const r of records) counts.set(r.fields.length, (counts.get(r.fields.length) ?? 0) + 1);
  let usual: [number, number] | undefined;
  for (const [length, count] of counts) if (!usual || count > usual[1] || (count === usual[1] && length < usual[0])) usual = [length, count];
  return usual?.[0];
}

/**
 * A record's date and amount in our spelling, then (a preset's currency column) in the budget's
 * currency. A record of another length is left to the row check (it names the count); so is an
 * amount that normalizeAmount returns unchanged.
 */
function normalizeRecord(record: BankRecord, layout: CsvLayout, credits: CreditsAs, currency: string): FileRow | 'skip' {
  const row = withCreditMerchant(spentAmount(record, layout, credits), record);
  if (row === 'skip' || row.error !== undefined || !record.currencyCells || !layout.reading?.currency) return row;
  return inBudgetCurrency(row, record.currencyCells, layout, currency);
}

/**
 * A credit row (money in: a refund or an income entry) with its preset's other party as
 * merchant (PresetReading.creditMerchant). The merchant cell it had (the mapping's column) stays
 * its identity's (`identityMerchant`): rows imported before creditMerchant existed keep their keys.
 */
function withCreditMerchant(row: FileRow | 'skip', record: BankRecord): FileRow | 'skip' {
  if (row === 'skip' || row.refund !== true || record.creditMerchant === undefined || row.fields.length !== CSV_COLUMNS.length) return row;
  const at = CSV_COLUMNS.indexOf('merchant');
  const fields = [...row.fields];
  fields[at] = record.creditMerchant;
  return { ...row, fields, identityMerchant: row.fields[at]! };
}

/** A record's date and amount (see normalizeRecord), or 'skip' for money in and entries that are no expense. */
function spentAmount(record: BankRecord, layout: CsvLayout, credits: CreditsAs): FileRow | 'skip' {
  const { line, fields } = record;
  const row = { line, fields: [...fields], ...(record.foreign ? { foreign: [...record.foreign] as [string, string] } : {}) };
  if (fields.length !== CSV_COLUMNS.length) return row;

  const date = normalizeDate(fields[0]!, layout.dateFormat ?? 'YYYY-MM-DD');
  if (!date.ok) return { line, fields, error: date.message };
  row.fields[0] = date.value;

  if (record.debitCredit) {
    const spent = debitOrCredit(record.debitCredit[0], record.debitCredit[1], layout.decimalSeparator, layout.currencySymbol);
    if (!spent.ok) return { line, fields, error: spent.message };
    if ('debit' in spent.value) {
      row.fields[1] = spent.value.debit;
      return row;
    }
    if (credits === 'skip') return 'skip';
    row.fields[1] = spent.value.credit;
    return { ...row, refund: true };
  }

  if (record.type !== undefined) {
    const type = record.type.trim().toLowerCase();
    if (type !== 'debit' && type !== 'credit') return { line, fields: row.fields, error: `type must be debit or credit (typeColumn), not "${clip(record.type.trim())}"` };
    return directedAmount(row, type, layout, credits);
  }
  if (record.presetType !== undefined && layout.reading?.types) {
    const meaning = meaningOf(record.presetType, layout.reading.types);
    if (!meaning.ok) return { line, fields: row.fields, error: meaning.message };
    return meaning.value === 'skip' ? 'skip' : directedAmount(row, meaning.value, layout, credits);
  }

  const touchesAmount = layout.decimalSeparator !== undefined || layout.amountSign === 'negativeIsSpending' || layout.reading?.trailingZeros === true;
  if (!touchesAmount) return row;
  const amount = amountOf(fields[1]!, layout);
  if (!amount.ok) return { line, fields, error: `amount ${amount.message}` };
  if (layout.amountSign === 'negativeIsSpending') {
    if (amount.value.major === '') return row; // "amount is required", by the row check
    if (/^[0.]*$/.test(amount.value.major) || (!amount.value.negative && credits === 'skip')) return 'skip';
    row.fields[1] = amount.value.major;
    if (!amount.value.negative) Object.assign(row, { refund: true });
  } else {
    // `positive` given: a sign stays for the row check to refuse ("must be greater than 0").
    // None given: readBankCsv makes a negative amount a refund (withRefunds takes the sign off).
    row.fields[1] = `${amount.value.negative ? '-' : ''}${amount.value.major}`;
  }
  if (row.foreign && row.foreign[0].trim() !== '') {
    const foreign = normalizeAmount(row.foreign[0], layout.decimalSeparator, layout.currencySymbol);
    if (!foreign.ok) return { line, fields, error: `foreignAmount ${foreign.message}` };
    row.foreign[0] = `${foreign.value.negative ? '-' : ''}${foreign.value.major}`;
  }
  return row;
}

type Result<T> = { ok: true; value: T } | { ok: false; message: string };

/**
 * A read row with its tags column's tags (CsvLayout.tags, tags-cell.ts), or that cell's problem
 * as the row's error. Rows skipped (money in) and rows already in error are passed on: their
 * tags would be recorded nowhere, and the first problem found is the row's message.
 */
function withTags(row: FileRow | 'skip', record: BankRecord, layout: CsvLayout): FileRow | 'skip' {
  if (row === 'skip' || row.error !== undefined || layout.tags === undefined || record.tagsCell === undefined) return row;
  const tags = readTagsCell(record.tagsCell, layout.tags.separator, layout.tags.column);
  if (!tags.ok) return { line: row.line, fields: row.fields, error: tags.message };
  return tags.value ? { ...row, tags: tags.value } : row;
}

/**
 * A row whose type column says which way its amount went (CsvLayout.typeColumn, Mint's
 * "Transaction Type"; a preset's type column, PresetReading.types): `debit` an expense of the
 * amount, `credit` money in (skipped, or with `credits=refunds` a refund of it); the amount's
 * sign is ignored (the column already says it), a zero amount skipped as with a sign convention.
 */
function directedAmount(row: FileRow, type: 'debit' | 'credit', layout: CsvLayout, credits: CreditsAs): FileRow | 'skip' {
  const { line, fields } = row;
  const amount = amountOf(fields[1]!, layout);
  if (!amount.ok) return { line, fields, error: `amount ${amount.message}` };
  if (amount.value.major === '') return row; // "amount is required", by the row check
  if (/^[0.]*$/.test(amount.value.major)) return 'skip';
  if (type === 'credit' && credits === 'skip') return 'skip';
  const read: FileRow = { ...row, fields: [...fields] };
  read.fields[1] = amount.value.major;
  return type === 'credit' ? { ...read, refund: true } : read;
}

/** A preset type cell's meaning (trimmed, any case); a value the preset does not know is the row's error, listing those it knows. */
function meaningOf(cell: string, types: NonNullable<PresetReading['types']>): Result<TypeMeaning> {
  const value = cell.trim().toLowerCase();
  const known = Object.entries(types.meanings).find(([name]) => name.toLowerCase() === value);
  if (known) return { ok: true, value: known[1] };
  return { ok: false, message: `${types.column} must be one of ${Object.keys(types.meanings).join(', ')}, not "${clip(cell.trim())}"` };
}

/**
 * An amount cell as normalizeAmount reads it, and with a preset's `trailingZeros` without the
 * zeros ending its fraction (`12.500000000000` -> `12.5`, `3.000` -> `3`): the same value, so
 * the row check's "at most N decimals" still refuses a non-zero digit past the currency's.
 */
function amountOf(cell: string, layout: CsvLayout): Result<{ negative: boolean; major: string }> {
  const amount = normalizeAmount(cell, layout.decimalSeparator, layout.currencySymbol);
  if (!amount.ok || layout.reading?.trailingZeros !== true || !amount.value.major.includes('.')) return amount;
  return { ok: true, value: { ...amount.value, major: withoutTrailingZeros(amount.value.major).replace(/\.$/, '') } };
}

/**
 * A read row (its amount positive major units) in the budget's currency, by a preset's currency
 * columns (PresetReading.currency; `cells`: the row's currency, foreign amount and foreign
 * currency, as written). In the budget's currency: as it is, with the foreign pair as its
 * `foreign` when both are filled. In another: its error naming the currency column, unless
 * the foreign pair is in the budget's currency, which is then the row's amount and the row's
 * own amount and currency its `foreign` (what was paid). Signs are ignored (the exporter signs
 * the foreign amount as the amount). Each amount is checked here against its own currency, so
 * a problem names the file's column.
 */
function inBudgetCurrency(row: FileRow, cells: readonly [string, string, string], layout: CsvLayout, budgetCurrency: string): FileRow {
  const names = layout.reading!.currency!;
  const { line, fields } = row;
  const fail = (message: string): FileRow => ({ line, fields, error: message });
  if (fields.length !== CSV_COLUMNS.length || fields[1] === '') return row; // the row check names the count, or "amount is required"
  const code = cells[0].trim().toUpperCase();
  // Empty: the transaction has no currency in the app that wrote it (Firefly III: a legacy row
  // its currency upgrade could not fill, which it would fill with the ACCOUNT's currency, not its
  // default one), so which currency the amount is in cannot be told: never assumed to be the budget's.
  if (code === '') return fail(`${names.column} is required: the amount's currency cannot be told without it (an amount in ${budgetCurrency} is needed)`);
  if (!isCurrencyCode(code)) return fail(`${names.column} must be an ISO 4217 currency code such as ${budgetCurrency}, not "${clip(cells[0].trim())}"`);
  const foreignAmount = amountOf(cells[1], layout);
  if (!foreignAmount.ok) return fail(`${names.foreignAmount} ${foreignAmount.message}`);
  const foreignCode = cells[2].trim().toUpperCase();
  const hasAmount = foreignAmount.value.major !== '';
  if (hasAmount && foreignCode === '') return fail(`${names.foreignCurrency} is required with a ${names.foreignAmount}`);
  if (foreignCode !== '' && !hasAmount) return fail(`${names.foreignAmount} is required with a ${names.foreignCurrency}`);
  if (foreignCode !== '' && !isCurrencyCode(foreignCode)) return fail(`${names.foreignCurrency} must be an ISO 4217 currency code such as ${budgetCurrency}, not "${clip(cells[2].trim())}"`);
  if (foreignCode !== '' && foreignCode === code) return fail(`${names.foreignCurrency} must be another currency than ${names.column} (${code})`);

  if (code === budgetCurrency) {
    if (foreignCode === '') return row;
    const paid = parseAmount(foreignAmount.value.major, foreignCode, names.foreignAmount);
    if (!paid.ok) return fail(paid.message);
    return { ...row, foreign: [foreignAmount.value.major, foreignCode] };
  }
  if (foreignCode !== budgetCurrency) {
    const given = foreignCode === '' ? 'no foreign amount' : `its foreign amount in ${foreignCode}`;
    return fail(`${names.column} is ${code}, not the budget's currency ${budgetCurrency}, and the row has ${given}: an amount in ${budgetCurrency} is needed (${names.foreignAmount} with ${names.foreignCurrency} ${budgetCurrency})`);
  }
  const amountColumn = layout.columns?.amount ?? 'amount';
  const paid = parseAmount(fields[1]!, code, amountColumn);
  if (!paid.ok) return fail(paid.message);
  const charged = parseAmount(foreignAmount.value.major, budgetCurrency, names.foreignAmount);
  if (!charged.ok) return fail(charged.message);
  const read: FileRow = { ...row, fields: [...fields], foreign: [fields[1]!, code] };
  read.fields[1] = foreignAmount.value.major;
  return read;
}

/**
 * A row's debit and credit cells (CsvLayout.debitCredit), read as an amount cell is (the same
 * decimal separator rules): a debit is an expense of its amount (in major units, for the row
 * check), a credit alone is money in (`credit`, its amount: skipped and counted, as a positive
 * amount with negativeIsSpending, or with `credits=refunds` a refund of it). A cell is filled when it holds a non-zero amount (banks write `0.00` in
 * the other column as often as nothing). Both filled or neither: the row's error. A sign in
 * either cell is ignored: the column already says which way the money went, and banks write
 * debits both as `12.50` and `-12.50`.
 */
export function debitOrCredit(debitCell: string, creditCell: string, decimalSeparator: '.' | ',' | undefined, currencySymbol?: 'ignore'): Result<{ debit: string } | { credit: string }> {
  const debit = normalizeAmount(debitCell, decimalSeparator, currencySymbol);
  if (!debit.ok) return { ok: false, message: `debit ${debit.message}` };
  const credit = normalizeAmount(creditCell, decimalSeparator, currencySymbol);
  if (!credit.ok) return { ok: false, message: `credit ${credit.message}` };
  const isDebit = !/^[0.]*$/.test(debit.value.major);
  const isCredit = !/^[0.]*$/.test(credit.value.major);
  if (isDebit && isCredit) return { ok: false, message: `debit ("${clip(debitCell.trim())}") and credit ("${clip(creditCell.trim())}") are both filled: a row is one or the other` };
  if (!isDebit && !isCredit) return { ok: false, message: 'debit and credit are both empty (or zero): a row needs one of them' };
  return { ok: true, value: isDebit ? { debit: debit.value.major } : { credit: credit.value.major } };
}

/**
 * Thousands separators by decimal separator: `1.234,56` / `1 234,56` (a space, no-break or narrow
 * no-break); `1,234.56` / `1'234.56` (Swiss exports: an apostrophe, ASCII or U+2019, never a decimal mark).
 */
const GROUPING: Record<'.' | ',', readonly string[]> = { ',': ['.', ' ', '\u00a0', '\u202f'], '.': [',', "'", '\u2019'] };

/**
 * An amount cell's sign and its value in major units written with a `.` (`-1.234,56` ->
 * negative, `1234.56`), as text: the row check then reads it digit by digit into minor units
 * (amount.ts), never through a float. A `-` (or U+2212) or `+` before the number or right after
 * it (`12,50-`) is the sign (one of them), or the whole cell in parentheses (`(1,234.56)`,
 * accounting notation) is negative (not both).
 * `decimalSeparator` undefined: a `.` and no thousands separator (`1,234.50` is refused, as
 * today). Given: that decimal mark, and its thousands separators in groups of three, one kind
 * per cell, the first group 1..999 (`0,250` is refused: no grouping starts with 0). Currency
 * symbols, exponents and anything else are refused, but with `currencySymbol` `ignore` (an
 * app's export that writes `$12.34`, `-$5.00`, `12,34 €`: the YNAB preset) ONE currency sign
 * (Unicode `Sc`: `$`, `€`, `£`, `¥`, ...) before the number, before or after its sign, or after
 * it (a space between allowed) is left out. It is not checked against the budget's currency: `$`
 * alone names a dozen currencies, and the file was chosen for this budget. An empty cell gives
 * an empty value (the row check says it is required).
 */
export function normalizeAmount(cell: string, decimalSeparator: '.' | ',' | undefined, currencySymbol?: 'ignore'): Result<{ negative: boolean; major: string }> {
  const trimmed = cell.trim();
  // Accounting notation (QuickBooks, Xero, many statement CSVs): `(12.50)` is -12.50. The
  // parentheses come off first, so a currency symbol inside them (`($12.50)`) is found as usual.
  const inParentheses = /^\((.*)\)$/s.exec(trimmed);
  const inner = inParentheses ? inParentheses[1]!.trim() : trimmed;
  const text = currencySymbol === 'ignore' ? withoutCurrencySymbol(inner) : inner;
  if (text === '' && !inParentheses) return { ok: true, value: { negative: false, major: '' } };
  // The sign before the number, or right after it (`12,50-`: SAP and many German exports); a
  // sign on both sides is left in the body and refused there as not a number.
  const leading = /^[-+\u2212]/.exec(text)?.[0];
  const trailing = leading ? undefined : /(?<=\d)[-+\u2212]$/.exec(text)?.[0];
  const sign = leading ?? trailing;
  const body = leading ? text.slice(1) : trailing ? text.slice(0, -1) : text;
  // A sign inside parentheses (`(-12.50)`) says the direction twice: which one was meant is not told.
  if (inParentheses && sign) return { ok: false, message: `must be a number like (1234.56) or -1234.56, not both a sign and parentheses: "${clip(trimmed)}"` };
  const mark = decimalSeparator ?? '.';
  const digits = readDigits(body, mark, decimalSeparator ? GROUPING[decimalSeparator] : []);
  if (!digits) {
    const example = mark === ',' ? '-1.234,56' : decimalSeparator ? '-1,234.56' : '-1234.56';
    return { ok: false, message: `must be a number like ${example} (decimalSeparator "${mark}"), without a currency symbol, not "${clip(text)}"` };
  }
  return { ok: true, value: { negative: inParentheses !== null || (sign !== undefined && sign !== '+'), major: digits } };
}

/**
 * The first `atMost` currency signs (Unicode `Sc`) of `text` and where they are: the search stops
 * there (collecting every sign with matchAll took 690 MB and 2 s for a 5 MB cell of `$`).
 */
export function currencySigns(text: string, atMost: number): { index: number; sign: string }[] {
  const pattern = /\p{Sc}/gu;
  const found: { index: number; sign: string }[] = [];
  while (found.length < atMost) {
    const match = pattern.exec(text);
    if (!match) break;
    found.push({ index: match.index, sign: match[0] });
  }
  return found;
}

/**
 * The cell without one currency sign at its start (`$12.34`, `$-12.34`), after its sign
 * (`-$12.34`) or at its end (`12,34 €`, `-12,34€`); any other cell as it is (two signs, or one
 * inside the digits, then fail as before). Spaces next to the sign go with it.
 */
function withoutCurrencySymbol(text: string): string {
  // Found by one scan, not one pattern: `^(?!.*\p{Sc}.*\p{Sc})(.*?)\s*\p{Sc}$` backtracked over
  // every run of spaces at every position (a cell of 40,000 spaces took 11 s).
  const signs = currencySigns(text, 2);
  if (signs.length !== 1) return text;
  const { index: at, sign } = signs[0]!;
  const head = text.slice(0, at);
  const tail = text.slice(at + sign.length);
  let before = '';
  let after = '';
  let rest: string;
  const lead = /^([-+\u2212]?)\s*$/u.exec(head);
  if (lead) {
    const next = /^\s*([-+\u2212]?)/u.exec(tail)!;
    [before, after, rest] = [lead[1]!, next[1]!, tail.slice(next[0].length)];
  } else if (tail === '') rest = head.trimEnd();
  else return text;
  // As the patterns read it: the number never spans a line break (`.`), and a sign on both
  // sides of the symbol (`-$-5`) is no amount: both left for the reader to refuse.
  if (/[\n\r\u2028\u2029]/.test(rest) || (before && after)) return text;
  return `${before || after}${rest}`;
}

function readDigits(body: string, mark: string, grouping: readonly string[]): string | undefined {
  const m = escape(mark);
  const plain = new RegExp(`^(\\d+)(?:${m}(\\d+))?$`).exec(body);
  if (plain) return plain[2] === undefined ? plain[1]! : `${plain[1]}.${plain[2]}`;
  for (const separator of grouping) {
    const g = escape(separator);
    // The first group is 1..999: a group of thousands never starts with 0, so `0,250` (a
    // three-decimal currency's 0.250 written with the other mark) is no amount, not 250.
    const grouped = new RegExp(`^([1-9]\\d{0,2}(?:${g}\\d{3})+)(?:${m}(\\d+))?$`).exec(body);
    if (grouped) {
      const whole = grouped[1]!.split(separator).join('');
      return grouped[2] === undefined ? whole : `${whole}.${grouped[2]}`;
    }
  }
  return undefined;
}

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
