import { createHash } from 'node:crypto';
import { addDays, deferReads, GUARDS, hashSecret, newId, newSecret, problems, rateLimitHeaders, secretMatchesHash, type Clock, type RateLimiter } from '@budgeting/platform';
import type { BudgetsFacade, ForecastSpendingPort } from '@budgeting/budgets';
import { CALENDAR_FEED_DAYS, calendarFeedRateKey, formatCalendarFeedToken, parseCalendarFeedToken } from '../domain/calendar-feed';
import { archivedFeedNote, calendarText } from '../domain/calendar-ics';
import type { CredentialNoticePort, MemberLocalePort } from '../create-module';
import { todayIn } from '../domain/dates';
import { MAX_UPCOMING } from '../domain/scheduled';
import type { CalendarFeedRecord, CalendarFeedsRepository } from '../repository/calendar-feeds.repository';
import { authorize } from './access';
import { guardedWrite } from './guarded-write';

/** A feed as its member sees it in the list (no secret: it was shown once). */
export interface CalendarFeedView {
  id: string;
  createdAt: string;
}

/** A feed just created: with the token of its URL, shown only this once. */
export interface CreatedCalendarFeed extends CalendarFeedView {
  token: string;
}

/** A feed's calendar, ready to send. */
export interface CalendarDocument {
  text: string;
  /** A strong ETag: the text's hash (the text depends only on the data and the day, see calendarText). */
  etag: string;
}

/**
 * Subscribable calendar feeds of a budget's upcoming bills (packages/expenses/docs/recurring.md, "Calendar feed").
 * Managed by each member for themself (any role: a feed only reads); read by calendar apps
 * through the secret URL, with no Authorization header, so every read checks again that the
 * feed exists, its secret matches, and its member is still a member of a budget that still
 * exists (the budgets facade, as every route). The occurrences are the forecast's
 * (ScheduledService.scheduledBetween): no schedule arithmetic here.
 */
export class CalendarFeedsService {
  constructor(
    private readonly deps: {
      repository: CalendarFeedsRepository;
      budgets: BudgetsFacade;
      scheduled: ForecastSpendingPort;
      /** The feed owner's account: null while it is deleted or suspended (404), else its profile locale, in which the text is written (none wired: English). */
      locales?: MemberLocalePort;
      /** The owner's security notice of a new feed, in its transaction (none wired: none mailed). */
      notices?: CredentialNoticePort;
      clock: Clock;
      /** Reads per feed and window (domain/calendar-feed.ts, CALENDAR_FEED_READS_PER_HOUR). */
      readLimit: RateLimiter;
    },
  ) {}

  /**
   * Any member, for themself; not on an archived budget (409 budget-archived): its feed would
   * list no bill (see calendar()). `own`: any role, refused when archived, and the create
   * carries the member's activeMemberCheck (guarded-write.ts), so an archive committed after
   * the access read fails it too.
   */
  async create(budgetId: string, userId: string): Promise<CreatedCalendarFeed> {
    await authorize(this.deps.budgets, budgetId, userId, 'own');
    const now = this.deps.clock.now();
    const secret = newSecret();
    const feed: CalendarFeedRecord = { id: newId(now.getTime()), budgetId, userId, secretHash: hashSecret(secret), createdAt: now.toISOString() };
    // The account is mailed a security notice, exactly when the feed commits (its unit in the same transaction).
    const notice = this.deps.notices?.calendarFeedCreated(userId, budgetId, feed.id, now);
    const outcome = await guardedWrite(this.deps.budgets, budgetId, userId, 'own', (guard) => this.deps.repository.create(feed, guard, notice ? [notice] : []));
    if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
    if (outcome === 'full') {
      const max = this.deps.repository.max;
      throw problems.limitReached('calendarFeeds', max, `You can have at most ${max} calendar feeds of a budget; delete one first.`);
    }
    // 'exists': a fresh ULID met an item: not a retry (no Idempotency-Key here), so a fault.
    if (outcome !== 'created') throw new Error(`calendar feed ${feed.id} exists already`);
    return { id: feed.id, createdAt: feed.createdAt, token: formatCalendarFeedToken({ budgetId, userId, feedId: feed.id, secret }) };
  }

