import { checkedAuthor, OperatorInputError, type Logger } from '@budgeting/platform';
import { CheckOutOfTimeError, type RepairAuthor, type RepairRecord, type TotalsCheckRepository } from '../repository/totals-check.repository';
import { compareIncome, compareMonth, ExpectedTotals, type TotalsDifference } from '../repository/totals-recount';

/** Rounds (each a fresh read of the counters, the totals and the expenses) of a month's repair, or of a check whose reads a write raced, before it is reported busy. */
export const MAX_REPAIR_ROUNDS = 3;

const MONTH = /^\d{4}-(0[1-9]|1[0-2])$/;

export interface TotalsCheckSummary {
  budgetId: string;
  month?: string;
  repair: boolean;
  /** Months compared (with stored figures, expenses or income; 1 with `month`). */
  monthsChecked: number;
  /** Expense items read (all of the budget's, also with `month`: the base table holds them by id, not by date). */
  expensesRead: number;
  /** Income entries read (all of the budget's, as the expenses). */
  incomeRead: number;
  /** A check's: what differs (in its last round, the first no write raced). A repair's: what differed when first read (what it set out to fix). */
  differences: TotalsDifference[];
  ok: boolean;
  /** Months whose day figures still sit partly in day items of the layout before 2026-11-30: compared with them, never repaired (run expenses-fold-day-totals first). */
  unfolded: string[];
  /**
   * Months still raced after MAX_REPAIR_ROUNDS (run it again at a quieter time): a repair's
   * whose transactions kept failing; a check's, every month compared when a write landed during
   * each round's reads (its `differences` are then the last round's and may be that write's).
   */
  busy: string[];
  /** Read rounds taken (a check: 1 unless a write raced its reads). */
  rounds: number;
  /** Repair only: months where figures were set. */
  repaired?: string[];
  /**
   * The budget's last repairs (one audit record per repair transaction: who, why, the figures
   * set, from and to), newest first, at most RECENT_REPAIRS, read after this run's own writes:
   * what was repaired before, so an operator sees it before repairing again.
   */
  repairs: RepairRecord[];
  /** Older repair records exist than those listed. */
  moreRepairs: boolean;
}

