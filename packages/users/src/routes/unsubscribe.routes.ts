import { createRoute, z } from '@hono/zod-openapi';
import { problemType } from '@budgeting/platform';
import { problemExample } from '@budgeting/platform/routes';
import { UnsubscribedSchema, UnsubscribeParams } from '../schemas/unsubscribe.schemas';

/** A page for a browser: self-contained, and kept out of caches, referrers and search indexes. */
const pageHeaders = {
  'Cache-Control': { description: '`no-store`', schema: { type: 'string' as const } },
  'Referrer-Policy': { description: '`no-referrer`: the URL (a credential) is never sent on', schema: { type: 'string' as const } },
  'X-Robots-Tag': { description: '`noindex`', schema: { type: 'string' as const } },
  Vary: { description: 'Accept: the representation depends on it', schema: { type: 'string' as const } },
};
const htmlPage = (description: string, example: string) => ({ schema: z.string().openapi({ description }), example });

/**
 * The pages as examples (English, shortened: "…"). Written out, not rendered by unsubscribe-page.ts:
 * that loads the message catalog, which the users router must not load on a cold start (the handlers import it on first use).
 */
const HEAD = '<!doctype html><html lang="en"><head><meta charset="utf-8">…<title>';
const ASK_EXAMPLE = `${HEAD}Unsubscribe</title>…</head>\n<body><main><h1>Unsubscribe</h1>\n<p>Stop the emails with your budgets&#39; period reports? Nothing changes until you press the button.</p>\n<form method="post"><input type="hidden" name="List-Unsubscribe" value="One-Click"><button type="submit">Unsubscribe</button></form>\n</main></body></html>`;
const DONE_EXAMPLE = `${HEAD}Unsubscribed</title>…</head>\n<body><main><h1>Unsubscribed</h1>\n<p>You will get no more emails with your budgets&#39; period reports.</p>\n<p>You can turn them on again in the app&#39;s notification settings.</p>\n</main></body></html>`;
const INVALID_EXAMPLE = `${HEAD}Link not valid</title>…</head>\n<body><main><h1>Link not valid</h1>\n<p>This unsubscribe link is not valid. Open the link from the email again, or turn the emails off in the app&#39;s notification settings.</p>\n</main></body></html>`;

const AcceptHeader = z.object({
  accept: z
    .string()
    .optional()
    .openapi({
      param: { in: 'header' },
      description: 'application/json (the default) or text/html (a page, as a browser asks), chosen when ranked above JSON.',
      example: 'text/html',
    }),
});

/** The 404 of a token not ours: a problem, or a page for a browser (Accept ranks text/html above JSON). */
const notFound = (() => {
  const problem = problemExample('Not an unsubscribe token of this API (tampered, or made under a signing key no longer kept).', {
    type: problemType('not-found'),
    title: 'Not found',
    status: 404,
    detail: 'This unsubscribe link is not valid.',
  });
  return { ...problem, content: { ...problem.content, 'text/html': htmlPage('A page saying the link is not valid (with `Accept: text/html` ranked above JSON).', INVALID_EXAMPLE) } };
})();

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
    "With `Accept: text/html` ranked above JSON (the button of the page GET answers, pressed in a browser): a short confirmation page in the profile's `locale` instead. " +
    'A token that is not one of ours is a 404.',
  request: { params: UnsubscribeParams, headers: AcceptHeader },
  responses: {
    200: {
      description: 'That kind of mail is off',
      headers: pageHeaders,
      content: {
        'application/json': { schema: UnsubscribedSchema },
        'text/html': htmlPage('A self-contained confirmation page (no script, no external asset).', DONE_EXAMPLE),
      },
    },
    404: notFound,
  },
});

export const unsubscribePage = createRoute({
  method: 'get',
  path: '/v1/unsubscribe/{token}',
  operationId: 'unsubscribePage',
  tags: ['Me'],
  // Public, as the POST: the token is the credential (the mail's reader follows the link signed in as nobody).
  security: [],
  summary: 'The page of an unsubscribe link opened in a browser',
  description:
    "A mail client without one-click support (RFC 8058) opens the `List-Unsubscribe` URL in a browser. This answers a small self-contained page (no script, no external asset) in the profile's `locale` (en, de, fr, es; else English) saying which mails the link turns off, " +
    'with one button that POSTs `List-Unsubscribe=One-Click` to the same URL. The GET itself changes nothing: link scanners and mail security gateways fetch every URL of a mail. ' +
    'A token that is not one of ours is the 404 of the POST (a page with `Accept: text/html` ranked above JSON).',
  request: { params: UnsubscribeParams, headers: AcceptHeader },
  responses: {
    200: { description: 'What the link turns off, and the button', headers: pageHeaders, content: { 'text/html': htmlPage('A self-contained page with one form (no script, no external asset).', ASK_EXAMPLE) } },
    404: notFound,
  },
});
