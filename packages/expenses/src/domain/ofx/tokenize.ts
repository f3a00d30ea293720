import type { EntryCounter } from '../import-file';
import { LineIndex, decodeReferences } from '../markup-text';
import { clip } from '../quoted-text';

/**
 * A small, strict reader of OFX documents (bank statement downloads, also sold as Quicken's
 * QFX): OFX 1.x is SGML with leaf elements left unclosed (`<TRNAMT>-12.50` then the next
 * tag), after a block of `KEY:VALUE` header lines; OFX 2.x is XML with every element closed,
 * after an `<?xml ...?>` declaration and an `<?OFX ...?>` processing instruction.
 *
 * Written here rather than taken from npm (checked 2026-12-02): `ofx` pulls xml2json (a native
 * build), `node-ofx-parser` fast-xml-parser 3, `ofx4js` sax, uuid and an assert shim, and
 * `ofx-js` (no dependencies) turns the SGML into XML with regular expressions and returns a
 * loose object: none tells the LINE a transaction starts on (the import reports rows by line)
 * or refuses a broken file with its position, and the subset the import needs is small.
 *
 * Bounded: one pass over the text (at most 5 MB, the route's body limit), nesting at most
 * MAX_DEPTH deep; the tree keeps only what the statement reader (read.ts) can read (Pruner):
 * every element of the file was kept until 2026-12-05, 37 times the file for 5 MB of tiny
 * elements in one transaction (bench/reader-memory.ts). A malformed document is an
 * OfxFileError with its line and column, never a guess: every element is still checked.
 */

/** An element of the document: a leaf has `text`, an aggregate `children`. */
export interface OfxElement {
  name: string;
  /** 1-based line and column of its start tag. */
  line: number;
  column: number;
  text?: string;
  children: OfxElement[];
}

export class OfxFileError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    message: string,
  ) {
    super(message);
    this.name = 'OfxFileError';
  }
}

/** OFX nests about 6 deep (OFX > BANKMSGSRSV1 > STMTTRNRS > STMTRS > BANKTRANLIST > STMTTRN > PAYEE). */
const MAX_DEPTH = 32;
const NAME = /^[A-Za-z][A-Za-z0-9._]*$/;

/**
 * The document's root `<OFX>` element (with `counter`, as the statement reader reads it: only
 * what it can read kept, Pruner, and each statement's STMTTRN counted; with `statements`, each
 * statement too). The header is checked: OFX 1.x needs `OFXHEADER:100`
 * and `DATA:OFXSGML`; OFX 2.x an `<?OFX ...?>` instruction with `OFXHEADER="200"`. A document
 * starting directly with `<OFX>` (some banks leave the header out) is read as SGML.
 */
export function parseOfx(input: string, counter?: EntryCounter, statements?: EntryCounter): OfxElement {
  const text = input.startsWith('\uFEFF') ? input.slice(1) : input;
  const lines = new LineIndex(text);
  const start = text.search(/\S/);
  if (start < 0) throw new OfxFileError(1, 1, 'The file is empty');
  let sgml: boolean;
  let body: number;
  if (text.startsWith('OFXHEADER:', start)) {
    body = readSgmlHeader(text, start, lines);
    sgml = true;
  } else if (text.startsWith('<?xml', start) || text.startsWith('<?OFX', start)) {
    body = readXmlHeader(text, start, lines);
    sgml = false;
  } else if (/^<OFX>/i.test(text.slice(start, start + 5))) {
    body = start;
    sgml = true;
  } else {
    throw at(lines, start, 'Not an OFX file: expected the header OFXHEADER:100 (OFX 1.x), <?xml ...?> (OFX 2.x) or <OFX>');
  }
  return readBody(text, body, sgml, lines, counter, statements);
}

function readSgmlHeader(text: string, start: number, lines: LineIndex): number {
  const fields = new Map<string, string>();
  let pos = start;
  for (;;) {
    const end = lineEnd(text, pos);
    const line = text.slice(pos, end).trim();
    if (line.startsWith('<')) break;
    if (line !== '') {
      const match = /^([A-Z]+):(.*)$/.exec(line);
      if (!match) throw at(lines, pos, `Header lines are KEY:VALUE, found "${clip(line)}"`);
      fields.set(match[1]!, match[2]!.trim());
    }
    if (end >= text.length) throw at(lines, end, 'The file ends after its header: no <OFX> element');
    pos = end + 1;
  }
  if (fields.get('OFXHEADER') !== '100') throw at(lines, start, `OFXHEADER must be 100, found "${clip(fields.get('OFXHEADER') ?? '')}"`);
  const data = fields.get('DATA');
  if (data !== undefined && data !== 'OFXSGML') throw at(lines, start, `DATA must be OFXSGML, found "${clip(data)}"`);
  return skipSpace(text, pos);
}

