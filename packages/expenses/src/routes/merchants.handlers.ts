import type { AppEnv } from '@budgeting/platform';
import type { RouteHandler } from '@hono/zod-openapi';
import type { MerchantsService } from '../service/merchants.service';
import type { listMerchants, listTags } from './merchants.routes';

/**
 * A minute of staleness is harmless in an autocomplete, and saves the window's reads when the
 * app asks again (a screen opened twice). `private`: the answer is per member; a shared cache
 * must not keep it.
 */
export const MERCHANTS_CACHE_CONTROL = 'private, max-age=60';

/** Handlers of the payee and the tag autocomplete. */
export function merchantsHandlers(service: MerchantsService) {
  const list: RouteHandler<typeof listMerchants, AppEnv> = async (c) => {
    const suggestions = await service.suggest(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    c.header('Cache-Control', MERCHANTS_CACHE_CONTROL);
    return c.json(suggestions, 200);
  };
  const tags: RouteHandler<typeof listTags, AppEnv> = async (c) => {
    const suggestions = await service.suggestTags(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
    c.header('Cache-Control', MERCHANTS_CACHE_CONTROL);
    return c.json(suggestions, 200);
  };
  return { list, listTags: tags };
}
