import { bearerSecurity, etagHeader, jsonBody, jsonContent, problemResponses } from '@budgeting/platform';
import { createRoute, type z } from '@hono/zod-openapi';
import { BudgetParams, IdempotencyHeaders, IfMatchHeaders } from '../schemas/expenses.schemas';

/** What one route of the resource says of itself in the OpenAPI document. */
interface RouteText {
  operationId: string;
  summary: string;
  description?: string;
}

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
 * schemas. routes/index.ts attaches the middleware. (Its two calls give the same keys, so
 * `duplicates` pairs them by shape: that is the configuration, each with its own texts.)
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
  create: RouteText & { created: string; location: string };
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
      ...text(r.create),
      ...common,
      request: { params: BudgetParams, headers: IdempotencyHeaders, body: jsonBody(s.create) },
      responses: {
        201: {
          description: r.create.created,
          headers: { ...etagHeader, Location: { description: r.create.location, schema: { type: 'string' } } },
          content: jsonContent(s.item),
        },
        ...problemResponses(400, 401, 403, 404, 409, 413, 415, 422, 503),
      },
    }),
    list: createRoute({
      method: 'get',
      path: r.collection,
      ...text(r.list),
      ...common,
      request: { params: BudgetParams, query: s.query },
      responses: { 200: { description: r.list.page, content: jsonContent(s.list) }, ...problemResponses(400, 401, 404, 503) },
    }),
    get: createRoute({
      method: 'get',
      path: r.item,
      ...text(r.get),
      ...common,
      request: { params: s.params },
      responses: {
        200: { description: r.get.found, headers: etagHeader, content: jsonContent(s.item) },
        ...problemResponses(400, 401, 404, 503),
      },
    }),
    update: createRoute({
      method: 'patch',
      path: r.item,
      ...text(r.update),
      ...common,
      request: { params: s.params, headers: IfMatchHeaders, body: jsonBody(s.update) },
      responses: {
        200: { description: r.update.changed, headers: etagHeader, content: jsonContent(s.item) },
        ...problemResponses(400, 401, 403, 404, 409, 412, 413, 415, 503),
      },
    }),
    remove: createRoute({
      method: 'delete',
      path: r.item,
      ...text(r.remove),
      ...common,
      request: { params: s.params, headers: IfMatchHeaders },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(400, 401, 403, 404, 409, 412, 503) },
    }),
  };
}

/** operationId, summary and (only when given) description. */
function text(t: RouteText): RouteText {
  return {
    operationId: t.operationId,
    summary: t.summary,
    ...(t.description !== undefined ? { description: t.description } : {}),
  };
}
