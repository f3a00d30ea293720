import type { ProblemTexts } from '@budgeting/platform';
import type { EXPENSES_PROBLEMS } from './problems';

/**
 * The expenses module's problem types' texts (declared in problems.ts): what each means and what a client
 * should do. Read only by the catalogue (GET /problems, docs/problems.md; the app's
 * http/problem-catalog.ts) through the package's `./problem-texts` export: the declarations load on
 * every cold start, and no answer needs these (tests/lambda/cold-http-imports.test.ts).
 */
export const EXPENSES_PROBLEM_TEXTS = {
  'sync-expired': {
    meaning: 'Some changes after the client\'s `since` (serverKnowledge) are no longer kept: the change history lasts 90 days.',
    action: 'Sync again without `since` and replace the local copy of the budget.',
  },
  'import-running': {
    meaning: 'An undo was asked of an import that is still queued or running.',
    action: 'Wait until the import has finished (GET .../imports/{importId}), then undo it.',
  },
  'import-undo-expired': {
    meaning: 'An import\'s undo must start within 6 days of the import (its rows are kept 7).',
    action: 'Delete its expenses with the bulk edit (POST .../expenses/bulk) instead.',
  },
} satisfies ProblemTexts<typeof EXPENSES_PROBLEMS>;
