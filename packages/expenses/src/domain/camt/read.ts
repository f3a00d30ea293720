import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { EntryCounter, FileRowLimitError, type CreditsAs, type FileRow, type ReadFile } from '../import-file';
import { LineIndex, decodeReferences } from '../markup-text';
import { withoutTrailingZeros } from '../csv/amount';
import { clip } from '../quoted-text';
import { DESCRIPTION_MAX } from '../text-limits';

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
 *   another day's); else the first transaction's `Refs/AcctSvcrRef`. Without any, the row is
 *   known by its values, as a CSV row.
 * - A batch booking (2+ `TxDtls`) whose transactions' own amounts add up to the entry is a row
 *   per transaction instead (batchRows), each with its own `key` and the entry's (`entryKey`).
 *
 * Parsed with fast-xml-parser after its validator (a malformed document is a CamtFileError
 * with its line and column), one entry and one transaction at a time (readStatements), never
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

export class CamtFileError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
    this.name = 'CamtFileError';
  }
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
  const amount = /^(\d+)(?:\.(\d+))?$/.exec(amountText);
  if (!amount) return { line, fields: [], error: `Amt must be a decimal number like 12.50, not "${clip(amountText)}"` };
  if (/^0*$/.test(amount[1]! + (amount[2] ?? ''))) return 'skip';
  const ccy = attribute(amountNode, 'Ccy');
  if (ccy === undefined) return { line, fields: [], error: 'Amt has no Ccy (its currency)' };
  if (ccy.toUpperCase() !== currency) return { line, fields: [], error: `the entry is in ${clip(ccy)}, not in the budget's currency ${currency}` };

  const date = dateOf(node(entry, 'BookgDt')) ?? dateOf(node(entry, 'ValDt'));
  if (date === undefined) return { line, fields: [], error: 'BookgDt or ValDt (the date, Dt YYYY-MM-DD or DtTm) is required' };

  // The other party: the creditor of money out, the debtor of money in (a refund).
  const [party, ultimate] = refund ? (['debtor', 'ultimateDebtor'] as const) : (['creditor', 'ultimateCreditor'] as const);
  const merchant = firstOf(details, (tx) => tx[party]) ?? firstOf(details, (tx) => tx[ultimate]) ?? '';
  const description = firstOf(details, (tx) => tx.remittance) ?? leaf(entry, 'AddtlNtryInf') ?? '';

  const major = majorOf(amount);
  const debitKey = keyOf(entry, details, accountId, date, major);
  const key = debitKey === undefined || !refund ? debitKey : JSON.stringify([...(JSON.parse(debitKey) as unknown[]), 'CRDT']);
  return { line, fields: [date, major, '', description, merchant], ...(key === undefined ? {} : { key }), ...(refund ? { refund: true as const } : {}) };
}

/** A matched decimal (`^(\d+)(?:\.(\d+))?$`) as written for the row: leading zeros and trailing zeros past the point dropped. */
function majorOf(amount: RegExpExecArray): string {
  const fraction = withoutTrailingZeros(amount[2] ?? '');
  const whole = amount[1]!.replace(/^0+(?=\d)/, '');
  return `${whole}${fraction ? `.${fraction}` : ''}`;
}

function keyOf(entry: XmlNode, details: Transaction[], accountId: string, date: string, amount: string): string | undefined {
  const servicer = leaf(entry, 'AcctSvcrRef');
  if (servicer !== undefined) return JSON.stringify(['camt', accountId, 'AcctSvcrRef', servicer]);
  const entryRef = leaf(entry, 'NtryRef');
  if (entryRef !== undefined) return JSON.stringify(['camt', accountId, 'NtryRef', entryRef, date, amount]);
  const txRef = firstOf(details, (tx) => tx.servicerRef);
  return txRef === undefined ? undefined : JSON.stringify(['camt', accountId, 'AcctSvcrRef', txRef]);
}

/** A transaction's remittance lines (`RmtInf/Ustrd`), joined by a space; undefined when it has none. */
function remittanceOf(tx: XmlNode): string | undefined {
  const lines = all(node(tx, 'RmtInf'), 'Ustrd').map(textOf).filter((t): t is string => t !== undefined && t.trim() !== '');
  return lines.length > 0 ? lines.map((t) => t.trim()).join(' ') : undefined;
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

/** A transaction's own amount of money out in `currency` (as majorOf writes it), or undefined. */
function txAmount(tx: Transaction, currency: string): string | undefined {
  return tx.amount?.currency === currency ? tx.amount.major : undefined;
}

/** A transaction's own amount of money out (not zero; its CdtDbtInd, if any, DBIT) and its currency (upper case), or undefined. */
function ownAmount(tx: XmlNode): Transaction['amount'] {
  const direction = leaf(tx, 'CdtDbtInd');
  if (direction !== undefined && direction !== 'DBIT') return undefined;
  const amountNode = node(tx, 'Amt') ?? node(tx, 'AmtDtls', 'TxAmt', 'Amt');
  const text = textOf(amountNode);
  const amount = text === undefined ? null : /^(\d+)(?:\.(\d+))?$/.exec(text);
  if (!amount || /^0*$/.test(amount[1]! + (amount[2] ?? ''))) return undefined;
  const currency = attribute(amountNode, 'Ccy')?.toUpperCase();
  return currency === undefined ? undefined : { major: majorOf(amount), currency };
}

/** Whether the decimals `parts` add up exactly to `total` (all as majorOf writes them). */
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
 * bank's, unique by definition), else `Refs/TxId`, else `Refs/EndToEndId` unless NOTPROVIDED,
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
    if (endToEnd !== undefined && endToEnd.toUpperCase() !== 'NOTPROVIDED') return JSON.stringify(['camt', accountId, 'EndToEndId', endToEnd, date, amounts[n]]);
    return byIndex[n]!;
  });
  return new Set([...keys, entryKey]).size === keys.length + 1 ? keys : byIndex;
}

