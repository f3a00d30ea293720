/**
 * What text the API accepts and how names are normalized, in one place for every module (the
 * zod schemas in http/text-schemas.ts and the CSV import use these).
 *
 * Refused: lone surrogates (not Unicode at all: they cannot be encoded as UTF-8, so a CSV or
 * JSON round trip would change them) and C0 control characters other than tab, line feed and
 * carriage return, plus DEL (NUL truncates text in C-based tools and terminals; the others are
 * invisible and have no use in budgeting text), and the C1 controls but NEL (U+0080..U+009F
 * without U+0085, a line break as line feed is): invisible too, so "Food" and "Food" + U+0090
 * were two categories looking alike and U+0081 a budget name showing nothing (until
 * 2026-12-07), and U+009B is the 8-bit CSI that starts a terminal escape.
 */
// eslint-disable-next-line no-control-regex
const FORBIDDEN_CONTROLS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u0084\u0086-\u009f]/;

/** A high surrogate not followed by a low one, or a low one not preceded by a high one (code units, no `u` flag). */
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export const ILL_FORMED_TEXT = 'Must be well-formed Unicode text without NUL or other control characters';

export function isWellFormedText(value: string): boolean {
  return !LONE_SURROGATE.test(value) && !FORBIDDEN_CONTROLS.test(value);
}

/**
 * How many characters `text` has as the API counts them: Unicode code points, an emoji one (a
 * surrogate pair one, not two UTF-16 units), as the request schemas' length limits count them
 * (zod's max). For the same limits checked outside a schema (an imported file's cells): counted in
 * UTF-16 units there, a merchant of 150 emoji the API took was "more than 200 characters" when
 * its own export was imported back.
 */
export function characterCount(text: string): number {
  let count = text.length;
  for (let i = 1; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code >= 0xdc00 && code <= 0xdfff && isHighSurrogate(text.charCodeAt(i - 1))) count--;
  }
  return count;
}

const isHighSurrogate = (code: number): boolean => code >= 0xd800 && code <= 0xdbff;

/**
 * Invisible characters with no meaning in a name, dropped before a name is stored: every
 * Default_Ignorable_Code_Point (zero width space, word joiner, BOM, soft hyphen, bidi marks,
 * embeddings, overrides and isolates, Hangul fillers, ...) but the ones that change how the
 * text around them looks: the joiners (emoji sequences, Indic and Persian scripts), the
 * variation selectors (emoji or text presentation, ideographic variants), the Mongolian
 * variation selectors and vowel separator, and the tag characters (the subdivision flags'
 * 🏴 sequences; KEPT_TAGS). Dropping only three (U+200B, U+2060, U+FEFF) had let "Food" with
 * an RLM, a soft hyphen or a Hangul filler be a second category that looks like "Food", and a
 * budget be named with nothing visible at all.
 */
// The class lists joiners and selectors on purpose, one by one (the rule guards against a class that meant a sequence).
// eslint-disable-next-line no-misleading-character-class
const INVISIBLE = /(?![\u200c\u200d\ufe00-\ufe0f\u180b-\u180f\u{e0020}-\u{e007f}\u{e0100}-\u{e01ef}])\p{Default_Ignorable_Code_Point}/gu;
/** Tag characters (U+E0020..U+E007F) right after a black flag spell a subdivision flag (Scotland, Wales): kept; any others dropped. */
const TAG_RUN = /(\u{1f3f4}?)([\u{e0020}-\u{e007f}]+)/gu;
/**
 * What makes two stored names look alike but still differ: the variation selectors and the
 * Mongolian ones (a glyph's variant of the same character). The comparison key drops them, so
 * "❤️ Love" and "❤ Love" are one name, and so is "Food" with a stray selector after the "d".
 * Not the tag characters: the ones a name keeps spell a subdivision flag, and Scotland's and
 * Wales' differ only in them (dropping them made "🏴 Scotland trip" and "🏴 Wales trip" one name).
 */
