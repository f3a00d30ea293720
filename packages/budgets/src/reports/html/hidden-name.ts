import type { LocaleMessages } from '@budgeting/platform/locale-messages';

/**
 * A hidden category's name with the mark ("Fun (hidden)", in the reader's language), within
 * `width` characters: a long name is cut (ending in "…") so that the mark is never cut off.
 * The text email's name column (30) and the page's bar chart label (26) alike.
 */
export function hiddenName(name: string, words: LocaleMessages, width: number): string {
  const marked = words.fill('report.hidden', { name });
  if (marked.length <= width) return marked;
  return words.fill('report.hidden', { name: `${name.slice(0, Math.max(0, name.length - (marked.length - width) - 1))}…` });
}
