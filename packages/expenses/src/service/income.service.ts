import { changesNothing, createEvent, keyInUse, newId, outboxPut, problems, type Clock, type CursorCodec, type KeyCompletion, type ModuleStore } from '@budgeting/platform';
import { IdOfDeletedError } from '../domain/resend-tombstone';
import type { BudgetAccess, BudgetsFacade } from '@budgeting/budgets';
import { ageOfMoneyReport, ageOfMoneyWindow, type AgeOfMoneyReport } from '../domain/age-of-money';
import { cashFlowIsExact, cashFlowOf, cashFlowRange, shownFigures, type ShownCashFlowFigures } from '../domain/cash-flow';
import { monthOf, todayIn } from '../domain/dates';
import { incomeChanges, incomeFacts } from '../domain/income-events';
import { incomeRecorded, incomeUpdated } from '../events';
import { requireAChange } from '../domain/expense-rules';
import type { Income } from '../model';
import { IncomeChangedError, type IncomeRepository } from '../repository/income.repository';
import type { TotalsRepository } from '../repository/totals.repository';
import type { AgeOfMoneyInput, CashFlowInput, CreateIncomeInput, ListIncomeInput, UpdateIncomeInput } from '../schemas/income.schemas';
import { authorize } from './access';
import { deleteIncome } from './income-delete';
import { guardedItem, guardedWrite, type GuardedItem } from './guarded-write';
import { listDeletedCopies, restoreDeleted } from './restore.service';

export interface IncomeServiceDeps {
  repository: IncomeRepository;
  totals: TotalsRepository;
  /** The module's store: each write's event is its outbox item (platform outboxPut). */
  store: ModuleStore;
  budgets: BudgetsFacade;
  clock: Clock;
  cursors: CursorCodec;
}

/** Income entries Age of Money reads at most (about 80 a month over its 24 months; 4 Queries of 500). */
export const MAX_AGE_OF_MONEY_ENTRIES = 2000;

/** A month's or the range's figures as the API answers them (numbers: checked exact first). */
export interface CashFlowView {
  currency: string;
  months: ({ month: string } & ShownFigures)[];
  total: ShownFigures;
}
type ShownFigures = ShownCashFlowFigures;

/**
 * Income entries (money that came in) and the cash flow (packages/expenses/docs/income.md "Income and cash
 * flow"). The conventions of expenses: owners and editors write, viewers read, strangers get
 * 404, an archived budget refuses writes (409 budget-archived), a `currency` other than the
 * budget's is a 400 naming it. Every write moves its month's income total and puts its event
 * (income.recorded / updated / deleted) to the outbox in its own transaction (IncomeRepository),
 * so the activity log and webhooks hear of exactly what committed.
 */
export class IncomeService {
  /**
   * As for expenses (guarded-write.ts guardedItem): the entry's first read travels in the access
   * check's BatchGetItem (prefetch: a GET answers, and a PATCH or DELETE writes, after one
   * request), a lost race is re-read; If-Match is checked on every read; the write carries the
   * writer guard.
   */
  private readonly entries: GuardedItem<Income>;

  constructor(private readonly deps: IncomeServiceDeps) {
    this.entries = guardedItem(deps, 'write', {
      notFound: 'Income not found.',
      lostRace: (err) => err instanceof IncomeChangedError,
      busyDetail: 'The income entry is being changed by others right now; retry.',
    });
  }