/** A party's name: `Nm` (up to .07) or `Pty/Nm` (.08 on). */
function partyName(party: XmlNode | undefined): string | undefined {
  return leaf(party, 'Nm') ?? leaf(node(party, 'Pty'), 'Nm');
}

/** `Dt` (YYYY-MM-DD) or the date of `DtTm` (as written: the bank's day). */
function dateOf(element: XmlNode | undefined): string | undefined {
  const value = leaf(element, 'Dt') ?? leaf(element, 'DtTm');
  const match = value === undefined ? null : /^(\d{4}-\d{2}-\d{2})/.exec(value);
  return match ? match[1] : undefined;
}

/** A parsed element: a string (text only) or an object of children (arrays where repeated), attributes `@_name`, text `#text`. */
type XmlNode = string | { [name: string]: unknown };

/** Elements that may repeat where this reader looks, always parsed as arrays. */
const REPEATED = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd']);

const CAMT_053 = /^urn:iso:std:iso:20022:tech:xsd:camt\.053\.001\.\d{2}$/;
const ISO_20022 = /^urn:iso:std:iso:20022:tech:xsd:([a-z]{4}\.\d{3})\.\d{3}\.\d{2}$/;

interface CamtDocument {
  BkToCstmrStmt: XmlNode;
  lineOf(element: XmlNode): number;
  /**
   * The line of the statements' `index`th entry (in document order): a text-only `<Ntry/>` is a
   * string in the parser's tree, without a position, so its start tag's offset is the walk's.
   */
  entryLineOf(entry: XmlNode, index: number): number;
}

/** The parser's options: `meta` captures where each element starts (captureMetaData). */
const parserOf = (meta: boolean) =>
  new XMLParser({
    ignoreAttributes: false,
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    captureMetaData: meta,
    isArray: (name) => REPEATED.has(name),
  });

/** What the checks and the walk before parsing give: the text (without its BOM), its blanked copy (walkMarkup), where the entries are. */
interface Checked {
  text: string;
  lines: LineIndex;
  reduced: string;
  entryStarts: number[];
  outline: Outline;
}

/** The checks before parsing (DOCTYPE, well-formed, depth) and the walk (walkMarkup; the row limit of entries and of an entry's transactions). */
function checked(input: string, maxRows: number | undefined): Checked {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const lines = new LineIndex(text);
  if (text.trim() === '') throw new CamtFileError(1, 1, 'The file is empty');
  const doctype = text.search(/<!DOCTYPE/i);
  if (doctype >= 0) throw at(lines, doctype, 'A DOCTYPE is not allowed (a camt.053 statement has none; entities it could define are never expanded)');
  const valid = XMLValidator.validate(text);
  // The validator quotes names and values whole (a 1 MB tag name): clipped.
  if (valid !== true) throw new CamtFileError(valid.err.line, valid.err.col, `Not well-formed XML: ${clip(valid.err.msg, 200)}`);
  const { tooDeep, notMarkup, reduced, outline } = walkMarkup(text, MAX_DEPTH, maxRows);
  if (tooDeep !== undefined) throw at(lines, tooDeep, `Elements nest more than ${MAX_DEPTH} deep (a camt.053 statement nests about 12)`);
  if (notMarkup !== undefined) throw at(lines, notMarkup, 'Not well-formed XML: "<!" starts no comment, CDATA section or DOCTYPE');
  return { text, lines, reduced: reduced ?? text, entryStarts: outline.entries.starts, outline };
}

/** The parser's tree of `text`; what the validator let through and the parser refuses is a CamtFileError too. */
function parsed(parser: XMLParser, text: string): Record<string, unknown> {
  try {
    return parser.parse(text) as Record<string, unknown>;
  } catch (err) {
    // What the validator let through and the parser refuses (`<?xml version="1.0" a"b="c"?>`:
    // "Pi Tag is not closed") is thrown as a plain Error, without a position.
    throw new CamtFileError(1, 1, `Not well-formed XML: ${clip((err as Error).message, 200)}`);
  }
}

