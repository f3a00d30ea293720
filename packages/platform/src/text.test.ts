import { describe, expect, it } from 'vitest';
import { isWellFormedText, nameKey, normalizeName } from './text';

describe('isWellFormedText', () => {
  it('accepts any well-formed text, astral characters, emoji sequences, tabs and line breaks', () => {
    for (const ok of ['', 'Café', '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}', '\u{1D54F}', 'a\tb\nc\r\n', '\ufffd']) expect(isWellFormedText(ok), ok).toBe(true);
  });

  it('refuses lone surrogates, NUL, other C0 controls and DEL', () => {
    for (const bad of ['\ud800', 'a\udc00', '\udc00\ud800', 'a\u0000b', '\u0007', '\u001b[31m', '\u007f']) expect(isWellFormedText(bad), JSON.stringify(bad)).toBe(false);
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
});
