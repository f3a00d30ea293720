import { declareProblems } from '@budgeting/platform';

/**
 * The budgets module's own problem types (the generic ones are the platform's PLATFORM_PROBLEMS).
 * Every ProblemError the module builds takes its slug, title and status from here or from
 * PLATFORM_PROBLEMS; what each means and what a client should do, for the catalogue (GET
 * /problems, docs/problems.md), is in problem-texts.ts.
 */
export const BUDGETS_PROBLEMS = declareProblems('budgets', {
  'budget-archived': {
    status: 409,
    title: 'The budget is archived',
  },
  'invitation-expired': {
    status: 410,
    title: 'Invitation expired',
  },
});
