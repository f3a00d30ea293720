import { MAX_DATE, MIN_DATE, isCalendarDate, isWellFormedText } from '@budgeting/platform';
import { DESCRIPTION_MAX, MERCHANT_MAX } from '../text-limits';
import { parseAmount, type Parsed } from './amount';
import { CSV_COLUMNS, categoryNameKey, unguardCell } from './cells';

/** A valid row: what the expense will hold. */
export interface ImportRow {
  occurredOn: string;
  amount: number;
  categoryId: string | null;
  description?: string;
  merchant?: string;
  /** Only from a categorization rule (the import drops the export's tags column); not part of the row's fingerprint. */
  tags?: string[];
}

export interface RowContext {
  currency: string;
  /** The budget's categories: categoryNameKey(name) -> id. */
  categoryIds: ReadonlyMap<string, string>;
}

/**
 * One record's fields as an expense, by the same rules as POST /expenses: a calendar date in
 * the accepted range, a positive amount with the currency's decimals (see amount.ts), a
 * category of the budget by name (trimmed, any case; empty = uncategorized), description and
 * merchant trimmed and within the expense schema's lengths. The first problem found is the
 * row's message, naming the column.
 */
export function validateRow(fields: string[], context: RowContext): Parsed<ImportRow> {
  if (fields.length !== CSV_COLUMNS.length) {
    return fail(`expected ${CSV_COLUMNS.length} columns (${CSV_COLUMNS.join(',')}), found ${fields.length}`);
  }
  const [dateCell, amountCell, categoryCell, descriptionCell, merchantCell] = fields.map((f) => unguardCell(f.trim())) as [
    string, string, string, string, string,
  ];

  // Text the API would refuse in a body is refused in a file too (NUL, control characters).
  const illFormed = CSV_COLUMNS.find((_, i) => !isWellFormedText(fields[i]!));
  if (illFormed) return fail(`${illFormed} must be well-formed text without NUL or other control characters`);

  if (!isCalendarDate(dateCell)) return fail('date must be a calendar date YYYY-MM-DD');
  if (dateCell < MIN_DATE || dateCell > MAX_DATE) return fail(`date must be between ${MIN_DATE} and ${MAX_DATE}`);

  const amount = parseAmount(amountCell, context.currency);
  if (!amount.ok) return amount;

  let categoryId: string | null = null;
  if (categoryCell !== '') {
    const found = context.categoryIds.get(categoryNameKey(categoryCell));
    if (found === undefined) return fail(`category "${clip(categoryCell)}" is not a category of this budget`);
    categoryId = found;
  }

  const description = descriptionCell.trim();
  if (description.length > DESCRIPTION_MAX) return fail(`description must be at most ${DESCRIPTION_MAX} characters`);
  const merchant = merchantCell.trim();
  if (merchant.length > MERCHANT_MAX) return fail(`merchant must be at most ${MERCHANT_MAX} characters`);

  return {
    ok: true,
    value: {
      occurredOn: dateCell,
      amount: amount.value,
      categoryId,
      ...(description ? { description } : {}),
      ...(merchant ? { merchant } : {}),
    },
  };
}

const fail = (message: string): Parsed<never> => ({ ok: false, message });

/** A user's text quoted in a message, kept short. */
const clip = (text: string) => (text.length > 50 ? `${text.slice(0, 50)}...` : text);
