import { createRoute, type RouteConfig, type z } from '@hono/zod-openapi';
import { IfNoneMatchHeaders, etagHeader, jsonBody, jsonContent, notModifiedResponse, problemResponses } from './openapi';
import { bearerSecurity } from './router';

/** What one route says of itself in the OpenAPI document. */
export interface RouteText {
  operationId: string;
  summary: string;
  description?: string;
}

/** operationId, summary and (only when given) description. */
export function routeText(t: RouteText): RouteText {
  return {
    operationId: t.operationId,
    summary: t.summary,
    ...(t.description !== undefined ? { description: t.description } : {}),
  };
}

/**
 * The GET, PATCH and DELETE of one versioned item that needs an access token (a budget, an
 * expense, a webhook): one path with the item's id parameters, an ETag on what GET and PATCH
 * answer, If-None-Match on GET (a 304 when it names the current version; the handler answers
 * with versionedGetAnswer), If-Match on PATCH and DELETE (each module documents its own header), a 204 for the
 * DELETE. Each route lists its own problem statuses (who may write differs by module), and the
 * PATCH may document responses of its own before them (`responses`, e.g. an example 400).
 * routes/index.ts of the module attaches the middleware.
 */
export function versionedItemRoutes<
  ItemPath extends string,
  Params extends z.ZodObject,
  IfMatch extends z.ZodObject,
  Item extends z.ZodType,
  Update extends z.ZodType,
  const GetProblems extends number,
  const UpdateProblems extends number,
  const RemoveProblems extends number,
  UpdateResponses extends RouteConfig['responses'] = Record<never, never>,
>(r: {
  tags: string[];
  path: ItemPath;
  params: Params;
  ifMatch: IfMatch;
  item: Item;
  update: Update;
  get: RouteText & { found: string; problems: readonly GetProblems[] };
  change: RouteText & { changed: string; problems: readonly UpdateProblems[]; responses?: UpdateResponses };
  remove: RouteText & { problems: readonly RemoveProblems[] };
}) {
  const common = { tags: r.tags, security: bearerSecurity };
  return {
    get: createRoute({
      method: 'get',
      path: r.path,
      ...routeText(r.get),
      ...common,
      request: { params: r.params, headers: IfNoneMatchHeaders },
      responses: {
        200: { description: r.get.found, headers: etagHeader, content: jsonContent(r.item) },
        304: notModifiedResponse,
        ...problemResponses(...r.get.problems),
      },
    }),
    update: createRoute({
      method: 'patch',
      path: r.path,
      ...routeText(r.change),
      ...common,
      request: { params: r.params, headers: r.ifMatch, body: jsonBody(r.update) },
      responses: {
        200: { description: r.change.changed, headers: etagHeader, content: jsonContent(r.item) },
        ...(r.change.responses as UpdateResponses),
        ...problemResponses(...r.change.problems),
      },
    }),
    remove: createRoute({
      method: 'delete',
      path: r.path,
      ...routeText(r.remove),
      ...common,
      request: { params: r.params, headers: r.ifMatch },
      responses: { 204: { description: 'Deleted' }, ...problemResponses(...r.remove.problems) },
    }),
  };
}
