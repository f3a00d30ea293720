import { describe, expect, it } from 'vitest';
import { clipTo, padEndTo, padStartTo, widthOf } from './text-width';

describe('widths in monospace cells (the text email\'s columns)', () => {
  it('counts a wide character as two cells and a combining accent as none', () => {
    expect(widthOf('Food')).toBe(4);
    expect(widthOf('🛒')).toBe(2); // two UTF-16 units, two cells
    expect(widthOf('⚡')).toBe(2); // one UTF-16 unit, two cells
    expect(widthOf('食費')).toBe(4);
    expect(widthOf('Cafe\u0301')).toBe(4); // "Café" with a combining accent: five units, four cells
  });

  it('pads by cells, not by code units', () => {
    expect(padEndTo('食費', 6)).toBe('食費  ');
    expect(padStartTo('⚡', 4)).toBe('  ⚡');
    expect(padEndTo('Groceries', 4)).toBe('Groceries'); // never cut by padding
  });

  it('cuts between characters, never inside an emoji, and ends with "…" within the width', () => {
    expect(clipTo('Rent', 30)).toBe('Rent');
    expect(clipTo('a'.repeat(30), 30)).toBe('a'.repeat(30));
    expect(clipTo('a'.repeat(31), 30)).toBe(`${'a'.repeat(29)}…`);
    // 28 + 2 + 1 = 31 cells: the cart would take cells 29-30, leaving none for "…", so it goes whole.
    expect(clipTo(`${'a'.repeat(28)}🛒b`, 30)).toBe(`${'a'.repeat(28)}…`);
    // A code-unit cut at 29 would have kept half of the cart's surrogate pair.
    expect(`${'a'.repeat(28)}🛒b`.slice(0, 29)).toMatch(/\uD83D$/);
    // A flag is one character of two code points, two cells: 6 cells cut to 5 keeps two flags and "…";
    // to 4, one flag (the second would leave no cell for "…").
    expect(clipTo('🇩🇪🇫🇷🇪🇸', 5)).toBe('🇩🇪🇫🇷…');
    expect(clipTo('🇩🇪🇫🇷🇪🇸', 4)).toBe('🇩🇪…');
    // Wide characters: 食 is two cells.
    expect(clipTo('食費食費食費', 8)).toBe('食費食…');
  });
});
