import { describe, expect, it } from 'vitest';
import { csvCharsetOfLabel, decodeCsv, sameDecoding, utf16Pattern } from './charset';

/** "Café Müller;12,50" as a Windows-1252 export writes it: é = 0xE9, ü = 0xFC, one byte each. */
const CAFE_MUELLER_1252 = new Uint8Array([0x43, 0x61, 0x66, 0xe9, 0x20, 0x4d, 0xfc, 0x6c, 0x6c, 0x65, 0x72, 0x3b, 0x31, 0x32, 0x2c, 0x35, 0x30]);
/** The same text in UTF-8: é = 0xC3 0xA9, ü = 0xC3 0xBC. */
const CAFE_MUELLER_UTF8 = new Uint8Array([0x43, 0x61, 0x66, 0xc3, 0xa9, 0x20, 0x4d, 0xc3, 0xbc, 0x6c, 0x6c, 0x65, 0x72, 0x3b, 0x31, 0x32, 0x2c, 0x35, 0x30]);
/** Windows-1252's own characters in 0x80-0x9F: € (0x80), ’ (0x92), Š (0x8A), – (0x96). */
const CP1252_HIGH = new Uint8Array([0x35, 0x80, 0x20, 0x4d, 0x63, 0x44, 0x92, 0x73, 0x20, 0x8a, 0x20, 0x96]);
const BOM = [0xef, 0xbb, 0xbf];

describe('decodeCsv', () => {
  it('without a charset: UTF-8 bytes as UTF-8', () => {
    expect(decodeCsv(CAFE_MUELLER_UTF8)).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'utf-8' });
  });

  it('without a charset: bytes that are not UTF-8 as Windows-1252, never U+FFFD', () => {
    expect(decodeCsv(CAFE_MUELLER_1252)).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'windows-1252' });
    expect(decodeCsv(CP1252_HIGH)).toEqual({ ok: true, text: '5€ McD’s Š –', charset: 'windows-1252' });
  });

  it.each(['windows-1252', 'iso-8859-1'] as const)('charset %s: Windows-1252, the 0x80-0x9F characters included', (charset) => {
    expect(decodeCsv(CAFE_MUELLER_1252, { charset, by: 'the Content-Type says' })).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'windows-1252' });
    expect(decodeCsv(CP1252_HIGH, { charset, by: 'the Content-Type says' })).toEqual({ ok: true, text: '5€ McD’s Š –', charset: 'windows-1252' });
  });

  it('charset windows-1252 reads UTF-8 bytes as what they are in Windows-1252 (the caller said so)', () => {
    expect(decodeCsv(CAFE_MUELLER_UTF8, { charset: 'windows-1252', by: 'the mapping says' })).toEqual({ ok: true, text: 'CafÃ© MÃ¼ller;12,50', charset: 'windows-1252' });
  });

  it('charset utf-8: strict, naming who said so', () => {
    expect(decodeCsv(CAFE_MUELLER_UTF8, { charset: 'utf-8', by: 'the Content-Type says' })).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'utf-8' });
    expect(decodeCsv(CAFE_MUELLER_1252, { charset: 'utf-8', by: 'the Content-Type says' })).toEqual({
      ok: false,
      source: 'given',
      message: 'Must be valid UTF-8 (the body held bytes that are not; the Content-Type says charset=utf-8)',
    });
  });

  it('a UTF-8 BOM: UTF-8 whatever is given, the BOM dropped', () => {
    const withBom = new Uint8Array([...BOM, ...CAFE_MUELLER_UTF8]);
    expect(decodeCsv(withBom)).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'utf-8' });
    expect(decodeCsv(withBom, { charset: 'windows-1252', by: 'the mapping says' })).toEqual({ ok: true, text: 'Café Müller;12,50', charset: 'utf-8' });
    expect(decodeCsv(new Uint8Array([...BOM, ...CAFE_MUELLER_1252]))).toEqual({
      ok: false,
      source: 'bom',
      message: 'Must be valid UTF-8 (the body held bytes that are not; the file starts with a UTF-8 byte order mark)',
    });
  });

  it('ASCII is the same either way', () => {
    const ascii = new Uint8Array([0x64, 0x61, 0x74, 0x65]);
    expect(decodeCsv(ascii)).toEqual({ ok: true, text: 'date', charset: 'utf-8' });
    expect(decodeCsv(ascii, { charset: 'windows-1252', by: 'the mapping says' })).toEqual({ ok: true, text: 'date', charset: 'windows-1252' });
  });
});

