/**
 * The names (and schedule) of the module's fan-out jobs, apart from their code: create-module.ts
 * declares the jobs with them and loads each job's file on its first use (platform lazyJob),
 * and the subscribers that queue units name them without loading the jobs. The reports' jobs
 * are named here too, so declaring them does not load the reports feature.
 */
export const USER_CLEANUP = 'budgets-user-cleanup';
export const REPORT_JOB = 'budget-reports';
export const REPORT_JOB_SCHEDULE = 'rate(1 hour)';
export const REKEY_DUE_INDEX = 'budgets-rekey-due-index';
