/**
 * What the two bank statement readers written as markup share (OFX's SGML/XML tokenizer,
 * ofx/tokenize.ts, and the camt.053 reader, camt/read.ts): positions for their errors, and
 * character references in their text.
 */

/** Offsets to 1-based lines and columns (LF, CRLF or CR line ends), by binary search over the line starts. */
export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(text: string) {
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 || (c === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  position(offset: number): { line: number; column: number } {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return { line: lo + 1, column: offset - this.starts[lo]! + 1 };
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
