import { characterCount, formatMinorUnits, isWellFormedText } from '@budgeting/platform';
import type { SplitPart } from '../model';
import type { FileRow } from './import-file';
import { parseAmount, type Parsed } from './csv/amount';
import { CSV_COLUMNS, categoryIdOf } from './csv/cells';
import { validateRow, type ImportRow, type RowContext } from './csv/rows';
import { TAGS_MAX, storedTags } from './tags';
import { DESCRIPTION_MAX } from './text-limits';
import { clip } from './quoted-text';
import { refundField } from './refunds';

/**
 * A reader's row (import-file.ts) as the expense it will record, by the row rules of
 * csv/rows.ts validateRow, and `identity`: the values its fingerprint is computed from
 * (csv/fingerprint.ts), when they differ from the row's.
 *
 * - `splits` (QIF's split lines, already fit in shape: 2..50 parts of the row's direction, a
 *   refund's parts refunds too, each positive in minor units as every split part): the row is a
 *   split expense (`categoryId` null, domain/splits.ts) when each part's amount is a valid
 *   amount of the currency and the parts add up to the row's amount exactly; each part's
 *   category is then matched by name as the row's category cell (a name the budget lacks is an
 *   error of the row, as for the cell; empty: the part is uncategorized), its memo is its
 *   description (at most DESCRIPTION_MAX characters, else an error of the row). When the parts
 *   do not add up (or a part's amount has more decimals than the currency), the row is read as
 *   if it had no split lines: one expense of its total in its own category cell, and
 *   `splitFallback` says why (also the reader's reason, FileRow.splitFallback; a dry run lists it).
 *   The identity of a split row is the row as it was read before split lines were (its own
 *   category cell's category, or none when the budget lacks that name): a file imported before
 *   and again now is known by the same fingerprints, and adds nothing.
 * - `identityMerchant` (a Firefly III deposit, FileRow): the identity is the row read with that
 *   merchant cell, the one it was known by before its merchant became `source_name`.
 * - `tags` (QIF's classes), and a used split's part classes after them: the row's tags (tags.ts
 *   storedTags); more than TAGS_MAX is an error of the row. Tags are not part of the identity.
 */
export function validateFileRow(record: FileRow, context: RowContext): Parsed<{ row: ImportRow; identity?: ImportRow; splitFallback?: string }> {
  if (record.error !== undefined) return { ok: false, message: record.error };
  const plain = validateRow(record.fields, context, record.foreign);
  const tried = record.splits ? splitRow(record, context) : undefined;
  const split = tried && 'fallback' in tried ? undefined : tried;
  if (split && !split.ok) return split;
  let chosen: { row: ImportRow; identity?: ImportRow };
  if (split) chosen = split.value;
  else if (plain.ok) chosen = { row: plain.value, ...sameRowOtherMerchant(record, context) };
  else return plain;
  const tags = storedTags([...(record.tags ?? []), ...(split ? (record.splits ?? []).flatMap((p) => (p.tag ? [p.tag] : [])) : [])]);
  if (tags && tags.length > TAGS_MAX) return { ok: false, message: `the row has ${tags.length} classes (tags); at most ${TAGS_MAX}` };
  // Why split lines did not make a split expense: the reader's reason, or the parts' below.
  const splitFallback = record.splitFallback ?? (tried && 'fallback' in tried ? tried.fallback : undefined);
  return {
    ok: true,
    value: {
      row: { ...chosen.row, ...(tags ? { tags } : {}), ...refundField(record.refund) },
      // A split refund's identity is a refund's too (its fingerprint's marker), never the purchase's.
      ...(chosen.identity ? { identity: { ...chosen.identity, ...refundField(record.refund) } } : {}),
      ...(splitFallback === undefined ? {} : { splitFallback }),
    },
  };
}

/**
 * The identity of a row whose merchant cell is not the one its identity was computed with
 * (FileRow.identityMerchant: a Firefly III deposit): the row read with that cell. None when the
 * row has no such cell, or that reading fails (a cell too long: the row's own values then).
 */
function sameRowOtherMerchant(record: FileRow, context: RowContext): { identity: ImportRow } | Record<string, never> {
  if (record.identityMerchant === undefined) return {};
  const fields = [...record.fields];
  fields[CSV_COLUMNS.indexOf('merchant')] = record.identityMerchant;
  const read = validateRow(fields, context, record.foreign);
  return read.ok ? { identity: read.value } : {};
}

/**
 * The split expense of a row with parts, or `fallback` saying why the parts do not form one
 * (the row is then read without them); undefined when the row itself is not valid (its own
 * error is then the row's).
 */
function splitRow(record: FileRow, context: RowContext): Parsed<{ row: ImportRow; identity: ImportRow }> | { fallback: string } | undefined {
  const parts = record.splits!;
  const [date, amount, category, ...rest] = record.fields;
  // The row without its own category: a split expense has none (its L may name "--Split--").
  const base = validateRow([date ?? '', amount ?? '', '', ...rest], context, record.foreign);
  if (!base.ok) return undefined;
  const amounts: number[] = [];
  for (const [n, part] of parts.entries()) {
    const parsed = parseAmount(part.amount, context.currency);
    if (!parsed.ok) return { fallback: `split part ${n + 1} (line ${part.line}): ${parsed.message}` };
    amounts.push(parsed.value);
  }
  const sum = amounts.reduce((total, a) => total + a, 0);
  if (sum !== base.value.amount) {
    return { fallback: `the split parts add up to ${formatMinorUnits(sum, context.currency)}, not the total ${formatMinorUnits(base.value.amount, context.currency)}` };
  }
  const splits: SplitPart[] = [];
  for (const [n, part] of parts.entries()) {
    let categoryId: string | null = null;
    if (part.category !== '') {
      const found = categoryIdOf(context.categoryIds, part.category);
      if (found === undefined) return { ok: false, message: `split part ${n + 1} (line ${part.line}): category "${clip(part.category, 50)}" is not a category of this budget` };
      categoryId = found;
    }
    if (!isWellFormedText(part.description)) return { ok: false, message: `split part ${n + 1} (line ${part.line}): the memo must be well-formed text without NUL or other control characters` };
    if (characterCount(part.description) > DESCRIPTION_MAX) return { ok: false, message: `split part ${n + 1} (line ${part.line}): the memo must be at most ${DESCRIPTION_MAX} characters` };
    splits.push({ categoryId, amount: amounts[n]!, ...(part.description ? { description: part.description } : {}) });
  }
  // The fingerprint's values as before split lines were read: the row's own category, if the budget has it.
  const before = validateRow([date ?? '', amount ?? '', category ?? '', ...rest], context, record.foreign);
  return { ok: true, value: { row: { ...base.value, categoryId: null, splits }, identity: before.ok ? before.value : base.value } };
}
