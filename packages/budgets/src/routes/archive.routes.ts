import { bearerSecurity, etagHeader, jsonResponse, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { BudgetSchema } from '../schemas/budgets.schemas';
import { BudgetIdParams, IfMatchHeaders } from '../schemas/common.schemas';

/** Archive and unarchive a budget (owner): docs/budget-lifecycle.md "Archiving a budget". */
const tags = ['budgets'];

/** The two routes differ only in their verb and words: same request (If-Match, no body), same answers. */
const archiveRoute = <V extends 'archive' | 'unarchive'>(verb: V, operationId: `${V}Budget`, summary: string, description: string, answer: string) =>
  createRoute({
    method: 'post',
    path: `/v1/budgets/{budgetId}/${verb}`,
    operationId,
    tags,
    summary,
    description,
    security: bearerSecurity,
    request: { params: BudgetIdParams, headers: IfMatchHeaders },
    responses: {
      200: { ...jsonResponse(BudgetSchema, answer), headers: etagHeader },
      ...problemResponses(400, 401, 403, 404, 409, 412),
    },
  });

export const archiveBudgetRoute = archiveRoute(
  'archive',
  'archiveBudget',
  'Archive a budget: read-only, out of the lists (owner)',
  "As YNAB's and Firefly III's archived budgets: last year's budget kept for its history. The budget gets `archivedAt`; " +
  'from then on every write to it or its contents (settings, move money and period limits, settlements, members\' roles ' +
  'and shares, invitations, expenses, recurring expenses, rules, import profiles) is a 409 `budget-archived` until it is ' +
  'unarchived; reads, exports and its reports keep working; removing a member, a member leaving, revoking an ' +
  'invitation and deleting the budget stay allowed. GET /v1/budgets lists it only with `archived=true`, the overview ' +
  'leaves it out, and the jobs pass it over (no recurring occurrence recorded, no bill reminder, no report of a period ending ' +
  'while it is archived; a period that had ended before is still reported). ' +
  'Archiving an archived budget changes nothing (200, same ETag). Publishes `budget.updated` (`changed: ["archivedAt"]`). ' +
  'Send `If-Match` with the ETag you read to refuse (412) archiving a budget changed since.',
  'The archived budget',
);

export const unarchiveBudgetRoute = archiveRoute(
  'unarchive',
  'unarchiveBudget',
  'Unarchive a budget: writable and listed again (owner)',
  'Removes `archivedAt`: the budget takes writes again and is listed by GET /v1/budgets and the overview. What the jobs ' +
  'passed over while it was archived is not caught up (recurring occurrences due meanwhile are skipped, not recorded late). ' +
  'Unarchiving an active budget changes nothing (200, same ETag). Publishes `budget.updated` (`changed: ["archivedAt"]`); ' +
  '`If-Match` as for archive.',
  'The active budget',
);
