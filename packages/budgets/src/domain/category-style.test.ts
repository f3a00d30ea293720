import { describe, expect, it } from 'vitest';
import { canonicalColor, colorProblem, emojiProblem, styleOf } from './category-style';
import { toCategory } from './categories';

describe('category emoji', () => {
  it.each([
    ['🍕', 'a pictograph'],
    ['🇩🇪', 'a flag: two regional indicators'],
    ['👨‍👩‍👧', 'a family: three emoji joined by ZWJ, 8 code units'],
    ['❤️', 'a heart with the emoji variation selector'],
    ['👍🏽', 'a skin tone modifier'],
    ['1️⃣', 'a keycap'],
    ['🏳️‍🌈', 'a ZWJ flag sequence, 6 code units'],
  ])('%s is one (%s)', (value) => {
    expect(emojiProblem(value)).toBeNull();
  });

  it.each([
    ['a', 'a plain letter'],
    ['7', 'a plain digit'],
    ['🍕🍕', 'two emoji'],
    ['', 'nothing'],
    [' ', 'a space'],
    ['🍕 ', 'an emoji and a space: two graphemes'],
    ['🇩', 'a lone regional indicator'],
    ['é', 'a letter with a combining accent: one grapheme, no pictograph'],
    ['👨‍👩‍👧‍👦👨‍👩‍👧‍👦', 'over 16 code units'],
  ])('%j is not (%s)', (value) => {
    expect(emojiProblem(value)).toBe('Must be exactly one emoji (e.g. "🍕"), at most 16 UTF-16 code units');
  });

  it('the longest family (11 code units) fits the 16-unit cap', () => {
    expect('👨‍👩‍👧‍👦'.length).toBe(11);
    expect(emojiProblem('👨‍👩‍👧‍👦')).toBeNull();
  });
});

describe('category color', () => {
  it.each(['#1a2B3c', '#000000', '#FFFFFF'])('%s is one', (value) => {
    expect(colorProblem(value)).toBeNull();
  });

  it.each(['#123', 'red', '#12345G', '1A2B3C', '#1A2B3C ', '#1A2B3C4D', ''])('%j is not', (value) => {
    expect(colorProblem(value)).toBe('Must be a color #RRGGBB (six hexadecimal digits, e.g. "#1A2B3C")');
  });

  it('is stored upper-case', () => {
    expect(canonicalColor('#1a2B3c')).toBe('#1A2B3C');
  });
});

describe('style keys on a category', () => {
  it('only when set, after hidden, the color upper-case', () => {
    expect(Object.entries(toCategory('c1', { name: 'Food', hidden: true, emoji: '🍕', color: '#ab12cd' }))).toEqual([
      ['id', 'c1'],
      ['name', 'Food'],
      ['hidden', true],
      ['emoji', '🍕'],
      ['color', '#AB12CD'],
    ]);
    expect(toCategory('c1', { name: 'Food', emoji: null, color: null })).toEqual({ id: 'c1', name: 'Food' });
    expect(styleOf({})).toEqual({});
  });
});