describe('Content-Type charset labels', () => {
  it.each([
    ['utf-8', 'utf-8'],
    ['UTF8', 'utf-8'],
    ['us-ascii', 'utf-8'],
    ['windows-1252', 'windows-1252'],
    ['CP1252', 'windows-1252'],
    ['iso-8859-1', 'iso-8859-1'],
    ['ISO_8859-1', 'iso-8859-1'],
    ['latin1', 'iso-8859-1'],
    [' Latin-1 ', 'iso-8859-1'],
  ] as const)('%j is %s', (label, charset) => {
    expect(csvCharsetOfLabel(label)).toBe(charset);
  });

  it.each([
    ['utf-16', 'utf-16'],
    ['UTF16', 'utf-16'],
    ['UTF-16LE', 'utf-16le'],
    ['utf16le', 'utf-16le'],
    ['utf-16be', 'utf-16be'],
    ['windows-1250', 'windows-1250'],
    ['CP1250', 'windows-1250'],
    ['x-cp1250', 'windows-1250'],
    ['iso-8859-2', 'iso-8859-2'],
    ['ISO_8859-2', 'iso-8859-2'],
    ['latin2', 'iso-8859-2'],
    ['L2', 'iso-8859-2'],
  ] as const)('%j is %s', (label, charset) => {
    expect(csvCharsetOfLabel(label)).toBe(charset);
  });

  it.each(['koi8-r', 'utf-32', 'ucs-2', 'iso-8859-15', 'iso-8859-3', 'windows-1251', 'shift_jis', ''])('%j is not read', (label) => {
    expect(csvCharsetOfLabel(label)).toBeUndefined();
  });

  it('windows-1252 and iso-8859-1 decode alike; utf-8 differs', () => {
    expect(sameDecoding('windows-1252', 'iso-8859-1')).toBe(true);
    expect(sameDecoding('latin1', 'cp1252')).toBe(true);
    expect(sameDecoding('utf-8', 'windows-1252')).toBe(false);
  });

  it('windows-1250 and iso-8859-2 are two decodings, each with its aliases; utf-16 agrees with either byte order, the two orders do not', () => {
    expect(sameDecoding('windows-1250', 'cp1250')).toBe(true);
    expect(sameDecoding('iso-8859-2', 'latin2')).toBe(true);
    expect(sameDecoding('l2', 'latin2')).toBe(true);
    expect(sameDecoding('windows-1250', 'iso-8859-2')).toBe(false);
    expect(sameDecoding('windows-1250', 'windows-1252')).toBe(false);
    expect(sameDecoding('iso-8859-2', 'iso-8859-1')).toBe(false);
    expect(sameDecoding('utf-16', 'utf-16le')).toBe(true);
    expect(sameDecoding('utf-16be', 'utf-16')).toBe(true);
    expect(sameDecoding('utf-16le', 'utf-16be')).toBe(false);
    expect(sameDecoding('utf-16', 'utf-8')).toBe(false);
  });
});

/**
 * UTF-16 files as Excel's "Unicode Text" and banks write them, byte by byte. `le` and `be` spell
 * each character of an ASCII text as its two bytes (the letter and a zero, in either order); the
 * letters beyond ASCII are written out by hand: Ł U+0141, ó U+00F3, ź U+017A.
 */
