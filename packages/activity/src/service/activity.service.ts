import { problems, type CursorCodec } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { UsersFacade } from '@budgeting/users';
import type { ActivityEntry, ActorRef } from '../model';
import type { ActivityRepository } from '../repository/activity.repository';
import type { ActivityQueryInput } from '../schemas';

/**
 * GET /v1/budgets/{budgetId}/activity: any member, newest first. Actor names are looked up
 * when read (users facade), so a renamed user shows the current name and a deleted one null.
 */
export class ActivityService {
  constructor(
    private readonly d: { repository: ActivityRepository; budgets: BudgetsFacade; users: UsersFacade; cursors: CursorCodec },
  ) {}

  async list(budgetId: string, userId: string, query: ActivityQueryInput) {
    const access = await this.d.budgets.getAccess(budgetId, userId);
    if (!access) throw problems.notFound('Budget not found.');
    const binding = JSON.stringify(['activity', budgetId]);
    const page = await this.d.repository.page(budgetId, query.limit, this.d.cursors.decode(query.cursor, binding));
    const names = await this.names(page.items);
    return {
      items: page.items.map((e) => present(e, names)),
      nextCursor: this.d.cursors.encode(page.lastKey, binding),
    };
  }

  private async names(entries: ActivityEntry[]): Promise<Map<string, string | null>> {
    const ids = new Set(entries.map((e) => actorUserId(e.actor)));
    const found = await Promise.all([...ids].map(async (id) => [id, await this.d.users.getById(id)] as const));
    return new Map(found.map(([id, user]) => [id, user ? (user.name ?? user.email) : null]));
  }
}

const actorUserId = (a: ActorRef) => (a.type === 'user' ? a.id : a.onBehalfOf);

function present(e: ActivityEntry, names: Map<string, string | null>) {
  const person = (id: string) => ({ id, name: names.get(id) ?? null });
  const actor =
    e.actor.type === 'user'
      ? { type: 'user' as const, ...person(e.actor.id) }
      : { type: 'schedule' as const, name: e.actor.name, onBehalfOf: person(e.actor.onBehalfOf) };
  return {
    id: e.id,
    at: e.at,
    actor,
    action: e.action,
    subject: e.subject,
    ...(e.changes ? { changes: e.changes } : {}),
    ...(e.recurringExpenseId ? { recurringExpenseId: e.recurringExpenseId } : {}),
  };
}
