import { randomUUID } from 'node:crypto';
import { attr, conditionFailedAt, conditionHeld, DELIVERY_CLAIM_LEASE_SECONDS, DeliveryInFlightError, isConditionFailed, limitPage, refusingItem, type Item, type ModuleStore, type TransactItem } from '@budgeting/platform';
import { ALERT_SCOPES, DATA_EXPORT_KINDS, IMPORT_STATUSES, RENAME_STATUSES, UNDO_STATUSES, type Notification, type ReadAllMark } from '../model';
import { userKeys } from './keys';

/**
 * The guard of a budget alert to one member: one per (member, period, scope, threshold). The
 * period is its start AND its end, as the budgets module's threshold marker keys it: a budget
 * switched from monthly to weekly (or back, or to yearly) has two periods starting on the same
 * day, each announced once, and a guard keyed by the start alone took the second for a
 * redelivery of the first and told nobody.
 */
export interface AlertKey {
  userId: string;
  budgetId: string;
  periodStart: string;
  periodEnd: string;
  scope: 'budget' | 'category';
  categoryId: string | null;
  threshold: number;
}

/** The guard of a pace alert to one member: one per (member, budget, period, line; `paceCategoryId` null: the budget's total). The period by its start and end, as AlertKey's. */
export interface PaceKey {
  userId: string;
  budgetId: string;
  periodStart: string;
  periodEnd: string;
  paceCategoryId: string | null;
}

/** The guard of a data export's notification: one per export. */
export interface ExportKey {
  userId: string;
  exportId: string;
}

/** The guard of a comment's notification to one recipient: one per (recipient, comment). */
export interface CommentKey {
  userId: string;
  commentId: string;
}

/** The guard of an import's notification to the user who started it: one per import. */
export interface ImportKey {
  userId: string;
  importId: string;
}

/** The guard of a merchant rename's notification to the user who started it: one per rename. */
export interface RenameKey {
  userId: string;
  renameId: string;
}

/** The guard of an import undo's notification to the user who asked for it: one per run of the undo. */
export interface UndoKey {
  userId: string;
  importId: string;
  undoAttempt: number;
}

/**
 * The guard of a bill reminder to one member: one per (member, budget, recurring expense, date).
 * The budget too: an offline push may create a definition under a client id, so two budgets
 * can hold definitions with the same id, and a member of both gets each one's reminder.
 */
export interface BillKey {
  userId: string;
  budgetId: string;
  recurringExpenseId: string;
  dueOn: string;
}

/** The guard of a recorded paycheck's notification to one member: one per (member, income entry). */
export interface IncomeKey {
  userId: string;
  incomeId: string;
}

/**
 * The quiet-hours summary of one occurrence of a user's quiet hours (its end, ISO-8601): reserved
 * by the first push the occurrence holds (holdForSummary), its push marked as a guard's when sent.
 */
export interface SummaryKey {
  userId: string;
  windowEnd: string;
}

/** What a guard item is keyed by: a budget alert's crossing, a finished data export, a comment, a finished import, merchant rename or import undo, a bill due, a recorded paycheck, or a quiet-hours summary. */
export type GuardKey = AlertKey | PaceKey | ExportKey | CommentKey | ImportKey | RenameKey | UndoKey | BillKey | IncomeKey | SummaryKey;

export interface AlertGuard {
  notificationId: string;
  emailedAt?: string;
  pushedAt?: string;
  /**
   * The push was decided against instead of sent: 'quiet-hours' (the recipient's quiet hours
   * held when the event was handled), with when (`pushSkippedAt`). Settles the push like
   * `pushedAt`: a redelivered event, even after the window, does not push later.
   */
  pushSkipped?: PushSkip;
  pushSkippedAt?: string;
  /**
   * The devices that took the push while another device's send failed (push-once.ts): a
   * redelivered event pushes only the others. Absent once every device took it at the first try.
   */
  pushedDevices?: string[];
  /** Until when a delivery holds the email's, and the push's, send (claimChannel). */
  emailClaimedUntil?: string;
  pushClaimedUntil?: string;
  /** The claiming call's own token beside each (claimChannel: it tells its own claim from another's). */
  emailClaimToken?: string;
  pushClaimToken?: string;
}

