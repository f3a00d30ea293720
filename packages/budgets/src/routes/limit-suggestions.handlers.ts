import { digestGetAnswer, etagFor, type AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { LimitSuggestionsService } from '../service/limit-suggestions.service';
import type * as routes from './limit-suggestions.routes';

export function limitSuggestionsHandlers(service: () => Promise<LimitSuggestionsService>) {
  const get: RouteHandler<typeof routes.limitSuggestionsRoute, AppEnv> = async (c) => {
    const { version, suggestions } = await (await service()).suggestions(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    // The answer depends on the budget (its version, carried in the body as `budgetEtag`: the
    // If-Match of the PATCH of `patch`) and on spending, which no version tells: the ETag is a
    // weak digest of the finished answer (the reads are made either way; a 304 saves the bytes).
    const body = { ...suggestions, budgetEtag: etagFor(version) };
    return digestGetAnswer(c, body, body);
  };
  return { get };
}