const le = (text: string) => [...text].flatMap((c) => [c.charCodeAt(0), 0x00]);
const be = (text: string) => [...text].flatMap((c) => [0x00, c.charCodeAt(0)]);
/** "Łódź" in UTF-16LE and UTF-16BE. */
const LODZ_LE = [0x41, 0x01, 0xf3, 0x00, 0x64, 0x00, 0x7a, 0x01];
const LODZ_BE = [0x01, 0x41, 0x00, 0xf3, 0x00, 0x64, 0x01, 0x7a];
const BOM_LE = [0xff, 0xfe];
const BOM_BE = [0xfe, 0xff];
const UNICODE_TEXT = 'Data\tKwota\tOpis\r\n2026-03-05\t12.50\t';

describe('decodeCsv: UTF-16', () => {
  it('a UTF-16LE byte order mark: UTF-16LE whatever is given, the BOM dropped', () => {
    const bytes = new Uint8Array([...BOM_LE, ...le(UNICODE_TEXT), ...LODZ_LE, ...le('\r\n')]);
    const expected = { ok: true, text: 'Data\tKwota\tOpis\r\n2026-03-05\t12.50\tŁódź\r\n', charset: 'utf-16le' };
    expect(decodeCsv(bytes)).toEqual(expected);
    expect(decodeCsv(bytes, { charset: 'windows-1252', by: 'the Content-Type says' })).toEqual(expected);
    expect(decodeCsv(bytes, { charset: 'utf-8', by: 'the mapping says' })).toEqual(expected);
    expect(decodeCsv(bytes, { charset: 'utf-16be', by: 'the mapping says' })).toEqual(expected);
  });

  it('a UTF-16BE byte order mark: UTF-16BE', () => {
    const bytes = new Uint8Array([...BOM_BE, ...be('Opis\n'), ...LODZ_BE]);
    expect(decodeCsv(bytes)).toEqual({ ok: true, text: 'Opis\nŁódź', charset: 'utf-16be' });
    expect(decodeCsv(bytes, { charset: 'windows-1250', by: 'the mapping says' })).toEqual({ ok: true, text: 'Opis\nŁódź', charset: 'utf-16be' });
  });

  it('an odd number of bytes is refused, naming what chose UTF-16', () => {
    const odd = new Uint8Array([...BOM_LE, ...le('date'), 0x2c]);
    expect(decodeCsv(odd)).toEqual({
      ok: false,
      source: 'bom',
      message: 'Must be valid UTF-16LE (the body held 11 bytes, an odd number: each UTF-16 unit is 2 bytes; the file starts with a UTF-16LE byte order mark)',
    });
    expect(decodeCsv(new Uint8Array([...le('date'), 0x2c]), { charset: 'utf-16le', by: 'the mapping says' })).toEqual({
      ok: false,
      source: 'given',
      message: 'Must be valid UTF-16LE (the body held 9 bytes, an odd number: each UTF-16 unit is 2 bytes; the mapping says charset=utf-16le)',
    });
  });

  it('an unpaired surrogate is refused, never replaced by U+FFFD', () => {
    // "A", then 0xD800 (a high surrogate) followed by "B", not by a low surrogate.
    const lone = new Uint8Array([...BOM_LE, 0x41, 0x00, 0x00, 0xd8, 0x42, 0x00]);
    expect(decodeCsv(lone)).toEqual({ ok: false, source: 'bom', message: 'Must be valid UTF-16LE (the body held an unpaired surrogate; the file starts with a UTF-16LE byte order mark)' });
    // A low surrogate alone (0xDC00), big-endian.
    expect(decodeCsv(new Uint8Array([0xdc, 0x00, 0x00, 0x41]), { charset: 'utf-16be', by: 'the Content-Type says' })).toEqual({
      ok: false,
      source: 'given',
      message: 'Must be valid UTF-16BE (the body held an unpaired surrogate; the Content-Type says charset=utf-16be)',
    });
    // A pair is one character: U+1F600 is D83D DE00.
    expect(decodeCsv(new Uint8Array([...BOM_LE, 0x3d, 0xd8, 0x00, 0xde]))).toEqual({ ok: true, text: '\u{1f600}', charset: 'utf-16le' });
  });

  it('named without a byte order mark: utf-16le and utf-16be as said; utf-16 little-endian unless the bytes show big-endian', () => {
    expect(decodeCsv(new Uint8Array([...le('Opis;'), ...LODZ_LE]), { charset: 'utf-16le', by: 'the mapping says' })).toEqual({ ok: true, text: 'Opis;Łódź', charset: 'utf-16le' });
    expect(decodeCsv(new Uint8Array([...be('Opis;'), ...LODZ_BE]), { charset: 'utf-16be', by: 'the mapping says' })).toEqual({ ok: true, text: 'Opis;Łódź', charset: 'utf-16be' });
    expect(decodeCsv(new Uint8Array([...le('Opis;'), ...LODZ_LE]), { charset: 'utf-16', by: 'the mapping says' })).toEqual({ ok: true, text: 'Opis;Łódź', charset: 'utf-16le' });
    expect(decodeCsv(new Uint8Array([...be('Opis;'), ...LODZ_BE]), { charset: 'utf-16', by: 'the mapping says' })).toEqual({ ok: true, text: 'Opis;Łódź', charset: 'utf-16be' });
    // Nothing to tell by (no zero byte): little-endian, as WHATWG reads the label and Windows writes it: 41 01 42 01 is Łł (U+0141 U+0142).
    expect(decodeCsv(new Uint8Array([0x41, 0x01, 0x42, 0x01]), { charset: 'utf-16', by: 'the mapping says' })).toEqual({ ok: true, text: 'Łł', charset: 'utf-16le' });
  });

  it('without a BOM or a charset: UTF-16 when every other byte of the start is zero', () => {
    expect(decodeCsv(new Uint8Array([...le(UNICODE_TEXT), ...LODZ_LE]))).toEqual({ ok: true, text: `${UNICODE_TEXT}Łódź`, charset: 'utf-16le' });
    expect(decodeCsv(new Uint8Array([...be(UNICODE_TEXT), ...LODZ_BE]))).toEqual({ ok: true, text: `${UNICODE_TEXT}Łódź`, charset: 'utf-16be' });
    // Letters beyond Latin-1 at the start (Ł has no zero byte): still half of the pairs.
    expect(decodeCsv(new Uint8Array([...LODZ_LE, ...le(';Kwota')]))).toEqual({ ok: true, text: 'Łódź;Kwota', charset: 'utf-16le' });
    // Not valid (odd): refused, saying why it was read as UTF-16.
    expect(decodeCsv(new Uint8Array([...le('date,amount'), 0x0a]))).toEqual({
      ok: false,
      source: 'detected',
      message:
        "Must be valid UTF-16LE (the body held 23 bytes, an odd number: each UTF-16 unit is 2 bytes; no charset was given and every other byte of the file's start is zero, as in UTF-16LE; name the charset to read it otherwise)",
    });
    // detectUtf16: false (import-body.ts' fallback): today's rule, UTF-8 (NUL is UTF-8).
    expect(decodeCsv(new Uint8Array([0x61, 0x00, 0x62]), undefined, { detectUtf16: false })).toEqual({ ok: true, text: 'a\u0000b', charset: 'utf-8' });
  });

});