/** A channel whose send is claimed on the guard before it goes (claimChannel). */
export type ClaimedChannel = 'email' | 'push';

/** Why a push was not sent although its kind was on (a muted kind is marked `pushedAt`, as before). */
export type PushSkip = 'quiet-hours';

/** Whether the guard's push is settled, sent or skipped: nothing to push on a redelivery. */
export const pushSettled = (guard: AlertGuard): boolean => guard.pushedAt !== undefined || guard.pushSkipped !== undefined;

export type Channel = 'emailedAt' | 'pushedAt';

/** Each claimed channel's claim attribute on the guard, and the attributes that say it is settled (nothing to claim). */
const CHANNEL_CLAIMS = {
  email: { claim: 'emailClaimedUntil', token: 'emailClaimToken', settled: ['emailedAt'] },
  push: { claim: 'pushClaimedUntil', token: 'pushClaimToken', settled: ['pushedAt', 'pushSkipped'] },
} as const satisfies Record<ClaimedChannel, { claim: keyof AlertGuard; token: keyof AlertGuard; settled: readonly (keyof AlertGuard)[] }>;

/** When a claim made at `at` lapses (a delivery that died holds it no longer). */
const claimExpiry = (at: Date): string => new Date(at.getTime() + DELIVERY_CLAIM_LEASE_SECONDS * 1000).toISOString();

/** What createOnce found or made: whether this call created the notification, and its guard. */
export interface CreatedOnce {
  created: boolean;
  guard: AlertGuard;
}

/**
 * How long a notification is kept: 180 days after it was created, then DynamoDB's TTL deletes
 * it (the table's `expiresAt`, epoch seconds). Before, every notification lived for ever: one
 * item per member per alert, bill, comment, import and rename, growing with every month of use.
 * Why 180 days: GitHub keeps notifications about 5 months, and the app shows recent ones (the
 * list newest first, the unread badge looks at the newest 100: domain/unread.ts), so half a
 * year is past what anyone scrolls back to. Its guard item gets the same: a guard only stops a
 * redelivered event from making a second notification, and redeliveries end long before
 * (EventBridge retries for 24 hours, the bus's dead letters are kept 14 days: infra/bus.ts).
 * Items written before this have no `expiresAt` and stay (no backfill: README "Retention").
 */
export const NOTIFICATION_RETENTION_SECONDS = 180 * 24 * 60 * 60;

/**
 * A user's notifications, each with its guard (exactly one notification per key, and which
 * channels were delivered: createOnce and the marks after it), the read marks, and the removal
 * of everything in the user's partition (sliceOfUser, the user.deleted cleanup's slices). The layout: keys.ts. A user's devices
 * are DevicesRepository's, the quiet-hours summaries SummariesRepository's.
 */
export class NotificationsRepository {
  private readonly keys: ReturnType<typeof userKeys>;

  constructor(private readonly store: ModuleStore) {
    this.keys = userKeys(store);
  }

  private pk = (userId: string) => this.keys.userPk(userId);
  private notificationKey = (userId: string, id: string) => ({ pk: this.pk(userId), sk: this.store.key('n', id) });
  private readAllKey = (userId: string) => ({ pk: this.pk(userId), sk: this.store.key('read-all') });
  private guardKey = (k: GuardKey) => this.keys.guard(k);

