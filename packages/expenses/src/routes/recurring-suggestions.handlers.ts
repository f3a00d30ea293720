import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { RecurringSuggestionsService } from '../service/recurring-suggestions.service';
import { MERCHANTS_CACHE_CONTROL } from './merchants.handlers';
import type { listRecurringSuggestions } from './recurring-suggestions.routes';

/**
 * Handler of the bill finder. The merchant suggestions' Cache-Control, for the same reasons: a
 * minute of staleness is harmless in a derived summary (an "Add as recurring" that posts
 * removes the suggestion on the next read after it), and `private` keeps shared caches out.
 */
export function recurringSuggestionsHandlers(service: RecurringSuggestionsService) {
  const list: RouteHandler<typeof listRecurringSuggestions, AppEnv> = async (c) => {
    const suggestions = await service.suggest(c.req.valid('param').budgetId, c.get('userId'));
    c.header('Cache-Control', MERCHANTS_CACHE_CONTROL);
    return c.json(suggestions, 200);
  };
  return { list };
}
