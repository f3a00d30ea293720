import { oneLine } from '@budgeting/platform';

/**
 * Comments on an expense ("what was this?"): how long, how many, and the short form other
 * modules show (the activity log's entry, a notification).
 */

/** A comment's text: 1..1000 characters (Unicode code points, so an emoji counts once) after trimming. */
export const COMMENT_TEXT_MAX = 1000;

/** Per expense (409 past it): a conversation, not a chat room; keeps the count one small item. */
export const MAX_COMMENTS_PER_EXPENSE = 200;

/** Characters of a comment shown where only a glimpse fits (activity entry, notification). */
export const COMMENT_EXCERPT_MAX = 80;

/** Length in code points, never splitting a surrogate pair (what the API calls characters here). */
export const codePoints = (text: string): number => [...text].length;

/**
 * The first COMMENT_EXCERPT_MAX characters, whitespace runs collapsed to one space, with an
 * ellipsis when cut. Cut between graphemes (what a reader sees as one character:
 * Intl.Segmenter), so neither an emoji's surrogate pair, nor a flag's two letters, nor a family
 * joined by ZWJs is halved into a stray letter or part of a face; still at most
 * COMMENT_EXCERPT_MAX code points. On one line (platform oneLine, NEL included): the excerpt is a
 * co-member's words in another member's push.
 */
export function commentExcerpt(text: string): string {
  const flat = oneLine(text);
  if (codePoints(flat) <= COMMENT_EXCERPT_MAX) return flat;
  let kept = '';
  let count = 0;
  for (const { segment } of graphemes().segment(flat)) {
    count += codePoints(segment);
    if (count > COMMENT_EXCERPT_MAX - 1) break;
    kept += segment;
  }
  return `${kept.trimEnd()}…`;
}

/** Built on the first cut, not at start-up (a cold start builds no Intl object it may not need). */
let segmenter: Intl.Segmenter | undefined;
const graphemes = () => (segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' }));
