import { RECURRING_INCOME_JOB, RECURRING_JOB, createExpensesModule, type RecurringJobOptions } from '@budgeting/expenses';
import type { LazyJob } from '@budgeting/platform';
import type { recurringJob } from '../../packages/expenses/src/jobs/recurring-job';
import type { recurringIncomeJob } from '../../packages/expenses/src/jobs/recurring-income-job';
import type { TestSystem } from './test-system';

/**
 * The recurring-expenses job over a test system, built by the expenses module itself and loaded
 * as Lambda loads it (platform lazyJob: `load()` gives the job), `options` lowering its caps.
 * One copy for every suite that drives the job by hand instead of through the schedule.
 */
export async function loadRecurringJob(t: Pick<TestSystem, 'system'>, options?: RecurringJobOptions) {
  const { runtime } = createExpensesModule(t.system.deps, { budgets: t.system.facades.budgets, storage: t.system.storage }, options ? { recurring: options } : undefined);
  const job = runtime.jobs!.find((j) => j.name === RECURRING_JOB) as LazyJob<unknown>;
  return (await job.load()) as ReturnType<typeof recurringJob>;
}

/** One tick of the recurring-expenses job at the test clock's time. */
export async function runRecurringJob(t: Pick<TestSystem, 'system'>, options?: RecurringJobOptions) {
  return (await loadRecurringJob(t, options)).runOnce({ logger: t.system.deps.logger });
}

/**
 * One tick of the recurring income job at the test clock's time, built by the expenses module as
 * Lambda loads it; `budgets`: the budgets facade it is given (a test's wrapper, to race its reads).
 */
export async function runRecurringIncomeJob(t: Pick<TestSystem, 'system'>, budgets = t.system.facades.budgets) {
  const { runtime } = createExpensesModule(t.system.deps, { budgets, storage: t.system.storage });
  const job = runtime.jobs!.find((j) => j.name === RECURRING_INCOME_JOB) as LazyJob<unknown>;
  return ((await job.load()) as ReturnType<typeof recurringIncomeJob>).runOnce({ logger: t.system.deps.logger });
}
