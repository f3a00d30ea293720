import { attr, conditionFailedAt, deferReads, giveBackPlace, type Item, type ModuleStore } from '@budgeting/platform';
import { MAX_CALENDAR_FEEDS_PER_MEMBER } from '../domain/calendar-feed';
import { CappedCollection, countOf, MOVED, purgedByCascade, type CappedCreateOutcome } from './capped-collection';
import type { WriterGuard } from './writer-guard';
import { calendarFeedKeys } from './keys';

const FEED_KIND = 'calendar-feed';
const FEED_COUNT_KIND = 'calendar-feed-count';

/** A member's calendar feed of a budget as stored: never its secret, only `secretHash` (SHA-256, base64url). */
export interface CalendarFeedRecord {
  id: string;
  budgetId: string;
  userId: string;
  secretHash: string;
  createdAt: string;
}

/**
 * Calendar feeds: items in the budget's expense partition under their member (keys.ts), so the
 * budget.deleted cleanup removes them with the expenses, a member's feeds are one Query, and a
 * member who leaves loses theirs with one Query and one transaction (removeAllOf). At most `max` per member
 * and budget: a count item per member moves in each create's and delete's transaction
 * (CappedCollection, which also checks the budget's closed marker, so no feed is written after
 * the budget's cleanup began).
 */
export class CalendarFeedsRepository {
  private readonly keys: ReturnType<typeof calendarFeedKeys>;

  constructor(
    private readonly store: ModuleStore,
    /** Tests lower it; production passes nothing. */
    readonly max = MAX_CALENDAR_FEEDS_PER_MEMBER,
  ) {
    this.keys = calendarFeedKeys(store);
  }

  /**
   * 'full': the member has `max` feeds of the budget; 'budget-closed': the budget's data is being
   * deleted. `guard` (writer-guard.ts) rides in the transaction: WriterRefusedError when it fails.
   */
  /** `alsoWrite`: items the same transaction carries (the owner's security notice). */
  async create(feed: CalendarFeedRecord, guard?: WriterGuard, alsoWrite: Parameters<ModuleStore['transactWrite']>[0] = []): Promise<CappedCreateOutcome> {
    const item = { ...this.keys.feed(feed.budgetId, feed.userId, feed.id), kind: FEED_KIND, ...feed };
    // No further check: the outcome is create()'s.
    return (await this.capped(feed.userId).createWith(feed.budgetId, feed.id, item, { alsoWrite, ...(guard ? { guard } : {}) })) as CappedCreateOutcome;
  }

  /**
   * One feed (strongly consistent: a revoke is seen at once), or null. Queued to travel in the
   * request's next BatchGetItem (platform deferReads): the feed route's access read.
   */
  getWithNextRead(budgetId: string, userId: string, feedId: string): Promise<CalendarFeedRecord | null> {
    return deferReads(async () => {
      const item = await this.store.get({ Key: this.keys.feed(budgetId, userId, feedId), ConsistentRead: true });
      return item ? toFeed(item) : null;
    });
  }

  /** One of the member's feeds (strongly consistent: a revoke is seen at once), or null. */
  async get(budgetId: string, userId: string, feedId: string): Promise<CalendarFeedRecord | null> {
    const item = await this.store.get({ Key: this.keys.feed(budgetId, userId, feedId), ConsistentRead: true });
    return item ? toFeed(item) : null;
  }

  /** The member's feeds of the budget, oldest first (at most `max`: one Query page). */
  async list(budgetId: string, userId: string): Promise<CalendarFeedRecord[]> {
    const items = await this.store.queryAll({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.feedPrefix(userId) },
      ConsistentRead: true,
    });
    return items.map(toFeed);
  }

  /** Deletes the feed and gives its place back in the count, in one transaction; false when there was none. */
  async remove(budgetId: string, userId: string, feedId: string): Promise<boolean> {
    try {
      await this.store.transactWrite([
        { Delete: { Key: this.keys.feed(budgetId, userId, feedId), ConditionExpression: 'attribute_exists(pk)' } },
        giveBackPlace({ Key: this.keys.feedCount(budgetId, userId), kind: FEED_COUNT_KIND }, MOVED),
      ]);
      return true;
    } catch (err) {
      if (conditionFailedAt(err, 0)) return false;
      throw err;
    }
  }

  /**
   * Removes the member's feeds of the budget made up to `removedAt` (their removal: the member
   * left or was removed), and every one while they are no member again (`memberAgain`, asked only
   * when a feed is later than the removal: one made in the removal's last moment, committed just
   * before it, until 2026-12-07 kept counted and working again once they were added back),
   * taking exactly them off the count (CappedCollection.purge: the count
   * item goes with the last). A feed made after it is the member's again (added back since; a
   * create carries their membership's check) and stays, with its place in the count: not a
   * BatchWriteItem of the feeds read and the count, which deleted the count under a feed made
   * between the read and the write (the cap off from then on), nor every feed found, which
   * deleted the feeds of a member added back before a late (or retried) delivery. Idempotent;
   * the number removed.
   */
  async removeAllOf(budgetId: string, userId: string, removedAt: string, memberAgain: () => Promise<boolean>): Promise<number> {
    return this.capped(userId).purge(budgetId, async () => {
      // Their count item (another sort key prefix) FIRST, then the feeds (one Query page: at
      // most `max`): the purge's writes are conditioned on the count's `moves` as read, so a
      // feed made or deleted after this read (the member added back meanwhile) fails them and
      // the two are read again. Side by side, a feed made between the feeds' Query and the
      // count's read was in the count and not among the feeds: the count was deleted under it.
      const count = await this.store.get({ Key: this.keys.feedCount(budgetId, userId), ConsistentRead: true });
      const items = await this.store.queryAll({
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
        ExpressionAttributeValues: { ':pk': this.keys.budgetPk(budgetId), ':prefix': this.keys.feedPrefix(userId) },
        ConsistentRead: true,
      });
      const feeds = items.map(toFeed);
      // Made up to the removal, or every one while the user is still no member (purgedByCascade).
      const gone = await purgedByCascade(feeds, removedAt, memberAgain);
      const moves = count?.moves === undefined ? undefined : Number(count.moves);
      return { gone: gone.map((f) => this.keys.feed(budgetId, userId, f.id)), kept: feeds.length - gone.length, count: countOf(count), ...(moves === undefined ? {} : { moves }) };
    });
  }

  private capped(userId: string): CappedCollection {
    return new CappedCollection(this.store, (budgetId) => this.keys.feedCount(budgetId, userId), FEED_COUNT_KIND, this.max, { moves: true });
  }
}

function toFeed(item: Item): CalendarFeedRecord {
  return attr.fields(item, { id: attr.str, budgetId: attr.str, userId: attr.str, secretHash: attr.str, createdAt: attr.str });
}
