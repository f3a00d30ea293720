import { EntryCounter, type CreditsAs, type FileRow, type ReadFile } from '../import-file';
import { OfxFileError, parseOfx, type OfxElement } from './tokenize';
import { withoutTrailingZeros } from '../csv/amount';
import { clip } from '../quoted-text';

export { OfxFileError };

/**
 * The transactions of an OFX/QFX statement download as import rows (see import-file.ts): each
 * `<STMTTRN>` of a bank statement (`STMTRS`'s `BANKTRANLIST`) or a credit card statement
 * (`CCSTMTRS`'s), numbered by the line its start tag is on.
 *
 * - A debit (negative `TRNAMT`, or `TRNTYPE` DEBIT whatever the sign: moneyIn) is a row: date `DTPOSTED`'s calendar date as written (its
 *   first 8 digits: the time and zone that may follow are the bank's and are not converted,
 *   as a statement line shows the day the bank booked it), amount the absolute value (digit
 *   by digit, `.` or `,` as the decimal mark), merchant `NAME` (or `PAYEE`'s `NAME`),
 *   description `MEMO`, category empty (the import's rules may fill it in).
 * - A credit (money in, not spending) is skipped: its line is in `skipped`. With `credits`
 *   `refunds` it is a refund row instead (`refund: true`), read as a debit (its amount
 *   positive); its FITID is the bank's id of that transaction, never a debit's, so its key is
 *   its own. A zero amount is always skipped.
 * - `key`: the account and the bank's id of the transaction (`ACCTID`, `FITID`), stable across
 *   overlapping downloads, so the import's fingerprint (a hash) can find it again. Without a
 *   FITID the row has no key and is known by its values, as a CSV row.
 * - A statement in another currency than `currency` (`CURDEF`), or without one, refuses the
 *   file (OfxFileError): nothing of it is imported. A transaction declaring a `<CURRENCY>` of
 *   its own other than the budget's is an error of its line (its amount is in that currency).
 * - A file without any bank or credit card statement is refused.
 */
export function readOfx(text: string, currency: string, credits: CreditsAs = 'skip', maxRows?: number): ReadFile {
  // Each statement's transaction is counted as the tokenizer meets it: past the row limit it
  // stops there (FileRowLimitError), before the rest of the file is read. The statements are
  // counted apart against the same bound (each is kept with its CURDEF, and read: 5 MB of tiny
  // statements held 147 MB before readers54b); a real file has one or a few.
  const root = parseOfx(text, new EntryCounter(maxRows), new EntryCounter(maxRows));
  const statements = descendants(root, (e) => e.name === 'STMTRS' || e.name === 'CCSTMTRS');
  if (statements.length === 0) throw new OfxFileError(root.line, root.column, 'No bank (STMTRS) or credit card (CCSTMTRS) statement in the file');
  const rows: FileRow[] = [];
  const skipped: number[] = [];
  for (const statement of statements) {
    const curdef = leaf(statement, 'CURDEF');
    if (curdef === undefined) throw new OfxFileError(statement.line, statement.column, `The statement <${statement.name}> has no CURDEF (its currency)`);
    if (curdef.toUpperCase() !== currency) {
      throw new OfxFileError(statement.line, statement.column, `The statement is in ${clip(curdef)}; the budget's currency is ${currency}. Nothing was imported`);
    }
    const account = child(statement, statement.name === 'STMTRS' ? 'BANKACCTFROM' : 'CCACCTFROM');
    const accountId = account ? (leaf(account, 'ACCTID') ?? '') : '';
    for (const list of statement.children.filter((e) => e.name === 'BANKTRANLIST')) {
      for (const trn of list.children.filter((e) => e.name === 'STMTTRN')) {
        const row = transactionRow(trn, currency, accountId, credits);
        if (row === 'skip') skipped.push(trn.line);
        else rows.push(row);
      }
    }
  }
  return { rows, skipped };
}

