import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { LineIndex } from '../markup-text';
import { clip } from '../quoted-text';
import { rootNamespace, walkMarkup, type Outline, type Spans } from './markup-walk';
import { transactionOf, type Transaction } from './transaction';
import { all, leaf, node, type XmlNode } from './xml-tree';

/*
 * A camt.053 document's statement entries, read one at a time from its text (readStatements):
 * the checks before parsing (DOCTYPE, well-formed, depth; the walk, markup-walk.ts), the
 * parser's set-up, the root's checks (statementOf), each statement's account, then each entry
 * and each of its transactions parsed alone, and every refusal a CamtFileError with its
 * position. read.ts turns the entries into rows; apart so that what is parsed, and how little
 * of it is alive at once, is read in one place.
 */

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

/**
 * How deep elements may nest: a camt.053 statement nests about 12 deep (Document > BkToCstmrStmt
 * > Stmt > Ntry > NtryDtls > TxDtls > RltdPties > Cdtr > Pty > PstlAdr > AdrLine). Deeper, the
 * parser would throw its own Error (its maxNestedTags, 100), a 500 rather than a 400.
 */
const MAX_DEPTH = 64;

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

/** A statement entry of readStatements: its tree without its NtryDtls, its transactions as read, its statement's account. */
export interface Entry {
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
export const STOP = Symbol('stop');

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

function at(lines: LineIndex, offset: number, message: string): CamtFileError {
  const { line, column } = lines.position(offset);
  return new CamtFileError(line, column, message);
}
