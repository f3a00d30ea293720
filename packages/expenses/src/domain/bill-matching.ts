import { addDays, dayNumber, searchKey } from '@budgeting/platform';
import { firstOnOrAfter, nextAfter, type Schedule } from './recurrence';

/**
 * Matching imported bank rows with bills the recurring job already recorded (as YNAB and Actual
 * match imported transactions with scheduled ones): a statement's "Rent 1,200.00" posted on the
 * 3rd is the rent the job recorded on the 1st, not a second rent. Pure; the import
 * (service/csv-import.service.ts) reads the definitions and the occurrence markers and writes.
 *
 * Precision over recall: a wrong match loses a real expense (the row is not recorded), a missed
 * one only leaves a duplicate the user can delete. So a match needs ALL of: the very same amount
 * (minor units), a date in the window below, and the same merchant (after the rename rules) by
 * words, ignoring case and accents. A definition without a merchant never matches.
 */

/** A bank posts a payment up to this many days AFTER the date the bill was recorded on (weekends, holidays, clearing). */
export const MATCH_DAYS_AFTER = 5;
/** ...and up to this many days BEFORE it (a bill paid a little early, or a bank dating it by the authorization). */
export const MATCH_DAYS_BEFORE = 2;
/** The shorter merchant must have at least this many letters/digits to match as part of the longer one ("A" in "A B Plumbing" does not). */
export const MATCH_MIN_CONTAINED_CHARS = 3;
/**
 * At most this many candidate occurrences are looked up per file (their occurrence markers: one
 * BatchGetItem per 100). Only occurrences with a row of the same amount and merchant within the
 * window are candidates, so a file reaches this only with hundreds of rows of a daily bill; the
 * earliest are kept and the rest are imported as usual.
 */
export const MATCH_MAX_CANDIDATES = 2_000;

/** A valid row of the file, after the rename rules. */
export interface MatchableRow {
  line: number;
  occurredOn: string;
  amount: number;
  merchant?: string;
}

/** What a recurring definition contributes (RecurringExpense has all of it). */
export interface MatchableDefinition {
  id: string;
  amount: number;
  merchant?: string;
  schedule: Schedule;
  /** The next date the job will record; every occurrence the job recorded is before it. null: paused or ended (recorded ones are then known by their markers only). */
  nextOccurrenceOn: string | null;
}

/** An occurrence of a definition that may have been recorded (to be confirmed by its occurrence marker). */
export interface CandidateOccurrence {
  recurringExpenseId: string;
  occurredOn: string;
  amount: number;
  merchant: string;
}

/** An occurrence the job recorded (its marker exists): the expense it recorded when the marker names it. */
export interface RecordedOccurrence extends CandidateOccurrence {
  expenseId?: string;
}

export interface BillMatch {
  line: number;
  recurringExpenseId: string;
  occurredOn: string;
  expenseId?: string;
}

/** The words of a merchant, folded (case, accents, ß: platform searchKey), split on anything not a letter or digit. */
export function merchantWords(merchant: string): string[] {
  return searchKey(merchant)
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0);
}

/**
 * The same merchant: the same words, or the words of one a run of consecutive words of the other
 * ("Netflix" and "NETFLIX.COM", "Acme Rentals" and "ACME RENTALS LTD 0042"), the shorter having
 * at least MATCH_MIN_CONTAINED_CHARS letters or digits. Never a part of a word ("Net" is not in "Netflix").
 */
export function merchantsMatch(a: string, b: string): boolean {
  const x = merchantWords(a);
  const y = merchantWords(b);
  if (x.length === 0 || y.length === 0) return false;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (short.length === long.length) return short.every((w, i) => w === long[i]);
  if (short.join('').length < MATCH_MIN_CONTAINED_CHARS) return false;
  for (let start = 0; start + short.length <= long.length; start++) {
    if (short.every((w, i) => w === long[start + i])) return true;
  }
  return false;
}

/** Days from the occurrence to the row (positive: the row is later), when within the window; undefined outside it. */
export function windowOffset(occurredOn: string, rowOn: string): number | undefined {
  const days = dayNumber(rowOn) - dayNumber(occurredOn);
  return days >= -MATCH_DAYS_BEFORE && days <= MATCH_DAYS_AFTER ? days : undefined;
}

/**
 * The occurrences of `definitions` that some row could match (the same amount and merchant, a
 * date in the window), before the definition's nextOccurrenceOn (the job records every date
 * before it, except skipped ones and those that fell while paused or under an older schedule:
 * which ones were recorded is for the occurrence markers to say). Sorted by date, then id; at
 * most MATCH_MAX_CANDIDATES. Per row, only the definitions of its amount are looked at, and each
 * gives the few dates of one window (at most 8).
 */