/** Where a parsed element starts (captureMetaData), 0 for a text-only one. */
function startOf(element: XmlNode | undefined): number {
  const meta: unknown = XMLParser.getMetaDataSymbol();
  if (typeof element !== 'object' || (typeof meta !== 'symbol' && typeof meta !== 'string')) return 0;
  const data: unknown = Reflect.get(element, meta);
  const start: unknown = typeof data === 'object' && data !== null ? Reflect.get(data, 'startIndex') : undefined;
  return typeof start === 'number' ? start : 0;
}

/** The BkToCstmrStmt of a parsed document (with positions), or the CamtFileError of its root: not Document, not camt.053's namespace, none. */
function statementOf(tree: Record<string, unknown>, text: string, lines: LineIndex): XmlNode {
  const rootName = Object.keys(tree).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  const root = rootName === undefined ? undefined : (tree[rootName] as XmlNode);
  const rootStart = startOf(root);
  if (rootName !== 'Document' || typeof root !== 'object') {
    throw at(lines, rootStart, `Not a camt.053 statement: the root element is <${clip(rootName ?? '')}>, not <Document>`);
  }
  const namespace = rootNamespace(text, rootStart);
  if (namespace === undefined || !CAMT_053.test(namespace)) {
    const kind = namespace === undefined ? undefined : ISO_20022.exec(namespace)?.[1];
    const what = kind === undefined ? `the namespace "${clip(namespace ?? '')}"` : `a ${kind} document`;
    throw at(lines, rootStart, `Not a camt.053 statement (BankToCustomerStatement): ${what}; the namespace must be urn:iso:std:iso:20022:tech:xsd:camt.053.001.NN`);
  }
  const statement = root.BkToCstmrStmt;
  if (typeof statement !== 'object' || statement === null || Array.isArray(statement)) {
    throw at(lines, rootStart, 'Not a camt.053 statement: <Document> holds no <BkToCstmrStmt>');
  }
  return statement as XmlNode;
}

/**
 * The `BkToCstmrStmt` of a camt.053 document, the whole (blanked) document's tree: refused
 * (CamtFileError) when the document has a DOCTYPE, is not well-formed XML, or is not `Document`
 * in a camt.053 namespace holding a `BkToCstmrStmt` (a camt.052 report or a camt.054
 * notification is named as such). readCamt no longer builds this tree (it parses the statements
 * without their entries, then one entry at a time: readStatements); kept for the tests that look
 * at what the walk left of a document.
 */
export function parseCamt(input: string, maxRows?: number): CamtDocument {
  const { text, lines, reduced, entryStarts } = checked(input, maxRows);
  const statement = statementOf(parsed(parserOf(true), reduced), text, lines);
  const lineOf = (element: XmlNode) => lines.position(startOf(element)).line;
  return {
    BkToCstmrStmt: statement,
    lineOf,
    entryLineOf: (entry, index) => (typeof entry === 'object' ? lineOf(entry) : lines.position(entryStarts[index] ?? 0).line),
  };
}

/** What readCamt reads of one transaction (TxDtls), its tree dropped: its start, names (partyName), remittance lines (remittanceOf), references, own amount (txAmount). */
interface Transaction {
  start: number;
  creditor?: string;
  ultimateCreditor?: string;
  debtor?: string;
  ultimateDebtor?: string;
  remittance?: string;
  servicerRef?: string;
  txId?: string;
  endToEndId?: string;
  amount?: { major: string; currency: string };
}

/** A statement entry of readStatements: its tree without its NtryDtls, its transactions as read, its statement's account. */
interface Entry {
  tree: XmlNode;
  transactions: Transaction[];
  accountId: string;
  start: number;
}

/**
 * The statement entries of a camt.053 document, one at a time (refused as parseCamt refuses):
 * the statements parsed without their entries (the text with each entry cut out: the account
 * and the root's checks), then each entry alone (its text without its NtryDtls), each of its
 * transactions alone, read (Transaction) before the next is parsed. So the largest tree alive
 * is one entry's or one transaction's, not the document's: a 5 MB document of 1,280
 * transactions of 251 remittance lines held 137 MB as one tree (bench/reader-memory.ts).
 * `parse` is the parser's call (counted by a test).
 */