describe('utf16Pattern', () => {
  it('never for one-byte or UTF-8 text, a file of zeros, or fewer than 4 bytes', () => {
    expect(utf16Pattern(CAFE_MUELLER_1252)).toBeUndefined();
    expect(utf16Pattern(CAFE_MUELLER_UTF8)).toBeUndefined();
    expect(utf16Pattern(CP1252_HIGH)).toBeUndefined();
    expect(utf16Pattern(new Uint8Array(16))).toBeUndefined();
    expect(utf16Pattern(new Uint8Array([0x61, 0x00, 0x62]))).toBeUndefined();
    expect(utf16Pattern(new Uint8Array([0x61, 0x00, 0x62, 0x00]))).toBe('utf-16le');
    // A zero byte in both places of the pairs: neither (and the zeros at fewer than half: neither).
    expect(utf16Pattern(new Uint8Array([...le('date'), 0x00, 0x61]))).toBeUndefined();
    expect(utf16Pattern(new Uint8Array([0x41, 0x01, 0x42, 0x01, 0x43, 0x01, 0x44, 0x00]))).toBeUndefined();
    // Only the start is looked at (64 bytes): zeros after it do not count.
    expect(utf16Pattern(new Uint8Array([...CAFE_MUELLER_1252, ...CAFE_MUELLER_1252, ...CAFE_MUELLER_1252, ...CAFE_MUELLER_1252, ...le('late')]))).toBeUndefined();
    // Without it (these bytes as UTF-8): an ASCII file stays UTF-8.
    expect(decodeCsv(new Uint8Array([0x64, 0x61, 0x74, 0x65]))).toEqual({ ok: true, text: 'date', charset: 'utf-8' });
  });
});

