import { createHash } from 'node:crypto';
import type { ImportRow } from './rows';

/**
 * The identity of an imported row, so importing the same file again adds nothing: sha256 of
 * the budget, the row's values as they will be stored (amount in minor units, so "12.5" and
 * "12.50" are one row; the category's id; trimmed text) and its occurrence among identical
 * rows of the file. Two identical coffees on one day are two expenses (occurrences 0 and 1);
 * importing the file again meets both fingerprints and adds neither, and a later file with a
 * third identical row adds only that one.
 */
export function fingerprintRows(budgetId: string, rows: readonly ImportRow[]): string[] {
  const seen = new Map<string, number>();
  return rows.map((row) => {
    // A refund's values end with a marker, so it is never the purchase of the same amount; a
    // purchase's are as they always were (files imported before refunds stay known).
    const values = JSON.stringify([row.occurredOn, row.amount, row.categoryId, row.description ?? '', row.merchant ?? '', ...(row.refund ? ['refund'] : [])]);
    const occurrence = seen.get(values) ?? 0;
    seen.set(values, occurrence + 1);
    return createHash('sha256').update(JSON.stringify([budgetId, values, occurrence])).digest('base64url');
  });
}

/**
 * The identity of a row the file itself names (OFX: the account's ACCTID and the bank's FITID
 * of the transaction, import-file.ts `key`), so it is found again in any later download that
 * lists it, whatever else the statement holds: sha256 of the budget and that name. The
 * account number is inside the hash only (the marker's key), never stored as it is. Prefixed
 * so it can never equal a fingerprint of values.
 */
export function fingerprintKeyed(budgetId: string, key: string): string {
  return createHash('sha256').update(JSON.stringify(['file-key', budgetId, key])).digest('base64url');
}
