import type { BudgetAccess, BudgetsFacade, BudgetWatchersFacade } from '../contract';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { MembersRepository } from '../repository/members.repository';
import type { WatchersRepository } from '../repository/watchers.repository';
import type { Clock } from '@budgeting/platform';
import type { AccessService } from './access';
import { budgetView } from './budget-view';
import type { ReportScheduleRepository } from '../reports';

/** Budget ids per allBudgetIds page. */
const ID_PAGE = 100;
/** Past every due instant of the report due index (and its RECHECK). */
const EVER = '~';

/** What other modules may ask of budgets (see contract.ts). */
export function createBudgetsFacade(
  access: AccessService,
  members: MembersRepository,
  budgets: BudgetsRepository,
  schedule: ReportScheduleRepository,
): BudgetsFacade {
  return {
    // One BatchGetItem (budget + membership), strongly consistent.
    async getAccess(budgetId, userId): Promise<BudgetAccess | null> {
      const found = await access.find(budgetId, userId);
      if (!found) return null;
      const { budget, role } = found;
      return {
        budgetId: budget.id,
        role,
        currency: budget.currency,
        timezone: budget.timezone,
        period: budget.period,
        categories: budget.categories.map((c) => ({ ...c })),
        budget: budgetView(found),
      };
    },
    memberIds: (budgetId) => members.allUserIds(budgetId),
    memberNames: (budgetId) => members.names(budgetId),
    writeChecks: (budgetId, userId, value) => budgets.writeChecks(budgetId, userId, value),
    categoriesCheck: (budgetId, categoryIds) => budgets.categoriesCheck(budgetId, categoryIds),
    categoryIdsOf: async (budgetId) => (await budgets.getItem(budgetId))?.categories.map((c) => c.id),
    membersCheck: (budgetId, userIds) => budgets.membersCheck(budgetId, userIds),
    activeMemberCheck: (budgetId, userId) => budgets.activeMemberCheck(budgetId, userId),
    notArchivedCheck: (budgetId) => budgets.notArchivedCheck(budgetId),
    // Shard by shard through the report due index (every budget has one entry in one shard).
    async allBudgetIds(cursor) {
      const at = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as IdCursor) : { shard: 0 };
      const page = await schedule.due(at.shard, EVER, ID_PAGE, at.startKey);
      const next: IdCursor | undefined = page.lastKey
        ? { shard: at.shard, startKey: page.lastKey }
        : at.shard + 1 < schedule.shards
          ? { shard: at.shard + 1 }
          : undefined;
      return { ids: page.items.map((i) => i.id), ...(next ? { cursor: Buffer.from(JSON.stringify(next)).toString('base64url') } : {}) };
    },
    // One shard a page, each its share of `count` (the first `count % shards` one more), from a random point.
    async budgetIdsSample(count, random, cursor) {
      const shard = cursor === undefined ? 0 : Number(cursor);
      if (!Number.isInteger(shard) || shard < 0 || shard >= schedule.shards) throw new Error(`bad budgetIdsSample cursor ${JSON.stringify(cursor)}`);
      const share = Math.floor(count / schedule.shards) + (shard < count % schedule.shards ? 1 : 0);
      const ids = await schedule.sample(shard, share, random);
      return { ids, ...(shard + 1 < schedule.shards ? { cursor: String(shard + 1) } : {}) };
    },
  };
}

/** The watchers hint for the webhooks fan-out (see BudgetWatchersFacade). */
export function createWatchersFacade(members: MembersRepository, watchers: WatchersRepository, clock: Clock): BudgetWatchersFacade {
  return {
    eventWatchers: (budgetId) => watchers.get(budgetId, clock.now()),
    recordEventWatchers: (budgetId, ids, gen, dropPins) => watchers.record(budgetId, ids, gen, clock.now(), dropPins),
    addEventWatcher: (budgetIds, userId, unpin) => watchers.add(budgetIds, userId, clock.now(), unpin),
    pinEventWatcher: (budgetIds, userId, pin) => watchers.pin(budgetIds, userId, pin, clock.now()),
    async budgetIdsOf(userId) {
      const ids: string[] = [];
      let startKey: Record<string, unknown> | undefined;
      do {
        const page = await members.listForUser(userId, 100, startKey);
        ids.push(...page.items.map((m) => m.budgetId));
        startKey = page.lastKey;
      } while (startKey);
      return ids;
    },
  };
}

interface IdCursor {
  shard: number;
  startKey?: Record<string, unknown>;
}