/**
 * Central European code pages, written byte by byte from the code page tables (Microsoft's
 * cp1250 and ISO/IEC 8859-2), not produced by any encoder:
 *
 * - "Łódź": Ł 0xA3, ó 0xF3, d 0x64, ź 0x9F in Windows-1250 and 0xBC in ISO-8859-2.
 * - "Příliš žluťoučký kůň" (Czech): ř 0xF8, í 0xED, č 0xE8, ý 0xFD, ů 0xF9, ň 0xF2 in both;
 *   š 0x9A, ž 0x9E, ť 0x9D in Windows-1250 and 0xB9, 0xBE, 0xBB in ISO-8859-2.
 */
const LODZ_1250 = new Uint8Array([0xa3, 0xf3, 0x64, 0x9f]);
const LODZ_8859_2 = new Uint8Array([0xa3, 0xf3, 0x64, 0xbc]);
const CZECH = (s: number, z: number, t: number) =>
  // P ř í l i š ␠ ž l u ť o u č k ý ␠ k ů ň
  new Uint8Array([0x50, 0xf8, 0xed, 0x6c, 0x69, s, 0x20, z, 0x6c, 0x75, t, 0x6f, 0x75, 0xe8, 0x6b, 0xfd, 0x20, 0x6b, 0xf9, 0xf2]);
const CZECH_1250 = CZECH(0x9a, 0x9e, 0x9d);
const CZECH_8859_2 = CZECH(0xb9, 0xbe, 0xbb);

