import type { AppEnv, ModuleRuntime } from '@budgeting/platform';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { manifestOf, type RouteManifest } from './module-routes';

/**
 * The OpenAPI document and the route manifest, built from the very routers (and zod schemas)
 * that validate the requests: every module's routes mounted on one OpenAPIHono, as the app
 * once did at run time. Only the generator (packages/app/scripts/openapi-document.ts, run by
 * `npm run openapi:generate`) and its up-to-date check call this; the Lambda serves the
 * generated file (openapi.generated.json) and mounts the manifest's placeholders, so no
 * OpenAPI registry is built in a container.
 */
export async function buildHttpDescription(modules: ModuleRuntime[]): Promise<{ document: object; manifest: RouteManifest }> {
  const app = new OpenAPIHono<AppEnv>();
  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));
  const manifest: Record<string, [string, string][]> = {};
  for (const module of modules) {
    if (!module.routes) continue;
    const router = await module.routes();
    manifest[module.name] = manifestOf(router);
    app.route('/', router);
  }
  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from /v1/auth/signup, /v1/auth/login or /v1/auth/refresh.',
  });
  app.openAPIRegistry.registerComponent('securitySchemes', 'personalAccessToken', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'bgt_<userId>_<tokenId>_<secret>',
    description:
      'Personal access token from POST /v1/me/tokens, for scripts and integrations: `Authorization: Bearer bgt_...`, as its account. ' +
      'Accepted wherever it is listed (not on `/v1/me` and below: 403 `personal-token-not-allowed`); a `read` token only on GET and HEAD ' +
      '(403 `insufficient-scope` otherwise). Expired, revoked, or ended by a password change or reset or by the account\'s deletion: 401.',
  });
  return { document: app.getOpenAPI31Document(documentConfig), manifest };
}

/** GET /health as documented (the app answers it with a plain handler, see create-app.ts). */
const healthRoute = createRoute({
  method: 'get',
  path: '/health',
  operationId: 'getHealth',
  tags: ['health'],
  summary: 'Liveness: the function answers',
  description: 'Public and cheap: touches no database. For load balancers, uptime checks and deploy smoke tests.',
  security: [],
  responses: {
    200: {
      description: 'Up',
      content: { 'application/json': { schema: z.object({ status: z.literal('ok') }).openapi('Health') } },
    },
  },
});

const documentConfig = {
  openapi: '3.1.0',
  info: {
    title: 'Budgeting API',
    version: '1.0.0',
    description:
      'Budgets, shared households and expenses. Errors are RFC 9457 problem details; money is integer minor units. ' +
      'Every path answers a method it does not have with 405 and an `Allow` header. Sign-up, sign-in and refresh are rate limited (429 with Retry-After, ' +
      'see those operations); every operation with a bearer token is limited per account (by default 1,200 requests a minute; 429 with Retry-After, ' +
      'and `RateLimit-Policy` / `RateLimit` on its answers); when deployed, API Gateway also throttles the whole stage and may answer any operation with 429 ' +
      '`{"message":"Too Many Requests"}` (not a problem document, no Retry-After): back off and retry.',
    license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
  },
};
