import { idTime, type ModuleStore } from '@budgeting/platform';
import type { BudgetWatchers } from '../contract';
import type { BudgetsKeys, TransactItem } from './keys';

/** An untouched watch item is dropped after this long (it is only a hint: gone = unknown). */
const WATCH_RETENTION_SECONDS = 30 * 24 * 60 * 60;
const KIND = 'watchers';
/**
 * How long a pin lists its user: longer than any request can run between its pin and its
 * commit (the API function's timeout is 30 s; 15 minutes is Lambda's longest), after which the
 * webhook it guarded is written and every recount sees it, so the pin is no longer needed.
 */
export const PIN_LIFETIME_MS = 15 * 60 * 1000;

/**
 * The budget's event watchers: which members may have asked for the budget's events outside
 * the app (today: an enabled webhook), so that a subscriber fanning events out to them can
 * skip a budget nobody watches with ONE read instead of reading every member's settings
 * (issue 11: two Queries after every expense write although nobody had a webhook).
 *
 * The item (`budgets#watch#<id>` / `budgets#watch`) is a hint that errs on one side only:
 * "nobody watches" must be true, a listed watcher may be stale (the fan-out checks the real
 * settings). What keeps "nobody" true:
 * - a member added: its transaction marks the item stale (ADD gen, stale = true), so the next
 *   event reads the real settings, whatever the new member has;
 * - a watcher added (a webhook created or enabled): ADD the user and gen, after its settings
 *   are stored, so a reader sees either the mark or (reading the settings after it) them;
 * - recording a computed set is conditional on the gen read before computing it, so a mark or
 *   a member added meanwhile makes the record fail instead of being overwritten;
 * - absent (a new budget, or expired) or stale: unknown, the fan-out reads the settings;
 * - a watcher about to be added by a write that must not depend on code after its commit (a
 *   keyed webhook create completes its Idempotency-Key in its transaction, and its replay runs
 *   nothing): PINNED before that write (`pinned`, `<userId>#<pin>`: ADD gen too), a pin that
 *   no record removes (the fan-out records the pinned users as watchers: `pinned` in `get`),
 *   and unpinned by the mark after the commit (`add` with the pin). A recount between the pin
 *   and the commit (it cannot see the write yet) keeps the user. A pin is a ULID made when
 *   pinning: it lists its user for PIN_LIFETIME_MS from its time only, so one a crash between
 *   the commit and the mark left behind ends by itself: past that the item reads as unknown
 *   (the pin may be the only listing of the webhook it guarded), reporting it in `expiredPins`,
 *   and the recount that follows lists whoever really watches (that webhook's owner, if it
 *   still exists) and drops it (`record`), instead of listing the user (reads only) until the
 *   item expires.
 * A removed member or webhook may stay listed until the next record: it costs reads only.
 */
