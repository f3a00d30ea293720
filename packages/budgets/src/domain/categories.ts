import type { FieldError } from '@budgeting/platform';
import type { Category } from '../model';

export interface CategoryInput {
  id?: string;
  name: string;
  limit?: number | null;
  group?: string | null;
}

/**
 * The category list a PATCH asks for, applied to the current one: an entry with an `id`
 * keeps that category (so its expenses stay attached), an entry without one is new and gets
 * a server id. Categories left out are removed; their expenses keep their categoryId and
 * count as uncategorized in summaries (the user chose to drop the category, not the money).
 * Returns the field errors instead when an id is unknown or repeated.
 */
export function applyCategories(
  current: Category[],
  wanted: CategoryInput[],
  newId: () => string,
): { categories: Category[]; errors: FieldError[] } {
  const existing = new Set(current.map((c) => c.id));
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
    return toCategory(id, entry);
  });
  return { categories, errors };
}

/**
 * A category in its one canonical shape: keys in this order, absent (not null) limit and group
 * when none. The budget's PATCH finds what changed by comparing JSON, and the item read back
 * from DynamoDB need not keep a map's key order, so every path builds categories here.
 */
export function toCategory(id: string, entry: { name: string; limit?: number | null; group?: string | null }): Category {
  return {
    id,
    name: entry.name,
    ...(entry.limit === undefined || entry.limit === null ? {} : { limit: entry.limit }),
    ...(entry.group === undefined || entry.group === null ? {} : { group: entry.group }),
  };
}
