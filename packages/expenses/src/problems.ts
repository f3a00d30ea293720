import { declareProblems } from '@budgeting/platform';

/**
 * The expenses module's own problem types (the generic ones are the platform's PLATFORM_PROBLEMS),
 * for the catalogue (GET /problems, docs/problems.md). Every ProblemError the module builds
 * takes its slug, title and status from here or from PLATFORM_PROBLEMS.
 */
export const EXPENSES_PROBLEMS = declareProblems('expenses', {
  'sync-expired': {
    status: 410,
    title: 'Sync token expired',
    meaning: 'Some changes after the client\'s `since` (serverKnowledge) are no longer kept: the change history lasts 90 days.',
    action: 'Sync again without `since` and replace the local copy of the budget.',
  },
  'import-running': {
    status: 409,
    title: 'The import is still running',
    meaning: 'An undo was asked of an import that is still queued or running.',
    action: 'Wait until the import has finished (GET .../imports/{importId}), then undo it.',
  },
  'import-undo-expired': {
    status: 409,
    title: 'The import can no longer be undone',
    meaning: 'An import\'s undo must start within 6 days of the import (its rows are kept 7).',
    action: 'Delete its expenses with the bulk edit (POST .../expenses/bulk) instead.',
  },
});
