import { MAX_DATE, MIN_DATE, characterCount, hasVisibleText, isCalendarDate, isCurrencyCode, isWellFormedText } from '@budgeting/platform';
import type { ForeignAmount } from '../foreign';
import type { SplitPart } from '../../model';
import { DESCRIPTION_MAX, MERCHANT_MAX } from '../text-limits';
import { parseAmount, type Parsed } from './amount';
import { CSV_COLUMNS, categoryIdOf, unguardText } from './cells';
import { clip } from '../quoted-text';

/** A valid row: what the expense will hold. */
export interface ImportRow {
  occurredOn: string;
  amount: number;
  categoryId: string | null;
  /** A split expense's parts (QIF split lines: domain/file-rows.ts); its categoryId is then null. */
  splits?: SplitPart[];
  description?: string;
  merchant?: string;
  /** From a categorization rule or the file (QIF classes; the import drops the export's tags column); not part of the row's fingerprint. */
  tags?: string[];
  /** From the export's foreignAmount and foreignCurrency columns, when both are filled. */
  foreign?: ForeignAmount;
  /** A negative amount in our own CSV format (csv/refund-rows.ts): the row records a refund. Part of its fingerprint. */
  refund?: true;
}

export interface RowContext {
  currency: string;
  /** The budget's categories by name (cells.ts categoryIdsByName; a map of categoryNameKey(name) -> id also serves). */
  categoryIds: ReadonlyMap<string, string>;
  /**
   * A category name the budget does not have: the row's error (default), or `uncategorized`
   * (a built-in preset's file, import-presets.ts: another app's categories seldom match ours).
   */
  unknownCategory?: 'error' | 'uncategorized';
}

/**
 * One record's fields as an expense, by the same rules as POST /expenses: a calendar date in
 * the accepted range, a positive amount with the currency's decimals (see amount.ts), a
 * category of the budget by name (trimmed, any case; empty = uncategorized), description and
 * merchant trimmed and within the expense schema's lengths. The first problem found is the
 * row's message, naming the column. `foreignCells`: the row's foreignAmount and
 * foreignCurrency (a file with the export's header, see read.ts), checked by foreignOf.
 */
export function validateRow(fields: string[], context: RowContext, foreignCells?: readonly [string, string]): Parsed<ImportRow> {
  if (fields.length !== CSV_COLUMNS.length) {
    return fail(`expected ${CSV_COLUMNS.length} columns (${CSV_COLUMNS.join(',')}), found ${fields.length}`);
  }
  const [dateCell, amountCell, categoryCell, descriptionCell, merchantCell] = fields.map((f) => unguardText(f.trim())) as [
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
    const found = categoryIdOf(context.categoryIds, categoryCell);
    if (found === undefined && context.unknownCategory !== 'uncategorized') return fail(`category "${clip(categoryCell, 50)}" is not a category of this budget`);
    categoryId = found ?? null;
  }

  const description = descriptionCell.trim();
  if (characterCount(description) > DESCRIPTION_MAX) return fail(`description must be at most ${DESCRIPTION_MAX} characters`);
  const merchant = merchantCell.trim();
  if (characterCount(merchant) > MERCHANT_MAX) return fail(`merchant must be at most ${MERCHANT_MAX} characters`);
  // As the API's merchant (visibleText): one of only zero width spaces or bidi marks would be listed as a name showing nothing.
  if (merchant !== '' && !hasVisibleText(merchant)) return fail('merchant must contain a visible character (or be empty: none)');

  const foreign = foreignCells ? foreignOf(foreignCells, context.currency) : ({ ok: true, value: undefined } as const);
  if (!foreign.ok) return foreign;

  return {
    ok: true,
    value: {
      occurredOn: dateCell,
      amount: amount.value,
      categoryId,
      ...(description ? { description } : {}),
      ...(merchant ? { merchant } : {}),
      ...(foreign.value ? { foreign: foreign.value } : {}),
    },
  };
}

/**
 * The foreign amount of a row, by the API's rules (domain/foreign.ts): both cells empty is
 * none; otherwise both are needed, the currency an ISO 4217 code in capitals other than the
 * budget's, the amount in major units of that currency as the amount column is written (JPY
 * `8000`, USD `12.50`, BHD `1.250`), read by the same parser.
 */
function foreignOf([amountCell, currencyCell]: readonly [string, string], budgetCurrency: string): Parsed<ForeignAmount | undefined> {
  const amount = amountCell.trim();
  const currency = currencyCell.trim();
  if (amount === '' && currency === '') return { ok: true, value: undefined };
  if (currency === '') return fail('foreignCurrency is required with a foreignAmount');
  if (!isCurrencyCode(currency)) return fail(`foreignCurrency must be an ISO 4217 currency code in capitals such as JPY, not "${clip(currency, 50)}"`);
  if (currency === budgetCurrency) return fail(`foreignCurrency must be another currency than the budget's (${budgetCurrency})`);
  if (amount === '') return fail('foreignAmount is required with a foreignCurrency');
  const parsed = parseAmount(amount, currency, 'foreignAmount');
  return parsed.ok ? { ok: true, value: { amount: parsed.value, currency } } : parsed;
}

const fail = (message: string): Parsed<never> => ({ ok: false, message });

/** A user's text quoted in a message, kept short. */
