import { addDays, dayNumber, searchKey } from '@budgeting/platform';
import { firstOnOrAfter, nextAfter, type Schedule } from './recurrence';

/**
 * Matching imported bank rows with bills the recurring job records (as YNAB and Actual match
 * imported transactions with scheduled ones): a statement's "Rent 1,200.00" posted on the 3rd is
 * the rent the job recorded on the 1st, not a second rent. Both orders: the import matches a row
 * with an occurrence the job recorded before (service/import-prepare.ts reads the
 * definitions and the occurrence markers, service/import-chunk.ts writes), and the job matches an occurrence with an
 * expense an import recorded before (jobs/recurring-job.ts, importedBillCandidates). One rule
 * for both: `billDistance`. Pure.
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

/**
 * The job's half: its one Query per occurrence (the budget's imported expenses of the
 * occurrence's amount dated in its window, ExpenseQueries.importedOfAmount) examines at most
 * this many expenses of the window (DynamoDB's Limit counts them before the amount filter). An
 * 8-day window of a household holds a few dozen; a budget with more there may miss a match (the
 * job then records the occurrence: a duplicate the user can delete, never a lost expense).
 */
export const JOB_MATCH_MAX_EXAMINED = 300;
/**
 * ...and tries at most this many of the fitting imported expenses, best first: one whose claim
 * another occurrence holds (or that changed since the read) fails its transaction and the next
 * is tried; past this many, the occurrence is recorded as usual.
 */
export const JOB_MATCH_MAX_ATTEMPTS = 3;

/** A valid row of the file, after the rename rules. */
export interface MatchableRow {
  /** The row's place in the file, unique per row (not its line: a camt.053 batch's rows share their entry's lines). */
  position: number;
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
  /** The matched row's MatchableRow.position. */
  position: number;
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
  return wordsMatch(merchantWords(a), merchantWords(b));
}

/** merchantsMatch on the merchants' words (merchantWords), computed once by a caller comparing many. */
function wordsMatch(x: readonly string[], y: readonly string[]): boolean {
  if (x.length === 0 || y.length === 0) return false;
  const [short, long] = x.length <= y.length ? [x, y] : [y, x];
  if (short.length === long.length) return short.every((w, i) => w === long[i]);
  if (short.join('').length < MATCH_MIN_CONTAINED_CHARS) return false;
  for (let start = 0; start + short.length <= long.length; start++) {
    if (short.every((w, i) => w === long[start + i])) return true;
  }
  return false;
}

/** A merchant that can match anything: one with a letter or digit. A definition (or row) without one never matches. */
export function matchableMerchant(merchant: string | undefined): merchant is string {
  return merchant !== undefined && merchantWords(merchant).length > 0;
}

/** The dates (inclusive) a row may have to match the occurrence of `occurredOn`: windowOffset's window. */
export function matchWindow(occurredOn: string): { from: string; to: string } {
  return { from: addDays(occurredOn, -MATCH_DAYS_BEFORE), to: addDays(occurredOn, MATCH_DAYS_AFTER) };
}

/** Days from the occurrence to the row (positive: the row is later), when within the window; undefined outside it. */
export function windowOffset(occurredOn: string, rowOn: string): number | undefined {
  const days = dayNumber(rowOn) - dayNumber(occurredOn);
  return days >= -MATCH_DAYS_BEFORE && days <= MATCH_DAYS_AFTER ? days : undefined;
}

/**
 * The occurrences of `definitions` that some row could match (the same merchant, a date in the
 * window), before the definition's nextOccurrenceOn (the job records every date before it, except
 * skipped ones and those that fell while paused or under an older schedule: which ones were
 * recorded is for the occurrence markers to say). Whatever the row's amount: an occurrence is
 * matched at the amount RECORDED for it (its marker's `amount`, matchBills), which is the
 * definition's amount of that day, not necessarily today's (a rent raised since: last month's
 * row at the old amount is still that month's rent, and a row at the new amount is not; until
 * 2026-12-07 only the definition's current amount was looked at, so both went wrong). Each
 * candidate carries the definition's current amount, for markers written before they held one.
 * Sorted by date, then id; at most MATCH_MAX_CANDIDATES, those of a row at the definition's
 * amount kept first. Per row, only the definitions sharing a word of its merchant are looked at
 * (merchantsMatch needs the shorter's words in the longer), and each gives the few dates of one
 * window (at most 8).
 */
export function candidateOccurrences(rows: readonly MatchableRow[], definitions: readonly MatchableDefinition[]): CandidateOccurrence[] {
  const byWord = new Map<string, { d: MatchableDefinition; words: string[] }[]>();
  for (const d of definitions) {
    if (!matchableMerchant(d.merchant)) continue;
    const entry = { d, words: merchantWords(d.merchant) };
    for (const word of new Set(entry.words)) byWord.set(word, [...(byWord.get(word) ?? []), entry]);
  }
  const found = new Map<string, CandidateOccurrence & { rowOfItsAmount: boolean }>();
  for (const row of rows) {
    if (row.merchant === undefined) continue;
    const rowWords = merchantWords(row.merchant);
    const defs = new Set(rowWords.flatMap((w) => byWord.get(w) ?? []));
    if (defs.size === 0) continue;
    // An occurrence matches a row dated from MATCH_DAYS_BEFORE before it to MATCH_DAYS_AFTER after it.
    const from = addDays(row.occurredOn, -MATCH_DAYS_AFTER);
    const to = addDays(row.occurredOn, MATCH_DAYS_BEFORE);
    for (const { d, words } of defs) {
      if (!wordsMatch(rowWords, words)) continue;
      const rowOfItsAmount = row.amount === d.amount;
      for (let date = firstOnOrAfter(d.schedule, from); date !== null && date <= to; date = nextAfter(d.schedule, date)) {
        if (d.nextOccurrenceOn !== null && date >= d.nextOccurrenceOn) break;
        const known = found.get(`${d.id}#${date}`);
        if (known) known.rowOfItsAmount ||= rowOfItsAmount;
        else found.set(`${d.id}#${date}`, { recurringExpenseId: d.id, occurredOn: date, amount: d.amount, merchant: d.merchant!, rowOfItsAmount });
      }
    }
  }
  const all = [...found.values()];
  const kept = [...all.filter((c) => c.rowOfItsAmount).sort(byDateThenId), ...all.filter((c) => !c.rowOfItsAmount).sort(byDateThenId)].slice(0, MATCH_MAX_CANDIDATES);
  return kept.sort(byDateThenId).map(({ rowOfItsAmount: _, ...c }) => c);
}

