import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { characterCount, closedBidi, hasVisibleText, isWellFormedText, nameKey, normalizeName, oneLine, searchKey } from './text';

describe('isWellFormedText', () => {
  it('accepts any well-formed text, astral characters, emoji sequences, tabs and line breaks', () => {
    for (const ok of ['', 'Café', '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}', '\u{1D54F}', 'a\tb\nc\r\n', '\ufffd']) expect(isWellFormedText(ok), ok).toBe(true);
  });

  it('refuses lone surrogates, NUL, other C0 controls and DEL', () => {
    for (const bad of ['\ud800', 'a\udc00', '\udc00\ud800', 'a\u0000b', '\u0007', '\u001b[31m', '\u007f']) expect(isWellFormedText(bad), JSON.stringify(bad)).toBe(false);
  });

  it('refuses the C1 controls but NEL (a line break, allowed as line feed is): U+0080..U+0084, U+0086..U+009F', () => {
    for (const bad of ['\u0080', 'Food\u0090', '\u009b31m', '\u0084', '\u0086', '\u009f']) expect(isWellFormedText(bad), JSON.stringify(bad)).toBe(false);
    for (const ok of ['a\u0085b', '\u00a0', '\u00a9 2026']) expect(isWellFormedText(ok), JSON.stringify(ok)).toBe(true);
  });
});

describe('hasVisibleText', () => {
  it('is false for text of only invisible characters and spaces', () => {
    for (const blank of ['', '   ', '\u200b', '\u200f\u202e', '\u00ad \u3164', '\u2060\ufeff\u200d']) expect(hasVisibleText(blank), JSON.stringify(blank)).toBe(false);
  });

  it('is true once one character shows, whatever invisible ones surround it', () => {
    for (const shown of ['a', '\u200bx\u200b', '\u202eexe.png', '\u{1F355}', '\u00e9']) expect(hasVisibleText(shown), JSON.stringify(shown)).toBe(true);
  });
});

describe('oneLine', () => {
  it('puts every line break and run of white space on one line as one space, NEL and U+2028/2029 included', () => {
    expect(oneLine('\u0085Rent\r\n\r\nYour account\u2028is\u2029locked\u0085\tcall  us ')).toBe('Rent Your account is locked call us');
    expect(oneLine('Corner Market')).toBe('Corner Market');
  });
});

describe('characterCount', () => {
  it('counts code points as the request schemas do: an emoji (a surrogate pair) once, a combining accent as its own', () => {
    expect(characterCount('')).toBe(0);
    expect(characterCount('Caf\u00e9')).toBe(4);
    expect(characterCount('Cafe\u0301')).toBe(5);
    expect(characterCount('\u{1F6D2}'.repeat(150))).toBe(150);
    expect(characterCount('a\u{1F468}\u200d\u{1F469}b')).toBe(5);
  });
});

describe('closedBidi', () => {
  it('closes what the text leaves open, innermost first: PDF after an embedding or override, PDI after an isolate', () => {
    expect(closedBidi('Rent\u202e')).toBe('Rent\u202e\u202c');
    expect(closedBidi('\u2068a\u202ab\u202dc')).toBe('\u2068a\u202ab\u202dc\u202c\u202c\u2069');
  });

  it('pairs as the bidi algorithm does: a PDF closes no isolate, a PDI closes the embeddings inside its isolate', () => {
    expect(closedBidi('\u202b\u2067x\u202c')).toBe('\u202b\u2067x\u202c\u2069\u202c');
    expect(closedBidi('\u2067\u202ex\u2069')).toBe('\u2067\u202ex\u2069');
  });

  it('leaves text that closes what it opens, or opens nothing, as it is; a paragraph break ends every level', () => {
    for (const same of ['', 'Corner Market', '\u202eoC tneR\u202c', 'a\u2069\u202cb', '\u2066x\u2069', '\u202ex\nRent', '\u200f\u05e9\u05dc\u05d5\u05dd']) {
      expect(closedBidi(same), JSON.stringify(same)).toBe(same);
    }
  });
});