function readXmlHeader(text: string, start: number, lines: LineIndex): number {
  let pos = start;
  let ofx = false;
  for (;;) {
    pos = skipSpace(text, pos);
    if (text.startsWith('<?', pos)) {
      const end = text.indexOf('?>', pos);
      if (end < 0) throw at(lines, pos, 'Unclosed processing instruction (<? without ?>)');
      const instruction = text.slice(pos + 2, end);
      if (/^OFX\s/.test(instruction)) {
        const version = /OFXHEADER\s*=\s*"([^"]*)"/.exec(instruction)?.[1];
        if (version !== '200') throw at(lines, pos, `OFXHEADER must be "200" in an OFX 2 header, found "${clip(version ?? '')}"`);
        ofx = true;
      }
      pos = end + 2;
    } else if (text.startsWith('<!--', pos)) {
      const end = text.indexOf('-->', pos);
      if (end < 0) throw at(lines, pos, 'Unclosed comment');
      pos = end + 3;
    } else break;
  }
  if (!ofx) throw at(lines, pos, 'An XML file must have the <?OFX OFXHEADER="200" ...?> header');
  return pos;
}

/**
 * The elements, in one pass. An element whose text is followed by a start tag, or by the end
 * tag of an element open around it, was a leaf left unclosed (OFX 1.x SGML): it is closed
 * there; an empty one is closed by the end tag around it (closeOmitted). In XML (OFX 2.x)
 * every element must be closed by its own end tag.
 */
function readBody(text: string, from: number, sgml: boolean, lines: LineIndex, counter: EntryCounter | undefined, statements: EntryCounter | undefined): OfxElement {
  const stack: OfxElement[] = [];
  // Pruned only for the statement reader (it passes its counter): the whole tree otherwise.
  const pruner = new Pruner(stack, counter !== undefined);
  let root: OfxElement | undefined;
  let pos = from;
  const closeLeaf = () => {
    const top = stack[stack.length - 1];
    if (sgml && top && top.text !== undefined) pruner.closed(stack.pop()!);
  };
  while (pos < text.length) {
    const open = text.indexOf('<', pos);
    const chunk = text.slice(pos, open < 0 ? text.length : open);
    if (chunk.trim() !== '') {
      const top = stack[stack.length - 1];
      const where = pos + (chunk.length - chunk.trimStart().length);
      if (!top) throw at(lines, where, root ? 'Text after the end of the <OFX> element' : 'Text before the <OFX> element');
      if (pruner.hadChildren(top) || top.text !== undefined) throw at(lines, where, `Text inside the aggregate <${clip(top.name)}>: only leaf elements hold values`);
      top.text = decodeEntities(chunk.trim());
    }
    if (open < 0) break;
    if (text.startsWith('<!--', open)) {
      const end = text.indexOf('-->', open);
      if (end < 0) throw at(lines, open, 'Unclosed comment');
      pos = end + 3;
      continue;
    }
    const close = text.indexOf('>', open);
    if (close < 0) throw at(lines, open, 'Unclosed tag (< without >)');
    const tag = text.slice(open + 1, close);
    if (tag.startsWith('/')) {
      const name = tag.slice(1).trim();
      // SGML: `<NAME>Coffee</STMTTRN>`: the unclosed leaves end with their parent.
      if (sgml) closeOmitted(stack, name, pruner);
      const top = stack[stack.length - 1];
      if (!top || top.name !== name) {
        throw at(lines, open, top ? `</${clip(name)}> does not close the open element <${clip(top.name)}>` : `</${clip(name)}> closes no open element`);
      }
      pruner.closed(stack.pop()!);
      // An aggregate with nothing in it and a leaf closed empty (`<MEMO></MEMO>`) are both fine.
      pos = close + 1;
      continue;
    }
    const selfClosing = tag.endsWith('/');
    const name = (selfClosing ? tag.slice(0, -1) : tag).trim();
    if (!NAME.test(name)) throw at(lines, open, `Not an element name: <${clip(tag)}> (attributes are not part of OFX)`);
    closeLeaf();
    const parent = stack[stack.length - 1];
    const element: OfxElement = { name, ...lines.position(open), children: [] };
    if (parent) {
      if (parent.text !== undefined) throw at(lines, open, `<${clip(name)}> inside the leaf <${clip(parent.name)}>`);
      pruner.append(parent, element);
    } else if (root) {
      throw at(lines, open, `<${clip(name)}> after the end of the <OFX> element`);
    } else {
      if (name !== 'OFX') throw at(lines, open, `The document must start with <OFX>, found <${clip(name)}>`);
      root = element;
    }
    // A statement (outside another: the ones read.ts reads) and a transaction of one: counted as
    // they start, so a file of too many stops here.
    if (statements && STATEMENTS.has(name) && !pruner.inStatement()) statements.add();
    if (name === 'STMTTRN' && counter && pruner.inStatement()) counter.add();
    if (selfClosing) {
      if (parent) pruner.closedIn(element, parent);
    } else stack.push(element);
    if (stack.length > MAX_DEPTH) throw at(lines, open, `Elements nest more than ${MAX_DEPTH} deep`);
    pos = close + 1;
  }
  closeLeaf();
  if (stack.length > 0) {
    const open = stack[stack.length - 1]!;
    throw new OfxFileError(open.line, open.column, `The file ends inside <${clip(open.name)}> (no </${clip(open.name)}>)`);
  }
  if (!root) throw at(lines, from, 'No <OFX> element');
  return root;
}

