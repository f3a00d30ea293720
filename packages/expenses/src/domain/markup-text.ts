/**
 * What the two bank statement readers written as markup share (OFX's SGML/XML tokenizer,
 * ofx/tokenize.ts, and the camt.053 reader, camt/statements.ts and camt/xml-tree.ts): positions for their errors, and
 * character references in their text.
 */

/**
 * Offsets to 1-based lines and columns (LF, CRLF or CR line ends), counted forward from the
 * last offset asked (the readers ask in document order), from the start again for an earlier
 * one (an error's). Holds three numbers: a table of every line's start held 8 bytes a line
 * (40 MB and more for 5 MB of line ends; bench/reader-memory.ts).
 */
export class LineIndex {
  private at = 0;
  private line = 1;
  private lineStart = 0;

  constructor(private readonly text: string) {}

  position(offset: number): { line: number; column: number } {
    // Offset 0 is camt's answer for an element without a position (text-only; a text-only
    // `<Ntry/>` has had its own offset since readers54b), asked between later offsets: answered
    // without moving, else each one would count from the start again.
    if (offset === 0) return { line: 1, column: 1 };
    if (offset < this.at) [this.at, this.line, this.lineStart] = [0, 1, 0];
    const text = this.text;
    for (let i = this.at; i < offset; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) {
        this.line++;
        this.lineStart = i + 1;
      }
    }
    this.at = offset;
    return { line: this.line, column: offset - this.lineStart + 1 };
  }
}

/**
 * Numeric character references (`&#233;`, `&#xE9;`: a code point that is no character, a
 * surrogate or 0, stays as written) and the `named` entities, in one pass (`&amp;#233;` becomes
 * `&#233;`, not `é`); an `&` that starts none is kept as written. `foldCase`: names in any case
 * (SGML's `&AMP;`).
 */
export function decodeReferences(value: string, named: Readonly<Record<string, string>>, foldCase = false): string {
  if (!value.includes('&')) return value;
  return value.replace(/&(#x[0-9a-fA-F]{1,6}|#[0-9]{1,7}|[a-zA-Z]+);/g, (whole, ref: string) => {
    if (ref.startsWith('#')) {
      const code = ref[1] === 'x' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
      return code > 0 && code <= 0x10ffff && !(code >= 0xd800 && code <= 0xdfff) ? String.fromCodePoint(code) : whole;
    }
    return named[foldCase ? ref.toLowerCase() : ref] ?? whole;
  });
}
