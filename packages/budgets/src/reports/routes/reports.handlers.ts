import type { AppEnv, CursorCodec } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { prefersHtml } from '@budgeting/platform';
import type { ReportsService } from '../service/reports.service';
import { reportPath, reportView } from './present';
import type * as routes from './reports.routes';

/**
 * The HTML pages (and their SVG charts) are loaded on the first request that asks for HTML:
 * the budgets router is built for every budgets request, a cold summary included (issue 11).
 */
const pages = () => import('../html/report-page');

/** A report list's cursors are bound to its budget: another budget's cursor is a 400. */
const listBinding = (budgetId: string) => `budgets:reports:${budgetId}`;

export function reportsHandlers(service: ReportsService, cursors: CursorCodec) {
  const create: RouteHandler<typeof routes.createReportRoute, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const { report, created } = await service.request(budgetId, c.get('userId'), c.req.valid('json').date);
    if (!created) return c.json(reportView(report), 200);
    c.header('Location', reportPath(budgetId, report.id));
    return c.json(reportView(report), 201);
  };

  const list: RouteHandler<typeof routes.listReportsRoute, AppEnv> = async (c) => {
    const { budgetId } = c.req.valid('param');
    const { limit, cursor } = c.req.valid('query');
    const startKey = cursors.decode(cursor, listBinding(budgetId));
    if (prefersHtml(c.req.header('accept'))) {
      // The viewer's locale formats the page (read with the access check: no request added).
      const { page, locale } = await service.listForPage(budgetId, c.get('userId'), limit, startKey);
      c.header('Vary', 'Accept');
      return htmlPage(c, (await pages()).reportListPage(budgetId, page.items, cursors.encode(page.lastKey, listBinding(budgetId)), locale, limit));
    }
    const page = await service.list(budgetId, c.get('userId'), limit, startKey);
    c.header('Vary', 'Accept');
    return c.json({ items: page.items.map(reportView), nextCursor: cursors.encode(page.lastKey, listBinding(budgetId)) }, 200);
  };

  const get: RouteHandler<typeof routes.getReportRoute, AppEnv> = async (c) => {
    const { budgetId, reportId } = c.req.valid('param');
    if (prefersHtml(c.req.header('accept'))) {
      // The viewer's locale formats the page (read with the access check: no request added).
      const { report, locale } = await service.getForPage(budgetId, c.get('userId'), reportId);
      c.header('Vary', 'Accept');
      return htmlPage(c, (await pages()).reportPage(report, { locale }));
    }
    const report = await service.get(budgetId, c.get('userId'), reportId);
    c.header('Vary', 'Accept');
    return c.json(reportView(report), 200);
  };

  return { create, list, get };
}

/**
 * An HTML page of user-named things: a CSP that allows nothing but the page's own inline
 * styles (images are inline SVG elements), as a second line behind the escaping.
 */
function htmlPage(c: Context<AppEnv>, page: string) {
  c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
  c.header('X-Content-Type-Options', 'nosniff');
  return c.html(page, 200);
}