describe('decodeCsv: Windows-1250 and ISO-8859-2', () => {
  it.each(['windows-1250', 'cp1250'] as const)('%s: Łódź, Příliš žluťoučký kůň', (charset) => {
    expect(decodeCsv(LODZ_1250, { charset, by: 'the Content-Type says' })).toEqual({ ok: true, text: 'Łódź', charset: 'windows-1250' });
    expect(decodeCsv(CZECH_1250, { charset, by: 'the mapping says' })).toEqual({ ok: true, text: 'Příliš žluťoučký kůň', charset: 'windows-1250' });
  });

  it.each(['iso-8859-2', 'latin2', 'l2'] as const)('%s: Łódź, Příliš žluťoučký kůň', (charset) => {
    expect(decodeCsv(LODZ_8859_2, { charset, by: 'the Content-Type says' })).toEqual({ ok: true, text: 'Łódź', charset: 'iso-8859-2' });
    expect(decodeCsv(CZECH_8859_2, { charset, by: 'the mapping says' })).toEqual({ ok: true, text: 'Příliš žluťoučký kůň', charset: 'iso-8859-2' });
  });

  it('the two differ: Š š Ť ť Ź ź are 0x8A 0x9A 0x8D 0x9D 0x8F 0x9F in Windows-1250 and 0xA9 0xB9 0xAB 0xBB 0xAC 0xBC in ISO-8859-2', () => {
    const cp1250Letters = new Uint8Array([0x8a, 0x9a, 0x8d, 0x9d, 0x8f, 0x9f]);
    const latin2Letters = new Uint8Array([0xa9, 0xb9, 0xab, 0xbb, 0xac, 0xbc]);
    const as = (bytes: Uint8Array, charset: 'windows-1250' | 'iso-8859-2') => decodeCsv(bytes, { charset, by: 'the mapping says' });
    expect(as(cp1250Letters, 'windows-1250')).toEqual({ ok: true, text: 'ŠšŤťŹź', charset: 'windows-1250' });
    expect(as(latin2Letters, 'iso-8859-2')).toEqual({ ok: true, text: 'ŠšŤťŹź', charset: 'iso-8859-2' });
    // Each read as the other: Windows-1250 has © ą « » ¬ Ľ... there; ISO-8859-2 control characters.
    expect(as(latin2Letters, 'windows-1250')).toEqual({ ok: true, text: '©ą«»¬Ľ', charset: 'windows-1250' });
    expect(as(cp1250Letters, 'iso-8859-2')).toEqual({ ok: true, text: '\u008a\u009a\u008d\u009d\u008f\u009f', charset: 'iso-8859-2' });
    // Windows-1250's own 0x80-0x9F: € „ ” – (0x80 0x84 0x94 0x96).
    expect(as(new Uint8Array([0x80, 0x84, 0x94, 0x96]), 'windows-1250')).toEqual({ ok: true, text: '€„”–', charset: 'windows-1250' });
  });

  it('never guessed: the same bytes without a charset are Windows-1252 (not UTF-8)', () => {
    expect(decodeCsv(LODZ_1250)).toEqual({ ok: true, text: '£ódŸ', charset: 'windows-1252' });
  });
});

/**
 * Mac OS Roman (Excel for Mac's "CSV (Macintosh)"), written byte by byte from Apple's table
 * (ROMAN.TXT), not by an encoder: "Café Müller" is C a f 0x8E ␠ M 0x9F l l e r; `€` 0xDB,
 * `–` 0xD0, `’` 0xD5, `Ä` 0x80, `ß` 0xA7.
 */
const CAFE_MUELLER_MAC = new Uint8Array([0x43, 0x61, 0x66, 0x8e, 0x20, 0x4d, 0x9f, 0x6c, 0x6c, 0x65, 0x72]);

describe('decodeCsv: Mac Roman', () => {
  it.each(['macintosh', 'mac', 'x-mac-roman'] as const)('%s: Café Müller, € – ’ Ä ß', (charset) => {
    expect(decodeCsv(CAFE_MUELLER_MAC, { charset, by: 'the mapping says' })).toEqual({ ok: true, text: 'Café Müller', charset: 'macintosh' });
    expect(decodeCsv(new Uint8Array([0xdb, 0xd0, 0xd5, 0x80, 0xa7]), { charset, by: 'the mapping says' })).toEqual({ ok: true, text: '€–’Äß', charset: 'macintosh' });
  });

  it('named in a Content-Type (any case) and never guessed: without a charset the same bytes are Windows-1252', () => {
    for (const label of ['macintosh', 'MACINTOSH', 'mac', 'x-mac-roman', 'MacRoman', 'csMacintosh']) expect(csvCharsetOfLabel(label)).toBe('macintosh');
    expect(decodeCsv(CAFE_MUELLER_MAC)).toEqual({ ok: true, text: 'CafŽ MŸller', charset: 'windows-1252' });
    expect(sameDecoding('macintosh', 'x-mac-roman')).toBe(true);
    expect(sameDecoding('macintosh', 'windows-1252')).toBe(false);
  });
});
