import { bearerSecurity, jsonBody, jsonResponse, limitReachedResponse, locationHeader, problemResponses } from '@budgeting/platform/routes';
import { createRoute } from '@hono/zod-openapi';
import { MAX_MEMBERS, MAX_PENDING_INVITATIONS } from '../model';
import { BudgetIdParams, IdempotencyHeaders } from '../schemas/common.schemas';
import {
  AcceptedInvitationSchema,
  AcceptInvitationBody,
  CreateInvitationBody,
  InvitationListSchema,
  InvitationParams,
  InvitationSchema,
} from '../schemas/invitations.schemas';

/**
 * Invitations to a budget (docs/members.md "Invitations"): the owner invites an email, account or not;
 * the mail carries a one-time code; whoever is signed in and holds the code joins with the
 * invited role. The enumeration-safe way to add someone (POST members says whether an email
 * has an account).
 */
const tags = ['members'];

export const createInvitationRoute = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/invitations',
  operationId: 'createInvitation',
  tags,
  summary: 'Invite someone by email (owner)',
  description:
    'Answers the same 201 whether or not the email has an account, and mails the invitee a one-time code (valid 7 days) ' +
    'to accept with POST /v1/invitations/accept. Inviting an email that already has a pending invitation replaces it ' +
    '(same id, new role, code and expiry: the earlier code stops working). At most 20 pending invitations a budget (409). ' +
    '409 naming `email` when that email is a member of the budget already (the members list shows it anyway). ' +
    'Retry safely with `Idempotency-Key`.',
  security: bearerSecurity,
  request: { params: BudgetIdParams, headers: IdempotencyHeaders, body: jsonBody(CreateInvitationBody) },
  responses: {
    201: { ...jsonResponse(InvitationSchema, 'The pending invitation (never its code)'), headers: locationHeader },
    // No 503 of its own since the mail's unit rides in the invitation's transaction (it was the
    // queue's refusal): a throttled table's 503 is any route's, declared on each by platform openapi-finish.ts.
    ...problemResponses(400, 401, 403, 404, 409, 415, 422),
    409: limitReachedResponse(
      { collection: 'invitations', limit: MAX_PENDING_INVITATIONS, detail: `A budget can have at most ${MAX_PENDING_INVITATIONS} pending invitations; revoke one first.` },
      '`conflict` naming `email` when that email is a member already',
    ),
  },
});

export const listInvitationsRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/invitations',
  operationId: 'listInvitations',
  tags,
  summary: "List a budget's pending invitations (owner)",
  description: 'Oldest first; at most 20, one page. Codes are never shown: only their hash is stored.',
  security: bearerSecurity,
  request: { params: BudgetIdParams },
  responses: {
    200: jsonResponse(InvitationListSchema, 'The pending invitations'),
    ...problemResponses(400, 401, 403, 404),
  },
});

export const getInvitationRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/invitations/{invitationId}',
  operationId: 'getInvitation',
  tags,
  summary: 'Get a pending invitation (owner)',
  description:
    'The owner, as the list: the invitation as the list shows it, never its code. 404 when it is not pending ' +
    '(accepted, revoked, expired or unknown). A re-invite of the same email keeps the id: this shows its new role and expiry.',
  security: bearerSecurity,
  request: { params: InvitationParams },
  responses: {
    200: jsonResponse(InvitationSchema, 'The pending invitation'),
    ...problemResponses(401, 403, 404),
  },
});

export const revokeInvitationRoute = createRoute({
  method: 'delete',
  path: '/v1/budgets/{budgetId}/invitations/{invitationId}',
  operationId: 'revokeInvitation',
  tags,
  summary: 'Revoke a pending invitation (owner)',
  description: 'Its code stops working. 404 when it is not pending (accepted, revoked, expired or unknown).',
  security: bearerSecurity,
  request: { params: InvitationParams },
  responses: {
    204: { description: 'Revoked' },
    ...problemResponses(401, 403, 404, 409),
  },
});

export const acceptInvitationRoute = createRoute({
  method: 'post',
  path: '/v1/invitations/accept',
  operationId: 'acceptInvitation',
  tags,
  summary: 'Join a budget with an invitation code',
  description:
    'Any signed-in account (or a personal access token with the write scope) holding the code joins the budget with the ' +
    "invited role: the code is the proof, the account's email need not be the invited one. The code works once. " +
    '404 (`errors` naming `token`) for a code that opens nothing (unknown, revoked, replaced, used); 410 for an expired one; ' +
    '409 when you are already a member (the invitation stays pending) or the budget has 50 members.',
  security: bearerSecurity,
  request: { headers: IdempotencyHeaders, body: jsonBody(AcceptInvitationBody) },
  responses: {
    201: { ...jsonResponse(AcceptedInvitationSchema, 'You are a member'), headers: locationHeader },
    ...problemResponses(400, 401, 403, 404, 409, 410, 415, 422),
    409: limitReachedResponse({ collection: 'members', limit: MAX_MEMBERS, detail: `A budget can have at most ${MAX_MEMBERS} members.` }, '`conflict` when you are a member already'),
  },
});