export class WatchersRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  async get(budgetId: string, now: Date): Promise<BudgetWatchers> {
    const item = await this.store.get({ Key: this.keys.watch(budgetId), ConsistentRead: true });
    if (!item) return { known: false, watchers: [], gen: null, pinned: [], expiredPins: [] };
    const pins = item.pinned instanceof Set ? [...(item.pinned as Set<string>)] : [];
    const expiredPins = pins.filter((pin) => !pinLives(pin, now));
    const pinned = [...new Set(pins.filter((pin) => pinLives(pin, now)).map((pin) => pin.split('#')[0]!))];
    const watchers = item.watchers instanceof Set ? [...(item.watchers as Set<string>)] : [];
    // An expired pin may be the only listing of a webhook stored since (its mark lost to a
    // crash): unknown until a recount, which finds that webhook, records it and drops the pin.
    return { known: item.stale !== true && expiredPins.length === 0, watchers: [...new Set([...watchers, ...pinned])], gen: Number(item.gen ?? 0), pinned, expiredPins };
  }

  /**
   * Stores the set computed from the settings read after `get` answered `gen`; false when it
   * changed meanwhile. Its live pins stay (an Update: see the class comment); `dropPins` (the
   * `expiredPins` that `get` answered, still there as the gen held) are removed.
   */
  async record(budgetId: string, watchers: string[], gen: number | null, now: Date, dropPins: readonly string[] = []): Promise<boolean> {
    return this.store.updateIf({
      Key: this.keys.watch(budgetId),
      // DynamoDB refuses an empty set: no attribute means nobody.
      UpdateExpression: `SET kind = :kind, gen = :gen, stale = :stale, expiresAt = :exp${watchers.length > 0 ? ', watchers = :watchers' : ' REMOVE watchers'}${dropPins.length > 0 ? ' DELETE pinned :drop' : ''}`,
      ConditionExpression: gen === null ? 'attribute_not_exists(pk)' : 'gen = :gen',
      ExpressionAttributeValues: {
        ':kind': KIND,
        ':gen': gen ?? 0,
        ':stale': false,
        ':exp': expiresAt(now),
        ...(watchers.length > 0 ? { ':watchers': new Set(watchers) } : {}),
        ...(dropPins.length > 0 ? { ':drop': new Set(dropPins) } : {}),
      },
    });
  }

  /** Lists `userId` as a watcher of each budget (creating the item: see the class comment), and ends the pin `unpin` of `pin`. */
  async add(budgetIds: string[], userId: string, now: Date, unpin?: string): Promise<void> {
    await Promise.all(
      budgetIds.map((budgetId) =>
        this.store.update({
          Key: this.keys.watch(budgetId),
          UpdateExpression: `ADD watchers :user, gen :one SET kind = :kind, expiresAt = :exp${unpin !== undefined ? ' DELETE pinned :pin' : ''}`,
          ExpressionAttributeValues: {
            ':user': new Set([userId]),
            ':one': 1,
            ':kind': KIND,
            ':exp': expiresAt(now),
            ...(unpin !== undefined ? { ':pin': new Set([pinOf(userId, unpin)]) } : {}),
          },
        }),
      ),
    );
  }

  /** Pins `userId` as a watcher of each budget before the write that makes them one (`pin`: an id of that attempt's own; see the class comment). */
  async pin(budgetIds: string[], userId: string, pin: string, now: Date): Promise<void> {
    const settled = await Promise.allSettled(
      budgetIds.map((budgetId) =>
        this.store.update({
          Key: this.keys.watch(budgetId),
          UpdateExpression: 'ADD pinned :pin, gen :one SET kind = :kind, expiresAt = :exp',
          ExpressionAttributeValues: { ':pin': new Set([pinOf(userId, pin)]), ':one': 1, ':kind': KIND, ':exp': expiresAt(now) },
        }),
      ),
    );
    // Every pin settled before failing: the caller's unpin must not overtake one still in flight.
    const failed = settled.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failed) throw failed.reason;
  }

  /** A deleted budget's item (one written after this expires through its TTL). */
  async delete(budgetId: string): Promise<void> {
    await this.store.delete({ Key: this.keys.watch(budgetId) });
  }

  /** The transaction item a membership change carries: the set becomes unknown. */
  staleItem(budgetId: string, now: Date): TransactItem {
    return {
      Update: {
        Key: this.keys.watch(budgetId),
        UpdateExpression: 'ADD gen :one SET stale = :stale, kind = :kind, expiresAt = :exp',
        ExpressionAttributeValues: { ':one': 1, ':stale': true, ':kind': KIND, ':exp': expiresAt(now) },
      },
    };
  }
}

const pinOf = (userId: string, pin: string) => `${userId}#${pin}`;

/** Does this stored pin (`<userId>#<ULID>`) still list its user? One whose id is no ULID is no pin this code made: ended. */
function pinLives(stored: string, now: Date): boolean {
  const made = idTime(stored.slice(stored.indexOf('#') + 1));
  return made !== undefined && now.getTime() - made < PIN_LIFETIME_MS;
}
const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + WATCH_RETENTION_SECONDS;
