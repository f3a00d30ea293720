import { problems, withRequestReads, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import { CALENDAR_FEED_CACHE_CONTROL, calendarFeedPath } from '../domain/calendar-feed';
import type { CalendarFeedsService } from '../service/calendar-feeds.service';
import type { createCalendarFeed, getCalendarFeed, getOwnCalendarFeed, listCalendarFeeds, revokeCalendarFeed } from './calendar-feeds.routes';

const ICS = '.ics';

/** Handlers of the calendar feeds: the member's management routes and the public feed. */
export function calendarFeedsHandlers(service: CalendarFeedsService) {
  const create: RouteHandler<typeof createCalendarFeed, AppEnv> = async (c) => {
    const created = await service.create(c.req.valid('param').budgetId, c.get('userId'));
    // Absolute: a calendar app is given the URL as is. The origin the request came to (the API's).
    const url = new URL(calendarFeedPath(created.token), new URL(c.req.url).origin).toString();
    c.header('Location', `/v1/budgets/${c.req.valid('param').budgetId}/calendar-feeds/${created.id}`);
    return c.json({ id: created.id, createdAt: created.createdAt, url }, 201);
  };

  const list: RouteHandler<typeof listCalendarFeeds, AppEnv> = async (c) => {
    return c.json({ items: await service.list(c.req.valid('param').budgetId, c.get('userId')) }, 200);
  };

  const get: RouteHandler<typeof getOwnCalendarFeed, AppEnv> = async (c) => {
    const { budgetId, feedId } = c.req.valid('param');
    return c.json(await service.get(budgetId, c.get('userId'), feedId), 200);
  };

  const revoke: RouteHandler<typeof revokeCalendarFeed, AppEnv> = async (c) => {
    const { budgetId, feedId } = c.req.valid('param');
    await service.revoke(budgetId, c.get('userId'), feedId);
    return c.body(null, 204);
  };

  const feed: RouteHandler<typeof getCalendarFeed, AppEnv> = async (c) => {
    // Hono names the segment's parameter `token.ics` and also matches it without the suffix.
    const segment = Object.values(c.req.param() as Record<string, string>)[0] ?? '';
    const token = segment.endsWith(ICS) ? segment.slice(0, -ICS.length) : '';
    // A request scope of its own (no requireAuth here), so the feed's read joins the access read.
    const calendar = await withRequestReads(() => service.calendar(token));
    if (!calendar) throw problems.notFound('No such calendar feed.');
    c.header('ETag', calendar.etag);
    c.header('Cache-Control', CALENDAR_FEED_CACHE_CONTROL);
    if (noneMatch(c.req.header('if-none-match'), calendar.etag)) return c.body(null, 304);
    return c.body(calendar.text, 200, { 'Content-Type': 'text/calendar; charset=utf-8' });
  };

  return { create, list, get, revoke, feed };
}

/** Whether If-None-Match names this ETag (weak comparison, or `*`). */
function noneMatch(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  return header.split(',').some((t) => {
    const tag = t.trim();
    return tag === '*' || tag.replace(/^W\//, '') === etag;
  });
}