export function* readStatements(input: string, maxRows?: number, parse: (text: string) => Record<string, unknown> = defaultParse): Generator<Entry> {
  const { text, lines, reduced, outline } = checked(input, maxRows);
  const { entries, details, transactions: txSpans } = outline;
  // In a function of its own: the header's text and tree are dropped once read.
  const accounts = ((): string[] | CamtFileError => {
    const header = cut(reduced, 0, reduced.length, entries, 0, entries.starts.length);
    try {
      return accountsOf(text, lines, header);
    } catch (err) {
      throw refusal(err, reduced, header, uncut(0, entries, 0, entries.starts.length));
    }
  })();
  const first = (tree: Record<string, unknown>): XmlNode => {
    const value = Object.values(tree)[0];
    return (Array.isArray(value) ? value[0] : value) as XmlNode;
  };
  /** The element of `slice`, a piece of `reduced` (an offset of it is `toWhole`'s of the whole). */
  const element = (slice: string, toWhole: (offset: number) => number): XmlNode => {
    try {
      return first(parse(slice));
    } catch (err) {
      throw refusal(err, reduced, slice, toWhole);
    }
  };
  /** The `n`th entry (its tree and transactions). */
  const entryOf = (n: number): Omit<Entry, 'accountId'> => {
    const start = entries.starts[n]!;
    const [from, to] = [outline.firstDetail[n]!, outline.firstDetail[n + 1] ?? details.starts.length];
    const tree = element(cut(reduced, start, entries.ends[n]!, details, from, to), uncut(start, details, from, to));
    const transactions: Transaction[] = [];
    for (let t = outline.firstTransaction[n]!; t < (outline.firstTransaction[n + 1] ?? txSpans.starts.length); t++) {
      const txStart = txSpans.starts[t]!;
      transactions.push(transactionOf(element(reduced.slice(txStart, txSpans.ends[t]), (offset) => txStart + offset), txStart));
    }
    return { tree, transactions, start };
  };
  /** Throws the parser's refusal of an entry from the `from`th on, if any (see `stop`). */
  function wellFormed(from: number): void {
    for (let n = from; n < entries.starts.length; n++) entryOf(n);
  }
  if (accounts instanceof CamtFileError) {
    // The whole document was parsed before its root was checked: an entry the parser refuses
    // is that refusal still (each parsed alone, dropped).
    wellFormed(0);
    throw accounts;
  }
  for (let n = 0; n < entries.starts.length; n++) {
    const stop: unknown = yield { ...entryOf(n), accountId: accounts[outline.statement[n]!] ?? '' };
    // The reader stops (readCamt: past the row limit): the whole document was parsed before
    // any row was counted, so an entry after this one that the parser refuses is the answer.
    if (stop === STOP) return wellFormed(n + 1);
  }
}

/**
 * Each statement's account (`Acct/Id/IBAN`, else `Othr/Id`), read from `header` (the text
 * without its entries; the statements' tree dropped after), or the refusal of its root
 * (statementOf); the parser's refusal of `header` is thrown as it is (see refusal).
 */
function accountsOf(text: string, lines: LineIndex, header: string): string[] | CamtFileError {
  const tree = parserOf(true).parse(header) as Record<string, unknown>;
  let statement: XmlNode;
  try {
    statement = statementOf(tree, text, lines);
  } catch (err) {
    if (err instanceof CamtFileError) return err;
    throw err;
  }
  return all(statement, 'Stmt').map((s) => {
    const account = node(s, 'Acct', 'Id');
    return leaf(account, 'IBAN') ?? leaf(node(account, 'Othr'), 'Id') ?? '';
  });
}

/** What readCamt hands readStatements back when it stops reading (the row limit). */
const STOP = Symbol('stop');

const sliceParser = parserOf(false);
const defaultParse = (text: string) => sliceParser.parse(text) as Record<string, unknown>;

/**
 * The parser's refusal of a piece of `reduced` as a CamtFileError, as when the whole was parsed:
 * the message of a tag it cannot read quotes where (its `position`, in the text parsed with its
 * line ends made LF, and 50 characters around it), made the whole text's (`toWhole`: from an
 * offset of the piece, ignoring its line ends, to the whole's).
 */
function refusal(err: unknown, reduced: string, piece: string, toWhole: (offset: number) => number): CamtFileError {
  let message = (err as Error).message;
  const quoted = /^readTagExp returned undefined at position (\d+)\. Context: "/.exec(message);
  if (quoted) {
    // The piece's position counts each CRLF as one: as an offset of the piece, back to two.
    let offset = 0;
    for (let left = Number(quoted[1]); left > 0 && offset < piece.length; left--) offset += piece.startsWith('\r\n', offset) ? 2 : 1;
    const wholeOffset = toWhole(offset);
    const before = reduced.slice(0, wholeOffset).replace(/\r\n?/g, '\n');
    const after = reduced.slice(wholeOffset, wholeOffset + 150).replace(/\r\n?/g, '\n');
    const position = before.length;
    message = `readTagExp returned undefined at position ${position}. Context: "${before.slice(Math.max(0, position - 50))}${after.slice(0, 50)}"`;
  }
  return new CamtFileError(1, 1, `Not well-formed XML: ${clip(message, 200)}`);
}

/** The offset in the text of an offset of `cut`'s piece from `start` without the spans from the `from`th to before the `to`th. */
function uncut(start: number, spans: Spans, from: number, to: number): (offset: number) => number {
  return (offset) => {
    let at = start + offset;
    for (let n = from; n < to && spans.starts[n]! <= at; n++) at += spans.ends[n]! - spans.starts[n]!;
    return at;
  };
}

/** `text` from `start` to `end` without the `spans` from the `from`th to before the `to`th (in order, within it). */
function cut(text: string, start: number, end: number, spans: Spans, from: number, to: number): string {
  if (from === to) return text.slice(start, end);
  const pieces: string[] = [];
  let at = start;
  for (let n = from; n < to; n++) {
    pieces.push(text.slice(at, spans.starts[n]));
    at = spans.ends[n]!;
  }
  pieces.push(text.slice(at, end));
  return pieces.join('');
}

