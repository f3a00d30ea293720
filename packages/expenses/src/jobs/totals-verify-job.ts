import { REPORT_METRICS, type FanOutJob, type JobReport, type PlanPage, type WorkOutcome } from '@budgeting/platform';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { TotalsCheck } from '../service/totals-check';
import { TOTALS_VERIFY_JOB, TOTALS_VERIFY_SCHEDULE } from './names';

/**
 * The daily, rolling verification of the running totals (packages/expenses/docs/storage-and-totals.md,
 * "Verifying the totals every day"). A drift between the totals and the expenses is a bug; this
 * job finds it without reading every budget every day:
 *
 * - The planner takes at most `budgetsPerDay` budgets a day (TOTALS_VERIFY_BUDGETS_PER_DAY) from
 *   BudgetsFacade.budgetIdsSample: each of the report due index's shards read from a RANDOM
 *   point (`random`), so no run pages every budget, no place is kept between runs, and every
 *   budget has a chance every day (not an equal one: see the doc). A persisted rolling place
 *   did not work: the index's order moves (a budget's entry moves a period later with each
 *   report), so the place was overtaken and the sweep restarted each cluster of equal due
 *   instants from its lowest ids.
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

/** A unit's report figures that the job system also emits as metrics (platform REPORT_METRICS). */
const { budgetsVerified: VERIFIED, budgetsDrifted: DRIFTED, budgetsBusy: BUSY, budgetsSkipped: SKIPPED } = REPORT_METRICS;

export function totalsVerifyJob(deps: { budgets: BudgetsFacade; check: TotalsCheck; budgetsPerDay: number; random: () => number }): FanOutJob<VerifyUnit> {
  return {
    name: TOTALS_VERIFY_JOB,
    schedule: TOTALS_VERIFY_SCHEDULE,
    // A page per shard of the budgets' sample (its cursor: the next shard), at most budgetsPerDay ids in all.
    async plan(_now, cursor): Promise<PlanPage<VerifyUnit>> {
      if (deps.budgetsPerDay <= 0) return { units: [] };
      const page = await deps.budgets.budgetIdsSample(deps.budgetsPerDay, deps.random, cursor);
      return { units: page.ids.map((budgetId) => ({ budgetId })), ...(page.cursor ? { cursor: page.cursor } : {}) };
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
        // Writes landed during each round's reads: its differences may be theirs. A later day's sample may take it again.
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
