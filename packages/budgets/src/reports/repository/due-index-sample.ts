import { dueInstant, type ModuleStore } from '@budgeting/platform';
import type { BudgetsKeys } from '../../repository/keys';

/** Due entries read per Query of a sample (a shard's share of a sample is read in pages of this). */
const SAMPLE_PAGE = 100;
/** How far before a shard's earliest due instant a random instant may fall: gives that instant's cluster a chance of its own. */
const BEFORE_FIRST_MS = 86_400_000;
/** Printable ASCII: the characters a random id is made of (ids are ULIDs, well inside it). */
const FIRST_CHAR = 32;
const CHARS = 95;

/**
 * Up to `count` budget ids of one shard of the report due index (gsi2, ordered by due instant,
 * then id), read from a RANDOM point on: for BudgetsFacade.budgetIdsSample (the expenses
 * module's daily totals verification), whose runs must each take a bounded number of budgets
 * and, over the days, reach every one although the index's order moves (an entry moves a
 * period later each time its budget's report is made).
 *
 * The point: a random instant between the shard's earliest due instant (less a day) and its
 * latest picks the cluster of the first due instant at or after it; the cluster (often
 * thousands of monthly budgets of one time zone, due at the same instant) is entered at a
 * random id between its first and last. From there ids are read in key order to the end of
 * the shard, then from its start up to the point (each entry read at most once). So every
 * budget has a chance each day, though not an equal one: a cluster's chance is the gap before
 * its instant over the shard's span, and a budget's within it the gap before its id over the
 * cluster's (storage-and-totals.md "Verifying the totals every day"). RECHECK entries (a
 * changed period or time zone, moved on by the next hourly report tick) are reached only from
 * the wrap-around. Reads: 3 Queries of one entry (earliest, latest, the cluster's last) and
 * the ids' pages (eventually consistent, keys-only projection).
 */
/** `recheck`: the due instant of a recheck entry (report-schedule.repository.ts RECHECK), not a real instant. */
export async function sampleDueShard(store: ModuleStore, keys: BudgetsKeys, shard: number, count: number, random: () => number, recheck: string): Promise<string[]> {
  if (count <= 0) return [];
  const pk = keys.reportDuePk(shard);
  const prefix = keys.reportDueRange('').lo;
  const [lo, hi] = [prefix, `${prefix}~`];
  const one = async (from: string, to: string, forward: boolean) =>
    (
      await store.query<{ gsi2sk: string; id: string }>({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':pk': pk, ':lo': from, ':hi': to },
        ProjectionExpression: 'gsi2sk, id',
        Limit: 1,
        ScanIndexForward: forward,
      })
    ).items[0];
  // The earliest and latest real due instants (RECHECK entries left out: not an instant).
  const afterRecheck = `${prefix}${recheck}#~`;
  const earliest = await one(afterRecheck, hi, true);
  const latest = earliest && (await one(afterRecheck, hi, false));
  let entry = lo;
  if (earliest && latest) {
    const first = Date.parse(keys.reportDueAt(earliest.gsi2sk));
    const last = Date.parse(keys.reportDueAt(latest.gsi2sk));
    const at = dueInstant(new Date(first - BEFORE_FIRST_MS + Math.floor(random() * (last - first + BEFORE_FIRST_MS + 1))));
    const cluster = await one(`${prefix}${at}`, hi, true);
    if (cluster) {
      const due = keys.reportDueAt(cluster.gsi2sk);
      const clusterLast = (await one(`${prefix}${due}#`, `${prefix}${due}#~`, false)) ?? cluster;
      // Inside the cluster by a key condition at a random id (never a made-up ExclusiveStartKey).
      entry = `${prefix}${due}#${idBetween(cluster.id, clusterLast.id, random)}`;
    }
  }
  const ids = new Set<string>();
  // From the point to the end of the shard, then from its start up to the point.
  for (const [from, to] of [[entry, hi], [lo, entry]] as const) {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await store.query<{ id: string }>({
        IndexName: 'gsi2',
        KeyConditionExpression: 'gsi2pk = :pk AND gsi2sk BETWEEN :lo AND :hi',
        ExpressionAttributeValues: { ':pk': pk, ':lo': from, ':hi': to },
        ProjectionExpression: 'id',
        Limit: Math.min(SAMPLE_PAGE, count - ids.size),
        ExclusiveStartKey: startKey,
      });
      for (const item of page.items) ids.add(item.id);
      startKey = page.lastKey;
    } while (startKey && ids.size < count);
    if (ids.size >= count) break;
  }
  return [...ids].slice(0, count);
}

/**
 * A random string between `a` and `b` (a <= b) in key order: both read as numbers in base 95
 * (printable ASCII, padded to the same length), a random number between them written back.
 * Every id between them has a chance (the gap before it), so no id of a cluster is out of reach.
 */
export function idBetween(a: string, b: string, random: () => number): string {
  const length = Math.max(a.length, b.length);
  const base = BigInt(CHARS);
  const toNumber = (s: string) => {
    let n = 0n;
    for (let i = 0; i < length; i++) n = n * base + BigInt(Math.min(CHARS - 1, Math.max(0, (s.charCodeAt(i) || FIRST_CHAR) - FIRST_CHAR)));
    return n;
  };
  const [x, y] = [toNumber(a), toNumber(b)];
  const scale = 2n ** 53n;
  let n = x + ((y - x) * BigInt(Math.floor(random() * Number(scale)))) / scale;
  const chars: string[] = [];
  for (let i = 0; i < length; i++) {
    chars.unshift(String.fromCharCode(FIRST_CHAR + Number(n % base)));
    n /= base;
  }
  return chars.join('');
}