/** What readCamt reads of a transaction. */
function transactionOf(tx: XmlNode, start: number): Transaction {
  const refs = node(tx, 'Refs');
  const parties = node(tx, 'RltdPties');
  const read: Transaction = {
    start,
    creditor: partyName(node(parties, 'Cdtr')),
    ultimateCreditor: partyName(node(parties, 'UltmtCdtr')),
    debtor: partyName(node(parties, 'Dbtr')),
    ultimateDebtor: partyName(node(parties, 'UltmtDbtr')),
    remittance: remittanceOf(tx),
    servicerRef: leaf(refs, 'AcctSvcrRef'),
    txId: leaf(refs, 'TxId'),
    endToEndId: leaf(refs, 'EndToEndId'),
    amount: ownAmount(tx),
  };
  return read;
}

/**
 * How deep elements may nest: a camt.053 statement nests about 12 deep (Document > BkToCstmrStmt
 * > Stmt > Ntry > NtryDtls > TxDtls > RltdPties > Cdtr > Pty > PstlAdr > AdrLine). Deeper, the
 * parser would throw its own Error (its maxNestedTags, 100), a 500 rather than a 400.
 */
const MAX_DEPTH = 64;

/** The path of the entries readCamt reads (local names, any namespace prefix): Document/BkToCstmrStmt/Stmt/Ntry. */
const ENTRY_PATH = ['Document', 'BkToCstmrStmt', 'Stmt', 'Ntry'];

/**
 * The elements readCamt reads, as the children read of each aggregate it walks (local names):
 * a child's own aggregate, or null for one whose content is read whole (a value, `Sts` text or
 * `Sts/Cd`, `Amt` with its `Ccy`). `''`: the document's level.
 */
const READ_CHILDREN: Record<string, Map<string, string | null>> = {
  '': new Map([['Document', 'Document']]),
  Document: new Map([['BkToCstmrStmt', 'BkToCstmrStmt']]),
  BkToCstmrStmt: new Map([['Stmt', 'Stmt']]),
  Stmt: new Map([['Acct', 'Acct'], ['Ntry', 'Ntry']]),
  Acct: new Map([['Id', 'AcctId']]),
  AcctId: new Map([['IBAN', null], ['Othr', 'Othr']]),
  Othr: new Map([['Id', null]]),
  Ntry: new Map<string, string | null>([
    ['RvslInd', null], ['CdtDbtInd', null], ['Sts', null], ['Amt', null], ['BookgDt', 'Date'], ['ValDt', 'Date'],
    ['NtryDtls', 'NtryDtls'], ['AddtlNtryInf', null], ['AcctSvcrRef', null], ['NtryRef', null],
  ]),
  Date: new Map([['Dt', null], ['DtTm', null]]),
  NtryDtls: new Map([['TxDtls', 'TxDtls']]),
  TxDtls: new Map<string, string | null>([['RltdPties', 'RltdPties'], ['RmtInf', 'RmtInf'], ['Refs', 'Refs'], ['Amt', null], ['AmtDtls', 'AmtDtls'], ['CdtDbtInd', null]]),
  RltdPties: new Map([['Cdtr', 'Party'], ['Dbtr', 'Party'], ['UltmtCdtr', 'Party'], ['UltmtDbtr', 'Party']]),
  Party: new Map<string, string | null>([['Nm', null], ['Pty', 'Pty']]),
  Pty: new Map([['Nm', null]]),
  RmtInf: new Map([['Ustrd', null]]),
  Refs: new Map([['AcctSvcrRef', null], ['TxId', null], ['EndToEndId', null]]),
  AmtDtls: new Map([['TxAmt', 'TxAmt']]),
  TxAmt: new Map([['Amt', null]]),
};

/** An open element of the walk: its aggregate (READ_CHILDREN) when readCamt walks it, where it starts when it is blanked, whether a child of it was left as `<_/>`. */
interface Frame {
  aggregate?: string;
  blankFrom?: number;
  placeholder?: boolean;
  /** The names of its children read only the first of (FIRST_READ) met so far. */
  met?: Set<string>;
  /** An RmtInf's remittance lines (`Ustrd`) kept so far, empty ones not counted (keptLine). */
  lines?: number;
  /** A statement entry's index (Outline.entries), an entry's NtryDtls's (Outline.details), a transaction's (Outline.transactions): where it ends is noted at its end tag. */
  ends?: { spans: Spans; index: number };
}

/** Where elements start (their `<`) and end (after their `>`), offsets of the text: numbers, not an object each (50,001 entries of 50,001 transactions). */
interface Spans {
  starts: number[];
  ends: number[];
}

/**
 * What the walk found of the statements' entries, in document order, so each is parsed alone
 * (readCamt): the entries, every entry's NtryDtls (cut out of its text) and transactions
 * (TxDtls of those NtryDtls, each parsed alone).
 */
interface Outline {
  entries: Spans;
  /** By entry: its statement's index (of the BkToCstmrStmt's), its first NtryDtls's and first transaction's (the next entry's first ends its own). */
  statement: number[];
  firstDetail: number[];
  firstTransaction: number[];
  details: Spans;
  transactions: Spans;
}

