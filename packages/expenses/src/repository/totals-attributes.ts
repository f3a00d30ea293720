/**
 * The attribute names of a running-totals item, named and parsed here and nowhere else.
 *
 * One item per (budget, month, totals shard) holds the month's figures and each day's:
 *
 *   total                    the month's spending               (month level)
 *   uncategorized            ... without a category
 *   c_<categoryId>           ... in one category
 *   d<DD>_total              day DD's spending (DD = 01..31)     (day level)
 *   d<DD>_uncategorized      ... without a category
 *   d<DD>_c_<categoryId>     ... in one category
 *
 * Month-level names never start with "d" (a category's is "c_..."), so the two levels never
 * mix: a month reader (summary, threshold check) skips every d.. attribute, and a day reader
 * (partial months, byDay) reads only those. Every expense write ADDs to both levels of one item.
 */
export const TOTAL_ATTRIBUTE = 'total';
export const UNCATEGORIZED_ATTRIBUTE = 'uncategorized';
export const CATEGORY_ATTRIBUTE_PREFIX = 'c_';

/** What an attribute counts: everything, the uncategorized part, or one category. */
export type TotalsFigure = { kind: 'total' } | { kind: 'uncategorized' } | { kind: 'category'; categoryId: string };

/** A parsed attribute: `day` is the day of the month (1..31) for a day-level figure, null for the month's. */
export interface TotalsAttribute {
  day: number | null;
  figure: TotalsFigure;
}

/** The month-level name of an expense's category figure. */
export const categoryAttribute = (categoryId: string | null): string =>
  categoryId === null ? UNCATEGORIZED_ATTRIBUTE : CATEGORY_ATTRIBUTE_PREFIX + categoryId;

/** The day-level name of a month-level name, for the day of `date` (YYYY-MM-DD). */
export const dayAttribute = (date: string, monthLevelName: string): string => `d${date.slice(8, 10)}_${monthLevelName}`;

const DAY_NAME = /^d(\d{2})_(.+)$/;

/** What an attribute name counts; undefined for anything else on the item (pk, sk, ...). */
export function parseTotalsAttribute(name: string): TotalsAttribute | undefined {
  const dayMatch = DAY_NAME.exec(name);
  const day = dayMatch ? Number(dayMatch[1]) : null;
  if (day !== null && (day < 1 || day > 31)) return undefined;
  const figure = parseFigure(dayMatch ? dayMatch[2]! : name);
  return figure ? { day, figure } : undefined;
}

function parseFigure(name: string): TotalsFigure | undefined {
  if (name === TOTAL_ATTRIBUTE) return { kind: 'total' };
  if (name === UNCATEGORIZED_ATTRIBUTE) return { kind: 'uncategorized' };
  if (name.startsWith(CATEGORY_ATTRIBUTE_PREFIX) && name.length > CATEGORY_ATTRIBUTE_PREFIX.length) {
    return { kind: 'category', categoryId: name.slice(CATEGORY_ATTRIBUTE_PREFIX.length) };
  }
  return undefined;
}
