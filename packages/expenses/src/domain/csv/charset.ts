import { CP1252_NAMES, UTF8_NAMES, decodeWindows1252, strictUtf8 } from '../bank-charsets';
import type { CsvCharset, CsvDecoding } from './layout';

/**
 * The text of a CSV import's body. Banks' and Excel's CSV downloads are UTF-8 or, very often
 * (German, French, UK banks; Excel's "CSV" on Windows), Windows-1252 or ISO-8859-1; Excel's
 * "Unicode Text" and some banks write UTF-16 (with a byte order mark, tab-separated); Polish,
 * Czech, Slovak, Hungarian and Croatian banks Windows-1250 or ISO-8859-2. Nothing in a CSV file
 * says which, except a byte order mark. So, in order:
 *
 * - A byte order mark decides whatever charset is given (as the WHATWG Encoding standard's
 *   decode does: an editor or Excel wrote it with the bytes): EF BB BF UTF-8, FF FE UTF-16LE,
 *   FE FF UTF-16BE; decoded strictly and dropped.
 * - A charset given (the Content-Type's `charset`, else the mapping's `charset` from the query
 *   or an import profile): `utf-8` strictly (a byte that is not UTF-8 is refused, never
 *   replaced by U+FFFD); `windows-1252` and `iso-8859-1` both as Windows-1252 (bank-charsets.ts:
 *   as browsers read ISO-8859-1; `€`, `’`, `Š` are the bytes 0x80-0x9F that files labelled
 *   ISO-8859-1 do hold); `utf-16le`, `utf-16be` strictly (an odd number of bytes or an unpaired
 *   surrogate is refused), `utf-16` as little-endian (WHATWG's reading of the label, and what
 *   Windows writes) unless the bytes show big-endian (utf16Pattern); `windows-1250` and
 *   `iso-8859-2` each by its own table (TextDecoder: Node has full ICU). Unlike Windows-1252
 *   and ISO-8859-1, these two are NOT folded into one: besides 0x80-0x9F (where ISO-8859-2 has
 *   control characters and Windows-1250 has `Š Ś Ť Ž Ź` and their small letters), they place
 *   letters apart in 0xA0-0xBF: Windows-1250's 0xA9 is `©` where ISO-8859-2's is `Š`, its 0xBB
 *   `»` where ISO-8859-2's is `ť`, its 0x8A `Š` a control character in ISO-8859-2. Reading one
 *   as the other would store `©koda` for `Škoda`. `macintosh` (Mac OS Roman: what Excel for Mac's
 *   "CSV (Macintosh)" writes) by its own table too; 0x80-0xFF hold its letters (`Ä` 0x80, `é`
 *   0x8E, `€` 0xDB) where Windows-1252 has others, so it is never guessed either.
 * - None given: UTF-16 when the start of the file shows it (utf16Pattern: zero bytes in every
 *   other place, which a text in a one-byte charset or UTF-8 never holds); else UTF-8 when the
 *   bytes are UTF-8 (ASCII is), else Windows-1252, the de-facto default of such exports, rather
 *   than refusing the file or storing U+FFFD. A Windows-1252 file with accents is practically
 *   never valid UTF-8 (an accented letter is one byte of 0xC0-0xFF followed by an ASCII one);
 *   the reverse guess could not be made safely. Windows-1250 and ISO-8859-2 are never guessed:
 *   their bytes are as valid Windows-1252, which would read `Łódź` as `£ódŸ`; only naming the
 *   charset reads them. Likewise Mac Roman.
 */
export type DecodedCsv =
  | { ok: true; text: string; charset: CsvDecoding }
  /** `source`: what chose the decoding that failed: a byte order mark, the charset given, or utf16Pattern. */
  | { ok: false; message: string; source: 'bom' | 'given' | 'detected' };

