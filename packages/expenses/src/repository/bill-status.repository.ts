import type { ModuleStore } from '@budgeting/platform';
import { OCCURRENCE_MARKER_KIND } from './recurring.repository';
import { expenseKeys, importKeys, recurringKeys, type ImportKeys, type RecurringKeys } from './keys';

/** A bill's payment as its gsi4 entry holds it. */
export interface BillPayment {
  expenseId: string;
  amount: number;
  occurredOn: string;
}

/** What the markers of one occurrence say: the expense recorded for it, or (`matched`) the imported expense that settled it. */
export interface OccurrenceMark {
  expenseId: string;
  matched: boolean;
}

/**
 * Most payments one Query of a bill's period reads: a period holds at most 366 dates of one bill
 * and a bill records one expense a date (record-next may add one dated another day), so this is
 * never reached in practice; 1,000 entries of ~0.6 KB are one 1 MB page (larger ones are paged).
 */
export const PAYMENTS_PER_PERIOD_LIMIT = 1000;

/** The reads of the bill status (service/bill-status.service.ts): a bill's payments in a period and the markers of its dates. */
export class BillStatusRepository {
  private readonly expenseKeys: ReturnType<typeof expenseKeys>;
  private readonly recurringKeys: RecurringKeys;
  private readonly importKeys: ImportKeys;

  constructor(private readonly store: ModuleStore) {
    this.expenseKeys = expenseKeys(store);
    this.recurringKeys = recurringKeys(store);
    this.importKeys = importKeys(store);
  }

  /**
   * The payments the definition recorded dated in [from, to] (job and record-next; the link's
   * index, gsi4): ONE Query of the bill's partition for a typical bill, BETWEEN the period's
   * dates, only the status's attributes projected. Paged until the last (at most
   * PAYMENTS_PER_PERIOD_LIMIT): a Query reads at most 1 MB of whole items (the projection comes
   * after), and a payment within the API's bounds is up to about 30 KB (50 split parts with
   * descriptions), so a weekly bill's year in a yearly period (52) passes it; the payments of
   * the first page alone left the others to their occurrence markers, which expire after 100
   * days: paid dates read missed. Eventually consistent like every index read (a payment
   * recorded a moment before may be missing: its marker is read next, see the service).
   */
  async payments(budgetId: string, recurringId: string, from: string, to: string): Promise<BillPayment[]> {
    const { lo, hi } = this.expenseKeys.dateRange(from, to);
    const payments: BillPayment[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const { items, lastKey } = await this.store.query<Record<string, unknown>>({
        IndexName: 'gsi4',
        KeyConditionExpression: 'gsi4pk = :pk AND gsi4sk BETWEEN :lo AND :hi',
        ProjectionExpression: '#id, #amount, #occurredOn',
        ExpressionAttributeNames: { '#id': 'id', '#amount': 'amount', '#occurredOn': 'occurredOn' },
        ExpressionAttributeValues: { ':pk': this.expenseKeys.paymentsPk(budgetId, recurringId), ':lo': lo, ':hi': hi },
        Limit: PAYMENTS_PER_PERIOD_LIMIT - payments.length,
        ExclusiveStartKey: startKey,
      });
      payments.push(...items.map((i) => ({ expenseId: String(i.id), amount: Number(i.amount), occurredOn: String(i.occurredOn) })));
      startKey = lastKey;
    } while (startKey && payments.length < PAYMENTS_PER_PERIOD_LIMIT);
    return payments;
  }

  /**
   * The markers of some occurrences, in one strongly consistent BatchGetItem per 50 occurrences
   * (two keys each): the occurrence marker (the expense recorded, or `matched: true` and the
   * imported expense; ignored past its `expiresAt` at `now`, 100 days after its date) and the
   * bill match marker (400 days), which names the imported expense the job settled it with
   * (`expenseId`): so `matched` stays known after the occurrence marker has expired. A bill match
   * marker an import wrote (its row matched a recorded occurrence: no `expenseId`) says nothing
   * more than the recorded expense does. Keyed `<recurringId>#<date>`.
   */
  async marks(budgetId: string, occurrences: readonly { recurringExpenseId: string; occurredOn: string }[], now: Date): Promise<Map<string, OccurrenceMark>> {
    if (occurrences.length === 0) return new Map();
    const keys = occurrences.flatMap((o) => [
      this.recurringKeys.occurrence(budgetId, o.recurringExpenseId, o.occurredOn),
      this.importKeys.billMatch(budgetId, o.recurringExpenseId, o.occurredOn),
    ]);
    const items = await this.store.batchGet(keys, true);
    const nowSeconds = Math.floor(now.getTime() / 1000);
    const marks = new Map<string, OccurrenceMark>();
    const isOccurrence = (item: Record<string, unknown>) => item.kind === OCCURRENCE_MARKER_KIND;
    // Occurrence markers first: they name the pair exactly; a bill match marker only fills in.
    const ordered = [...items.filter(isOccurrence), ...items.filter((i) => !isOccurrence(i))];
    for (const item of ordered) {
      const key = `${String(item.recurringExpenseId)}#${String(item.occurredOn)}`;
      if (marks.has(key) || typeof item.expenseId !== 'string') continue;
      if (isOccurrence(item) && typeof item.expiresAt === 'number' && item.expiresAt <= nowSeconds) continue;
      marks.set(key, { expenseId: item.expenseId, matched: !isOccurrence(item) || item.matched === true });
    }
    return marks;
  }
}