const PRESENTATION_ONLY = /[\ufe00-\ufe0f\u180b-\u180f\u{e0100}-\u{e01ef}]/gu;
/**
 * Joiners matter inside a word (emoji sequences, Indic and Persian scripts), never at its ends.
 * NEL (U+0085) counts as white space here and in normalizeName: a line break where text is laid
 * out, but not in `\s`, so a name kept it and a category or budget named with one put a second
 * line of a co-member's making into every alert's push title.
 */
const EDGE_CHARACTER = /[\s\u0085\u200c\u200d]/;
const WHITE_SPACE_RUN = /[\s\u0085]+/g;

/**
 * `text` on one line: every run of white space (line feeds, CR, tabs, U+2028/2029 and NEL) one
 * space, trimmed. For a member's free text shown where one line is expected (a push title, a
 * comment's excerpt): free text keeps its line breaks where it is stored, and a co-member's
 * "Rent\n\nYour account is locked" would otherwise forge lines under the app's name.
 */
export function oneLine(text: string): string {
  return text.replace(WHITE_SPACE_RUN, ' ').trim();
}

/** The bidi controls that open a level (embeddings and overrides: closed by PDF; isolates: closed by PDI) or close one. */
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;
const PDF = '\u202c';
const PDI = '\u2069';
/** Paragraph separators (bidi class B; the C0 ones, U+001C..U+001E, are refused text): every embedding and isolate ends at one. */
const PARAGRAPH_END = /[\n\r\u0085\u2029]/;

/**
 * `text` with every bidi embedding, override and isolate it opens and leaves open closed at its
 * end (PDF for LRE/RLE/LRO/RLO, PDI for LRI/RLI/FSI, innermost first, as the Unicode bidi
 * algorithm pairs them: a PDF closes no isolate, a PDI closes the embeddings opened inside its
 * isolate). For a member's free text put inside the app's words (a push, an email, a calendar
 * event, a report table's row): a merchant ending in U+202E (right-to-left override) otherwise
 * turned everything after it on the line around, "Rent: 1200.00 EUR due tomorrow" showing
 * "Rent: ...RUE 00.0021". Text that closes what it opens (or has no such control) is returned as it is.
 */
export function closedBidi(text: string): string {
  if (!BIDI_CONTROL.test(text)) return text;
  const open: string[] = [];
  for (const ch of text) {
    if (PARAGRAPH_END.test(ch)) open.length = 0;
    else if (ch >= '\u202a' && ch <= '\u202e' && ch !== PDF) open.push(PDF);
    else if (ch >= '\u2066' && ch <= '\u2068') open.push(PDI);
    else if (ch === PDF && open.at(-1) === PDF) open.pop();
    else if (ch === PDI && open.includes(PDI)) open.length = open.lastIndexOf(PDI);
  }
  return text + open.reverse().join('');
}

/**
 * A right-to-left character: Hebrew, Arabic, Syriac, Thaana, N'Ko, Samaritan, Mandaic and the
 * other scripts of the R and AL bidi classes (their blocks), their presentation forms, the
 * supplementary right-to-left planes' blocks, and the RLM and ALM marks.
 */
const RIGHT_TO_LEFT = /[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200f\u{10800}-\u{10fff}\u{1e800}-\u{1efff}]/u;
const FSI = '\u2068';

/**
 * `text` (closedBidi) as a value put inside the app's words, isolated (FSI ... PDI) when it
 * holds a right-to-left character: in a left-to-right line, the punctuation and digits after a
 * Hebrew or Arabic name (": 1.200,00 €", "“: 80 %") otherwise join its right-to-left run (UAX #9
 * rule N1: numbers count as right-to-left for the neutrals between them and the name), and a
 * device shows the amount on the name's left. A first strong isolate takes its direction
 * from the value itself, and nothing outside it is reordered by what is inside. A value with no
 * right-to-left character is returned as closedBidi returns it: the texts as before.
 */
export function isolatedBidi(text: string): string {
  const closed = closedBidi(text);
  return RIGHT_TO_LEFT.test(closed) ? `${FSI}${closed}${PDI}` : closed;
}

