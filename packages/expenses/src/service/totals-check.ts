import { OperatorInputError, type Logger } from '@budgeting/platform';
import type { TotalsCheckRepository } from '../repository/totals-check.repository';
import { compareMonth, ExpectedTotals, type TotalsDifference } from '../repository/totals-recount';

/** Attempts at a month's repair (each a fresh read of the totals and the expenses) before it is reported busy. */
export const MAX_REPAIR_ROUNDS = 3;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface TotalsCheckSummary {
  budgetId: string;
  month?: string;
  repair: boolean;
  /** Months compared (with stored figures or expenses; 1 with `month`). */
  monthsChecked: number;
  /** Expense items read (all of the budget's, also with `month`: the base table holds them by id, not by date). */
  expensesRead: number;
  /** What differed when first read (a repair's too: what it set out to fix). */
  differences: TotalsDifference[];
  ok: boolean;
  /** Months whose day figures still sit partly in day items of the layout before 2026-11-30: compared with them, never repaired (run expenses-fold-day-totals first). */
  unfolded: string[];
  /** Repair only: months where figures were set; months still raced after MAX_REPAIR_ROUNDS; read rounds taken. */
  repaired?: string[];
  busy?: string[];
  rounds?: number;
}

/**
 * The operator operation `expenses-totals-check` (packages/expenses/docs/storage-and-totals.md,
 * "Checking and repairing the totals"): recounts a budget's running totals from its expenses and
 * lists each figure that differs; with `repair` sets those figures to the recounted values.
 *
 * Why a repair never undoes a live write's delta. Every write that moves the totals moves, in
 * the SAME transaction, one of the budget's 16 change counters (ChangeLog: the delta-sync stamp
 * of every expense and income write, one-by-one or an import's batch). A round reads, in this
 * order: the counters, the totals items, then every expense. The repair's transactions hold
 * only if every counter still has the number read and every figure they set still has the
 * value read (absent included). DynamoDB checks both at the commit, atomically with the SET:
 *  - If no write committed between the counter read and the commit, nothing moved the totals
 *    or the expenses in that time, so the totals read are the totals at the commit and the
 *    expenses read (a paged read, but of an unchanging partition) are the expenses at the
 *    commit: the recounted figure is exactly what the figure must be then. Setting it loses
 *    nothing. A write that commits after the repair ADDs its delta to the repaired value.
 *  - If a write committed in between, its counter moved, the condition fails, nothing is set,
 *    and the month is read again in the next round (after MAX_REPAIR_ROUNDS: `busy`).
 * The figure's own condition alone would not be enough: a write may change no figure the
 * repair sets (a category change leaves `total` alone), and two writes in the window can leave
 * a figure as it was (a create and the delete of that expense) while the expenses read saw the
 * one in between. The counters never go back. The figure's condition stays for what moves the
 * totals without a counter: the day-items fold (jobs/fold-day-totals-job.ts) ADDs day figures;
 * and a month with day items not folded yet is not repaired at all.
 * The cost of that safety: any write of the budget during a round (another month's, an income
 * entry's) fails the round's repair, so on a busy budget it may take the rounds; run it again.
 */
export class TotalsCheck {
  constructor(
    private readonly d: {
      repository: TotalsCheckRepository;
      /** Whether the budget exists (it has members); an unknown id is the operator's input error. */
      budgetExists(budgetId: string): Promise<boolean>;
      logger: Logger;
      maxRounds?: number;
    },
  ) {}

  async run(args: Record<string, string | undefined>): Promise<TotalsCheckSummary> {
    const { budgetId, month, repair } = parseArgs(args);
    if (!(await this.d.budgetExists(budgetId))) throw new OperatorInputError(`no budget ${budgetId} (or it has no members)`);
    const differences: TotalsDifference[] = [];
    const unfolded = new Set<string>();
    const repaired = new Set<string>();
    let pending: Set<string> | undefined;
    let first: { monthsChecked: number; expensesRead: number } | undefined;
    let rounds = 0;
    while (rounds < (this.d.maxRounds ?? MAX_REPAIR_ROUNDS) && (pending === undefined || pending.size > 0)) {
      rounds++;
      const round = await this.round(budgetId, month, repair, pending);
      first ??= { monthsChecked: round.months, expensesRead: round.expensesRead };
      if (rounds === 1) differences.push(...round.differences);
      round.unfolded.forEach((m) => unfolded.add(m));
      round.repaired.forEach((m) => repaired.add(m));
      pending = round.raced;
      if (!repair) break;
    }
    const busy = repair ? [...(pending ?? [])] : [];
    const ok = repair ? busy.length === 0 && unfolded.size === 0 : differences.length === 0;
    const summary: TotalsCheckSummary = {
      budgetId,
      ...(month ? { month } : {}),
      repair,
      ...first!,
      differences,
      ok,
      unfolded: [...unfolded].sort(),
      ...(repair ? { repaired: [...repaired].sort(), busy: busy.sort(), rounds } : {}),
    };
    this.d.logger.info('expenses totals checked', { operator: args.operator, ...summary, differences: differences.length });
    return summary;
  }

  /**
   * One round: counters (for a repair), totals, then expenses, in that order (see the class);
   * each month compared (only `only` after the first round) and, for a repair, its differing
   * figures set. `unfolded`: months with differences left alone for their old day items.
   */
  private async round(budgetId: string, month: string | undefined, repair: boolean, only: Set<string> | undefined) {
    const counters = repair ? await this.d.repository.counters(budgetId) : [];
    const stored = await this.d.repository.stored(budgetId, month);
    const expected = new ExpectedTotals(month);
    let expensesRead = 0;
    await this.d.repository.eachExpense(budgetId, (expenseId, contribution) => {
      expensesRead++;
      expected.add(expenseId, contribution);
    });
    const months = month ? [month] : [...new Set([...stored.months.keys(), ...expected.months.keys()])].sort();
    const out = { months: months.length, expensesRead, differences: [] as TotalsDifference[], unfolded: [] as string[], repaired: [] as string[], raced: new Set<string>() };
    for (const m of months) {
      if (only && !only.has(m)) continue;
      const { differences, repairs } = compareMonth(m, stored.months.get(m), expected.months.get(m));
      out.differences.push(...differences);
      if (stored.unfolded.has(m) && (repair ? repairs.length > 0 : true)) out.unfolded.push(m);
      if (!repair || repairs.length === 0 || stored.unfolded.has(m)) continue;
      for (const shardRepair of repairs) {
        if (!(await this.d.repository.repair(budgetId, m, shardRepair, counters))) {
          out.raced.add(m);
          break;
        }
        if (!out.repaired.includes(m)) out.repaired.push(m);
      }
    }
    return out;
  }
}

function parseArgs(args: Record<string, string | undefined>): { budgetId: string; month: string | undefined; repair: boolean } {
  const budgetId = args.budget?.trim();
  if (!budgetId) throw new OperatorInputError('--budget is required: the id of the budget whose totals to check');
  if (args.month !== undefined && !MONTH.test(args.month)) throw new OperatorInputError(`--month must be a month, YYYY-MM; got "${args.month}"`);
  if (args.repair !== undefined && args.repair !== 'yes') throw new OperatorInputError(`--repair takes only "yes" (the check alone reads and changes nothing); got "${args.repair}"`);
  return { budgetId, month: args.month, repair: args.repair === 'yes' };
}