/**
 * The remittance lines of one RmtInf kept for the description: N lines that are not empty
 * (each trimmed, joined by a space) are at least 2N - 1 characters, so 251 are more than a
 * description holds (DESCRIPTION_MAX, 500) and the row is the description's error whatever the
 * lines after them hold; those are blanked as unread. Every one was parsed until readers54b:
 * 5 MB of `<Ustrd/>` in one RmtInf held 142 MB.
 */
export const REMITTANCE_LINES_KEPT = Math.floor(DESCRIPTION_MAX / 2) + 1;

/**
 * Whether the `Ustrd` whose start tag ends at `end` is kept (its RmtInf's frame `parent`
 * counts it): not when it is empty (self-closing, or only white space up to its end tag, written
 * or as references such as `&#160;`: it adds nothing to the description, as textOf trims it, so
 * it is blanked uncounted), nor past REMITTANCE_LINES_KEPT. Content with markup in it (a comment,
 * CDATA) counts as a line, empty or not.
 */
function keptLine(text: string, end: number, selfClosing: boolean, parent: Frame): boolean {
  if (selfClosing) return false;
  const next = text.indexOf('<', end + 1);
  if (next >= 0 && text[next + 1] === '/' && decodeEntities(text.slice(end + 1, next)).trim() === '') return false;
  parent.lines = (parent.lines ?? 0) + 1;
  return parent.lines <= REMITTANCE_LINES_KEPT;
}

/**
 * The children readCamt reads every one of (`all`); of any other name it reads the first only
 * (`node`, `leaf`), so the later ones are blanked as unread: 5 MB of `<Sts/>` in one entry held
 * 192 MB. The document's and Document's children are not: a second BkToCstmrStmt refuses the file.
 */
const READ_ALL = new Set(['Stmt', 'Ntry', 'NtryDtls', 'TxDtls', 'Ustrd']);
const firstRead = (aggregate: string, name: string) => aggregate !== '' && aggregate !== 'Document' && !READ_ALL.has(name);

/**
 * One pass over the markup of a well-formed document (XMLValidator passed): comments, CDATA
 * sections and processing instructions are passed over, a quoted attribute value may hold `>`.
 *
 * - `tooDeep`: the offset of the first start tag nested more than `max` deep, if any.
 * - `notMarkup`: the offset of a `<!` starting no comment, CDATA section or DOCTYPE, if any
 *   (`<!x>`: not XML, yet the validator lets it through and the parser reads it as a start tag
 *   never closed, the entries after it dropped).
 * - Each statement entry (ENTRY_PATH) is counted, and each entry's transactions (`TxDtls`):
 *   past the row limit, of entries or of one entry's transactions, the walk throws
 *   (FileRowLimitError) before the document is parsed.
 * - `reduced`: the text with every element readCamt never reads (a child of an aggregate it
 *   walks that READ_CHILDREN does not name) blanked as a comment, at the same offsets (the
 *   lines and columns are the text's), the first of each aggregate's blanked children left as an
 *   empty `<_/>` so an aggregate stays an element (with its position) when none of its children
 *   is read. The parser's tree then holds what readCamt reads: of the whole text it took 55 times
 *   the file (277 MB for 5 MB of empty elements in one entry; bench/reader-memory.ts).
 *   Undefined when nothing is blanked.
 * - `outline`: where each statement entry, each of its NtryDtls and each of their transactions
 *   (TxDtls) start and end, and each entry's statement, so readStatements parses them one at a
 *   time (camt54). Markup is read as the parser reads it (see the loop), so these are the
 *   elements the parser finds.
 */
