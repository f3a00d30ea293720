import { EntryCounter, FileRowLimitError, type CreditsAs, type FileRow, type ReadFile } from '../import-file';
import { LineIndex } from '../markup-text';
import { clip } from '../quoted-text';
import { CamtFileError, STOP, readStatements, type Entry } from './statements';
import { decimalAmount, reference, type Transaction } from './transaction';
import { attribute, leaf, node, type XmlNode } from './xml-tree';

/*
 * The camt.053 reader's entry (readCamt, loaded by the import's first camt.053 file): the
 * statement entries that statements.ts reads one at a time, made import rows: an entry's row
 * (amount, date, parties, key) or its batch's rows, one per transaction (batchRows).
 */

export { CamtFileError };

/**
 * The entries of an ISO 20022 camt.053 bank statement (BankToCustomerStatement, the XML
 * statement European banks export; versions camt.053.001.02 to .13) as import rows (see
 * import-file.ts), each numbered by the line its `<Ntry>` start tag is on.
 *
 * - A debit entry (`CdtDbtInd` DBIT) is a row: amount `Amt` (a plain decimal of its `Ccy`;
 *   trailing zeros past the point dropped, so the row check allows the currency's ISO 4217
 *   decimals), date `BookgDt`'s `Dt` (or the calendar date of its `DtTm`, as written, not
 *   converted), else `ValDt`'s; merchant the creditor's name of the entry's first transaction
 *   details that has one (`NtryDtls/TxDtls/RltdPties/Cdtr/Nm`, or `Cdtr/Pty/Nm` from version
 *   .08 on; else the ultimate creditor's); description the remittance lines
 *   (`RmtInf/Ustrd`, joined by a space), else `AddtlNtryInf`; category empty (rules apply).
 * - A credit (`CRDT`, money in), a zero amount, an entry not booked (`Sts` PDNG pending,
 *   FUTR or INFO; as text up to .07, as `Sts/Cd` from .08) and a reversal (`RvslInd` true: a
 *   reversed credit is booked DBIT, and is no spending) are skipped: their lines are in
 *   `skipped`.
 * - With `credits` `refunds`, a booked credit (not a reversal, not zero) is a refund row
 *   instead (`refund: true`), read as a debit, its merchant the other party, the debtor
 *   (`Dbtr`, else `UltmtDbtr`: the shop paying money back; the creditor is the account
 *   holder). Its key is the debit's scheme with `CRDT` added, so it never equals a debit's
 *   (whose keys stay as they were); a credit entry is never split as a batch.
 * - An entry whose `Ccy` is not the budget's currency is an error of its line.
 * - `key`: the account (`Acct/Id/IBAN` or `Othr/Id`) and the bank's reference of the entry
 *   (`AcctSvcrRef`, the account servicer's, unique by definition); else its `NtryRef` with its
 *   date and amount (some banks number entries per statement, so the number alone could meet
 *   another day's); else the first transaction's `Refs/AcctSvcrRef` (a placeholder, `NONREF` or `NOTPROVIDED`,
 *   is none: transaction.ts reference). Without any, the row is
 *   known by its values, as a CSV row.
 * - A batch booking (2+ `TxDtls`) whose transactions' own amounts add up to the entry is a row
 *   per transaction instead (batchRows), each with its own `key` and the entry's (`entryKey`).
 *
 * Parsed with fast-xml-parser after its validator (a malformed document is a CamtFileError
 * with its line and column), one entry and one transaction at a time (statements.ts readStatements), never
 * the whole document's tree. A document with a DOCTYPE is refused before parsing (a camt.053
 * file has none: its schema is XSD), and the parser's entity processing is off, so no entity
 * defined by a document is ever expanded; the five XML entities and numeric character
 * references are decoded here, in one pass. The text is at most 5 MB (the route's limit).
 */
export function readCamt(text: string, currency: string, credits: CreditsAs = 'skip', maxRows?: number): ReadFile {
  // The entries are counted before the document is parsed (each is a row or a skipped line at
  // least), and each entry's transactions: a file of too many entries, or an entry of more
  // transactions than the limit (split, it would be a row each; unsplit, one row: refused
  // either way), is refused without building its tree. Its rows are counted again as they are
  // read (a batch entry is a row per transaction).
  // One entry at a time (readStatements): the document's tree is never built whole.
  const lines = new LineIndex(text.startsWith('\uFEFF') ? text.slice(1) : text);
  const lineOf = (offset: number) => lines.position(offset).line;
  const counter = new EntryCounter(maxRows);
  const rows: FileRow[] = [];
  const skipped: number[] = [];
  const entries = readStatements(text, maxRows);
  for (let next = entries.next(); !next.done; next = entries.next()) {
    const entry = next.value;
    const line = lineOf(entry.start);
    const row = entryRow(entry, line, currency, credits);
    try {
      if (row === 'skip') {
        counter.add();
        skipped.push(line);
      }
      // One push per row: a batch may hold 100,000 transactions or more, too many to spread as arguments.
      else {
        for (const r of batchRows(entry, row, { currency, lineOf }) ?? [row]) {
          counter.add();
          rows.push(r);
        }
      }
    } catch (err) {
      // Past the row limit: the parser's refusal of a later entry, if any, comes first (readStatements).
      if (err instanceof FileRowLimitError) entries.next(STOP);
      throw err;
    }
  }
  return { rows, skipped };
}

