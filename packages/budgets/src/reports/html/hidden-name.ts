import type { LocaleMessages } from '@budgeting/platform/locale-messages';
import { clipTo, widthOf } from './text-width';

/**
 * A hidden category's name with the mark ("Fun (hidden)", in the reader's language), within
 * `width` cells (text-width.ts): a long name is cut (ending in "…", never inside a character) so
 * that the mark is never cut off. The text email's name column (30) and the page's bar chart
 * label (26) alike.
 */
export function hiddenName(name: string, words: LocaleMessages, width: number): string {
  const marked = words.fill('report.hidden', { name });
  const over = widthOf(marked) - width;
  if (over <= 0) return marked;
  return words.fill('report.hidden', { name: clipTo(name, Math.max(1, widthOf(name) - over)) });
}