function byDateThenId(a: CandidateOccurrence, b: CandidateOccurrence): number {
  return a.occurredOn === b.occurredOn ? (a.recurringExpenseId < b.recurringExpenseId ? -1 : 1) : a.occurredOn < b.occurredOn ? -1 : 1;
}

/**
 * The rows that are recorded occurrences. A pair fits by billDistance (the same amount, the row's
 * date within the window of the occurrence's, the same merchant; a row or occurrence without
 * one never fits). Each occurrence takes at most one row and each row at most one occurrence:
 * pairs are taken closest dates first (|days|), then by position (the file's order), then by the
 * occurrence's date and id; a pair whose row or occurrence is taken is passed over. Sorted by position.
 */
export function matchBills(rows: readonly MatchableRow[], occurrences: readonly RecordedOccurrence[]): BillMatch[] {
  const byAmount = new Map<number, RecordedOccurrence[]>();
  for (const o of occurrences) byAmount.set(o.amount, [...(byAmount.get(o.amount) ?? []), o]);
  const pairs: { row: MatchableRow; occurrence: RecordedOccurrence; distance: number }[] = [];
  for (const row of rows) {
    if (row.merchant === undefined) continue;
    for (const occurrence of byAmount.get(row.amount) ?? []) {
      const distance = billDistance(row, occurrence);
      if (distance !== undefined) pairs.push({ row, occurrence, distance });
    }
  }
  pairs.sort(
    (a, b) =>
      a.distance - b.distance ||
      a.row.position - b.row.position ||
      (a.occurrence.occurredOn < b.occurrence.occurredOn ? -1 : a.occurrence.occurredOn > b.occurrence.occurredOn ? 1 : 0) ||
      (a.occurrence.recurringExpenseId < b.occurrence.recurringExpenseId ? -1 : a.occurrence.recurringExpenseId > b.occurrence.recurringExpenseId ? 1 : 0),
  );
  const rowsTaken = new Set<number>();
  const occurrencesTaken = new Set<string>();
  const matches: BillMatch[] = [];
  for (const { row, occurrence } of pairs) {
    const key = occurrenceKey(occurrence);
    if (rowsTaken.has(row.position) || occurrencesTaken.has(key)) continue;
    rowsTaken.add(row.position);
    occurrencesTaken.add(key);
    matches.push({
      position: row.position,
      recurringExpenseId: occurrence.recurringExpenseId,
      occurredOn: occurrence.occurredOn,
      ...(occurrence.expenseId === undefined ? {} : { expenseId: occurrence.expenseId }),
    });
  }
  return matches.sort((a, b) => a.position - b.position);
}

/** What the rule compares of a row (or an imported expense) and of an occurrence. */
export interface BillFacts {
  occurredOn: string;
  amount: number;
  merchant?: string;
}

/**
 * THE rule, for both orders: the row (an imported expense) is the occurrence's bill when the
 * amounts are equal, the row's date is within the window of the occurrence's (windowOffset) and
 * the merchants match (merchantsMatch; a row or occurrence without one never fits). Then the
 * days between them (|offset|, what pairs are ordered by), else undefined.
 */
export function billDistance(row: BillFacts, occurrence: BillFacts): number | undefined {
  if (row.amount !== occurrence.amount || row.merchant === undefined || occurrence.merchant === undefined) return undefined;
  const offset = windowOffset(occurrence.occurredOn, row.occurredOn);
  if (offset === undefined || !merchantsMatch(row.merchant, occurrence.merchant)) return undefined;
  return Math.abs(offset);
}

/** An expense an import recorded, as the job's Query reads it. */
export interface ImportedBill extends BillFacts {
  id: string;
}

/**
 * The job's half: the imported expenses that are the occurrence's bill by billDistance, best
 * first: the closest date (as the import pairs rows), then the earlier date, then the id (the
 * order the import recorded them in). The job tries them in this order; which are free (not
 * matched to another occurrence) only its conditional writes know.
 */
export function importedBillCandidates<T extends ImportedBill>(occurrence: BillFacts, expenses: readonly T[]): T[] {
  return expenses
    .flatMap((e) => {
      const distance = billDistance(e, occurrence);
      return distance === undefined ? [] : [{ e, distance }];
    })
    .sort((a, b) => a.distance - b.distance || (a.e.occurredOn < b.e.occurredOn ? -1 : a.e.occurredOn > b.e.occurredOn ? 1 : 0) || (a.e.id < b.e.id ? -1 : a.e.id > b.e.id ? 1 : 0))
    .map(({ e }) => e);
}

/** One occurrence's identity: the definition and the date. */
export function occurrenceKey(o: { recurringExpenseId: string; occurredOn: string }): string {
  return `${o.recurringExpenseId}#${o.occurredOn}`;
}