/** Statuses of an entry not (yet) booked: pending, future, for information only. */
const NOT_BOOKED = new Set(['PDNG', 'FUTR', 'INFO']);

function entryRow({ tree: entry, transactions: details, accountId }: Entry, line: number, currency: string, credits: CreditsAs): FileRow | 'skip' {
  // A reversal (`RvslInd` true, xs:boolean: `true` or `1`) undoes an earlier entry: a returned
  // direct debit is booked CRDT, a reversed credit DBIT; neither is spending.
  const reversal = leaf(entry, 'RvslInd');
  if (reversal === 'true' || reversal === '1') return 'skip';
  const direction = leaf(entry, 'CdtDbtInd');
  const refund = direction === 'CRDT';
  if (refund && credits === 'skip') return 'skip';
  const status = leaf(entry, 'Sts') ?? leaf(node(entry, 'Sts'), 'Cd');
  if (status !== undefined && NOT_BOOKED.has(status.toUpperCase())) return 'skip';
  if (direction !== 'DBIT' && !refund) return { line, fields: [], error: `CdtDbtInd must be DBIT or CRDT, not "${clip(direction ?? '')}"` };

  const amountNode = node(entry, 'Amt');
  const amountText = leaf(entry, 'Amt');
  if (amountText === undefined) return { line, fields: [], error: 'Amt (the amount) is required' };
  const amount = decimalAmount(amountText);
  if (amount === undefined) return { line, fields: [], error: `Amt must be a decimal number like 12.50, not "${clip(amountText)}"` };
  if (amount === 'zero') return 'skip';
  const ccy = attribute(amountNode, 'Ccy');
  if (ccy === undefined) return { line, fields: [], error: 'Amt has no Ccy (its currency)' };
  if (ccy.toUpperCase() !== currency) return { line, fields: [], error: `the entry is in ${clip(ccy)}, not in the budget's currency ${currency}` };

  const date = dateOf(node(entry, 'BookgDt')) ?? dateOf(node(entry, 'ValDt'));
  if (date === undefined) return { line, fields: [], error: 'BookgDt or ValDt (the date, Dt YYYY-MM-DD or DtTm) is required' };

  // The other party: the creditor of money out, the debtor of money in (a refund).
  const [party, ultimate] = refund ? (['debtor', 'ultimateDebtor'] as const) : (['creditor', 'ultimateCreditor'] as const);
  const merchant = firstOf(details, (tx) => tx[party]) ?? firstOf(details, (tx) => tx[ultimate]) ?? '';
  const description = firstOf(details, (tx) => tx.remittance) ?? leaf(entry, 'AddtlNtryInf') ?? '';

  const { major } = amount;
  const debitKey = keyOf(entry, details, accountId, date, major);
  const key = debitKey === undefined || !refund ? debitKey : JSON.stringify([...(JSON.parse(debitKey) as unknown[]), 'CRDT']);
  return { line, fields: [date, major, '', description, merchant], ...(key === undefined ? {} : { key }), ...(refund ? { refund: true as const } : {}) };
}

function keyOf(entry: XmlNode, details: Transaction[], accountId: string, date: string, amount: string): string | undefined {
  const servicer = reference(leaf(entry, 'AcctSvcrRef'));
  if (servicer !== undefined) return JSON.stringify(['camt', accountId, 'AcctSvcrRef', servicer]);
  const entryRef = reference(leaf(entry, 'NtryRef'));
  if (entryRef !== undefined) return JSON.stringify(['camt', accountId, 'NtryRef', entryRef, date, amount]);
  const txRef = firstOf(details, (tx) => tx.servicerRef);
  return txRef === undefined ? undefined : JSON.stringify(['camt', accountId, 'AcctSvcrRef', txRef]);
}

/** What a batch entry's transactions are read with: the budget's currency, the line of an offset. */
interface BatchContext {
  currency: string;
  lineOf: (offset: number) => number;
}