  /**
   * Creates the notification unless one exists for its key; returns the guard either way.
   * Only while the recipient's account exists (`accountCheck`: UsersFacade.accountCheck, in
   * the same transaction), else 'account-gone', nothing written: a subscriber that read the
   * recipients before the account was deleted, and wrote after user.deleted's cleanup emptied
   * the partition, would otherwise keep a deleted account's notification for its 180 days.
   * `memberCheck` (BudgetsFacade.membersCheck, for a notification only members get): only while
   * the recipient is still a member of the budget, else 'not-member', nothing written: a member
   * removed after the subscriber read the members would otherwise be told about a budget they left.
   */
  async createOnce(key: GuardKey, notification: Notification, accountCheck: TransactItem): Promise<CreatedOnce | 'account-gone'>;
  async createOnce(key: GuardKey, notification: Notification, accountCheck: TransactItem, memberCheck: TransactItem): Promise<CreatedOnce | 'account-gone' | 'not-member'>;
  async createOnce(key: GuardKey, notification: Notification, accountCheck: TransactItem, memberCheck?: TransactItem): Promise<CreatedOnce | 'account-gone' | 'not-member'> {
    // readAt is absent until read (not null): markRead sets it with if_not_exists.
    const { readAt: _unread, kind, ...fields } = notification;
    // The item's `kind` attribute says what the item is (a notification); the notification's
    // own kind is `notificationKind` (absent on budget alerts, stored before there were others).
    const stored = kind === 'budget.alert' ? fields : { ...fields, notificationKind: kind };
    const expiresAt = Math.floor(Date.parse(notification.createdAt) / 1000) + NOTIFICATION_RETENTION_SECONDS;
    try {
      await this.store.transactWrite([
        { Put: { Item: { ...this.guardKey(key), kind: 'alert-guard', notificationId: notification.id, expiresAt }, ConditionExpression: 'attribute_not_exists(pk)' } },
        { Put: { Item: { ...this.notificationKey(key.userId, notification.id), ...stored, kind: 'notification', expiresAt } } },
        accountCheck,
        ...(memberCheck ? [memberCheck] : []),
      ]);
      return { created: true, guard: { notificationId: notification.id } };
    } catch (err) {
      if (conditionFailedAt(err, 2)) return 'account-gone';
      if (memberCheck && conditionFailedAt(err, 3)) return 'not-member';
      if (!conditionFailedAt(err, 0)) throw err;
    }
    const guard = await this.store.get<AlertGuard & Record<string, unknown>>({ Key: this.guardKey(key), ConsistentRead: true });
    return { created: false, guard: guard! };
  }

  /**
   * Marks a channel delivered on the guard, only while the guard is there: an UpdateItem on a
   * guard user.deleted's cleanup removed meanwhile would create a bare one (no kind, no
   * `expiresAt`) kept for ever in the deleted account's partition. Gone: nothing to mark.
   */
  async markDelivered(key: GuardKey, channel: Channel, at: string): Promise<void> {
    // A summary's push, once sent, takes its reservation out of the due index in the same write.
    const unindex = 'windowEnd' in key && channel === 'pushedAt' ? ' REMOVE gsi1pk, gsi1sk' : '';
    await this.store.updateIf({
      Key: this.guardKey(key),
      UpdateExpression: `SET #c = :at${unindex}`,
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeNames: { '#c': channel },
      ExpressionAttributeValues: { ':at': at },
    });
  }

  /**
   * Claims a channel's send on the guard for this delivery (one conditional UpdateItem,
   * `emailClaimedUntil` or `pushClaimedUntil`, DELIVERY_CLAIM_LEASE_SECONDS from `now`), so that
   * of two deliveries of the event at once only one sends it. The claim's expiry for the caller
   * that finds the channel neither settled nor claimed (or its claim lapsed: that delivery
   * died); undefined when it was settled meanwhile or the guard is gone (nothing to send);
   * DeliveryInFlightError while another delivery's claim holds (this one fails and is delivered
   * again: by then it was sent, or the claim lapsed). Claimed right before the send, not with
   * the guard: a delivery that fails before it (a read) leaves no claim to wait out. The claim
   * carries a token of this call's, and a refusal brings the guard back (ALL_OLD): one holding
   * this token is this call's claim (the write committed, its answer was lost, and the SDK's
   * second sending met it; until 2026-12-07 that failed the delivery as "another delivery is
   * sending", and the mail or push waited for the claim to lapse and a redelivery).
   */
  async claimChannel(key: GuardKey, channel: ClaimedChannel, now: Date): Promise<string | undefined> {
    const until = claimExpiry(now);
    const { claim, token, settled } = CHANNEL_CLAIMS[channel];
    const mine = randomUUID();
    try {
      await this.store.update({
        Key: this.guardKey(key),
        UpdateExpression: `SET ${claim} = :until, ${token} = :token`,
        ConditionExpression: `attribute_exists(pk) AND ${settled.map((a) => `attribute_not_exists(${a})`).join(' AND ')} AND (attribute_not_exists(${claim}) OR ${claim} < :now)`,
        ExpressionAttributeValues: { ':until': until, ':now': now.toISOString(), ':token': mine },
        ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
      });
      return until;
    } catch (err) {
      if (!isConditionFailed(err)) throw err;
      const held = refusingItem(err);
      if (held?.[token] === mine && held[claim] === until && settled.every((a) => held[a] === undefined)) return until;
    }
    const guard = await this.store.get({ Key: this.guardKey(key), ConsistentRead: true });
    if (guard === undefined || settled.some((a) => guard[a] !== undefined)) return undefined;
    throw new DeliveryInFlightError(`another delivery is sending this notification's ${channel} (claimed until ${String(guard[claim])})`);
  }

