import stringWidth from 'string-width';

/**
 * Widths in a plain-text email's fixed columns are counted in monospace cells, not UTF-16 code
 * units: "🛒" and "食" take two cells, "é" written as e + a combining accent one, "Ａ" two
 * (string-width, from the Unicode East Asian Width property). Counting code units instead
 * misaligns every amount after such a name, and cutting at a code unit can split an emoji's
 * surrogate pair into a lone half. So names are cut between grapheme clusters (what a reader
 * sees as one character: Intl.Segmenter) and padded by their width in cells.
 */
export const widthOf = (value: string): number => stringWidth(value);

// Made on first use, never at module load (cold start), as category-style.ts's.
let segmenter: Intl.Segmenter | undefined;

/** `value` within `width` cells: as it is when it fits, else cut between characters and ended with "…". */
export function clipTo(value: string, width: number): string {
  if (widthOf(value) <= width) return value;
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let kept = '';
  let used = 0;
  for (const { segment } of segmenter.segment(value)) {
    const cells = widthOf(segment);
    // One cell stays for the "…".
    if (used + cells > width - 1) break;
    kept += segment;
    used += cells;
  }
  return `${kept}…`;
}

/** `value` followed by spaces up to `width` cells (left-aligned in its column). */
export const padEndTo = (value: string, width: number): string => value + ' '.repeat(Math.max(0, width - widthOf(value)));

/** Spaces then `value`, up to `width` cells (right-aligned in its column). */
export const padStartTo = (value: string, width: number): string => ' '.repeat(Math.max(0, width - widthOf(value))) + value;