/** What each charset name decodes as; `utf-16`: little-endian unless a BOM or the bytes say big-endian. */
const DECODING_OF: Record<CsvCharset, CsvDecoding | 'utf-16'> = {
  'utf-8': 'utf-8',
  'utf-16': 'utf-16',
  'utf-16le': 'utf-16le',
  'utf-16be': 'utf-16be',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
  'iso-8859-1': 'windows-1252',
  latin1: 'windows-1252',
  'windows-1250': 'windows-1250',
  cp1250: 'windows-1250',
  'iso-8859-2': 'iso-8859-2',
  latin2: 'iso-8859-2',
  l2: 'iso-8859-2',
  macintosh: 'macintosh',
  mac: 'macintosh',
  'x-mac-roman': 'macintosh',
};

/** Content-Type labels (upper case) of the charsets read besides UTF-8 and Windows-1252 / ISO-8859-1 (bank-charsets.ts). */
const LABELS: ReadonlyMap<string, CsvCharset> = new Map<string, CsvCharset>([
  ['UTF-16', 'utf-16'],
  ['UTF16', 'utf-16'],
  ['UTF-16LE', 'utf-16le'],
  ['UTF16LE', 'utf-16le'],
  ['UTF-16BE', 'utf-16be'],
  ['UTF16BE', 'utf-16be'],
  ['WINDOWS-1250', 'windows-1250'],
  ['CP1250', 'windows-1250'],
  ['X-CP1250', 'windows-1250'],
  ['ISO-8859-2', 'iso-8859-2'],
  ['ISO8859-2', 'iso-8859-2'],
  ['ISO_8859-2', 'iso-8859-2'],
  ['LATIN2', 'iso-8859-2'],
  ['LATIN-2', 'iso-8859-2'],
  ['L2', 'iso-8859-2'],
  ['MACINTOSH', 'macintosh'],
  ['CSMACINTOSH', 'macintosh'],
  ['MAC', 'macintosh'],
  ['X-MAC-ROMAN', 'macintosh'],
  ['MACROMAN', 'macintosh'],
]);

/** How each decoding is named in messages. */
const NAMES: Record<CsvDecoding, string> = {
  'utf-8': 'UTF-8',
  'utf-16le': 'UTF-16LE',
  'utf-16be': 'UTF-16BE',
  'windows-1252': 'Windows-1252',
  'windows-1250': 'Windows-1250',
  'iso-8859-2': 'ISO-8859-2',
  macintosh: 'Mac Roman',
};

/** The charset of a Content-Type's `charset` label (any case: `utf-8`, `latin1`, `cp1250`, `UTF-16LE`...); undefined for one not read here. */
export function csvCharsetOfLabel(label: string): CsvCharset | undefined {
  const upper = label.trim().toUpperCase();
  if (UTF8_NAMES.has(upper)) return 'utf-8';
  if (CP1252_NAMES.has(upper)) return ['WINDOWS-1252', 'CP1252', 'X-CP1252', '1252'].includes(upper) ? 'windows-1252' : 'iso-8859-1';
  return LABELS.get(upper);
}

/** `given`: the charset the request names (see the top), and where it was named, for the message. `detectUtf16: false`: no utf16Pattern (import-body.ts). */
export function decodeCsv(bytes: Uint8Array, given?: { charset: CsvCharset; by: string }, options: { detectUtf16?: boolean } = {}): DecodedCsv {
  const bom = byteOrderMark(bytes);
  if (bom !== undefined) return decodeAs(bytes, bom, 'bom', `the file starts with a ${NAMES[bom]} byte order mark`);
  if (given) {
    const named = DECODING_OF[given.charset];
    const decoding = named === 'utf-16' ? (utf16Pattern(bytes) ?? 'utf-16le') : named;
    return decodeAs(bytes, decoding, 'given', `${given.by} charset=${given.charset}`);
  }
  const detected = options.detectUtf16 === false ? undefined : utf16Pattern(bytes);
  if (detected !== undefined) {
    return decodeAs(bytes, detected, 'detected', `no charset was given and every other byte of the file's start is zero, as in ${NAMES[detected]}; name the charset to read it otherwise`);
  }
  try {
    return { ok: true, text: strictUtf8.decode(bytes), charset: 'utf-8' };
  } catch {
    return { ok: true, text: decodeWindows1252(bytes), charset: 'windows-1252' };
  }
}

