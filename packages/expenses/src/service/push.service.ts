import { createHash } from 'node:crypto';
import { ProblemError, awsErrorToProblem, loadOnce, newId, type Clock, type ProblemBody } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { Expense, Income } from '../model';
import type { Mutation, PushInput } from '../schemas/push.schemas';
import type { ExpensesRepository } from '../repository/expenses.repository';
import type { RulesRepository } from '../repository/rules.repository';
import { TotalsLimitError } from '../repository/totals-cap';
import { recordChanges, type ChangeNumber } from '../repository/change-log';
import { isBudgetArchived } from '../domain/write-retry';
import { authorize } from './access';
import type { ChangesService } from './changes.service';
import { type ExpensesService, type RuleSource } from './expenses.service';
import type { IncomeRepository } from '../repository/income.repository';
import { type IncomeService } from './income.service';
import { IdOfDeletedError } from '../domain/resend-tombstone';

export type PushResult =
  | { status: 'applied'; expense: Expense; version: number }
  | { status: 'applied'; income: Income; version: number }
  | { status: 'applied'; id: string; version: number }
  | { status: 'conflict'; current: Expense | { id: string; deleted: true } }
  | { status: 'conflict'; current: Income; type: 'income' }
  | { status: 'error'; problem: ProblemBody };

export interface PushServiceDeps {
  expenses: ExpensesService;
  repository: ExpensesRepository;
  /** The budget's categorization rules: read once per batch, by its first create without a category. */
  rules: Pick<RulesRepository, 'all'>;
  changes: ChangesService;
  /** Income mutations (`type: income`): the income routes' single write path, and its reads of a conflict's server copy. */
  income: IncomeService;
  incomeRepository: Pick<IncomeRepository, 'get'>;
  budgets: BudgetsFacade;
  clock: Clock;
}

/**
 * Offline push: the mutations a client queued, applied in order, each on its own through the
 * same write path as the single-expense routes (ExpensesService: same role checks, same
 * transaction with totals, outbox event and change-log stamp), so GET /changes and every
 * subscriber see them exactly as if they had been sent one by one.
 *
 * A stale `baseVersion` never overwrites: it is the If-Match of that write, and a 412 (or a
 * missing expense) becomes `{status: conflict, current}` with the server's copy. Problems a
 * single write would answer with 4xx/503 (a category not of the budget, an empty patch, a
 * throttled table, a create or update that would take its month's running totals past
 * 2^53 - 1: TotalsLimitError) become `{status: error, problem}` and the batch goes on: one
 * bad mutation must not strand the 99 behind it in the phone's queue.
 *
 * Retries: the route takes an Idempotency-Key, so a retry after a stored answer replays it and
 * writes nothing. If the first attempt died before answering, the retry runs again: creates
 * without a client id get ids derived from the id the key reserved (deriveId), so they are
 * found rather than made twice; updates and deletes it had applied come back as conflicts
 * showing the state they produced.
 *
 * Income mutations (`type: "income"`) go the same way through IncomeService (the income
 * routes' write path: roles, archive guard, If-Match as baseVersion, a client id or one derived
 * from the key's), each taking its change number as an expense write does; their results say
 * `income` where an expense's say `expense`.
 */
export class PushService {
  constructor(private readonly deps: PushServiceDeps) {}

  /**
   * `since`: the client's current token (optional). The answered serverKnowledge then keeps that
   * token's place in a first sync's pages: a token of before income was synced (no `i`) still
   * pages through the budget's income on the next GET /changes, so a client adopting the push's
   * answer does not skip the income recorded before (README "Offline push"). An in-sync token's
   * numbers advance only over the change numbers this push's applied mutations took
   * (recordChanges), stopping at another writer's: adopting the answer never skips a change
   * made after the token (ChangesService.pushedPosition). Checked before any write (a bad one is
   * GET's 400 naming query.since, after the access check as there).
   */
  async push(budgetId: string, userId: string, input: PushInput, reservedId?: string, since?: string) {
    // The whole batch needs write access; each write checks again (a role may change mid-batch).
    await authorize(this.deps.budgets, budgetId, userId, 'write');
    const position = since === undefined ? undefined : this.deps.changes.position(budgetId, since);
    const results: PushResult[] = [];
    // The change numbers of the applied mutations' writes: with `since`, the answer advances over them.
    const own: ChangeNumber[] = [];
    // Read by the first create that asks a rule for its category, then shared by the batch.
    const rules = loadOnce(() => this.deps.rules.all(budgetId));
    for (const [index, mutation] of input.mutations.entries()) {
      const numbers: ChangeNumber[] = [];
      const result = await recordChanges(numbers, () => this.apply(budgetId, userId, mutation, index, rules, reservedId));
      // Only what the client is told it has: an applied result carries the state its write left.
      if (result.status === 'applied') own.push(...numbers);
      results.push(result);
    }
    const answered = position === undefined ? {} : this.deps.changes.pushedPosition(position, own);
    const serverKnowledge = await this.deps.changes.knowledge(budgetId, userId, answered);
    return { results, serverKnowledge };
  }

