import { ProblemError, type Clock } from '@budgeting/platform';
import type { BudgetRole, ReviewCountPort, UnreadNotifications, UnreadNotificationsPort } from '../contract';
import { headlineOf, type BudgetHeadline } from '../domain/overview';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { MembersRepository } from '../repository/members.repository';
import type { SummaryService } from './summary.service';

/** Budgets whose figures are read at the same time (the summary's two Queries and the review count's one: 24 requests in flight at most). */
export const OVERVIEW_CONCURRENCY = 8;

/** One budget on the home screen: who it is, the caller's role, and its current period's headline figures. */
export interface BudgetOverview extends BudgetHeadline {
  budgetId: string;
  name: string;
  currency: string;
  role: BudgetRole;
  /** Expenses that need review, at most 99 (the expenses module's count, through ReviewCountPort). */
  toReview: number;
  /** More than `toReview` need review: show "99+". */
  toReviewMore: boolean;
}

export interface Overview {
  items: BudgetOverview[];
  /** The key to continue after, or undefined on the last page. */
  lastKey: Record<string, unknown> | undefined;
  unreadNotifications: UnreadNotifications;
  generatedAt: string;
}

/**
 * The home screen in one request (GET /v1/me/overview) instead of 1 + N + 1: a page of the
 * caller's budgets, in the order of GET /v1/budgets, each with its CURRENT period's figures
 * exactly as GET .../summary answers them (SummaryService.onDay, one code path), and the
 * unread notifications count (the notifications module, through UnreadNotificationsPort), and
 * each budget's count of expenses that need review (the expenses module, ReviewCountPort).
 *
 * Requests, whatever the number of expenses: the page of memberships (1 Query of the member
 * index), every listed budget with the caller's membership (1 strongly consistent
 * BatchGetItem, which also carries the request's account check), then per budget the
 * summary's two Queries (totals, announced thresholds) and, alongside them, the review count
 * (1 Query of the expenses' review index, Select COUNT, at most 100 entries), OVERVIEW_CONCURRENCY
 * budgets at a time; the unread count (1 Query and the read-all mark's read) runs alongside. 4 + 3 x budgets (docs/capacity.md).
 */
export class OverviewService {
  constructor(
    private readonly d: {
      members: MembersRepository;
      budgets: BudgetsRepository;
      summary: SummaryService;
      notifications: UnreadNotificationsPort;
      review: ReviewCountPort;
      clock: Clock;
    },
  ) {}

  async page(userId: string, limit: number, startKey?: Record<string, unknown>): Promise<Overview> {
    // One instant for the whole answer: each budget's "today" (in its time zone) is taken at generatedAt.
    const now = this.d.clock.now();
    const [budgets, unreadNotifications] = await Promise.all([this.budgetsPage(userId, now, limit, startKey), this.d.notifications.unreadCount(userId)]);
    return { ...budgets, unreadNotifications, generatedAt: now.toISOString() };
  }

  private async budgetsPage(userId: string, now: Date, limit: number, startKey?: Record<string, unknown>) {
    // Archived budgets are left out (docs/budget-lifecycle.md "Archiving a budget"): by the index's key, then by the re-read below.
    const page = await this.d.members.listForUser(userId, limit, startKey, 'active');
    // The member index is eventually consistent: re-read each budget with the caller's
    // membership, strongly consistent, so one deleted or left a moment ago is skipped (and the
    // role is the current one), as GET .../summary would answer it 404.
    const readable = (
      await this.d.budgets.findManyForCaller(
        page.items.map((m) => m.budgetId),
        userId,
      )
    ).filter(({ budget }) => budget.archivedAt === undefined);
    const items = await mapBounded(readable, OVERVIEW_CONCURRENCY, async ({ budget, role }): Promise<BudgetOverview | null> => {
      const [summary, toReview] = await Promise.all([this.d.summary.onDay(budget, undefined, now).catch(skipInexact), this.d.review.toReview(budget.id)]);
      if (summary === null) return null;
      return {
        budgetId: budget.id,
        name: budget.name,
        currency: budget.currency,
        role,
        toReview: toReview.count,
        toReviewMore: toReview.more,
        ...headlineOf(summary),
      };
    });
    return { items: items.filter((item): item is BudgetOverview => item !== null), lastKey: page.lastKey };
  }
}

/**
 * A budget whose current figures cannot be given exactly (the summary's 400: spending or a carry
 * past 2^53 - 1, summary.service.ts) is left out of the page, as one deleted meanwhile is (null),
 * rather than failing the caller's whole home screen, every other budget with it: GET .../summary
 * of that budget answers the 400 itself. Any other failure fails the page, as before.
 */
function skipInexact(err: unknown): null {
  if (err instanceof ProblemError && err.status === 400 && (err.extras.errors ?? []).some((e) => e.path === 'query.date')) return null;
  throw err;
}

/** `work` over `items` with at most `concurrency` running at once; results in the order of `items`. */
async function mapBounded<T, R>(items: readonly T[], concurrency: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return results;
}
