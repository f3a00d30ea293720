import { declareProblems } from '@budgeting/platform';

/**
 * The expenses module's own problem types (the generic ones are the platform's PLATFORM_PROBLEMS).
 * Every ProblemError the module builds takes its slug, title and status from here or from
 * PLATFORM_PROBLEMS; what each means and what a client should do, for the catalogue (GET
 * /problems, docs/problems.md), is in problem-texts.ts.
 */
export const EXPENSES_PROBLEMS = declareProblems('expenses', {
  'sync-expired': {
    status: 410,
    title: 'Sync token expired',
  },
  'import-running': {
    status: 409,
    title: 'The import is still running',
  },
  'import-undo-expired': {
    status: 409,
    title: 'The import can no longer be undone',
  },
});