function walkMarkup(text: string, max: number, maxRows: number | undefined): { tooDeep?: number; notMarkup?: number; reduced?: string; outline: Outline } {
  const entries = new EntryCounter(maxRows);
  const spans = (): Spans => ({ starts: [], ends: [] });
  const outline: Outline = { entries: spans(), statement: [], firstDetail: [], firstTransaction: [], details: spans(), transactions: spans() };
  /** The statements met (Document/BkToCstmrStmt/Stmt). */
  let statements = 0;
  /** The current entry's transactions (TxDtls). */
  let transactions = 0;
  let depth = 0;
  /** Whether each open element, by depth, is on the path to the entries so far. */
  const onPath: boolean[] = [true];
  const frames: Frame[] = [{ aggregate: '' }];
  /** The depth of the element being blanked (0: none). */
  let blanking = 0;
  const blanker = new Blanker(text);
  let pos = text.indexOf('<');
  while (pos >= 0) {
    const after = passedOver(text, pos);
    if (after !== undefined) {
      if (after < 0) break;
      pos = text.indexOf('<', after);
      continue;
    }
    const end = text[pos + 1] === '/' ? text.indexOf('>', pos) : tagEnd(text, pos);
    if (end < 0) break;
    if (text[pos + 1] === '/') {
      if (depth === 0) break; // No element open: the parser refuses the text (a CamtFileError).
      const frame = frames[depth];
      if (frame?.ends !== undefined) frame.ends.spans.ends[frame.ends.index] = end + 1;
      if (frame?.blankFrom !== undefined) {
        blanker.blank(frame.blankFrom, end + 1, frames[depth - 1]!);
        blanking = 0;
      }
      depth--;
    } else if (text[pos + 1] === '!' && text[pos + 2] !== 'D') {
      return { notMarkup: pos, outline };
    } else if (!text.startsWith('<!D', pos)) {
      const selfClosing = text[end - 1] === '/';
      const within = onPath[depth] === true && depth < ENTRY_PATH.length && localName(text, pos + 1, end) === ENTRY_PATH[depth];
      const parent = frames[depth]!;
      const frame: Frame = {};
      if (within && depth === ENTRY_PATH.length - 2) statements++;
      if (within && depth === ENTRY_PATH.length - 1) {
        entries.add();
        transactions = 0;
        frame.ends = { spans: outline.entries, index: noteEntry(outline, pos, end + 1, statements - 1) };
      }
      if (blanking === 0 && parent.aggregate !== undefined) {
        const read = READ_CHILDREN[parent.aggregate]!;
        const name = localName(text, pos + 1, end);
        // A batch of more transactions than an import takes: its rows (a row each) would be
        // past the limit, so it is refused here, before its tree is built (see readCamt).
        if (name === 'TxDtls' && parent.aggregate === 'NtryDtls' && maxRows !== undefined && ++transactions > maxRows + 1) throw new FileRowLimitError(maxRows);
        const first = read.has(name) && firstRead(parent.aggregate, name);
        const again = first && parent.met?.has(name) === true;
        if (first) (parent.met ??= new Set()).add(name);
        const unreadLine = name === 'Ustrd' && parent.aggregate === 'RmtInf' && !keptLine(text, end, selfClosing, parent);
        if (read.has(name) && !again && !unreadLine) {
          frame.aggregate = read.get(name) ?? undefined;
          // An entry's NtryDtls and their TxDtls (every one read: READ_ALL), spans of the current entry.
          const list = name === 'NtryDtls' && parent.aggregate === 'Ntry' ? outline.details : name === 'TxDtls' && parent.aggregate === 'NtryDtls' ? outline.transactions : undefined;
          if (list !== undefined) frame.ends = { spans: list, index: noteSpan(list, pos, end + 1) };
        } else if (parent.aggregate !== '') {
          if (selfClosing) blanker.blank(pos, end + 1, parent);
          else frame.blankFrom = pos;
        }
      }
      if (!selfClosing) {
        depth++;
        if (depth > max) return { tooDeep: pos, outline };
        onPath[depth] = within;
        frames[depth] = frame;
        if (frame.blankFrom !== undefined) blanking = depth;
      }
    }
    pos = text.indexOf('<', end + 1);
  }
  const reduced = blanker.text();
  return reduced === undefined ? { outline } : { reduced, outline };
}

/**
 * Where the comment, CDATA section or processing instruction at `pos` ends (after it; -1 when
 * it does not), undefined for other markup. As the parser reads them (fast-xml-parser's
 * OrderedObjParser), so the walk's entries are the ones it finds: a comment ends at the first
 * `-->` after `<!--`, anything from `<![` at the first `]]>` (CDATA or not), a processing
 * instruction at the first `?>` outside quotes; and (walkMarkup) an end tag at the first `>`,
 * `<!` and another name (but `<!D`) is refused (walkMarkup: the parser would read a start tag).
 */
function passedOver(text: string, pos: number): number | undefined {
  const skip = text.startsWith('<!--', pos) ? '-->' : text.startsWith('<![', pos) ? ']]>' : undefined;
  if (skip !== undefined) {
    const end = text.indexOf(skip, skip === '-->' ? pos + 4 : pos);
    return end < 0 ? -1 : end + skip.length;
  }
  if (text[pos + 1] !== '?') return undefined;
  const end = tagEnd(text, pos, true);
  return end >= text.length ? -1 : end + 1;
}

/** Notes an element from `start` to `end` (its end tag's, when it has one, noted there); its index. */
function noteSpan(spans: Spans, start: number, end: number): number {
  spans.ends.push(end);
  return spans.starts.push(start) - 1;
}

/** Notes an entry starting at `start` (its start tag ending at `end`) of the `statement`th statement; its index. */
function noteEntry(outline: Outline, start: number, end: number, statement: number): number {
  outline.statement.push(statement);
  outline.firstDetail.push(outline.details.starts.length);
  outline.firstTransaction.push(outline.transactions.starts.length);
  return noteSpan(outline.entries, start, end);
}

/** The offset of the `>` ending the tag at `pos` (a quoted attribute value may hold one; `pi`: the `>` of a `?>`), or the text's length. */
function tagEnd(text: string, pos: number, pi = false): number {
  let end = pos + 1;
  let quote: string | undefined;
  for (; end < text.length; end++) {
    const c = text[end]!;
    if (quote !== undefined) {
      if (c === quote) quote = undefined;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === '>' && (!pi || text[end - 1] === '?')) break;
  }
  return end;
}

