/**
 * Third public entry, `@budgeting/platform/routes`: what a module's route and schema files
 * need to declare routes (the OpenAPI router, zod schemas shared by routes, the problem and
 * OpenAPI helpers). Kept out of the main entry so that start-up code (services, repositories,
 * subscriptions) never reaches zod, zod-to-openapi or @hono/zod-openapi: esbuild puts every
 * file an entry's imports reach, re-exports included, into that entry's chunks, so one
 * re-export here would load those libraries at every cold start (issue 11). Only files under
 * a module's `routes/` or `schemas/` (loaded when a request first reaches the module) and the
 * build scripts import this.
 */
export { createRouter, bearerSecurity, sessionSecurity, type Router } from './http/router';
export { pagingQuery, paginationQuery } from './http/pagination-query';
export { queryInteger } from './http/query-integer';
export { calendarDate } from './http/calendar-date';
export { calendarMonth } from './http/calendar-month';
export { freeText, idText, nameText, visibleText } from './http/text-schemas';
export {
  ProblemSchema,
  problemResponses,
  problemExample,
  jsonContent,
  jsonBody,
  jsonResponse,
  etagHeader,
  IfNoneMatchHeaders,
  notModifiedResponse,
  locationHeader,
  afterRateLimit,
  listSchema,
  personalTokenRefusedResponse,
  limitReachedResponse,
} from './http/openapi';
export { versionedItemRoutes, routeText, type RouteText } from './http/item-routes';
