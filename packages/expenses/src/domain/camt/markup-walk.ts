import { EntryCounter, FileRowLimitError } from '../import-file';
import { DESCRIPTION_MAX } from '../text-limits';
import { decodeEntities } from './xml-tree';

/*
 * The camt.053 reader's one pass over the raw markup before anything is parsed (walkMarkup):
 * it checks what the validator lets through, counts the entries and each entry's transactions
 * against the row limit, outlines where each entry, NtryDtls and TxDtls starts and ends (so
 * statements.ts parses them one at a time), and blanks every element the rows never read
 * (READ_CHILDREN), so the parser's trees hold only what is read. Apart from the parsing because
 * it reads text, not trees, and is what keeps a reader's memory bounded (bench/reader-memory.ts).
 */

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
export interface Spans {
  starts: number[];
  ends: number[];
}

/**
 * What the walk found of the statements' entries, in document order, so each is parsed alone
 * (readCamt): the entries, every entry's NtryDtls (cut out of its text) and transactions
 * (TxDtls of those NtryDtls, each parsed alone).
 */
export interface Outline {
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
export function walkMarkup(text: string, max: number, maxRows: number | undefined): { tooDeep?: number; notMarkup?: number; reduced?: string; outline: Outline } {
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
export function rootNamespace(text: string, start: number): string | undefined {
  const end = text.indexOf('>', start);
  const tag = text.slice(start, end < 0 ? undefined : end);
  const prefix = /^<\s*(?:([A-Za-z_][\w.-]*):)?Document\b/.exec(tag)?.[1];
  const attributes = [...tag.matchAll(/\sxmlns(?::([A-Za-z_][\w.-]*))?\s*=\s*(["'])(.*?)\2/g)];
  const declared = attributes.find((a) => a[1] === prefix);
  return declared?.[3]?.trim();
}
