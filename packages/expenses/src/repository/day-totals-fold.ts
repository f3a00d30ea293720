import { conditionFailedAt, type Item, type ModuleStore } from '@budgeting/platform';
import { legacyDayOfSk, totalsKeys, type TotalsKeys } from './keys';
import { dayAttribute, parseTotalsAttribute } from './totals-attributes';

/** Day items read per Query page (each is folded in a transaction of its own). */
const PAGE = 25;
/** Rounds that fold nothing (every item changed under us) before leaving the rest to a later run. */
const MAX_IDLE_ROUNDS = 3;

/**
 * The migration from the totals layout before 2026-11-30 (a day item and a month item per
 * write) to month items holding the day figures (totals-attributes.ts): each old day item
 * `expenses#day#<YYYY-MM-DD>#<shard>` is folded into its month item of the same shard, in ONE
 * transaction that ADDs its figures as `d<DD>_...` attributes and deletes it under the
 * condition that it still exists with exactly the figures read. The month item's month-level
 * figures already count those expenses (every old write added to both), so they are not
 * touched. A re-run or a concurrent run finds the item gone (or its condition failing, which
 * cancels the ADD too): nothing is ever counted twice. A day item an old container was still
 * writing when read fails its condition and is folded, with its new figures, in a later round.
 */
export class DayTotalsFold {
  private readonly keys: TotalsKeys;

  constructor(private readonly store: ModuleStore) {
    this.keys = totalsKeys(store);
  }

  /** Folds the budget's day items until none is left or `deadline` (epoch ms) has passed. */
  async foldSome(budgetId: string, deadline: number): Promise<{ folded: number; finished: boolean }> {
    let folded = 0;
    for (let idle = 0; idle < MAX_IDLE_ROUNDS; ) {
      const { items } = await this.store.query({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :day)',
        ExpressionAttributeValues: { ':pk': this.keys.totalsPk(budgetId), ':day': this.keys.legacyDayPrefix },
        ConsistentRead: true,
        Limit: PAGE,
      });
      if (items.length === 0) return { folded, finished: true };
      let round = 0;
      for (const item of items) {
        if (Date.now() > deadline) return { folded: folded + round, finished: false };
        if (await this.foldOne(item)) round++;
      }
      folded += round;
      idle = round === 0 ? idle + 1 : 0;
    }
    return { folded, finished: false };
  }

  /** One day item into its month item; false when it changed or vanished since it was read. */
  private async foldOne(day: Item): Promise<boolean> {
    const key = { pk: String(day.pk), sk: String(day.sk) };
    const { date, shard } = legacyDayOfSk(key.sk);
    const figures = Object.entries(day).filter(([name, value]) => typeof value === 'number' && parseTotalsAttribute(name)?.day === null) as [string, number][];

    // The day item, only as read: it exists and every figure still has the value read.
    const readNames: Record<string, string> = {};
    const readValues: Record<string, number> = {};
    // Its non-zero figures, ADDed to the month item as that day's.
    const addNames: Record<string, string> = {};
    const addValues: Record<string, number> = {};
    const adds: string[] = [];
    figures.forEach(([name, value], i) => {
      readNames[`#f${i}`] = name;
      readValues[`:f${i}`] = value;
      if (value === 0) return;
      addNames[`#d${i}`] = dayAttribute(date, name);
      addValues[`:d${i}`] = value;
      adds.push(`#d${i} :d${i}`);
    });
    const condition = ['attribute_exists(pk)', ...figures.map((_, i) => `#f${i} = :f${i}`)].join(' AND ');
    const update = {
      Update: {
        Key: { pk: key.pk, sk: this.keys.monthSk(date.slice(0, 7), shard) },
        UpdateExpression: `ADD ${adds.join(', ')}`,
        ExpressionAttributeNames: addNames,
        ExpressionAttributeValues: addValues,
      },
    };
    const remove = {
      Delete: {
        Key: key,
        ConditionExpression: condition,
        ...(figures.length > 0 ? { ExpressionAttributeNames: readNames, ExpressionAttributeValues: readValues } : {}),
      },
    };
    try {
      await this.store.transactWrite(adds.length > 0 ? [update, remove] : [remove]);
      return true;
    } catch (err) {
      if (conditionFailedAt(err, adds.length > 0 ? 1 : 0)) return false;
      throw err;
    }
  }
}