  /**
   * `clientId`: `reservedId` is an offline push's client id, which may be resent after the entry
   * was deleted more than 24 h after its creation (its resend tombstone gone): the write then
   * checks that no restorable copy of it exists (30 days), else IdOfDeletedError, nothing written.
   * `completeKey`: the POST's Idempotency-Key lease completed with its answer for `income`, as an
   * item of the create's own transaction (platform LeaseCompletion), so the answer is the key's
   * as soon as the entry exists: a retry after a crash between the commit and the answer
   * replays it, even once the entry was deleted (its tombstone would otherwise make it a 409).
   */
  async create(
    budgetId: string,
    userId: string,
    input: CreateIncomeInput,
    reservedId?: string,
    clientId = false,
    completeKey?: KeyCompletion<Income>,
  ): Promise<Income> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    requireBudgetCurrency(input.currency, access);
    const now = this.deps.clock.now();
    const timestamp = now.toISOString();
    const income: Income = {
      id: reservedId ?? newId(now.getTime()),
      budgetId,
      amount: input.amount,
      receivedOn: input.receivedOn ?? todayIn(access.timezone, now),
      ...(input.source ? { source: input.source } : {}),
      ...(input.description ? { description: input.description } : {}),
      createdBy: userId,
      version: 1,
      createdAt: timestamp,
      updatedAt: timestamp,
    };
    const event = await createEvent(incomeRecorded, { ...incomeFacts(income), createdBy: userId, version: income.version }, this.deps.clock);
    const outbox = outboxPut(this.deps.store, incomeRecorded, event);
    const notDeleted = clientId ? [this.deps.repository.deleted.absentCheck(budgetId, income.id, now)] : [];
    const also = [...notDeleted, ...(completeKey ? [completeKey.item(income)] : [])];
    const outcome = await guardedWrite(this.deps.budgets, budgetId, userId, 'write', (guard) => this.deps.repository.create(income, outbox, guard, also));
    if (outcome === 'created') {
      completeKey?.committed();
      return income;
    }
    // The copy's check failed: deleted within the last 30 days.
    if (typeof outcome === 'object' && outcome.alsoFailed < notDeleted.length) throw new IdOfDeletedError(NO_LONGER_AVAILABLE);
    // The key's lease is no longer this attempt's (taken over after it ran out): nothing written.
    if (typeof outcome === 'object') throw keyInUse();
    // An Idempotency-Key retry after a crash: the id the key reserved is taken by its own entry
    // (whose write carried the event: this one's transaction wrote nothing, its event included).
    // Or by its tombstone (deleted since, within 24 h: no entry read): a 409, not recorded again;
    // an offline push answers it `{id, deleted: true}`.
    const existing = await this.deps.repository.get(budgetId, income.id);
    if (!existing) throw new IdOfDeletedError(NO_LONGER_AVAILABLE);
    if (existing.createdBy !== userId) throw problems.conflict(NO_LONGER_AVAILABLE);
    // A push's resend of its own create with other values (its first answer lost, the user's edit
    // folded into the queued create): a conflict showing the entry, as an expense's
    // (expense-create.ts sameCreate), not `applied` with the stored copy over the user's edit.
    if (clientId && existing.version === 1 && !sameEntry(existing, income, input.receivedOn !== undefined)) {
      throw problems.conflict('This id holds the income entry you created with other values; it is shown as stored: send your change as an update of it.');
    }
    return existing;
  }

  async get(budgetId: string, userId: string, id: string): Promise<Income> {
    const read = this.entries.prefetch(budgetId, id);
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    return this.entries.mustGet(budgetId, id, read);
  }

  /**
   * Newest receivedOn first; the cursor is bound to the budget, the range and the
   * `recurringIncomeId` filter (a filtered list's cursor holds a gsi4 position, an unfiltered
   * one a gsi1 position: neither resumes the other). Without the filter the binding is the one
   * cursors had before it existed, so those stay valid.
   */
  async list(budgetId: string, userId: string, query: ListIncomeInput) {
    await authorize(this.deps.budgets, budgetId, userId, 'read');
    if (query.from !== undefined && query.to !== undefined && query.from > query.to) {
      throw problems.validation([{ path: 'query.from', message: 'Must not be after `to`' }]);
    }
    const filters: (string | null)[] = ['income', budgetId, query.from ?? null, query.to ?? null];
    if (query.recurringIncomeId !== undefined) filters.push('recurringIncomeId', query.recurringIncomeId);
    const binding = JSON.stringify(filters);
    const startKey = this.deps.cursors.decode(query.cursor, binding);
    const page = await this.deps.repository.page(budgetId, query, query.limit, startKey);
    return { items: page.items, nextCursor: this.deps.cursors.encode(page.lastKey, binding) };
  }

  async update(budgetId: string, userId: string, id: string, input: UpdateIncomeInput, ifMatch: ReadonlySet<number> | undefined): Promise<Income> {
    requireAChange(input);
    const prefetched = this.entries.prefetch(budgetId, id);
    const access = await authorize(this.deps.budgets, budgetId, userId, 'write');
    requireBudgetCurrency(input.currency, access);
    return this.entries.optimistically(budgetId, userId, id, ifMatch, async (current, guard) => {
      const next: Income = {
        ...current,
        ...(input.amount !== undefined ? { amount: input.amount } : {}),
        ...(input.receivedOn !== undefined ? { receivedOn: input.receivedOn } : {}),
        version: current.version + 1,
        updatedAt: this.deps.clock.now().toISOString(),
      };
      for (const field of ['source', 'description'] as const) {
        const value = input[field];
        if (value === null || value === '') delete next[field];
        else if (value !== undefined) next[field] = value;
      }
      // The values the entry has already (a client saving a form untouched): nothing to write,
      // no version, no income.updated with empty changes (packages/expenses/docs/income.md "Income and cash flow", A
      // PATCH that changes nothing). If-Match was checked on this read; the answer is the entry.
      const changes = incomeChanges(current, next);
      if (Object.keys(changes).length === 0) return current;
      // Built per attempt: a lost race writes nothing, so only the committed attempt's event exists.
      const data = { ...incomeFacts(next), updatedBy: userId, version: next.version, changes };
      const event = await createEvent(incomeUpdated, data, this.deps.clock);
      await this.deps.repository.replace(current, next, outboxPut(this.deps.store, incomeUpdated, event), guard);
      return next;
    }, prefetched);
  }

  async remove(budgetId: string, userId: string, id: string, ifMatch: ReadonlySet<number> | undefined): Promise<void> {
    const prefetched = this.entries.prefetch(budgetId, id);
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    await this.entries.optimistically(budgetId, userId, id, ifMatch, (current, guard) => deleteIncome(this.deps, current, userId, guard, true), prefetched);
  }

  /**
   * Undo of a delete (owners and editors, within 30 days): the entry back under the same id
   * exactly as it was deleted, at its next version (an If-Match from before the delete no longer
   * matches), its amount back in its month's total, a change-log stamp (delta sync hands it out
   * again) and income.recorded with `restoredBy` (the original `createdBy` kept): to every
   * subscriber, money coming in again. The shared flow's answers (restore.service.ts
   * restoreDeleted): 404 nothing to restore, 409 not deleted; an archived budget 409.
   */
  async restore(budgetId: string, userId: string, incomeId: string, completeKey?: KeyCompletion<Income>): Promise<Income> {
    const { repository, clock, budgets } = this.deps;
    return restoreDeleted(budgets, budgetId, userId, 'income entry', {
      readCopy: () => repository.deleted.get(budgetId, incomeId, clock.now()),
      readCurrent: () => repository.get(budgetId, incomeId),
      putBack: async (deleted) => {
        const restored: Income = { ...deleted.income, version: deleted.income.version + 1 };
        const data = { ...incomeFacts(restored), createdBy: restored.createdBy, version: restored.version, restoredBy: userId };
        const outbox = outboxPut(this.deps.store, incomeRecorded, await createEvent(incomeRecorded, data, clock));
        const also = completeKey ? [completeKey.item(restored)] : [];
        const outcome = await guardedWrite(budgets, budgetId, userId, 'write', (guard) => repository.restore(deleted, restored, outbox, guard, also));
        if (outcome === 'key-taken') throw keyInUse();
        if (outcome === 'restored') completeKey?.committed();
        return { outcome, restored };
      },
    });
  }

  /** Any member: the budget's restorable deleted entries, newest deletion first. */
  async listDeleted(budgetId: string, userId: string, query: { limit: number; cursor?: string }) {
    return listDeletedCopies(this.deps, this.deps.repository.deleted, 'income-deleted', budgetId, userId, query);
  }

  /**
   * Income, spending, net and savings rate per month of the range and in total: one Query of
   * the range's totals items (5 a month), whatever the number of entries. 422 when a figure
   * cannot be given exactly (past 2^53 - 1), as the recurring costs' total.
   */
  async cashFlow(budgetId: string, userId: string, query: CashFlowInput): Promise<CashFlowView> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const range = cashFlowRange(query, monthOf(todayIn(access.timezone, this.deps.clock.now())));
    if ('path' in range) throw problems.validation([{ path: range.path, message: range.message }]);
    const flow = cashFlowOf(await this.deps.totals.cashFlowMonths(budgetId, range.from, range.to), range.from, range.to);
    if (!cashFlowIsExact(flow)) {
      throw problems.unprocessable('The cash flow of this range passes 2^53 - 1 minor units (or basis points): it cannot be given exactly. Ask for fewer months.');
    }
    return { currency: access.currency, months: flow.months.map((m) => ({ month: m.month, ...shownFigures(m.figures) })), total: shownFigures(flow.total) };
  }

  /**
   * Age of Money on `date` (default today in the budget's time zone): after the access read,
   * two reads side by side, bounded whatever the budget's age: ONE strongly consistent Query of
   * the window's totals items (24 months, 5 a month at most: the day figures) and the window's
   * income entries (gsi1, at most MAX_AGE_OF_MONEY_ENTRIES). packages/expenses/docs/income.md "Age of Money".
   */
  async ageOfMoney(budgetId: string, userId: string, query: AgeOfMoneyInput): Promise<AgeOfMoneyReport> {
    const access = await authorize(this.deps.budgets, budgetId, userId, 'read');
    const date = query.date ?? todayIn(access.timezone, this.deps.clock.now());
    const window = ageOfMoneyWindow(date);
    const [income, spending, older] = await Promise.all([
      this.deps.repository.amountsPerDay(budgetId, window.from, window.to, MAX_AGE_OF_MONEY_ENTRIES),
      this.deps.totals.spendingPerDay(budgetId, window.from, window.to),
      // Anything before the window? If not (a budget younger than 24 months, backdated entries
      // included: they have month items too), no older money exists and no lead-in is needed.
      this.deps.totals.anyMonthBefore(budgetId, monthOf(window.from)),
    ]);
    const wholeHistory = !older && income.from === window.from;
    return ageOfMoneyReport(date, income.from, income.days, spending, !wholeHistory);
  }
}

const NO_LONGER_AVAILABLE = 'This Idempotency-Key already created a resource that is no longer available.';


/** A `currency` sent must be the budget's (a safety check, as on an expense): else a 400 naming it. */
export function requireBudgetCurrency(currency: string | undefined, access: BudgetAccess): void {
  if (currency !== undefined && currency !== access.currency) {
    throw problems.validation([{ path: 'currency', message: `Must be the budget's currency (${access.currency})` }]);
  }
}

/** Whether `made` (a resent create's body) records what `found` holds: the day too when the body names one (else the server's today). */
function sameEntry(found: Income, made: Income, daySent: boolean): boolean {
  const content = ({ id: _id, createdBy: _by, version: _v, createdAt: _c, updatedAt: _u, receivedOn, ...rest }: Income) => (daySent ? { ...rest, receivedOn } : rest);
  return changesNothing(content(found), content(made), []);
}
