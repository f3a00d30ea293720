import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { RuleSuggestionsService } from '../service/rule-suggestions.service';
import { MERCHANTS_CACHE_CONTROL } from './merchants.handlers';
import type { listRuleSuggestions } from './rule-suggestions.routes';

/**
 * Handler of the rule suggestions. The merchant suggestions' Cache-Control, as the bill
 * finder's: a minute of staleness is harmless in a derived summary (a suggestion posted as a
 * rule is gone on the next read after it), and `private` keeps shared caches out.
 */
export function ruleSuggestionsHandlers(service: RuleSuggestionsService) {
  const list: RouteHandler<typeof listRuleSuggestions, AppEnv> = async (c) => {
    const suggestions = await service.suggest(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    c.header('Cache-Control', MERCHANTS_CACHE_CONTROL);
    return c.json(suggestions, 200);
  };
  return { list };
}