  private async apply(budgetId: string, userId: string, m: Mutation, index: number, rules: RuleSource, reservedId?: string): Promise<PushResult> {
    const id = (explicit: string | undefined) => explicit ?? (reservedId ? deriveId(reservedId, index) : newId(this.deps.clock.now().getTime()));
    // A create's id, chosen once: its conflict names it (a client id, or the one the key derives).
    const createId = m.op === 'create' ? id(m.id) : undefined;
    try {
      if (m.type === 'income') {
        switch (m.op) {
          case 'create': {
            // As an expense's: a client id may be resent after a deletion its tombstone no longer covers.
            const income = await this.deps.income.create(budgetId, userId, m.income, createId, m.id !== undefined);
            return { status: 'applied', income, version: income.version };
          }
          case 'update': {
            const income = await this.deps.income.update(budgetId, userId, m.id, m.patch, new Set([m.baseVersion]));
            return { status: 'applied', income, version: income.version };
          }
          case 'delete':
            await this.deps.income.remove(budgetId, userId, m.id, new Set([m.baseVersion]));
            return { status: 'applied', id: m.id, version: m.baseVersion };
        }
      }
      switch (m.op) {
        case 'create': {
          // A client's id may be resent after a deletion its tombstone no longer covers (createWithId).
          const expense = await this.deps.expenses.createWithId(budgetId, userId, m.expense, createId!, rules, m.id !== undefined);
          return { status: 'applied', expense, version: expense.version };
        }
        case 'update': {
          const expense = await this.deps.expenses.update(budgetId, userId, m.id, m.patch, new Set([m.baseVersion]));
          return { status: 'applied', expense, version: expense.version };
        }
        case 'delete':
          await this.deps.expenses.remove(budgetId, userId, m.id, new Set([m.baseVersion]));
          return { status: 'applied', id: m.id, version: m.baseVersion };
      }
    } catch (err) {
      const problem = err instanceof ProblemError ? err : awsErrorToProblem(err);
      if (!problem) throw err;
      // A 409 of its own: the state is not the client's to reconcile, the amount is refused.
      if (problem instanceof TotalsLimitError) return { status: 'error', problem: problem.toBody() };
      // Nor is an archive that committed mid-batch (its access check, or the change counter of a
      // write already past it): the expense did not change, the budget is read-only.
      if (isBudgetArchived(problem)) return { status: 'error', problem: problem.toBody() };
      // 409: a client id taken by someone else's expense; 412: stale baseVersion; 404: gone.
      if (problem.status === 409 || problem.status === 412 || problem.status === 404) {
        // The create's id is taken but holds no item (the service read it): the resend tombstone of
        // this expense or entry, deleted since (domain/resend-tombstone.ts). Gone, not recorded again.
        if (problem instanceof IdOfDeletedError) return { status: 'conflict', current: { id: createId!, deleted: true } };
        if (m.type === 'income') {
          const current = await this.deps.incomeRepository.get(budgetId, m.id ?? '');
          if (current) {
            if (problem.status !== 404) return { status: 'conflict', current, type: 'income' };
          } else if (m.op !== 'create') {
            return { status: 'conflict', current: { id: m.id, deleted: true } };
          }
          return { status: 'error', problem: problem.toBody() };
        }
        const current = await this.deps.repository.get(budgetId, m.id ?? '');
        if (current) {
          if (problem.status !== 404) return { status: 'conflict', current };
        } else if (m.op !== 'create') {
          return { status: 'conflict', current: { id: m.id, deleted: true } };
        }
      }
      return { status: 'error', problem: problem.toBody() };
    }
  }
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * A ULID for the index-th create of a batch: the reserved id's time part and 80 bits of
 * sha256(reservedId, index), so the same key always names the same ids and ids of one batch
 * still sort by creation time.
 */
export function deriveId(reservedId: string, index: number): string {
  const digest = createHash('sha256').update(`${reservedId}#${index}`).digest();
  let random = '';
  for (let i = 0; i < 16; i++) random += CROCKFORD[digest[i]! & 31];
  return reservedId.slice(0, 10) + random;
}