  /** Gives back a channel's claim that expires `until` (its send failed: the redelivery may send at once). */
  async releaseChannel(key: GuardKey, channel: ClaimedChannel, until: string): Promise<void> {
    const { claim, token } = CHANNEL_CLAIMS[channel];
    await conditionHeld(this.store.update({ Key: this.guardKey(key), UpdateExpression: `REMOVE ${claim}, ${token}`, ConditionExpression: `${claim} = :until`, ExpressionAttributeValues: { ':until': until } }));
  }

  /**
   * Records devices that took the push on the guard (appended to `pushedDevices`) when another
   * device's send failed, only while the guard is there (as markDelivered). One UpdateItem.
   */
  async markDevicesPushed(key: GuardKey, deviceIds: string[]): Promise<void> {
    await this.store.updateIf({
      Key: this.guardKey(key),
      UpdateExpression: 'SET pushedDevices = list_append(if_not_exists(pushedDevices, :none), :ids)',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':none': [], ':ids': deviceIds },
    });
  }

  /** Settles the guard's push without sending it (see AlertGuard.pushSkipped); only while the guard is there (as markDelivered). */
  async markPushSkipped(key: GuardKey, reason: PushSkip, at: string): Promise<void> {
    await this.store.updateIf({
      Key: this.guardKey(key),
      UpdateExpression: 'SET pushSkipped = :reason, pushSkippedAt = :at',
      ConditionExpression: 'attribute_exists(pk)',
      ExpressionAttributeValues: { ':reason': reason, ':at': at },
    });
  }

  /**
   * The user's notifications with ids from `fromId` to `toId` (made in that span of time: platform
   * firstIdAt), newest first, at most `limit`: ONE strongly consistent Query, another for what is
   * left of `limit` when DynamoDB cut the page at 1 MB (upTo: the quiet-hours summary said "78
   * notifications" for 100 long ones until 2026-12-07).
   */
  async between(userId: string, fromId: string, toId: string, limit: number): Promise<Notification[]> {
    const items = await this.upTo(limit, {
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: { ':pk': this.pk(userId), ':from': this.store.key('n', fromId), ':to': this.store.key('n', toId) },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    return items.map(toNotification);
  }

  async get(userId: string, id: string): Promise<Notification | undefined> {
    const item = await this.store.get({ Key: this.notificationKey(userId, id), ConsistentRead: true });
    return item ? toNotification(item) : undefined;
  }

  /**
   * A page of the user's notifications, newest first. One more is read than the page holds: the
   * page that holds the last one has no resume key (with `Limit: limit` DynamoDB gave one whenever
   * the page was full, so a user with exactly a page's worth got a cursor to a page of nothing).
   */
  async page(userId: string, limit: number, startKey?: Record<string, unknown>) {
    const read = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)',
      ExpressionAttributeValues: { ':pk': this.pk(userId), ':n': this.store.key('n', '') },
      ScanIndexForward: false,
      Limit: limit + 1,
      ExclusiveStartKey: startKey,
    });
    const { items, lastKey } = limitPage(read.items, limit, read.lastKey, ['pk', 'sk']);
    return { items: items.map(toNotification), lastKey };
  }

  /** Marks read (once: the first time stays); undefined when there is no such notification. */
  async markRead(userId: string, id: string, at: string): Promise<Notification | undefined> {
    try {
      const out = await this.store.update({
        Key: this.notificationKey(userId, id),
        UpdateExpression: 'SET readAt = if_not_exists(readAt, :at)',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeValues: { ':at': at },
        ReturnValues: 'ALL_NEW',
      });
      return toNotification(out.Attributes!);
    } catch (err) {
      if (isConditionFailed(err)) return undefined;
      throw err;
    }
  }

  /** The newest notification's id (one item read), or undefined when there is none. */
  async newestId(userId: string): Promise<string | undefined> {
    const { items } = await this.store.query({
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)',
      ExpressionAttributeValues: { ':pk': this.pk(userId), ':n': this.store.key('n', '') },
      ProjectionExpression: 'id',
      ScanIndexForward: false,
      Limit: 1,
      ConsistentRead: true,
    });
    return items[0] ? String(items[0].id) : undefined;
  }

  /**
   * The newest `limit` notifications (id and readAt only), ONE strongly consistent Query of the
   * notifications' own range, and the read-all mark (its GetItem, alongside: domain/unread.ts).
   * Not one Query from the notifications to the mark, as before: other items sort between them
   * (a pace alert's guard, `notifications#pace#...`: 'n#' < 'pace#' < 'read-all'), and a guard
   * read as a notification was a 500 for every user who had been sent a pace alert.
   */
  async newestWithMark(userId: string, limit: number): Promise<{ newest: { id: string; readAt: string | null }[]; mark: ReadAllMark | undefined }> {
    const [items, mark] = await Promise.all([
      this.upTo(limit, {
        KeyConditionExpression: 'pk = :pk AND begins_with(sk, :n)',
        ExpressionAttributeValues: { ':pk': this.pk(userId), ':n': this.store.key('n', '') },
        ExpressionAttributeNames: { '#id': 'id', '#readAt': 'readAt' },
        ProjectionExpression: '#id, #readAt',
        ScanIndexForward: false,
        ConsistentRead: true,
      }),
      this.readAllMark(userId),
    ]);
    return { newest: items.map((i) => attr.fields(i, UNREAD_FIELDS)), mark };
  }

  /**
   * The first `limit` items of a Query, or all when there are fewer: usually ONE Query (Limit
   * `limit`), more only when DynamoDB cut a page at 1 MB before `limit` (it cuts by the size of
   * the items READ, a projection does not help: a merchant rename's notification, 20 names of 200
   * characters, is ~14 KB, so 100 of them take two pages). Before, the first page was taken for
   * the window: a user with 100 such notifications unread was shown 75, not "99+".
   */
  private async upTo(limit: number, query: Omit<Parameters<ModuleStore['query']>[0], 'Limit' | 'ExclusiveStartKey'>): Promise<Item[]> {
    const items: Item[] = [];
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.store.query({ ...query, Limit: limit - items.length, ...(startKey ? { ExclusiveStartKey: startKey } : {}) });
      items.push(...page.items);
      startKey = page.lastKey;
    } while (startKey && items.length < limit);
    return items;
  }

  async readAllMark(userId: string): Promise<ReadAllMark | undefined> {
    const item = await this.store.get({ Key: this.readAllKey(userId), ConsistentRead: true });
    return item ? attr.fields(item, READ_ALL_FIELDS) : undefined;
  }

  /**
   * Moves the mark forward only (a slower concurrent call must not take it back); a mark that
   * already covers `mark.upToId` stays as it is (same readAt): returns the mark in force.
   * Only while the account exists (`accountCheck`: UsersFacade.accountCheck, in the same
   * transaction), else 'account-gone', nothing written: a call that read the newest id just
   * before the account was deleted, written after user.deleted's cleanup emptied the partition,
   * would keep the mark (no TTL) in a deleted account's partition for ever.
   */
  async advanceReadAll(userId: string, mark: ReadAllMark, accountCheck: TransactItem): Promise<ReadAllMark | 'account-gone'> {
    try {
      await this.store.transactWrite([
        {
          Put: {
            Item: { ...this.readAllKey(userId), kind: 'read-all', ...mark },
            ConditionExpression: 'attribute_not_exists(pk) OR upToId < :id',
            ExpressionAttributeValues: { ':id': mark.upToId },
          },
        },
        accountCheck,
      ]);
      return mark;
    } catch (err) {
      if (conditionFailedAt(err, 1)) return 'account-gone';
      if (!conditionFailedAt(err, 0)) throw err;
      // The mark was there at the commit; none now means the partition was emptied since (the
      // account deleted and its cleanup run between the two): the account's absence, not a 500.
      return (await this.readAllMark(userId)) ?? 'account-gone';
    }
  }

  /**
   * One slice (at most `limit` keys) of everything kept for a user (notifications, guards,
   * devices, the read-all mark, summary reservations): the user.deleted cleanup deletes it in
   * bounded steps (jobs/user-cleanup-job.ts), reading the slice anew each time.
   */
  async sliceOfUser(userId: string, limit: number): Promise<{ pk: string; sk: string }[]> {
    const { items } = await this.store.query<Record<string, unknown>>({
      KeyConditionExpression: 'pk = :pk',
      ExpressionAttributeValues: { ':pk': this.pk(userId) },
      ProjectionExpression: 'pk, sk',
      Limit: limit,
    });
    return items.map((i) => ({ pk: String(i.pk), sk: String(i.sk) }));
  }
}