/** Whether two charsets read a file the same way (`windows-1252` and `iso-8859-1` do; `utf-16` agrees with either byte order, which a BOM decides). */
export function sameDecoding(a: CsvCharset, b: CsvCharset): boolean {
  const [x, y] = [DECODING_OF[a], DECODING_OF[b]];
  return x === y || (x === 'utf-16' && y.startsWith('utf-16')) || (y === 'utf-16' && x.startsWith('utf-16'));
}

/** The byte order mark the bytes start with, if any. */
function byteOrderMark(bytes: Uint8Array): 'utf-8' | 'utf-16le' | 'utf-16be' | undefined {
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return 'utf-8';
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

/** Bytes of the start of a file utf16Pattern looks at (32 UTF-16 code units: a header row's start, or a row's date and amount). */
export const UTF16_SNIFF_BYTES = 64;

/**
 * UTF-16 without a byte order mark, told by its zero bytes: in the file's first
 * UTF16_SNIFF_BYTES (at least 4), no zero byte in one place of each pair and a zero in the
 * other place of at least half of the pairs. A CSV's start is mostly ASCII (a header, dates,
 * digits, delimiters), each character of it in UTF-16 a zero byte and the letter: zeros in the
 * odd places for little-endian, the even ones for big-endian (a letter beyond Latin-1, `Ł`
 * 0x0141, has no zero byte, hence half of the pairs, not all). Safe: text in a one-byte
 * charset or UTF-8 holds no zero byte at all (it is NUL, no character of a CSV), so no such
 * file is read as UTF-16; a file of zeros (zeros in both places) is neither.
 */
export function utf16Pattern(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  const pairs = Math.min(bytes.length, UTF16_SNIFF_BYTES) >> 1;
  if (pairs < 2) return undefined;
  let zeroFirst = 0;
  let zeroSecond = 0;
  for (let i = 0; i < pairs; i++) {
    if (bytes[2 * i] === 0) zeroFirst++;
    if (bytes[2 * i + 1] === 0) zeroSecond++;
  }
  if (zeroFirst === 0 && zeroSecond * 2 >= pairs) return 'utf-16le';
  if (zeroSecond === 0 && zeroFirst * 2 >= pairs) return 'utf-16be';
  return undefined;
}

/** TextDecoders made on first use (a Node built without full ICU would throw for the one-byte ones; official builds and Lambda's have it). */
const decoders = new Map<string, TextDecoder>();
const decoderOf = (label: 'utf-16le' | 'utf-16be' | 'windows-1250' | 'iso-8859-2' | 'macintosh') => {
  let decoder = decoders.get(label);
  if (!decoder) decoders.set(label, (decoder = new TextDecoder(label, { fatal: true })));
  return decoder;
};

function decodeAs(bytes: Uint8Array, decoding: CsvDecoding, source: 'bom' | 'given' | 'detected', why: string): DecodedCsv {
  if (decoding === 'windows-1252') return { ok: true, text: decodeWindows1252(bytes), charset: decoding };
  // Every byte is a character in both tables (WHATWG's indexes are complete): never fails.
  if (decoding === 'windows-1250' || decoding === 'iso-8859-2' || decoding === 'macintosh') return { ok: true, text: decoderOf(decoding).decode(bytes), charset: decoding };
  if (decoding === 'utf-8') {
    try {
      return { ok: true, text: strictUtf8.decode(bytes), charset: decoding };
    } catch {
      return { ok: false, message: `Must be valid UTF-8 (the body held bytes that are not; ${why})`, source };
    }
  }
  const name = NAMES[decoding];
  if (bytes.length % 2 === 1) {
    return { ok: false, message: `Must be valid ${name} (the body held ${bytes.length} bytes, an odd number: each UTF-16 unit is 2 bytes; ${why})`, source };
  }
  try {
    // Like every TextDecoder it drops a leading BOM (of its own byte order).
    return { ok: true, text: decoderOf(decoding).decode(bytes), charset: decoding };
  } catch {
    return { ok: false, message: `Must be valid ${name} (the body held an unpaired surrogate; ${why})`, source };
  }
}