/**
 * The text with runs blanked (walkMarkup): a copy of its characters, made at the first run;
 * each run a comment at the end (the parser passes over one by a search for its end; spaces,
 * as text, it read one by one: 145 MB for 5 MB of them), or spaces when shorter than `<!---->`.
 */
class Blanker {
  private out: Uint16Array | undefined;
  /** The blanked runs, as start and end offsets in turn (adjacent ones merged). */
  private readonly runs: number[] = [];

  constructor(private readonly source: string) {}

  /** Blanks [from, to), an element unread, a child of `parent`: the first of its children left as `<_/>`. */
  blank(from: number, to: number, parent: Frame): void {
    const text = this.source;
    if (!this.out) {
      this.out = new Uint16Array(text.length);
      for (let i = 0; i < text.length; i++) this.out[i] = text.charCodeAt(i);
    }
    if (!parent.placeholder) {
      this.out.set([60, 95, 47, 62], from); // `<_/>`
      parent.placeholder = true;
      from += 4;
    }
    // Merged with the run before when no markup is between (text of an aggregate, never read).
    const runs = this.runs;
    const last = runs.length - 1;
    if (last > 0 && text.lastIndexOf('<', from - 1) < runs[last]!) runs[last] = to;
    else runs.push(from, to);
  }

  /** The blanked text; undefined when nothing was blanked. */
  text(): string | undefined {
    const out = this.out;
    if (!out) return undefined;
    const runs = this.runs;
    for (let i = 0; i < runs.length; i += 2) {
      const [from, to] = [runs[i]!, runs[i + 1]!];
      out.fill(32, from, to);
      if (to - from >= 7) {
        out.set([60, 33, 45, 45], from); // `<!--`
        out.set([45, 45, 62], to - 3); // `-->`
      }
    }
    // In pieces: String.fromCharCode takes its codes as arguments. Lone surrogates stay as they are.
    const pieces: string[] = [];
    for (let i = 0; i < out.length; i += 8192) pieces.push(String.fromCharCode(...out.subarray(i, i + 8192)));
    return pieces.join('');
  }
}

/** The name of the tag whose text starts at `from` (after its `<`), without a namespace prefix. */
function localName(text: string, from: number, end: number): string {
  let stop = from;
  while (stop < end && !/[\s/>]/.test(text[stop]!)) stop++;
  const name = text.slice(from, stop);
  const colon = name.indexOf(':');
  return colon < 0 ? name : name.slice(colon + 1);
}

/** The namespace of the root start tag at `start` (the default one, or its prefix's). */
function rootNamespace(text: string, start: number): string | undefined {
  const end = text.indexOf('>', start);
  const tag = text.slice(start, end < 0 ? undefined : end);
  const prefix = /^<\s*(?:([A-Za-z_][\w.-]*):)?Document\b/.exec(tag)?.[1];
  const attributes = [...tag.matchAll(/\sxmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*(["'])(.*?)\2/g)];
  const declared = attributes.find((a) => a[1] === prefix);
  return declared?.[3]?.trim();
}

/** The first child `name` (following `path` of names), or undefined. */
function node(parent: XmlNode | undefined, ...path: string[]): XmlNode | undefined {
  let current: unknown = parent;
  for (const name of path) {
    if (typeof current !== 'object' || current === null) return undefined;
    const value: unknown = (current as Record<string, unknown>)[name];
    current = Array.isArray(value) ? value[0] : value;
  }
  return current === undefined || current === null ? undefined : (current as XmlNode);
}

/** Every child `name`. */
function all(parent: XmlNode | undefined, name: string): XmlNode[] {
  if (typeof parent !== 'object' || parent === null) return [];
  const value = parent[name];
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]) as XmlNode[];
}

/** An element's text, entities decoded (empty: undefined). */
function textOf(element: XmlNode | undefined): string | undefined {
  const raw = typeof element === 'string' ? element : typeof element === 'object' && typeof element['#text'] === 'string' ? element['#text'] : undefined;
  if (raw === undefined) return undefined;
  const value = decodeEntities(raw).trim();
  return value === '' ? undefined : value;
}

const leaf = (parent: XmlNode | undefined, name: string) => textOf(node(parent, name));

function attribute(element: XmlNode | undefined, name: string): string | undefined {
  if (typeof element !== 'object') return undefined;
  const value = element[`@_${name}`];
  return typeof value === 'string' && value.trim() !== '' ? decodeEntities(value).trim() : undefined;
}

function firstOf<I, T>(items: I[], pick: (item: I) => T | undefined): T | undefined {
  for (const item of items) {
    const value = pick(item);
    if (value !== undefined) return value;
  }
  return undefined;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

/** XML's five entities and numeric character references (markup-text.ts); anything else is kept as written. */
const decodeEntities = (value: string): string => decodeReferences(value, ENTITIES);

function at(lines: LineIndex, offset: number, message: string): CamtFileError {
  const { line, column } = lines.position(offset);
  return new CamtFileError(line, column, message);
}