/**
 * `value` without whitespace and joiners at its ends, by a scan from each end. A pattern
 * (`[\s\u200c\u200d]+$`, tried from every position) backtracked over each run of spaces inside
 * the text: 40,000 spaces between two letters took 2 s, a 1 MB request body minutes.
 */
function trimEdges(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && EDGE_CHARACTER.test(value[start]!)) start++;
  while (end > start && EDGE_CHARACTER.test(value[end - 1]!)) end--;
  return value.slice(start, end);
}

/**
 * A name as it is stored and compared: NFC (one spelling of "é"), invisible characters
 * dropped, whitespace (NEL too) trimmed and collapsed to single spaces: one line. A name of only zero-width
 * characters becomes empty, so it is refused as empty rather than stored as a distinct,
 * invisible name.
 */
export function normalizeName(value: string): string {
  // Dropped before NFC: a combining grapheme joiner between two marks kept them from being reordered.
  const visible = value.replace(INVISIBLE, '').replace(TAG_RUN, (run: string, flag: string) => (flag ? run : ''));
  return trimEdges(visible.normalize('NFC')).replace(WHITE_SPACE_RUN, ' ');
}

/**
 * Whether text shows anything once the invisible characters a name drops are gone (zero width
 * spaces, bidi marks, fillers: normalizeName). The one rule for free text that must be readable
 * (a merchant, an income's source, a comment), so none of them can be only invisible characters.
 */
export function hasVisibleText(value: string): boolean {
  return normalizeName(value) !== '';
}

/**
 * The key under which two names are "the same": also ignoring letter case, presentation
 * selectors and compatibility forms (NFKC: fullwidth "Ｆｏｏｄ", the ligature in "ﬁsh", the
 * mathematical bold letters and the superscript in "Rent²" are the plain letters and digit), so
 * a look-alike of a name is refused where the name itself would be (a second category, group
 * or import profile). Only the comparison folds: the name is stored as it was sent. Letters of
 * other scripts that merely look alike (a Cyrillic "о" in "Fоod") stay apart: telling them needs
 * Unicode's confusables data (UTS #39), which no name here carries.
 */
export function nameKey(value: string): string {
  return normalizeName(normalizeName(value).replace(PRESENTATION_ONLY, '').normalize('NFKC')).toLowerCase();
}

/**
 * nameKey as it was before it folded compatibility forms (2026-12-06): the key under which a
 * stored claim of that time was written (import profiles' name claims; see their repository).
 */
export function nameKeyBeforeNfkc(value: string): string {
  return normalizeName(normalizeName(value).replace(PRESENTATION_ONLY, '')).toLowerCase();
}

/** Combining marks (accents, diaereses, ...) as NFKD separates them from their base letter. */
const COMBINING_MARKS = /\p{M}/gu;

/**
 * The key under which text is searched: normalized as a name (invisible characters dropped,
 * whitespace trimmed and collapsed), lowercased, then NFKD with every combining mark removed (and lowercased again),
 * so "Café Zoë", "CAFE ZOE" and "cafe\u0301 zoe" share one key and compatibility forms
 * ("ﬁ", fullwidth "Ｃａｆé") fold to their plain letters. Lowercased before NFKD: some capitals
 * lowercase to a letter plus a mark ("İ" -> "i̇"), which the mark removal then drops; and
 * some compatibility forms decompose to capitals ("ℌ" -> "H"), hence the second lowercasing.
 * Then the two full case foldings (Unicode CaseFolding.txt) that lowercasing and NFKD leave
 * apart and people type both ways: "ß" (and "ẞ", which lowercases to it) folds to "ss", so
 * "strasse" finds "Straße", and the final sigma "ς" to "σ", so a Greek word matches wherever
 * it ends. (The other full foldings are ligatures NFKD already splits, or letters with marks.)
 */
export function searchKey(value: string): string {
  return normalizeName(value)
    .toLowerCase()
    .normalize('NFKD')
    .replace(COMBINING_MARKS, '')
    .toLowerCase()
    .replace(/\u00df/g, 'ss')
    .replace(/\u03c2/g, '\u03c3');
}
