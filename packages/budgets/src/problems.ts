import { declareProblems } from '@budgeting/platform';

/**
 * The budgets module's own problem types (the generic ones are the platform's PLATFORM_PROBLEMS),
 * for the catalogue (GET /problems, docs/problems.md). Every ProblemError the module builds
 * takes its slug, title and status from here or from PLATFORM_PROBLEMS.
 */
export const BUDGETS_PROBLEMS = declareProblems('budgets', {
  'budget-archived': {
    status: 409,
    title: 'The budget is archived',
    meaning: 'The budget is archived and read-only: a write to it or its contents (from any module) is refused.',
    action: 'Do not retry as is: unarchive the budget first (POST /v1/budgets/{budgetId}/unarchive, the owner), then send the write again.',
  },
  'invitation-expired': {
    status: 410,
    title: 'Invitation expired',
    meaning: 'The invitation\'s code is past its lifetime.',
    action: 'Ask the budget\'s owner to invite the address again.',
  },
});