describe('normalizeName', () => {
  it.each([
    ['Cafe\u0301', 'Caf\u00e9'],
    ['  Eating \t  out\n', 'Eating out'],
    ['Fo\u200bod\ufeff', 'Food'],
    ['\u200d\u200bFood\u200c ', 'Food'],
    ['\u200b\u2060\ufeff', ''],
    ['a\u00a0\u00a0b', 'a b'],
    // NEL is a line break where text is laid out but not in `\s`: a category named with one
    // pushed a co-member's second line under every alert's title.
    ['\u0085Food\u0085\u0085Your account is locked\u0085', 'Food Your account is locked'],
  ])('%j -> %j', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('keeps joiners inside a word (emoji sequences)', () => {
    const family = '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}';
    expect(normalizeName(` ${family} `)).toBe(family);
  });

  it('compares names ignoring case after normalizing', () => {
    expect(nameKey(' CAFE\u0301 ')).toBe(nameKey('café'));
  });

  it.each([
    ['Food\u200e', 'Food'],
    ['\u200fFood', 'Food'],
    ['\u202eFood\u202c', 'Food'],
    ['\u2066Food\u2069', 'Food'],
    ['Fo\u00adod', 'Food'],
    ['Fo\u034fod', 'Food'],
    ['Food\u3164', 'Food'],
    ['\u115fFood\uffa0', 'Food'],
    ['Food\u{E0001}', 'Food'],
    ['Fo\u{E0067}od', 'Food'],
    ['a\u200b\u0308', '\u00e4'],
    ['\u200e\u200f\u00ad', ''],
  ])('drops the invisible format character: %j -> %j', (input, expected) => {
    expect(normalizeName(input)).toBe(expected);
  });

  it('keeps what changes how text looks: variation selectors, subdivision flags, ZWNJ in Persian', () => {
    const heart = '\u2764\ufe0f';
    const scotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';
    const persian = '\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645';
    for (const name of [`${heart} Love`, `${scotland} Trip`, persian]) expect(normalizeName(name)).toBe(name);
  });

  it('keeps subdivision flags apart when comparing: Scotland is not Wales', () => {
    const scotland = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0073}\u{E0063}\u{E0074}\u{E007F}';
    const wales = '\u{1F3F4}\u{E0067}\u{E0062}\u{E0077}\u{E006C}\u{E0073}\u{E007F}';
    expect(nameKey(`${scotland} Trip`)).not.toBe(nameKey(`${wales} Trip`));
    expect(nameKey(`${scotland} Trip`)).toBe(nameKey(`${scotland} trip`));
  });

  it('compares names by their compatibility form: fullwidth letters, ligatures and styled letters are the plain ones', () => {
    // Each pair looks alike in an app's list; before NFKC they were two categories side by side.
    for (const [styled, plain] of [
      ['\uff26\uff4f\uff4f\uff44', 'food'],
      ['\ufb01sh', 'fish'],
      ['\u{1d41f}\u{1d428}\u{1d428}\u{1d41d}', 'food'],
      ['Rent\u00b2', 'rent2'],
      ['\u017fhop', 'shop'],
      ['Caf\u00e9\u3000Nord', 'cafe\u0301 nord'],
    ]) expect(nameKey(styled!), styled).toBe(nameKey(plain!));
    expect(nameKey('Food')).not.toBe(nameKey('Foods'));
  });

  it('compares names ignoring presentation selectors', () => {
    expect(nameKey('\u2764\ufe0f Love')).toBe(nameKey('\u2764 Love'));
    expect(nameKey('Food\ufe0f')).toBe(nameKey('food'));
    expect(nameKey('Food \ufe0f')).toBe(nameKey('food'));
  });
});

describe('searchKey', () => {
  it.each([
    ['Café Zoë', 'cafe zoe'],
    ['CAFE\u0301  ZOE ', 'cafe zoe'],
    ['\u0130stanbul', 'istanbul'],
    ['\ufb01ne', 'fine'],
    ['\uff23\uff41\uff46\u00e9', 'cafe'],
    ['\u210cello', 'hello'],
    ['\u00c5ngstr\u00f6m', 'angstrom'],
    ['Stra\u00dfe', 'strasse'],
    ['STRA\u1e9eE', 'strasse'],
    ['\u039f\u0394\u039f\u03a3', '\u03bf\u03b4\u03bf\u03c3'],
    ['\u03bf\u03b4\u03bf\u03c2', '\u03bf\u03b4\u03bf\u03c3'],
    ['Co\u200brner\u00a0Market', 'corner market'],
  ])('%j -> %j', (input, expected) => {
    expect(searchKey(input)).toBe(expected);
  });

  it('is idempotent: a key is its own key', () => {
    for (const s of ['Café Zoë', '\u210cello', 'Ｃａｆé', '\u0130', 'Stra\u00dfe', '\u03bf\u03b4\u03bf\u03c2']) expect(searchKey(searchKey(s))).toBe(searchKey(s));
  });
});

describe('normalizeName on long runs of spaces', () => {
  it('trims the edges in one pass: a name of 1,000,000 spaces between two letters (the edge pattern backtracked: 40,000 took 2 s)', () => {
    // Measured by hand before the fix (2026-12-05, this machine): 10,000 spaces 0.1 s, 20,000 0.26 s, 40,000 2 s.
    const inner = ' '.repeat(1_000_000);
    expect(normalizeName(`a${inner}b`)).toBe('a b');
    expect(normalizeName(`\u200d ${inner}a\u200c${inner}\u200c`)).toBe('a');
    expect(normalizeName(`a\u200db`)).toBe('a\u200db');
    expect(normalizeName('\u00a0\u3000x\u2028')).toBe('x');
  });
});

describe('normalizeName by a scan, as the replaced edge pattern', () => {
  /** The pattern the scan replaced (feat/fuzz53, a10f64e3^1), run only on short strings where its backtracking costs nothing. */
  // NEL added to its white space as normalizeName now has it (review/attack3: a name kept it, a line break).
  const OLD_EDGE = /^[\s\u0085\u200c\u200d]+|[\s\u0085\u200c\u200d]+$/g;
  // Invisible characters dropped before NFC, as normalizeName now does (the pattern's version ran NFC first,
  // so "a\u200b\u0308" was stored as "a" + a combining diaeresis, a second spelling of "ä").
  const oldNormalizeName = (value: string) => value.replace(/[\u200b\u2060\ufeff]/g, '').normalize('NFC').replace(OLD_EDGE, '').replace(/[\s\u0085]+/g, ' ');
  const characters = [...'aAe0-', '\u0301', '\u0308', ' ', '\u00a0', '\u2007', '\u202f', '\u3000', '\t', '\n', '\r', '\u2028', '\u0085', '\u200b', '\u200c', '\u200d', '\u2060', '\ufeff', '\u{1F468}', '\ud800'];

  it('gives what the pattern gave on short names of spaces, line ends, invisible characters and combining marks', () => {
    fc.assert(
      fc.property(fc.string({ unit: fc.constantFrom(...characters), maxLength: 12 }), (value) => {
        expect(normalizeName(value)).toBe(oldNormalizeName(value));
      }),
      { numRuns: 3000, seed: process.env.CI ? 53 : undefined },
    );
  });
});
