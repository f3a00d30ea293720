import { widthOf } from './text-width';

/**
 * How wide a chart's text may draw, in SVG units (font-size 12, sans-serif). The charts are laid
 * out here without a font (a pure renderer measures nothing), so the room of every label is
 * reserved from an estimate that no common sans-serif exceeds (Arial/Helvetica, Liberation and
 * DejaVu Sans, Roboto, San Francisco), in em by kind of character: "W", "M", "m", "w" and a few
 * signs up to 1 (DejaVu's "W" is 0.99), other capitals 0.8, narrow ones ("i", "l", ".", a space)
 * 0.4, everything else (lower case, digits: DejaVu's 0.64) 0.65, and a wide character (CJK, an
 * emoji: 2 monospace cells, text-width.ts) 1. Too much room costs the bars a little length; too
 * little cut a name or an amount at the chart's edge.
 */
const FONT_SIZE = 12;
const WIDEST = /[MWmw@%…—]/u;
const NARROW = /[ .,:;'!|iljIft()[\]]/u;
const CAPITAL = /\p{Lu}/u;

export function textExtentOf(value: string): number {
  let em = 0;
  for (const character of value) {
    const cells = widthOf(character);
    if (cells === 0) continue; // a combining mark, a joiner, a variation selector
    if (cells >= 2) em += 1;
    else if (WIDEST.test(character)) em += 1;
    else if (CAPITAL.test(character)) em += 0.8;
    else if (NARROW.test(character)) em += 0.4;
    else em += 0.65;
  }
  return em * FONT_SIZE;
}
