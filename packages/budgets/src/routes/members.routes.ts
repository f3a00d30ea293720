import { bearerSecurity, etagHeader, IfNoneMatchHeaders, jsonBody, jsonContent, jsonResponse, limitReachedResponse, locationHeader, notModifiedResponse, paginationQuery, problemResponses } from '@budgeting/platform/routes';
import { createRoute, z } from '@hono/zod-openapi';
import { BudgetIdParams, IdempotencyHeaders, IfMatchHeaders } from '../schemas/common.schemas';
import { MAX_MEMBERS } from '../model';
import { AddMemberBody, ChangeMemberBody, MemberListSchema, MemberParams, MemberSchema } from '../schemas/members.schemas';

/**
 * A budget's members. Roles: owner (one; settings and members), editor (expenses), viewer
 * (read only). Every member can list members; only the owner changes them (role, share in the
 * settle-up balances); members may leave.
 */
const tags = ['members'];

export const listMembersRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/members',
  operationId: 'listMembers',
  tags,
  summary: "List a budget's members",
  security: bearerSecurity,
  request: { params: BudgetIdParams, query: z.strictObject(paginationQuery) },
  responses: {
    200: jsonResponse(MemberListSchema, 'A page of members, owner included'),
    ...problemResponses(400, 401, 404),
  },
});

export const addMemberRoute = createRoute({
  method: 'post',
  path: '/v1/budgets/{budgetId}/members',
  operationId: 'addMember',
  tags,
  summary: 'Add a member by email (owner)',
  description:
    'The person needs an account: an unknown email is a 404 whose `errors` name `email`. Adding someone who is ' +
    'already a member is a 409. Retry safely with `Idempotency-Key`. To add someone without an account yet, or ' +
    'without learning whether an email has one, invite them: POST /v1/budgets/{budgetId}/invitations.',
  security: bearerSecurity,
  request: {
    params: BudgetIdParams,
    headers: IdempotencyHeaders,
    body: jsonBody(AddMemberBody),
  },
  responses: {
    201: { ...jsonResponse(MemberSchema, 'The new member'), headers: { ...locationHeader, ...etagHeader } },
    ...problemResponses(400, 401, 403, 404, 409, 415, 422),
    409: limitReachedResponse({ collection: 'members', limit: MAX_MEMBERS, detail: `A budget can have at most ${MAX_MEMBERS} members.` }, '`conflict` when they are a member already'),
  },
});

export const getMemberRoute = createRoute({
  method: 'get',
  path: '/v1/budgets/{budgetId}/members/{userId}',
  operationId: 'getMember',
  tags,
  summary: "Get one of a budget's members",
  description:
    'Any member, as the list: the member as the list shows them (the owner included). The ETag is its `version` ' +
    "(send it in If-Match to change or remove them). 404 for someone who is not a member (never was, left or was removed).",
  security: bearerSecurity,
  request: { params: MemberParams, headers: IfNoneMatchHeaders },
  responses: {
    200: { description: 'The member', headers: etagHeader, content: jsonContent(MemberSchema) },
    304: notModifiedResponse,
    ...problemResponses(401, 404),
  },
});

export const changeMemberRoute = createRoute({
  method: 'patch',
  path: '/v1/budgets/{budgetId}/members/{userId}',
  operationId: 'changeMemberRole',
  tags,
  summary: "Change a member's role or share (owner)",
  description:
    "`role` and/or `share` (the member's weight in the settle-up balances, GET /v1/budgets/{budgetId}/balances: " +
    'an integer 0..100, default 1; 0 owes nothing). The owner\'s own role cannot change (409); their share can. ' +
    "Send `If-Match` with the member's ETag (its `version` in the list) to refuse (412) overwriting a change you " +
    'have not seen, and `Idempotency-Key` to retry safely: a retry of a change that went through replays its answer ' +
    'instead of meeting the new version.',
  security: bearerSecurity,
  request: {
    params: MemberParams,
    headers: IfMatchHeaders.extend(IdempotencyHeaders.shape),
    body: jsonBody(ChangeMemberBody),
  },
  responses: {
    200: { ...jsonResponse(MemberSchema, 'The member as changed'), headers: etagHeader },
    ...problemResponses(400, 401, 403, 404, 409, 412, 415, 422),
  },
});

export const removeMemberRoute = createRoute({
  method: 'delete',
  path: '/v1/budgets/{budgetId}/members/{userId}',
  operationId: 'removeMember',
  tags,
  summary: 'Remove a member (owner), or leave a budget (your own user id)',
  description:
    'The owner cannot be removed and cannot leave (409): deleting the budget is how an owner lets go. Send `If-Match` with ' +
    "the member's ETag (its `version` in the list) to remove them only as you last saw them: a role or share changed " +
    'since is a 412, and nobody is removed.',
  security: bearerSecurity,
  request: { params: MemberParams, headers: IfMatchHeaders },
  responses: {
    204: { description: 'Removed' },
    ...problemResponses(400, 401, 403, 404, 409, 412),
  },
});
