import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FileRow, ReadFile } from '../import-file';
import { LineIndex, decodeReferences } from '../markup-text';
import { clip } from '../quoted-text';

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
 * - An entry whose `Ccy` is not the budget's currency is an error of its line.
 * - `key`: the account (`Acct/Id/IBAN` or `Othr/Id`) and the bank's reference of the entry
 *   (`AcctSvcrRef`, the account servicer's, unique by definition); else its `NtryRef` with its
 *   date and amount (some banks number entries per statement, so the number alone could meet
 *   another day's); else the first transaction's `Refs/AcctSvcrRef`. Without any, the row is
 *   known by its values, as a CSV row.
 *
 * Parsed with fast-xml-parser after its validator (a malformed document is a CamtFileError
 * with its line and column). A document with a DOCTYPE is refused before parsing (a camt.053
 * file has none: its schema is XSD), and the parser's entity processing is off, so no entity
 * defined by a document is ever expanded; the five XML entities and numeric character
 * references are decoded here, in one pass. The text is at most 5 MB (the route's limit).
 */
export function readCamt(text: string, currency: string): ReadFile {
  const document = parseCamt(text);
  const rows: FileRow[] = [];
  const skipped: number[] = [];
  for (const statement of all(document.BkToCstmrStmt, 'Stmt')) {
    const account = node(statement, 'Acct', 'Id');
    const accountId = leaf(account, 'IBAN') ?? leaf(node(account, 'Othr'), 'Id') ?? '';
    for (const entry of all(statement, 'Ntry')) {
      const line = document.lineOf(entry);
      const row = entryRow(entry, line, currency, accountId);
      if (row === 'skip') skipped.push(line);
      else rows.push(row);
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

function entryRow(entry: XmlNode, line: number, currency: string, accountId: string): FileRow | 'skip' {
  // A reversal (`RvslInd` true, xs:boolean: `true` or `1`) undoes an earlier entry: a returned
  // direct debit is booked CRDT, a reversed credit DBIT; neither is spending.
  const reversal = leaf(entry, 'RvslInd');
  if (reversal === 'true' || reversal === '1') return 'skip';
  const direction = leaf(entry, 'CdtDbtInd');
  if (direction === 'CRDT') return 'skip';
  const status = leaf(entry, 'Sts') ?? leaf(node(entry, 'Sts'), 'Cd');
  if (status !== undefined && NOT_BOOKED.has(status.toUpperCase())) return 'skip';
  if (direction !== 'DBIT') return { line, fields: [], error: `CdtDbtInd must be DBIT or CRDT, not "${clip(direction ?? '')}"` };

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

  const details = all(entry, 'NtryDtls').flatMap((d) => all(d, 'TxDtls'));
  const merchant = firstOf(details, (tx) => partyName(node(tx, 'RltdPties', 'Cdtr'))) ?? firstOf(details, (tx) => partyName(node(tx, 'RltdPties', 'UltmtCdtr'))) ?? '';
  const remittance = firstOf(details, (tx) => {
    const lines = all(node(tx, 'RmtInf'), 'Ustrd').map(textOf).filter((t): t is string => t !== undefined && t.trim() !== '');
    return lines.length > 0 ? lines.map((t) => t.trim()).join(' ') : undefined;
  });
  const description = remittance ?? leaf(entry, 'AddtlNtryInf') ?? '';

  const fraction = (amount[2] ?? '').replace(/0+$/, '');
  const whole = amount[1]!.replace(/^0+(?=\d)/, '');
  const major = `${whole}${fraction ? `.${fraction}` : ''}`;
  const key = keyOf(entry, details, accountId, date, major);
  return { line, fields: [date, major, '', description, merchant], ...(key === undefined ? {} : { key }) };
}

function keyOf(entry: XmlNode, details: XmlNode[], accountId: string, date: string, amount: string): string | undefined {
  const servicer = leaf(entry, 'AcctSvcrRef');
  if (servicer !== undefined) return JSON.stringify(['camt', accountId, 'AcctSvcrRef', servicer]);
  const entryRef = leaf(entry, 'NtryRef');
  if (entryRef !== undefined) return JSON.stringify(['camt', accountId, 'NtryRef', entryRef, date, amount]);
  const txRef = firstOf(details, (tx) => leaf(node(tx, 'Refs'), 'AcctSvcrRef'));
  return txRef === undefined ? undefined : JSON.stringify(['camt', accountId, 'AcctSvcrRef', txRef]);
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
}

/**
 * The `BkToCstmrStmt` of a camt.053 document: refused (CamtFileError) when the document has a
 * DOCTYPE, is not well-formed XML, or is not `Document` in a camt.053 namespace holding a
 * `BkToCstmrStmt` (a camt.052 report or a camt.054 notification is named as such).
 */
export function parseCamt(input: string): CamtDocument {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const lines = new LineIndex(text);
  if (text.trim() === '') throw new CamtFileError(1, 1, 'The file is empty');
  const doctype = text.search(/<!DOCTYPE/i);
  if (doctype >= 0) throw at(lines, doctype, 'A DOCTYPE is not allowed (a camt.053 statement has none; entities it could define are never expanded)');
  const valid = XMLValidator.validate(text);
  if (valid !== true) throw new CamtFileError(valid.err.line, valid.err.col, `Not well-formed XML: ${valid.err.msg}`);
  const parser = new XMLParser({
    ignoreAttributes: false,
    removeNSPrefix: true,
    parseTagValue: false,
    parseAttributeValue: false,
    processEntities: false,
    htmlEntities: false,
    ignoreDeclaration: true,
    ignorePiTags: true,
    captureMetaData: true,
    isArray: (name) => REPEATED.has(name),
  });
  const parsed = parser.parse(text) as Record<string, unknown>;
  const meta: unknown = XMLParser.getMetaDataSymbol();
  const rootName = Object.keys(parsed).find((k) => !k.startsWith('?') && !k.startsWith('#'));
  const root = rootName === undefined ? undefined : (parsed[rootName] as XmlNode);
  const startOf = (element: XmlNode | undefined): number => {
    if (typeof element !== 'object' || (typeof meta !== 'symbol' && typeof meta !== 'string')) return 0;
    const data: unknown = Reflect.get(element, meta);
    const start: unknown = typeof data === 'object' && data !== null ? Reflect.get(data, 'startIndex') : undefined;
    return typeof start === 'number' ? start : 0;
  };
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
  return { BkToCstmrStmt: statement as XmlNode, lineOf: (element) => lines.position(startOf(element)).line };
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

function firstOf<T>(items: XmlNode[], pick: (item: XmlNode) => T | undefined): T | undefined {
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