function transactionRow(trn: OfxElement, currency: string, accountId: string, credits: CreditsAs): FileRow | 'skip' {
  const line = trn.line;
  const amountText = leaf(trn, 'TRNAMT');
  if (amountText === undefined) return { line, fields: [], error: 'TRNAMT (the amount) is required' };
  const amount = parseSignedAmount(amountText);
  if (!amount) return { line, fields: [], error: `TRNAMT must be a decimal number like -12.50 or -12,50 (no thousands separator), not "${clip(amountText)}"` };
  if (/^0*$/.test(amount.whole + amount.fraction)) return 'skip';
  const refund = moneyIn(amount.negative, leaf(trn, 'TRNTYPE'));
  if (refund && credits === 'skip') return 'skip';

  const own = child(trn, 'CURRENCY');
  const ownCurrency = own ? leaf(own, 'CURSYM') : undefined;
  if (ownCurrency !== undefined && ownCurrency.toUpperCase() !== currency) {
    return { line, fields: [], error: `the transaction is in ${clip(ownCurrency)}, not in the budget's currency ${currency}` };
  }

  const posted = leaf(trn, 'DTPOSTED');
  if (posted === undefined) return { line, fields: [], error: 'DTPOSTED (the date) is required' };
  const date = /^(\d{4})(\d{2})(\d{2})/.exec(posted);
  if (!date) return { line, fields: [], error: `DTPOSTED must be a date YYYYMMDD (optionally with a time), not "${clip(posted)}"` };

  const payee = child(trn, 'PAYEE');
  const merchant = leaf(trn, 'NAME') ?? (payee ? leaf(payee, 'NAME') : undefined) ?? '';
  const description = leaf(trn, 'MEMO') ?? '';
  // Trailing zeros past the decimal mark say nothing (some banks write 4 decimals): the row
  // check then allows the currency's decimals, as for a CSV amount.
  const fraction = withoutTrailingZeros(amount.fraction);
  const major = `${amount.whole === '' ? '0' : amount.whole}${fraction ? `.${fraction}` : ''}`;
  const fitId = leaf(trn, 'FITID');
  return {
    line,
    fields: [`${date[1]}-${date[2]}-${date[3]}`, major, '', description, merchant],
    ...(fitId ? { key: JSON.stringify([accountId, fitId]) } : {}),
    ...(refund ? { refund: true as const } : {}),
  };
}

/**
 * Whether a transaction is money in: its TRNTYPE when that is DEBIT or CREDIT (any case), else
 * its amount's sign. The spec signs TRNAMT (negative for a debit), but banks are seen writing
 * every amount unsigned (a DEBIT of `12.50`) or inverted (monetr/monetr#2687, which now trusts
 * the type as well): read by the sign alone, such a file's purchases were skipped as money in
 * (or, with credits=refunds, recorded as refunds) and its credits recorded as spending. The
 * other types (POS, ATM, CHECK, XFER, DEP, ...) name no direction of their own: the sign decides.
 */
function moneyIn(negative: boolean, type: string | undefined): boolean {
  const named = type?.trim().toUpperCase();
  if (named === 'DEBIT') return false;
  if (named === 'CREDIT') return true;
  return !negative;
}

const SIGNED_AMOUNT = /^([+-]?)(\d*)(?:[.,](\d*))?$/;

/** `-12.50`, `-12,50`, `+5`, `-.5`: the sign and the digits, never a float. */
export function parseSignedAmount(text: string): { negative: boolean; whole: string; fraction: string } | undefined {
  const match = SIGNED_AMOUNT.exec(text.trim());
  if (!match) return undefined;
  const [, sign, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return undefined;
  return { negative: sign === '-', whole: whole.replace(/^0+(?=\d)/, ''), fraction };
}

function child(element: OfxElement, name: string): OfxElement | undefined {
  return element.children.find((e) => e.name === name);
}

/** A leaf child's text (an empty leaf: undefined). */
function leaf(element: OfxElement, name: string): string | undefined {
  const text = child(element, name)?.text;
  return text === undefined || text === '' ? undefined : text;
}

function descendants(root: OfxElement, match: (e: OfxElement) => boolean): OfxElement[] {
  const out: OfxElement[] = [];
  const walk = (e: OfxElement) => {
    if (match(e)) out.push(e);
    else e.children.forEach(walk);
  };
  walk(root);
  return out;
}
