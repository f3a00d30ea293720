import { setEtag, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { LimitSuggestionsService } from '../service/limit-suggestions.service';
import type * as routes from './limit-suggestions.routes';

export function limitSuggestionsHandlers(service: () => Promise<LimitSuggestionsService>) {
  const get: RouteHandler<typeof routes.limitSuggestionsRoute, AppEnv> = async (c) => {
    const { version, suggestions } = await (await service()).suggestions(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    // The budget's ETag, read with the budget these suggestions come from: If-Match on the PATCH of `patch`.
    setEtag(c, version);
    return c.json(suggestions, 200);
  };
  return { get };
}
