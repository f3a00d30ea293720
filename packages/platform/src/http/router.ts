import { OpenAPIHono, z, type RouteConfig } from '@hono/zod-openapi';
import type { AppEnv } from './app-env';
import { problemResponses } from './openapi';
import { validationProblem } from './validation';

/**
 * Every module builds its routes on this router so invalid input is rejected the same way
 * everywhere: a problem+json 400 naming each bad field.
 *
 * That includes the query string of a route that declares no query parameters: it takes none,
 * so any one is an unknown field, a 400 naming `query.<name>` as on the routes that declare
 * some (their schemas are strict). Without it such a route ignored whatever the query said
 * (`GET /v1/webhooks?limit=1` answered every webhook; `DELETE /v1/me?dryRun=true` deleted the
 * account), until 2026-12-07. The 400 is documented on those operations with it.
 */
export function createRouter() {
  const router = new OpenAPIHono<AppEnv>({
    defaultHook: (result) => {
      if (!result.success) throw validationProblem(result.error, result.target);
    },
  });
  const register = router.openapi;
  router.openapi = ((route: RouteConfig, ...rest: unknown[]) =>
    (register as (route: RouteConfig, ...rest: unknown[]) => unknown)(withQueryChecked(route), ...rest)) as typeof router.openapi;
  return router;
}

/** A query that must be empty: every parameter in it is an unknown field. */
const NO_QUERY = z.object({}).strict();

function withQueryChecked<R extends RouteConfig>(route: R): R {
  if (route.request?.query) return route;
  return {
    ...route,
    request: { ...route.request, query: NO_QUERY },
    responses: { ...problemResponses(400), ...route.responses },
  };
}

export type Router = ReturnType<typeof createRouter>;

/**
 * OpenAPI security requirement for routes that need an access token: a session's (`bearerAuth`,
 * a JWT) or a personal access token (`personalAccessToken`, `bgt_...`; a `read` one only on
 * GET and HEAD). Either one (OpenAPI lists alternatives).
 */
export const bearerSecurity: Record<string, string[]>[] = [{ bearerAuth: [] }, { personalAccessToken: [] }];

/** For account-management routes (`/v1/me` and below): a session's access token only (requireAuth `accountManagement`). */
export const sessionSecurity: Record<string, string[]>[] = [{ bearerAuth: [] }];