/**
 * A batch booking (an entry with 2+ `NtryDtls/TxDtls`, e.g. a day's card payments booked as
 * one) as one row per transaction, or undefined when the entry stays one row (`row`, as read
 * by entryRow). It is split only when every TxDtls has its own amount of money out in the
 * budget's currency (`Amt`, else `AmtDtls/TxAmt/Amt`; not zero; its `CdtDbtInd`, if any,
 * DBIT) and those amounts add up exactly to the entry's `Amt`, and the entry has a key (an
 * entry known by its values could not be told from its split rows, see `entryKey`). Each
 * row: its transaction's line, amount, creditor (as the entry's merchant is found, in this
 * TxDtls only; else empty), remittance lines (else the entry's `AddtlNtryInf`), the entry's
 * date; `key` the transaction's (txKeys), `entryKey` the entry's. A refund row (a credit) is
 * never split.
 */
function batchRows({ tree: entry, transactions: details, accountId }: Entry, row: FileRow, context: BatchContext): FileRow[] | undefined {
  if (row.error !== undefined || row.key === undefined || row.refund) return undefined;
  if (details.length < 2) return undefined;
  const amounts: string[] = [];
  for (const tx of details) {
    const amount = txAmount(tx, context.currency);
    if (amount === undefined) return undefined;
    amounts.push(amount);
  }
  const [date = '', total = ''] = row.fields;
  if (!sumsTo(amounts, total)) return undefined;
  const keys = txKeys(details, amounts, accountId, date, row.key);
  const entryInfo = leaf(entry, 'AddtlNtryInf') ?? '';
  return details.map((tx, n) => ({
    line: context.lineOf(tx.start),
    fields: [date, amounts[n]!, '', tx.remittance ?? entryInfo, tx.creditor ?? tx.ultimateCreditor ?? ''],
    key: keys[n]!,
    entryKey: row.key!,
  }));
}

/** A transaction's own amount of money out in `currency` (as decimalAmount writes it), or undefined. */
function txAmount(tx: Transaction, currency: string): string | undefined {
  return tx.amount?.currency === currency ? tx.amount.major : undefined;
}

/** Whether the decimals `parts` add up exactly to `total` (all as decimalAmount writes them). */
function sumsTo(parts: string[], total: string): boolean {
  // A reduce, not Math.max(...parts): a batch's parts may be too many to spread as arguments.
  const scale = [...parts, total].reduce((most, a) => Math.max(most, a.split('.')[1]?.length ?? 0), 0);
  const units = (a: string) => {
    const [whole, fraction = ''] = a.split('.');
    return BigInt(whole! + fraction.padEnd(scale, '0'));
  };
  return parts.reduce((sum, a) => sum + units(a), 0n) === units(total);
}

/**
 * The keys of a batch's transactions, in the entry's scheme (keyOf): `Refs/AcctSvcrRef` (the
 * bank's, unique by definition), else `Refs/TxId`, else `Refs/EndToEndId` (a placeholder, NOTPROVIDED or NONREF, is none: transaction.ts reference),
 * the last two with the entry's date and the transaction's amount (set by other parties: a
 * standing order may carry one EndToEndId every month); else the entry's key and the
 * transaction's index. When two transactions would share a key, or one would have the entry's
 * (a bank repeating the entry's reference in each), all take the entry's key and their index.
 */
function txKeys(details: Transaction[], amounts: string[], accountId: string, date: string, entryKey: string): string[] {
  const byIndex = details.map((_, n) => JSON.stringify([...(JSON.parse(entryKey) as unknown[]), 'TxDtls', n]));
  const keys = details.map((tx, n) => {
    const servicer = tx.servicerRef;
    if (servicer !== undefined) return JSON.stringify(['camt', accountId, 'AcctSvcrRef', servicer]);
    const txId = tx.txId;
    if (txId !== undefined) return JSON.stringify(['camt', accountId, 'TxId', txId, date, amounts[n]]);
    const endToEnd = tx.endToEndId;
    if (endToEnd !== undefined) return JSON.stringify(['camt', accountId, 'EndToEndId', endToEnd, date, amounts[n]]);
    return byIndex[n]!;
  });
  return new Set([...keys, entryKey]).size === keys.length + 1 ? keys : byIndex;
}

/** `Dt` (YYYY-MM-DD) or the date of `DtTm` (as written: the bank's day). */
function dateOf(element: XmlNode | undefined): string | undefined {
  const value = leaf(element, 'Dt') ?? leaf(element, 'DtTm');
  const match = value === undefined ? null : /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return match ? match[1] : undefined;
}

function firstOf<I, T>(items: I[], pick: (item: I) => T | undefined): T | undefined {
  for (const item of items) {
    const value = pick(item);
    if (value !== undefined) return value;
  }
  return undefined;
}