/**
 * The operator operation `expenses-totals-check` (packages/expenses/docs/storage-and-totals.md,
 * "Checking and repairing the totals"): recounts a budget's running totals from its expenses and
 * lists each figure that differs; with `repair` sets those figures to the recounted values.
 * Each month's income (its own item, figure `income`) is recounted from the income entries
 * in the same way: every income write (create, PATCH, DELETE, restore, an import's income
 * rows, a recurring income occurrence) stamps a change counter in its transaction too.
 *
 * Why a repair never undoes a live write's delta. Every write that moves the totals moves, in
 * the SAME transaction, one of the budget's 16 change counters (ChangeLog: the delta-sync stamp
 * of every expense and income write, one-by-one or an import's batch). A round reads, in this
 * order: the counters, the totals items, then every expense and income entry. The repair's transactions hold
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
 * A check (no repair) reads the counters before and after its reads for the same reason: a
 * write between its read of the totals and of the expenses would show as a drift that is not
 * there (or hide one); a moved counter makes it read again, as a raced repair does.
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
    const { budgetId, month, author } = parseArgs(args);
    if (!(await this.d.budgetExists(budgetId))) throw new OperatorInputError(`no budget ${budgetId} (or it has no members)`);
    const summary = await this.summarize(budgetId, month, author, undefined, true);
    this.d.logger.info('expenses totals checked', { operator: args.operator, ...summary, ...(author ? { reason: author.reason } : {}), differences: summary.differences.length, repairs: summary.repairs.length });
    return summary;
  }

  /**
   * The daily verification's check of one budget (jobs/totals-verify-job.ts): `run` without
   * repair, of every month, that never writes. `gone`: the budget has no members (deleted
   * since it was planned), before the reads or after a drift was found (its data deleted while
   * read is no drift). `out-of-time`: a read would have started after `deadline` (the
   * invocation's time budget); nothing is concluded, the check may be tried again from the start.
   * Its summary lists no repairs (`repairs` empty): the last repairs are not read.
   */
  async verify(budgetId: string, deadline: number): Promise<TotalsCheckSummary | 'gone' | 'out-of-time'> {
    if (!(await this.d.budgetExists(budgetId))) return 'gone';
    let summary: TotalsCheckSummary;
    try {
      summary = await this.summarize(budgetId, undefined, undefined, deadline, false);
    } catch (err) {
      if (err instanceof CheckOutOfTimeError) return 'out-of-time';
      throw err;
    }
    if (summary.differences.length > 0 && !(await this.d.budgetExists(budgetId))) return 'gone';
    return summary;
  }

  /**
   * The rounds of a check (`author` undefined) or a repair, and their summary; `until`: no read
   * starts after it (CheckOutOfTimeError). `withRepairs`: also list the last repairs (for the
   * operator; the daily verification reports no list, so it skips that Query).
   */
  private async summarize(budgetId: string, month: string | undefined, author: RepairAuthor | undefined, until: number | undefined, withRepairs: boolean): Promise<TotalsCheckSummary> {
    const repair = author !== undefined;
    const maxRounds = this.d.maxRounds ?? MAX_REPAIR_ROUNDS;
    let differences: TotalsDifference[] = [];
    let unfolded = new Set<string>();
    const repaired = new Set<string>();
    let pending: Set<string> | undefined;
    let first: { monthsChecked: number; expensesRead: number; incomeRead: number } | undefined;
    let rounds = 0;
    while (rounds < maxRounds && (pending === undefined || pending.size > 0)) {
      rounds++;
      if (!repair) {
        // A check keeps its last round: the first whose reads no write raced, else the last tried.
        const round = await this.round(budgetId, month, undefined, undefined, until);
        first = { monthsChecked: round.months, expensesRead: round.expensesRead, incomeRead: round.incomeRead };
        differences = round.differences;
        unfolded = new Set(round.unfolded);
        pending = round.raced;
        continue;
      }
      const round = await this.round(budgetId, month, author, pending, until);
      first ??= { monthsChecked: round.months, expensesRead: round.expensesRead, incomeRead: round.incomeRead };
      if (rounds === 1) differences.push(...round.differences);
      // A month read again is as this round found it (the fold may have emptied its day items meanwhile).
      pending?.forEach((m) => unfolded.delete(m));
      round.unfolded.forEach((m) => unfolded.add(m));
      round.repaired.forEach((m) => repaired.add(m));
      pending = round.raced;
    }
    const busy = [...(pending ?? [])].sort();
    const recent = withRepairs ? await this.d.repository.recentRepairs(budgetId) : { repairs: [], more: false };
    const ok = busy.length === 0 && (repair ? unfolded.size === 0 : differences.length === 0);
    const summary: TotalsCheckSummary = {
      budgetId,
      ...(month ? { month } : {}),
      repair,
      ...first!,
      differences,
      ok,
      unfolded: [...unfolded].sort(),
      busy,
      rounds,
      ...(repair ? { repaired: [...repaired].sort() } : {}),
      repairs: recent.repairs,
      moreRepairs: recent.more,
    };
    return summary;
  }

  /**
   * One round: counters, totals, then expenses, in that order (see the class); each month
   * compared (only `only` after the first round) and, for a repair, its differing figures set.
   * `unfolded`: months with differences left alone for their old day items. `raced`: a
   * repair's months whose transaction failed; every month compared when the reads did not hold
   * together: the fold ran between the reads of the totals (StoredTotals.settled), or, for a
   * check, a counter moved while it read (a write landed between its reads of the totals and
   * of the expenses: a figure may then differ, or agree, only because of that write).
   * `author`: a repair's (its audit records name it); undefined for a check.
   */
  private async round(budgetId: string, month: string | undefined, author: RepairAuthor | undefined, only: Set<string> | undefined, until: number | undefined) {
    const repair = author !== undefined;
    const counters = await this.d.repository.counters(budgetId);
    const stored = await this.d.repository.stored(budgetId, month, until);
    const expected = new ExpectedTotals(month);
    let expensesRead = 0;
    await this.d.repository.eachExpense(budgetId, (expenseId, contribution) => {
      expensesRead++;
      expected.add(expenseId, contribution);
    }, until);
    let incomeRead = 0;
    await this.d.repository.eachIncome(budgetId, (receivedOn, amount) => {
      incomeRead++;
      expected.addIncome(receivedOn, amount);
    }, until);
    const months = month ? [month] : [...new Set([...stored.months.keys(), ...expected.months.keys(), ...stored.income.keys(), ...expected.income.keys()])].sort();
    const out = { months: months.length, expensesRead, incomeRead, differences: [] as TotalsDifference[], unfolded: [] as string[], repaired: [] as string[], raced: new Set<string>() };
    // Do the reads hold together? Not when the fold (which moves no counter) moved a day's
    // figures between the reads of the totals: for a check and a repair alike, every month is
    // read again. A repair's transactions check the counters themselves, atomically with their
    // SETs; a check writes nothing, so it reads them again: unchanged, no write came between.
    const settled = stored.settled && (repair || sameCounts(counters, await this.d.repository.counters(budgetId)));
    for (const m of months) {
      if (only && !only.has(m)) continue;
      const { differences, repairs } = compareMonth(m, stored.months.get(m), expected.months.get(m));
      const income = compareIncome(m, stored.income.get(m), expected.income.get(m));
      out.differences.push(...differences, ...(income.difference ? [income.difference] : []));
      // Each write, one shard's figures or the income item (its own item, its own Update), under the same conditions.
      const writes = [
        ...repairs.map((shardRepair) => (by: RepairAuthor) => this.d.repository.repair(budgetId, m, shardRepair, counters, by)),
        ...(income.repair ? [(by: RepairAuthor) => this.d.repository.repairIncome(budgetId, m, income.repair!, counters, by)] : []),
      ];
      if (stored.unfolded.has(m) && (repair ? writes.length > 0 : true)) out.unfolded.push(m);
      if (!settled) out.raced.add(m);
      if (!repair || !settled || writes.length === 0 || stored.unfolded.has(m)) continue;
      for (const write of writes) {
        if (!(await write(author))) {
          out.raced.add(m);
          break;
        }
        if (!out.repaired.includes(m)) out.repaired.push(m);
      }
    }
    return out;
  }
}

function sameCounts(a: number[], b: number[]): boolean {
  return a.length === b.length && a.every((n, i) => n === b[i]);
}

function parseArgs(args: Record<string, string | undefined>): { budgetId: string; month: string | undefined; author: RepairAuthor | undefined } {
  const budgetId = args.budget?.trim();
  if (!budgetId) throw new OperatorInputError('--budget is required: the id of the budget whose totals to check');
  if (args.month !== undefined && !MONTH.test(args.month)) throw new OperatorInputError(`--month must be a month, YYYY-MM; got "${args.month}"`);
  if (args.repair !== undefined && args.repair !== 'yes') throw new OperatorInputError(`--repair takes only "yes" (the check alone reads and changes nothing); got "${args.repair}"`);
  const repair = args.repair === 'yes';
  // A repair changes data: who and why go into its audit records (a check writes nothing, takes no reason).
  return { budgetId, month: args.month, author: repair ? checkedAuthor(args, 'this repair') : undefined };
}
