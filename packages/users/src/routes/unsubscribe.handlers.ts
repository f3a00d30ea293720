import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { prefersHtml, ProblemError, type AppEnv } from '@budgeting/platform';
import type { UnsubscribeLink, UnsubscribeService } from '../service/unsubscribe.service';
import type * as routes from './unsubscribe.routes';

/**
 * The pages (and the message catalog with them) are loaded on the first request for one: the
 * users router is built for every users request (a cold sign-in), which needs no catalog.
 */
const pages = () => import('./unsubscribe-page');

export function unsubscribeHandlers(service: UnsubscribeService) {
  // RFC 8058's POST: JSON for the mailbox provider (and any client), a confirmation page for a browser (the page's button).
  const unsubscribe: RouteHandler<typeof routes.unsubscribe, AppEnv> = async (c) => {
    const browser = prefersHtml(c.req.header('accept'));
    c.header('Vary', 'Accept');
    const link = await linkOrInvalidPage(c, browser, () => service.unsubscribe(c.req.valid('param').token));
    if (link instanceof Response) return link;
    if (browser) return page(c, (await pages()).unsubscribeDonePage(link.kind, link.locale), 200);
    return c.json({ unsubscribed: link.kind }, 200);
  };

  // The link opened in a browser: a page whose button POSTs. Nothing changes here (link scanners and mail gateways prefetch GETs).
  const unsubscribePage: RouteHandler<typeof routes.unsubscribePage, AppEnv> = async (c) => {
    c.header('Vary', 'Accept');
    const link = await linkOrInvalidPage(c, prefersHtml(c.req.header('accept')), () => service.describe(c.req.valid('param').token));
    if (link instanceof Response) return link;
    return page(c, (await pages()).unsubscribeAskPage(link.kind, link.locale), 200);
  };

  return { unsubscribe, unsubscribePage };
}

/** The link, or for a browser the page of a token not ours (404); anyone else gets the service's 404 problem. */
async function linkOrInvalidPage(c: Context<AppEnv>, browser: boolean, read: () => Promise<UnsubscribeLink>): Promise<UnsubscribeLink | Response> {
  try {
    return await read();
  } catch (err) {
    if (!(browser && err instanceof ProblemError && err.status === 404)) throw err;
    // The access line says why, as for the problem (error-handler.ts).
    c.set('outcome', { detail: err.detail });
    return page(c, (await pages()).unsubscribeInvalidPage(), 404);
  }
}

/**
 * A page for the reader of a mail: kept out of every cache (it answers a credential in the URL),
 * the URL never sent on as a referrer, never indexed; a CSP that allows the page's own inline
 * style and its form posting back to this origin, nothing else (a second line behind the escaping).
 */
function page(c: Context<AppEnv>, html: string, status: 200 | 404) {
  c.header('Cache-Control', 'no-store');
  c.header('Referrer-Policy', 'no-referrer');
  c.header('X-Robots-Tag', 'noindex');
  c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'");
  return c.html(html, status);
}
