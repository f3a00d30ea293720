import { expectedVersion, setEtag, versionedGetAnswer, type AppEnv } from '@budgeting/platform';
import { bearerSecurity, etagHeader, jsonBody, jsonContent, limitReachedResponse, problemResponses, routeText, versionedItemRoutes, type RouteText } from '@budgeting/platform/routes';
import { createRoute, type RouteConfig, type RouteHandler, type z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { BudgetParams, IdempotencyHeaders, IfMatchHeaders } from '../schemas/expenses.schemas';

/** The schemas of one resource: its item, a page of items, the bodies and the list query. */
interface ResourceSchemas<Params, Query, Item, List, Create, Update> {
  /** The item path's parameters (budgetId and the item's id). */
  params: Params;
  query: Query;
  item: Item;
  list: List;
  create: Create;
  update: Update;
}

/**
 * The five routes of a versioned resource that lives in a budget, for expenses and recurring
 * expenses: they keep one HTTP contract (a create with Idempotency-Key answering 201 with ETag
 * and Location, a paged list, a GET with ETag, PATCH and DELETE with If-Match, and the same
 * problem statuses each), so it is written once; each resource gives its paths, texts and
 * schemas. routes/index.ts attaches the middleware; budgetResourceHandlers() below answers
 * all but the create. (Its two calls give the same keys, so `duplicates` pairs them by shape:
 * that is the configuration, each with its own texts.)
 */
export function budgetResourceRoutes<
  Collection extends string,
  ItemPath extends string,
  Params extends z.ZodObject,
  Query extends z.ZodObject,
  Item extends z.ZodType,
  List extends z.ZodType,
  Create extends z.ZodType,
  Update extends z.ZodType,
>(r: {
  tag: string;
  collection: Collection;
  item: ItemPath;
  schemas: ResourceSchemas<Params, Query, Item, List, Create, Update>;
  /** `full`: the collection's cap, whose 409 `limit-reached` the create documents (a capped collection's). */
  create: RouteText & { created: string; location: string; full?: { collection: string; limit: number; detail: string } };
  list: RouteText & { page: string };
  get: RouteText & { found: string };
  update: RouteText & { changed: string };
  remove: RouteText;
}) {
  const s = r.schemas;
  const common = { tags: [r.tag], security: bearerSecurity };
  return {
    create: createRoute({
      method: 'post',
      path: r.collection,
      ...routeText(r.create),
      ...common,
      request: { params: BudgetParams, headers: IdempotencyHeaders, body: jsonBody(s.create) },
      responses: {
        201: {
          description: r.create.created,
          headers: { ...etagHeader, Location: { description: r.create.location, schema: { type: 'string' } } },
          content: jsonContent(s.item),
        },
        ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422),
        ...(r.create.full ? { 409: limitReachedResponse(r.create.full, 'or `conflict` (an Idempotency-Key in use, or as the description says)') } : {}),
      },
    }),
    list: createRoute({
      method: 'get',
      path: r.collection,
      ...routeText(r.list),
      ...common,
      request: { params: BudgetParams, query: s.query },
      responses: { 200: { description: r.list.page, content: jsonContent(s.list) }, ...problemResponses(400, 401, 404) },
    }),
    ...versionedItemRoutes({
      tags: [r.tag],
      path: r.item,
      params: s.params,
      ifMatch: IfMatchHeaders,
      item: s.item,
      update: s.update,
      get: { ...r.get, problems: [400, 401, 404] },
      change: { ...r.update, problems: [400, 401, 403, 404, 409, 412, 413, 415] },
      remove: { ...r.remove, problems: [400, 401, 403, 404, 409, 412] },
    }),
  };
}

/** What the shared handlers need of a resource's service (ExpensesService, RecurringService). */
export interface BudgetResourceService<Item extends { version: number }, Query, Update> {
  list(budgetId: string, userId: string, query: Query): Promise<{ items: Item[]; nextCursor: string | null }>;
  get(budgetId: string, userId: string, id: string): Promise<Item>;
  update(budgetId: string, userId: string, id: string, input: Update, ifMatch: ReadonlySet<number> | undefined): Promise<Item>;
  remove(budgetId: string, userId: string, id: string, ifMatch: ReadonlySet<number> | undefined): Promise<void>;
}

/** The list, get, update and delete handlers of a resource, each typed by its route constant. */
export type BudgetResourceHandlers<Routes extends Record<'list' | 'get' | 'update' | 'remove', RouteConfig>> = {
  [K in 'list' | 'get' | 'update' | 'remove']: RouteHandler<Routes[K], AppEnv>;
};

/** The validated input the handlers read (what the routes above validate). */
type Validated<Out extends object> = Context<AppEnv, string, { out: Out }>;

/**
 * The list, get, update and delete handlers of a resource built by budgetResourceRoutes(): take
 * the validated input, call the service, answer with the presented item (and its ETag). The
 * create stays each resource's own: an expense stores its Idempotency-Key answer in its own
 * transaction, a recurring expense takes the middleware's resource id. Assign the result to
 * BudgetResourceHandlers<typeof routes> so each handler is checked against its route.
 */
export function budgetResourceHandlers<IdParam extends string, Item extends { version: number }, Query, Update, Shown>(
  idParam: IdParam,
  service: BudgetResourceService<Item, Query, Update>,
  present: (item: Item) => Shown,
  /**
   * What the answers show besides the version's changes (platform setEtag's variant): a
   * recurring definition's next occurrence, which its job moves without a new version (so a
   * client's If-Match is not invalidated by every recorded occurrence), must still move the ETag
   * a conditional GET compares, or the 304 keeps showing a bill already recorded as due.
   */
  etagVariant?: (item: Item) => string | undefined,
) {
  type ItemParams = { param: { budgetId: string } & Record<IdParam, string> };
  const ids = (c: Validated<ItemParams>) => {
    const params = c.req.valid('param');
    return [params.budgetId, c.get('userId'), params[idParam]] as const;
  };
  return {
    list: async (c: Validated<{ param: { budgetId: string }; query: Query }>) => {
      const page = await service.list(c.req.valid('param').budgetId, c.get('userId'), c.req.valid('query'));
      return c.json({ items: page.items.map(present), nextCursor: page.nextCursor }, 200);
    },
    get: async (c: Validated<ItemParams>) => {
      const found = await service.get(...ids(c));
      return versionedGetAnswer(c, found.version, present(found), etagVariant?.(found));
    },
    update: async (c: Validated<ItemParams & { json: Update }>) => {
      const ifMatch = expectedVersion(c);
      const changed = await service.update(...ids(c), c.req.valid('json'), ifMatch);
      setEtag(c, changed.version, etagVariant?.(changed));
      return c.json(present(changed), 200);
    },
    remove: async (c: Validated<ItemParams>) => {
      await service.remove(...ids(c), expectedVersion(c));
      return c.body(null, 204);
    },
  };
}
