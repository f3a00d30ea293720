import { conditionHeld, type ModuleStore } from '@budgeting/platform';
import type { BudgetWatchers } from '../contract';
import type { BudgetsKeys, TransactItem } from './keys';

/** An untouched watch item is dropped after this long (it is only a hint: gone = unknown). */
const WATCH_RETENTION_SECONDS = 30 * 24 * 60 * 60;
const KIND = 'watchers';

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
 * - absent (a new budget, or expired) or stale: unknown, the fan-out reads the settings.
 * A removed member or webhook may stay listed until the next record: it costs reads only.
 */
export class WatchersRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  async get(budgetId: string): Promise<BudgetWatchers> {
    const item = await this.store.get({ Key: this.keys.watch(budgetId), ConsistentRead: true });
    if (!item) return { known: false, watchers: [], gen: null };
    const watchers = item.watchers instanceof Set ? [...(item.watchers as Set<string>)] : [];
    return { known: item.stale !== true, watchers, gen: Number(item.gen ?? 0) };
  }

  /** Stores the set computed from the settings read after `get` answered `gen`; false when it changed meanwhile. */
  async record(budgetId: string, watchers: string[], gen: number | null, now: Date): Promise<boolean> {
    return conditionHeld(
      this.store.put({
        Item: {
          ...this.keys.watch(budgetId),
          kind: KIND,
          gen: gen ?? 0,
          stale: false,
          expiresAt: expiresAt(now),
          // DynamoDB refuses an empty set: no attribute means nobody.
          ...(watchers.length > 0 ? { watchers: new Set(watchers) } : {}),
        },
        ConditionExpression: gen === null ? 'attribute_not_exists(pk)' : 'gen = :gen',
        ...(gen === null ? {} : { ExpressionAttributeValues: { ':gen': gen } }),
      }),
    );
  }

  /** Lists `userId` as a watcher of each budget (creating the item: see the class comment). */
  async add(budgetIds: string[], userId: string, now: Date): Promise<void> {
    await Promise.all(
      budgetIds.map((budgetId) =>
        this.store.update({
          Key: this.keys.watch(budgetId),
          UpdateExpression: 'ADD watchers :user, gen :one SET kind = :kind, expiresAt = :exp',
          ExpressionAttributeValues: { ':user': new Set([userId]), ':one': 1, ':kind': KIND, ':exp': expiresAt(now) },
        }),
      ),
    );
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

const expiresAt = (now: Date) => Math.floor(now.getTime() / 1000) + WATCH_RETENTION_SECONDS;