/** A notification as stored (readAt is absent until it is read). */
const NOTIFICATION_FIELDS = {
  id: attr.str, userId: attr.str, budgetId: attr.str, budgetName: attr.str, currency: attr.str,
  scope: attr.among(ALERT_SCOPES), categoryId: attr.nullableStr, categoryName: attr.nullableStr,
  threshold: attr.num, spent: attr.num, limit: attr.num, periodStart: attr.str, periodEnd: attr.str, createdAt: attr.str, readAt: attr.nullableStr,
};
const EXPORT_NOTIFICATION_FIELDS = { id: attr.str, userId: attr.str, notificationKind: attr.among(DATA_EXPORT_KINDS), exportId: attr.str, createdAt: attr.str, readAt: attr.nullableStr };
const COMMENT_NOTIFICATION_FIELDS = {
  id: attr.str, userId: attr.str, budgetId: attr.str, expenseId: attr.str, commentId: attr.str, authorId: attr.str, excerpt: attr.str, createdAt: attr.str, readAt: attr.nullableStr,
};
const IMPORT_NOTIFICATION_FIELDS = {
  id: attr.str, userId: attr.str, budgetId: attr.str, budgetName: attr.nullableStr, importId: attr.str, status: attr.among(IMPORT_STATUSES),
  total: attr.num, imported: attr.num, duplicates: attr.num, errorCount: attr.num, failure: attr.nullableStr, message: attr.str, createdAt: attr.str, readAt: attr.nullableStr,
};
const RENAME_NOTIFICATION_FIELDS = {
  id: attr.str, userId: attr.str, budgetId: attr.str, budgetName: attr.nullableStr, renameId: attr.str, to: attr.str, status: attr.among(RENAME_STATUSES),
  examined: attr.num, renamed: attr.num, failure: attr.nullableStr, message: attr.str, createdAt: attr.str, readAt: attr.nullableStr,
};
const UNDO_NOTIFICATION_FIELDS = {
  id: attr.str, userId: attr.str, budgetId: attr.str, budgetName: attr.nullableStr, importId: attr.str, attempt: attr.num, status: attr.among(UNDO_STATUSES),
  removed: attr.num, kept: attr.num, gone: attr.num, total: attr.num, failure: attr.nullableStr, message: attr.str, createdAt: attr.str, readAt: attr.nullableStr,
};
const BILL_NOTIFICATION_FIELDS = {
  id: attr.str, userId: attr.str, budgetId: attr.str, budgetName: attr.str, recurringExpenseId: attr.str, dueOn: attr.str,
  amount: attr.num, currency: attr.str, merchant: attr.nullableStr, description: attr.nullableStr, message: attr.str, createdAt: attr.str, readAt: attr.nullableStr,
};
const INCOME_NOTIFICATION_FIELDS = {
  id: attr.str, userId: attr.str, budgetId: attr.str, budgetName: attr.str, incomeId: attr.str, recurringIncomeId: attr.str, receivedOn: attr.str,
  amount: attr.num, currency: attr.str, source: attr.nullableStr, description: attr.nullableStr, message: attr.str, createdAt: attr.str, readAt: attr.nullableStr,
};
const PACE_NOTIFICATION_FIELDS = {
  id: attr.str, userId: attr.str, budgetId: attr.str, budgetName: attr.str, currency: attr.str, categoryId: attr.nullableStr, categoryName: attr.nullableStr,
  limit: attr.num, spent: attr.num, projected: attr.num, periodStart: attr.str, periodEnd: attr.str, message: attr.str, createdAt: attr.str, readAt: attr.nullableStr,
};
const READ_ALL_FIELDS = { upToId: attr.str, at: attr.str };
const UNREAD_FIELDS = { id: attr.str, readAt: attr.nullableStr };
/** A failed import's or rename's `failureCode` (absent: none stored, e.g. before codes). */
const failureCodeOf = (item: Item): { failureCode?: string } => (typeof item.failureCode === 'string' ? { failureCode: item.failureCode } : {});
/** What an import's notification was stored as before its kind was named `import.finished` (2026-12-02). */
const LEGACY_IMPORT_KIND = 'import';
// The stored `kind` is the item's kind (notification); `notificationKind` is the notification's,
// absent on a budget alert.
const toNotification = (item: Item): Notification => {
  if (item.notificationKind === undefined) return { ...attr.fields(item, NOTIFICATION_FIELDS), kind: 'budget.alert' };
  if (item.notificationKind === 'expense.comment') return { ...attr.fields(item, COMMENT_NOTIFICATION_FIELDS), kind: 'expense.comment' };
  if (item.notificationKind === 'budget.pace') return { ...attr.fields(item, PACE_NOTIFICATION_FIELDS), kind: 'budget.pace' };
  if (item.notificationKind === 'bill.due_soon') return { ...attr.fields(item, BILL_NOTIFICATION_FIELDS), kind: 'bill.due_soon' };
  if (item.notificationKind === 'income.recorded') return { ...attr.fields(item, INCOME_NOTIFICATION_FIELDS), kind: 'income.recorded' };
  // `matched`: absent on notifications stored before bill matching. `import`: the kind's first
  // name (2026-12-02, before it was dotted as the others), still in the table where stored then.
  if (item.notificationKind === 'import.finished' || item.notificationKind === LEGACY_IMPORT_KIND) {
    // `incomeImported`: only a credits=income import's (read back so a redelivered push says what the stored message says).
    const income = item.incomeImported === undefined ? {} : { incomeImported: attr.num(item, 'incomeImported') };
    return { ...attr.fields(item, IMPORT_NOTIFICATION_FIELDS), matched: item.matched === undefined ? 0 : attr.num(item, 'matched'), ...failureCodeOf(item), ...income, kind: 'import.finished' };
  }
  if (item.notificationKind === 'merchant-rename.finished') {
    return { ...attr.fields(item, RENAME_NOTIFICATION_FIELDS), from: attr.nullableStrList(item, 'from') ?? [], ...failureCodeOf(item), kind: 'merchant-rename.finished' };
  }
  if (item.notificationKind === 'import-undo.finished') return { ...attr.fields(item, UNDO_NOTIFICATION_FIELDS), ...failureCodeOf(item), kind: 'import-undo.finished' };
  const { notificationKind, ...rest } = attr.fields(item, EXPORT_NOTIFICATION_FIELDS);
  return { ...rest, kind: notificationKind };
};
