import { addDays, newId, problems, type Clock, type CursorCodec } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import { todayIn } from '../domain/dates';
import { requireAChange } from '../domain/expense-rules';
import { firstOnOrAfter, occurrencesBetween, windowDates } from '../domain/recurrence';
import type { RecurringIncome } from '../model';
import { RecurringIncomeChangedError, type RecurringIncomeRepository } from '../repository/recurring-income.repository';
import {
  MAX_UPCOMING_INCOME,
  UPCOMING_INCOME_DEFAULT_DAYS,
  UPCOMING_INCOME_MAX_DAYS,
  type CreateRecurringIncomeInput,
  type ListRecurringIncomeInput,
  type UpcomingIncomeInput,
  type UpdateRecurringIncomeInput,
} from '../schemas/recurring-income.schemas';
import { authorize } from './access';
import { guardedItem, guardedWrite, type GuardedItem } from './guarded-write';
import { requireBudgetCurrency } from './income.service';
import { checkedSchedule, patchedEnd, refuseCountWithEndsOn, sameSchedule } from './recurring.service';

export interface RecurringIncomeServiceDeps {
  repository: RecurringIncomeRepository;
  budgets: BudgetsFacade;
  clock: Clock;
  cursors: CursorCodec;
}

/** The occurrences still to record through a date, nearest first (GET .../recurring-income/upcoming). */
export interface UpcomingIncome {
  from: string;
  to: string;
  currency: string;
  total: number;
  count: number;
  truncated: boolean;
  items: { recurringIncomeId: string; receivedOn: string; amount: number; source?: string; description?: string }[];
}

/**
 * CRUD of recurring income definitions (expenses README "Recurring income"): a budget resource
 * as income entries and recurring expenses are (owners and editors write under the budgets
 * module's guard, viewers read, an archived budget refuses writes with 409). The schedule is the
 * recurring expenses' (their schemas and checks: recurring.service.ts checkedSchedule and the
 * rest, domain/recurrence.ts): no back-fill, a new or changed schedule's first occurrence is the
 * first on or after today in the budget's time zone; a pause drops nextOccurrenceOn and a resume
 * starts from today. The job (jobs/recurring-income-job.ts) records the occurrences.
 */
export class RecurringIncomeService {
  private readonly definitions: GuardedItem<RecurringIncome>;

  constructor(private readonly deps: RecurringIncomeServiceDeps) {
    this.definitions = guardedItem(deps, 'write', {
      notFound: 'Recurring income not found.',
      lostRace: (err) => err instanceof RecurringIncomeChangedError,
      busyDetail: 'The recurring income is being changed by others right now; retry.',
    });
  }

