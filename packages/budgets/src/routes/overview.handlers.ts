import { digestGetAnswer, type AppEnv, type CursorCodec } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { OverviewService } from '../service/overview.service';
import { OVERVIEW_CACHE_CONTROL } from './overview.routes';
import type * as routes from './overview.routes';

/** Overview cursors are bound to the caller (someone else's is a 400), and apart from the budget list's. */
const overviewBinding = (userId: string) => `budgets:overview:${userId}`;

export function overviewHandlers(service: () => Promise<OverviewService>, cursors: CursorCodec) {
  const get: RouteHandler<typeof routes.overviewRoute, AppEnv> = async (c) => {
    const userId = c.get('userId');
    const { limit, cursor } = c.req.valid('query');
    const page = await (await service()).page(userId, limit, cursors.decode(cursor, overviewBinding(userId)));
    const { items, lastKey, unreadNotifications, generatedAt } = page;
    c.header('Cache-Control', OVERVIEW_CACHE_CONTROL);
    // The ETag digests the figures and the page's end (not the sealed cursor, new each time,
    // nor generatedAt): a 304 keeps the client's copy, whose cursor still leads to the same page.
    return digestGetAnswer(
      c,
      { items, lastKey: lastKey ?? null, unreadNotifications },
      { items, nextCursor: cursors.encode(lastKey, overviewBinding(userId)), unreadNotifications, generatedAt },
    );
  };
  return { get };
}
