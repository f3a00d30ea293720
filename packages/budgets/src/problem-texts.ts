import type { ProblemTexts } from '@budgeting/platform';
import type { BUDGETS_PROBLEMS } from './problems';

/**
 * The budgets module's problem types' texts (declared in problems.ts): what each means and what a client
 * should do. Read only by the catalogue (GET /problems, docs/problems.md; the app's
 * http/problem-catalog.ts) through the package's `./problem-texts` export: the declarations load on
 * every cold start, and no answer needs these (tests/lambda/cold-http-imports.test.ts).
 */
export const BUDGETS_PROBLEM_TEXTS = {
  'budget-archived': {
    meaning: 'The budget is archived and read-only: a write to it or its contents (from any module) is refused.',
    action: 'Do not retry as is: unarchive the budget first (POST /v1/budgets/{budgetId}/unarchive, the owner), then send the write again.',
  },
  'invitation-expired': {
    meaning: 'The invitation\'s code is past its lifetime.',
    action: 'Ask the budget\'s owner to invite the address again.',
  },
} satisfies ProblemTexts<typeof BUDGETS_PROBLEMS>;