export function candidateOccurrences(rows: readonly MatchableRow[], definitions: readonly MatchableDefinition[]): CandidateOccurrence[] {
  const byAmount = new Map<number, MatchableDefinition[]>();
  for (const d of definitions) {
    if (d.merchant === undefined || merchantWords(d.merchant).length === 0) continue;
    byAmount.set(d.amount, [...(byAmount.get(d.amount) ?? []), d]);
  }
  const found = new Map<string, CandidateOccurrence>();
  for (const row of rows) {
    const defs = row.merchant === undefined ? undefined : byAmount.get(row.amount);
    if (!defs) continue;
    // An occurrence matches a row dated from MATCH_DAYS_BEFORE before it to MATCH_DAYS_AFTER after it.
    const from = addDays(row.occurredOn, -MATCH_DAYS_AFTER);
    const to = addDays(row.occurredOn, MATCH_DAYS_BEFORE);
    for (const d of defs) {
      if (!merchantsMatch(row.merchant!, d.merchant!)) continue;
      for (let date = firstOnOrAfter(d.schedule, from); date !== null && date <= to; date = nextAfter(d.schedule, date)) {
        if (d.nextOccurrenceOn !== null && date >= d.nextOccurrenceOn) break;
        found.set(`${d.id}#${date}`, { recurringExpenseId: d.id, occurredOn: date, amount: d.amount, merchant: d.merchant! });
      }
    }
  }
  return [...found.values()]
    .sort((a, b) => (a.occurredOn === b.occurredOn ? (a.recurringExpenseId < b.recurringExpenseId ? -1 : 1) : a.occurredOn < b.occurredOn ? -1 : 1))
    .slice(0, MATCH_MAX_CANDIDATES);
}

/**
 * The rows that are recorded occurrences. A pair fits when the amounts are equal, the row's date
 * is within the window of the occurrence's and the merchants match (a row or occurrence without
 * one never fits). Each occurrence takes at most one row and each row at most one occurrence:
 * pairs are taken closest dates first (|days|), then by line (the file's order), then by the
 * occurrence's date and id; a pair whose row or occurrence is taken is passed over. Sorted by line.
 */
export function matchBills(rows: readonly MatchableRow[], occurrences: readonly RecordedOccurrence[]): BillMatch[] {
  const byAmount = new Map<number, RecordedOccurrence[]>();
  for (const o of occurrences) byAmount.set(o.amount, [...(byAmount.get(o.amount) ?? []), o]);
  const pairs: { row: MatchableRow; occurrence: RecordedOccurrence; distance: number }[] = [];
  for (const row of rows) {
    if (row.merchant === undefined) continue;
    for (const occurrence of byAmount.get(row.amount) ?? []) {
      const offset = windowOffset(occurrence.occurredOn, row.occurredOn);
      if (offset === undefined || !merchantsMatch(row.merchant, occurrence.merchant)) continue;
      pairs.push({ row, occurrence, distance: Math.abs(offset) });
    }
  }
  pairs.sort(
    (a, b) =>
      a.distance - b.distance ||
      a.row.line - b.row.line ||
      (a.occurrence.occurredOn < b.occurrence.occurredOn ? -1 : a.occurrence.occurredOn > b.occurrence.occurredOn ? 1 : 0) ||
      (a.occurrence.recurringExpenseId < b.occurrence.recurringExpenseId ? -1 : a.occurrence.recurringExpenseId > b.occurrence.recurringExpenseId ? 1 : 0),
  );
  const rowsTaken = new Set<number>();
  const occurrencesTaken = new Set<string>();
  const matches: BillMatch[] = [];
  for (const { row, occurrence } of pairs) {
    const key = occurrenceKey(occurrence);
    if (rowsTaken.has(row.line) || occurrencesTaken.has(key)) continue;
    rowsTaken.add(row.line);
    occurrencesTaken.add(key);
    matches.push({
      line: row.line,
      recurringExpenseId: occurrence.recurringExpenseId,
      occurredOn: occurrence.occurredOn,
      ...(occurrence.expenseId === undefined ? {} : { expenseId: occurrence.expenseId }),
    });
  }
  return matches.sort((a, b) => a.line - b.line);
}

/** One occurrence's identity: the definition and the date. */
export function occurrenceKey(o: { recurringExpenseId: string; occurredOn: string }): string {
  return `${o.recurringExpenseId}#${o.occurredOn}`;
}