/**
 * The aggregates (elements that hold elements, never text) of the statements this reader
 * walks, and around them. In OFX 1.x SGML an aggregate always has its end tag; only leaves are
 * left unclosed. So an element of this list is never closed implicitly: a file leaving one
 * open is malformed (a 400 with the position), not repaired.
 */
const AGGREGATES = new Set([
  'OFX', 'SIGNONMSGSRSV1', 'SONRS', 'STATUS', 'FI',
  'BANKMSGSRSV1', 'STMTTRNRS', 'STMTRS', 'BANKACCTFROM', 'BANKACCTTO',
  'CREDITCARDMSGSRSV1', 'CCSTMTTRNRS', 'CCSTMTRS', 'CCACCTFROM', 'CCACCTTO',
  'BANKTRANLIST', 'STMTTRN', 'PAYEE', 'CURRENCY', 'ORIGCURRENCY', 'LEDGERBAL', 'AVAILBAL', 'BALLIST', 'BAL',
]);

/**
 * SGML, at the end tag `</name>`: closes the leaves left unclosed above the element it ends.
 * A leaf with a value was already closed by the next tag; a leaf WITHOUT one (`<MEMO>` then
 * directly `<FITID>123`, as some banks write an empty memo) could not be told from an
 * aggregate when the next tag came, so what followed was read into it. Only here is it known:
 * an element that is not a known aggregate and is left open when its parent ends was an empty
 * leaf. It becomes one (text ''), and the elements read into it follow it in its parent, where
 * they were written. (It is its parent's last child while open: later elements go inside it.)
 * When `name` is not open above known aggregates only leaves and empty elements, nothing is
 * repaired: a leaf with a value is closed, as before, so the error names the element left open.
 */
function closeOmitted(stack: OfxElement[], name: string, pruner: Pruner): void {
  let i = stack.length - 1;
  while (i >= 0 && stack[i]!.name !== name && (stack[i]!.text !== undefined || !AGGREGATES.has(stack[i]!.name))) i--;
  if (i < 0 || stack[i]!.name !== name) {
    if (stack[stack.length - 1]?.text !== undefined) pruner.closed(stack.pop()!);
    return;
  }
  while (stack.length - 1 > i) {
    const leaf = stack.pop()!;
    if (leaf.text !== undefined) {
      pruner.closed(leaf);
      continue;
    }
    const parent = stack[stack.length - 1]!;
    for (const moved of leaf.children) pruner.moved(parent, moved);
    leaf.children = [];
    leaf.text = '';
  }
}

/** The statements read.ts reads (found anywhere outside another statement). */
const STATEMENTS = new Set(['STMTRS', 'CCSTMTRS']);
/**
 * Inside a statement, the names read.ts reads (read.ts: the statement's CURDEF, account and
 * ACCTID, its BANKTRANLISTs' STMTTRNs, each one's TRNTYPE, TRNAMT, DTPOSTED, NAME, MEMO, FITID, PAYEE's
 * NAME, CURRENCY's CURSYM), and of those the ones read as the FIRST child of their name only.
 */