  async create(budgetId: string, userId: string, input: CreateRecurringIncomeInput, reservedId?: string): Promise<RecurringIncome> {
    refuseCountWithEndsOn(input.schedule);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    requireBudgetCurrency(input.currency, access);
    const now = this.deps.clock.now();
    const today = todayIn(access.timezone, now);
    const schedule = checkedSchedule({
      frequency: input.schedule.frequency,
      interval: input.schedule.interval ?? 1,
      startsOn: input.schedule.startsOn ?? today,
      ...(input.schedule.endsOn !== undefined ? { endsOn: input.schedule.endsOn } : {}),
      ...(input.schedule.count !== undefined ? { count: input.schedule.count } : {}),
    });
    const paused = input.paused === true;
    const timestamp = now.toISOString();
    const definition: RecurringIncome = {
      id: reservedId ?? newId(now.getTime()),
      budgetId,
      amount: input.amount,
      ...(input.source ? { source: input.source } : {}),
      ...(input.description ? { description: input.description } : {}),
      schedule,
      nextOccurrenceOn: paused ? null : firstOnOrAfter(schedule, today),
      paused,
      createdBy: userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    const outcome = await guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) => this.deps.repository.create(definition, access.timezone, guard));
    if (outcome === 'created') return definition;
    if (outcome === 'budget-closed') throw problems.notFound('Budget not found.');
    if (outcome === 'full') throw problems.conflict(`A budget can have at most ${this.deps.repository.maxPerBudget} recurring incomes; delete one first.`);
    const existing = await this.deps.repository.get(budgetId, definition.id);
    if (!existing || existing.createdBy !== userId) throw problems.conflict('This Idempotency-Key already created a resource that is no longer available.');
    return existing;
  }

  async get(budgetId: string, userId: string, id: string): Promise<RecurringIncome> {
    const read = this.definitions.prefetch(budgetId, id);
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    return this.definitions.mustGet(budgetId, id, read);
  }

  async list(budgetId: string, userId: string, query: ListRecurringIncomeInput) {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    const binding = JSON.stringify(['recurring-income', budgetId]);
    const startKey = this.deps.cursors.decode(query.cursor, binding);
    const page = await this.deps.repository.page(budgetId, query.limit, startKey);
    return { items: page.items, nextCursor: this.deps.cursors.encode(page.lastKey, binding) };
  }

  async update(budgetId: string, userId: string, id: string, input: UpdateRecurringIncomeInput, ifMatch: ReadonlySet<number> | undefined): Promise<RecurringIncome> {
    requireAChange(input);
    if (input.schedule) refuseCountWithEndsOn(input.schedule);
    const prefetched = this.definitions.prefetch(budgetId, id);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    requireBudgetCurrency(input.currency, access);
    return this.definitions.optimistically(budgetId, userId, id, ifMatch, async (current, guard) => {
      const now = this.deps.clock.now();
      const today = todayIn(access.timezone, now);
      const s = input.schedule ?? {};
      const next: RecurringIncome = {
        ...current,
        ...(input.amount !== undefined ? { amount: input.amount } : {}),
        schedule: checkedSchedule({
          frequency: s.frequency ?? current.schedule.frequency,
          interval: s.interval ?? current.schedule.interval,
          startsOn: s.startsOn ?? current.schedule.startsOn,
          ...patchedEnd(current.schedule, s),
        }),
        paused: input.paused ?? current.paused,
        version: current.version + 1,
        updatedAt: now.toISOString(),
      };
      for (const field of ['source', 'description'] as const) {
        const value = input[field];
        if (value === null || value === '') delete next[field];
        else if (value !== undefined) next[field] = value;
      }
      // Paused: no next occurrence, so it leaves the job's due index in this very write. Resumed
      // or rescheduled: from today on (dates passed meanwhile are not recorded; a date recorded
      // already is not recorded again: its occurrence marker, see the job).
      if (next.paused) next.nextOccurrenceOn = null;
      else if (current.paused || !sameSchedule(current.schedule, next.schedule)) next.nextOccurrenceOn = firstOnOrAfter(next.schedule, today);
      await this.deps.repository.replace(current, next, access.timezone, guard);
      return next;
    }, prefetched);
  }

  async remove(budgetId: string, userId: string, id: string, ifMatch: ReadonlySet<number> | undefined): Promise<void> {
    const prefetched = this.definitions.prefetch(budgetId, id);
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    await this.definitions.optimistically(budgetId, userId, id, ifMatch, (current, guard) => this.deps.repository.remove(current, guard), prefetched);
  }

  /**
   * The occurrences still to record from each definition's next one through `to` (default
   * today + 29 days; at most 90 days including today), nearest first, at most
   * MAX_UPCOMING_INCOME listed (counted and summed all). One Query of the definitions (at most
   * 100: one page); each definition's dates computed arithmetically (occurrencesBetween).
   */
  async upcoming(budgetId: string, userId: string, query: UpcomingIncomeInput): Promise<UpcomingIncome> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const from = todayIn(access.timezone, this.deps.clock.now());
    const last = addDays(from, UPCOMING_INCOME_MAX_DAYS - 1);
    const to = query.to ?? addDays(from, UPCOMING_INCOME_DEFAULT_DAYS - 1);
    if (to < from || to > last) throw problems.validation([{ path: 'query.to', message: `Must be from ${from} (today in the budget's time zone) to ${last}` }]);
    const { items: definitions } = await this.deps.repository.page(budgetId, this.deps.repository.maxPerBudget);
    const items: UpcomingIncome['items'] = [];
    let total = 0;
    let count = 0;
    for (const d of definitions) {
      if (d.nextOccurrenceOn === null || d.nextOccurrenceOn > to) continue;
      const window = occurrencesBetween(d.schedule, d.nextOccurrenceOn, to);
      count += window.count;
      total += window.count * d.amount;
      const text = { ...(d.source !== undefined ? { source: d.source } : {}), ...(d.description !== undefined ? { description: d.description } : {}) };
      for (const receivedOn of windowDates(d.schedule, window, MAX_UPCOMING_INCOME)) items.push({ recurringIncomeId: d.id, receivedOn, amount: d.amount, ...text });
    }
    if (!Number.isSafeInteger(total)) throw problems.unprocessable('The income of the range adds up past 2^53 - 1 minor units: it cannot be given exactly; ask a nearer `to`.');
    items.sort((a, b) => (a.receivedOn === b.receivedOn ? (a.recurringIncomeId < b.recurringIncomeId ? -1 : 1) : a.receivedOn < b.receivedOn ? -1 : 1));
    return { from, to, currency: access.currency, total, count, truncated: count > MAX_UPCOMING_INCOME, items: items.slice(0, MAX_UPCOMING_INCOME) };
  }
}
