/**
 * A category's presentation in the app (as YNAB's, Monarch's and Copilot's categories have it):
 * an `emoji` and a `color`. Pure, no zod: the summary's cold path loads it (`styleOf`).
 */

/** The most UTF-16 code units of a category's emoji (a family or flag sequence fits; a paragraph does not). */
export const MAX_CATEGORY_EMOJI_LENGTH = 16;

/**
 * What counts as an emoji: ONE user-perceived character (one grapheme cluster, Intl.Segmenter)
 * that contains a code point with the Unicode property Extended_Pictographic (🍕, ❤️, 👨‍👩‍👧, ✈︎,
 * and also ©, ®, ™, which Unicode counts among them), or is a pair of regional indicators (a
 * flag: 🇩🇪), or is a keycap (1️⃣, #️⃣). A plain letter, digit, punctuation mark or space is not
 * one, nor are two emoji, nor a lone regional indicator.
 */
const PICTOGRAPHIC = /\p{Extended_Pictographic}/u;
const FLAG = /^\p{Regional_Indicator}{2}$/u;
const KEYCAP = /^[0-9#*]\uFE0F?\u20E3$/u;

// Made on first use, never at module load (cold start).
let segmenter: Intl.Segmenter | undefined;

function graphemeCount(value: string): number {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  let count = 0;
  for (const _ of segmenter.segment(value)) count++;
  return count;
}

/** Why `value` is not a category emoji, or null when it is one. */
export function emojiProblem(value: string): string | null {
  const message = 'Must be exactly one emoji (e.g. "🍕"), at most 16 UTF-16 code units';
  if (value.length === 0 || value.length > MAX_CATEGORY_EMOJI_LENGTH) return message;
  if (graphemeCount(value) !== 1) return message;
  return PICTOGRAPHIC.test(value) || FLAG.test(value) || KEYCAP.test(value) ? null : message;
}

/** `#RRGGBB`, either case on input. */
const HEX_COLOR = /^#[0-9A-Fa-f]{6}$/;

/** Why `value` is not a category color, or null when it is one. */
export function colorProblem(value: string): string | null {
  return HEX_COLOR.test(value) ? null : 'Must be a color #RRGGBB (six hexadecimal digits, e.g. "#1A2B3C")';
}

/**
 * A color as stored and shown: upper-case (`#1a2b3c` -> `#1A2B3C`), so the same color sent in
 * another case is no change (the PATCH compares categories as JSON).
 */
export const canonicalColor = (value: string): string => value.toUpperCase();

/**
 * The style keys of a category or line, only those set (absent, never null): spread after
 * `hidden`, so a category or line without them is exactly as before they existed.
 */
export function styleOf(c: { emoji?: string | null; color?: string | null }): { emoji?: string; color?: string } {
  return {
    ...(c.emoji ? { emoji: c.emoji } : {}),
    ...(c.color ? { color: c.color } : {}),
  };
}
