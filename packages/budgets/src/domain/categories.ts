import type { FieldError } from '@budgeting/platform';
import type { Category } from '../model';
import { canonicalColor, styleOf } from './category-style';

export interface CategoryInput {
  id?: string;
  name: string;
  limit?: number | null;
  group?: string | null;
  rollover?: boolean | null;
  target?: { amount: number; by?: string | null } | null;
  /** Trimmed by the schema; empty or null: none. */
  note?: string | null;
  /** Only true is kept (false or null: shown). */
  hidden?: boolean | null;
  /** Validated by the schema; null: none. */
  emoji?: string | null;
  /** `#RRGGBB` in either case (stored upper-case); null: none. */
  color?: string | null;
  /** Read-only, the server's: accepted only equal to the stored one (a category echoed from GET), then ignored. */
  rolloverSince?: string;
}

/**
 * The category list a PATCH asks for, applied to the current one: an entry with an `id`
 * keeps that category (so its expenses stay attached), an entry without one is new and gets
 * a server id. Categories left out are removed; their expenses keep their categoryId and
 * count as uncategorized in summaries (the user chose to drop the category, not the money).
 * `rolloverSince` is the start of the current period (in the budget's time zone and period
 * kind, after the change): given to a category whose rollover is turned on now (or a new one
 * with rollover); one that already rolls over keeps its own. Needed only when an entry turns
 * rollover on (without it such an entry gets no rollover).
 * An entry may carry `rolloverSince` only as the category has it (a category sent back as GET
 * shows it); it is then ignored.
 * Returns the field errors instead when an id is unknown or repeated, or a `rolloverSince` is not the category's.
 */
export function applyCategories(
  current: Category[],
  wanted: CategoryInput[],
  newId: () => string,
  rolloverSince?: string,
): { categories: Category[]; errors: FieldError[] } {
  const existing = new Map(current.map((c) => [c.id, c]));
  const used = new Set<string>();
  const errors: FieldError[] = [];
  const categories = wanted.map((entry, i): Category => {
    let id = entry.id;
    if (id !== undefined) {
      if (!existing.has(id)) errors.push({ path: `categories.${i}.id`, message: 'No category with this id in the budget' });
      else if (used.has(id)) errors.push({ path: `categories.${i}.id`, message: 'The same category id appears twice' });
      used.add(id);
    } else {
      id = newId();
    }
    const before = existing.get(id);
    // `rolloverSince` echoed back (the GET body's category) is accepted when it is the stored one.
    if (entry.rolloverSince !== undefined && (entry.id === undefined || before?.rolloverSince !== entry.rolloverSince)) {
      errors.push({
        path: `categories.${i}.rolloverSince`,
        message:
          before?.rolloverSince === undefined
            ? "Read-only, set by the server: this category has none, leave it out"
            : `Read-only, set by the server: leave it out or send the category's own (${before.rolloverSince})`,
      });
    }
    const { rolloverSince: _echoed, ...wantedFields } = entry;
    return toCategory(id, { ...wantedFields, rolloverSince: before?.rolloverSince ?? rolloverSince });
  });
  return { categories, errors };
}

/**
 * A category in its one canonical shape: keys in this order, absent (not null) limit and group
 * when none, `rollover` and `rolloverSince` only when rollover is on (and the category has a
 * limit: the schemas refuse rollover without one), then `target` only on such a category (the
 * schemas refuse it on others; its own keys in one order too), then `note` only when not empty
 * and `hidden` only when true, then `emoji` and `color` (upper-case) only when set (so a category without them is stored exactly as before they existed). The budget's PATCH finds what changed by
 * comparing JSON, and the item read back from DynamoDB need not keep a map's key order, so
 * every path builds categories here.
 */
export function toCategory(
  id: string,
  entry: {
    name: string;
    limit?: number | null;
    group?: string | null;
    rollover?: boolean | null;
    rolloverSince?: string;
    target?: { amount: number; by?: string | null } | null;
    note?: string | null;
    hidden?: boolean | null;
    emoji?: string | null;
    color?: string | null;
  },
): Category {
  const limited = entry.limit !== undefined && entry.limit !== null;
  const rolls = limited && entry.rollover === true && entry.rolloverSince !== undefined;
  return {
    id,
    name: entry.name,
    ...(limited ? { limit: entry.limit! } : {}),
    ...(entry.group === undefined || entry.group === null ? {} : { group: entry.group }),
    ...(rolls ? { rollover: true as const, rolloverSince: entry.rolloverSince! } : {}),
    ...(rolls && entry.target !== undefined && entry.target !== null ? { target: canonicalTarget(entry.target) } : {}),
    ...(entry.note ? { note: entry.note } : {}),
    ...(entry.hidden === true ? { hidden: true as const } : {}),
    ...styleOf({ emoji: entry.emoji, color: entry.color ? canonicalColor(entry.color) : null }),
  };
}

/** A savings target in its one shape: `amount`, then `by` only when dated (an undated target has no key, never null). */
export function canonicalTarget(target: { amount: number; by?: string | null }): { amount: number; by?: string } {
  return { amount: target.amount, ...(target.by === undefined || target.by === null ? {} : { by: target.by }) };
}
