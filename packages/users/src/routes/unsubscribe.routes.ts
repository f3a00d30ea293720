import { createRoute } from '@hono/zod-openapi';
import { problemType } from '@budgeting/platform';
import { jsonResponse, problemExample } from '@budgeting/platform/routes';
import { UnsubscribedSchema, UnsubscribeParams } from '../schemas/unsubscribe.schemas';

export const unsubscribe = createRoute({
  method: 'post',
  path: '/v1/unsubscribe/{token}',
  operationId: 'unsubscribe',
  tags: ['Me'],
  // Public: the signed token in the path is the credential (a mailbox provider POSTs it, signed in as nobody).
  security: [],
  summary: 'One-click unsubscribe (RFC 8058) from an optional mail',
  description:
    "The URL of an optional mail's `List-Unsubscribe` header (period reports, budget alerts; sent when the deployment sets PUBLIC_API_URL), which mailbox providers POST `List-Unsubscribe=One-Click` to (a form body; JSON or none is taken too, and the body is not read). " +
    'It turns that kind of mail off in the profile (`notifications.email.reports` or `notifications.email.budgetAlerts`; PATCH /v1/me turns it on again) and answers which. The same answer again, and for an account deleted since the mail. ' +
    'A token that is not one of ours is a 404.',
  request: { params: UnsubscribeParams },
  responses: {
    200: jsonResponse(UnsubscribedSchema, 'That kind of mail is off'),
    404: problemExample('Not an unsubscribe token of this API (tampered, or made under a signing key no longer kept).', {
      type: problemType('not-found'),
      title: 'Not found',
      status: 404,
      detail: 'This unsubscribe link is not valid.',
    }),
  },
});