const READ = new Set(['STMTRS', 'CCSTMTRS', 'BANKTRANLIST', 'STMTTRN']);
const FIRST_ONLY = new Set(['CURDEF', 'BANKACCTFROM', 'CCACCTFROM', 'ACCTID', 'TRNTYPE', 'TRNAMT', 'DTPOSTED', 'NAME', 'MEMO', 'FITID', 'PAYEE', 'CURRENCY', 'CURSYM']);

/**
 * Drops each element, once closed, that the statement reader can never read, so the tree holds
 * a bounded part of the file (the checks still see every element: `hadChildren` answers for
 * the children dropped):
 * - outside a statement, an element that holds none (read.ts looks there for statements only);
 * - inside one, an element of a name read.ts never reads (whatever it holds), and a second
 *   child of a name it reads only the first of (`child`), as read.ts would never reach it.
 * An element stays inside or outside a statement whatever closeOmitted repairs (it moves the
 * children of an empty leaf to the leaf's parent: never across an aggregate such as a
 * statement), and moved children keep their order, so "the first of its name" stays the first.
 */
class Pruner {
  private readonly withChildren = new WeakSet<OfxElement>();
  /** The FIRST_ONLY names an element holds a child of. */
  private readonly firstNames = new WeakMap<OfxElement, Set<string>>();

  constructor(
    private readonly stack: OfxElement[],
    private readonly prune: boolean,
  ) {}

  hadChildren(element: OfxElement): boolean {
    return this.withChildren.has(element);
  }

  append(parent: OfxElement, element: OfxElement): void {
    this.withChildren.add(parent);
    parent.children.push(element);
  }

  /** Whether a statement is open (the stack's elements, MAX_DEPTH at most). */
  inStatement(): boolean {
    return this.stack.some((e) => STATEMENTS.has(e.name));
  }

  /** `element` was popped from the stack: its parent is the stack's top. */
  closed(element: OfxElement): void {
    const parent = this.stack[this.stack.length - 1];
    if (parent) this.closedIn(element, parent);
  }

  /** `element`, closed, is `parent`'s last child: dropped when it can never be read. */
  closedIn(element: OfxElement, parent: OfxElement): void {
    if (this.keep(element, parent)) return;
    const children = parent.children;
    const at = children[children.length - 1] === element ? children.length - 1 : children.lastIndexOf(element);
    if (at >= 0) children.splice(at, 1);
  }

  /** A child of an empty leaf moved to `parent` (closeOmitted), kept when it may be read. */
  moved(parent: OfxElement, element: OfxElement): void {
    if (this.keep(element, parent)) parent.children.push(element);
  }

  private keep(element: OfxElement, parent: OfxElement): boolean {
    if (!this.prune) return true;
    if (!this.inStatement() && !STATEMENTS.has(parent.name)) return element.children.length > 0 || STATEMENTS.has(element.name);
    if (FIRST_ONLY.has(element.name)) {
      const names = this.firstNames.get(parent) ?? new Set<string>();
      if (names.has(element.name)) return false;
      names.add(element.name);
      this.firstNames.set(parent, names);
      return true;
    }
    if (element.name === 'BANKTRANLIST') return element.children.length > 0;
    // Not what it holds: read.ts reaches an element only through names it reads, so an element
    // of another name is never read, nor anything in it (an empty leaf's children were moved
    // out by closeOmitted before). Kept for its kept children, 5 MB of `<X><NAME>a</X>` in one
    // transaction held 260 MB.
    return READ.has(element.name);
  }
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };

/** XML's and SGML's character references (markup-text.ts); an `&` that starts none is kept (SGML banks write "AT&T"). */
const decodeEntities = (value: string): string => decodeReferences(value, ENTITIES, true);

function at(lines: LineIndex, offset: number, message: string): OfxFileError {
  const { line, column } = lines.position(offset);
  return new OfxFileError(line, column, message);
}

const LINE_END = /[\r\n]/g;

/**
 * The offset of the next CR or LF at or after `pos` (the text's length: none). One search for
 * either: searching for LF and for CR apart went to the end of the file for the one a file
 * never has, once per header line (a 5 MB header of 1.2 million lines took 66 s).
 */
function lineEnd(text: string, pos: number): number {
  LINE_END.lastIndex = pos;
  return LINE_END.exec(text)?.index ?? text.length;
}

function skipSpace(text: string, pos: number): number {
  while (pos < text.length && /\s/.test(text[pos]!)) pos++;
  return pos;
}
