import { REPORT_METRICS, type FanOutJob, type JobReport, type PlanPage, type WorkOutcome } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { TotalsCheck } from '../service/totals-check';
import type { TotalsVerifyPosition, SweepPosition } from '../repository/totals-verify-position';
import { TOTALS_VERIFY_JOB, TOTALS_VERIFY_SCHEDULE } from './names';

/**
 * The daily, rolling verification of the running totals (packages/expenses/docs/storage-and-totals.md,
 * "Verifying the totals every day"). A drift between the totals and the expenses is a bug; this
 * job finds it without reading every budget every day:
 *
 * - The planner takes at most `budgetsPerDay` budgets a day (TOTALS_VERIFY_BUDGETS_PER_DAY) from
 *   BudgetsFacade.allBudgetIds (100 ids a page), starting where yesterday's run stopped (its
 *   place kept in ONE item, TotalsVerifyPosition, written after each page), and wraps around to
 *   the first page at the end, at most once per run. So no run pages every budget, and the
 *   sweep comes round to every budget listed (see the doc for what the index's order means).
 * - One unit per budget runs the operator's check WITHOUT repair (TotalsCheck.verify): it never
 *   writes; a drift is for a human (`expenses-totals-check --repair yes --reason`).
 * - A check whose reads cannot finish by the invocation's deadline is tried once more from the
 *   start in a continuation unit (a fresh invocation, its whole time budget); out of time again,
 *   the budget is skipped, logged and counted (BudgetsSkipped). It cannot go on where it stopped:
 *   its reads must hold together between two reads of the change counters.
 * - Each unit's figures are its report (JobReport); the job metrics emit those named in
 *   JOB_METRICS (BudgetsVerified, BudgetsDrifted, BudgetsBusy, BudgetsSkipped), infra alarms on
 *   BudgetsDrifted, and every drifted budget gets one error line: its id, months and figure names.
 */
export interface VerifyUnit {
  budgetId: string;
  /** The continuation of a check that ran out of time: out of time again, the budget is skipped. */
  retried?: boolean;
}

/** A run's planner cursor: the sweep's place, the budgets the run may still take, and whether it wrapped around already. */
interface RunCursor extends SweepPosition {
  left: number;
  wrapped: boolean;
}

/** A unit's report figures that the job system also emits as metrics (platform REPORT_METRICS). */
const { budgetsVerified: VERIFIED, budgetsDrifted: DRIFTED, budgetsBusy: BUSY, budgetsSkipped: SKIPPED } = REPORT_METRICS;

export function totalsVerifyJob(deps: { budgets: BudgetsFacade; position: TotalsVerifyPosition; check: TotalsCheck; budgetsPerDay: number }): FanOutJob<VerifyUnit> {
  return {
    name: TOTALS_VERIFY_JOB,
    schedule: TOTALS_VERIFY_SCHEDULE,
    async plan(now, cursor): Promise<PlanPage<VerifyUnit>> {
      const run: RunCursor = cursor ? parseRunCursor(cursor) : { ...(await deps.position.read()), left: deps.budgetsPerDay, wrapped: false };
      if (run.left <= 0) return { units: [] };
      const page = await deps.budgets.allBudgetIds(run.from);
      const rest = page.ids.slice(run.skip);
      const taken = rest.slice(0, run.left);
      // The bound reached inside the page: tomorrow goes on inside it. Else on the next page (the first after the last).
      const stoppedInside = taken.length < rest.length;
      const next: SweepPosition = stoppedInside ? { ...(run.from ? { from: run.from } : {}), skip: run.skip + taken.length } : { ...(page.cursor ? { from: page.cursor } : {}), skip: 0 };
      await deps.position.write(next, now);
      const left = run.left - taken.length;
      const atEnd = !stoppedInside && !page.cursor;
      // Around once at most: with fewer budgets than the bound, the run ends at the end it reached twice.
      const more = left > 0 && !stoppedInside && !(atEnd && run.wrapped);
      const units = taken.map((budgetId) => ({ budgetId }));
      return { units, ...(more ? { cursor: JSON.stringify({ ...next, left, wrapped: run.wrapped || atEnd } satisfies RunCursor) } : {}) };
    },
    async work(unit, _now, ctx): Promise<WorkOutcome<VerifyUnit>> {
      const result = await deps.check.verify(unit.budgetId, ctx.deadline);
      const budgetId = unit.budgetId;
      if (result === 'gone') {
        // Deleted since the plan (or while read): nothing to verify, no drift.
        ctx.logger.info('expenses totals not verified: the budget is gone', { budgetId });
        return { report: { budgetsGone: 1 } };
      }
      if (result === 'out-of-time') {
        if (!unit.retried) return { again: { budgetId, retried: true } };
        ctx.logger.warn('expenses totals not verified: the check did not finish within one invocation', { budgetId, reason: 'out-of-time' });
        return { report: { [SKIPPED]: 1, skipped: [budgetId] } };
      }
      if (result.busy.length > 0) {
        // Writes landed during each round's reads: its differences may be theirs. Checked again on the next sweep.
        ctx.logger.warn('expenses totals not verified: writes raced every round', { budgetId, rounds: result.rounds });
        return { report: { [BUSY]: 1, busy: [budgetId] } };
      }
      const report: JobReport = { [VERIFIED]: 1 };
      if (result.differences.length > 0) {
        const months = [...new Set(result.differences.map((d) => d.month))].sort();
        const figures = [...new Set(result.differences.map((d) => d.figure))].sort();
        // Names only (no amounts): the operator runs the check itself to see them.
        ctx.logger.error('expenses totals drift', { budgetId, months, figures });
        Object.assign(report, { [DRIFTED]: 1, drifted: [budgetId] });
      }
      return { done: 1, report };
    },
    parseUnit(raw) {
      const unit = raw as Partial<VerifyUnit> | null;
      if (!unit || typeof unit.budgetId !== 'string' || unit.budgetId.length === 0) throw new Error('totals verify unit needs a budgetId');
      return { budgetId: unit.budgetId, ...(unit.retried === true ? { retried: true } : {}) };
    },
  };
}

function parseRunCursor(cursor: string): RunCursor {
  const parsed = JSON.parse(cursor) as Partial<RunCursor>;
  if (typeof parsed.skip !== 'number' || typeof parsed.left !== 'number' || typeof parsed.wrapped !== 'boolean') throw new Error('bad totals verify planner cursor');
  return { ...(typeof parsed.from === 'string' ? { from: parsed.from } : {}), skip: parsed.skip, left: parsed.left, wrapped: parsed.wrapped };
}