  async list(budgetId: string, userId: string): Promise<CalendarFeedView[]> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    return (await this.deps.repository.list(budgetId, userId)).map((f) => ({ id: f.id, createdAt: f.createdAt }));
  }

  /** One of the caller's own feeds of the budget, as the list shows it (never its URL); another member's is a 404, as at revoke. */
  async get(budgetId: string, userId: string, feedId: string): Promise<CalendarFeedView> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const feed = await this.deps.repository.get(budgetId, userId, feedId);
    if (!feed) throw problems.notFound('No calendar feed of yours has this id.');
    return { id: feed.id, createdAt: feed.createdAt };
  }

  /**
   * Revokes one of the caller's own feeds of the budget: its URL answers 404 from now on. Also on
   * an archived budget (as revoking an invitation: a member may always stop sharing).
   */
  async revoke(budgetId: string, userId: string, feedId: string): Promise<void> {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    if (!(await this.deps.repository.remove(budgetId, userId, feedId))) throw problems.notFound('No calendar feed of yours has this id.');
  }

  /**
   * A member left the budget or was removed (budget.member_removed at `removedAt`): their feeds of
   * it made until then go, and all of them while they are still no member (one strongly
   * consistent access read, only when a feed is later than the removal); one made since the
   * member was added back stays. The number removed.
   */
  async removeMemberFeeds(budgetId: string, userId: string, removedAt: string): Promise<number> {
    return this.deps.repository.removeAllOf(budgetId, userId, removedAt, async () => (await this.deps.budgets.getAccess(budgetId, userId)) !== null);
  }

  /**
   * The calendar behind a feed's token, or null (404) when there is none: a malformed token (no
   * read), no such feed or another secret, a revoked feed, a deleted budget, a member no
   * longer member, or a member whose account is deleted or suspended by support. The feed's item travels in the access check's BatchGetItem, so every
   * well-formed token costs that one request, known or not; the secret is compared in constant
   * time. Only then are the definitions read (one Query).
   *
   * Before any read, the feed's rate limit (its ids from the token; platform RateLimiter, whose
   * shared counter costs one UpdateItem only every few reads): over it, 429 with Retry-After,
   * the answer requireAuth gives an account over its limit, and nothing is read.
   *
   * An archived budget's feed is a valid calendar with no event (its one component the budget's
   * zone, calendar-timezone.ts) and a note (X-WR-CALDESC): the
   * recurring and reminder jobs pass over it, so its bills will not be recorded; calendar apps
   * keep the last events they read when a feed answers 404 or 410 (and go on polling), so only
   * an empty calendar takes the bills off the member's days while the subscription stays, and
   * they come back on unarchiving. No definitions are read then.
   */
  async calendar(token: string): Promise<CalendarDocument | null> {
    const parsed = parseCalendarFeedToken(token);
    if (!parsed) return null;
    await this.admit(parsed.feedId);
    const feedRead = this.deps.repository.getWithNextRead(parsed.budgetId, parsed.userId, parsed.feedId);
    feedRead.catch(() => undefined);
    // The owner's account, read at every poll (a change of its locale shows at the next one),
    // queued to travel in the same BatchGetItem: one key more, no request more.
    const accountRead = deferReads(async () => (this.deps.locales ? this.deps.locales.accountOf(parsed.userId) : { locale: undefined }));
    accountRead.catch(() => undefined);
    const access = await this.deps.budgets.getAccess(parsed.budgetId, parsed.userId);
    // Without access the queued read may never have been sent: not awaited then.
    if (!access) return null;
    const feed = await feedRead;
    if (!feed || !secretMatchesHash(parsed.secret, feed.secretHash)) return null;

    // The URL is a credential of the account, as its tokens are: a suspension (which ends those)
    // stops it while it lasts, and a deleted account's is dead at once, before user.deleted's
    // cascade removes the membership (and then the feed).
    const account = await accountRead;
    if (!account) return null;
    const locale = account.locale;
    const today = todayIn(access.timezone, this.deps.clock.now());
    const budget = { budgetId: parsed.budgetId, name: access.budget.name, currency: access.currency, timezone: access.timezone, categories: access.categories };
    const text =
      access.budget.archivedAt === undefined
        ? calendarText(budget, (await this.deps.scheduled.scheduledBetween(parsed.budgetId, today, addDays(today, CALENDAR_FEED_DAYS - 1), MAX_UPCOMING)).upcoming, today, locale)
        : calendarText({ ...budget, note: archivedFeedNote(locale) }, [], today, locale);
    return { text, etag: `"${createHash('sha256').update(text, 'utf8').digest('base64url').slice(0, 27)}"` };
  }

  /** Counts one read of the feed; 429 when it is over its limit in this window. */
  private async admit(feedId: string): Promise<void> {
    const limiter = this.deps.readLimit;
    const verdict = await limiter.admit(calendarFeedRateKey(feedId));
    if (verdict.admitted) return;
    const detail = `More than ${limiter.limit} reads of this calendar feed in ${limiter.windowSeconds} seconds; retry after the window ends.`;
    throw problems.tooManyRequests(GUARDS.calendarFeedRateLimit, verdict.retryAfterSeconds, detail, rateLimitHeaders(limiter, verdict));
  }
}
