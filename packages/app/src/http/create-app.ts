import { finishDocument, problemResponse, problems, type AppEnv, type Logger, type ModuleRuntime } from '@budgeting/platform';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { bodyLimits, requestContext, requireContentType } from './conventions';
import { mountDocs, type DocsScript } from './docs-page';
import { errorHandler } from './error-handler';
import { methodNotAllowed } from './method-not-allowed';
import { requireUtf8Body } from './utf8-body';

export interface CreateAppOptions {
  logger: Logger;
  modules: ModuleRuntime[];
  corsOrigins: string[];
  /** Where /docs loads Scalar from; without it there is no /docs (see docs-page.ts). */
  docs?: DocsScript;
}

/** Paths whose body is CSV, up to 5 MB (the expenses import). */
const CSV_PATHS = [/^\/v1\/budgets\/[^/]+\/expenses\/import$/];

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

/**
 * The HTTP face of the monolith: shared conventions first (request id, logs, CORS, limits,
 * content types), then every module's routes, then the OpenAPI document built from the
 * very schemas that validated the requests.
 */
export function createApp({ logger, modules, corsOrigins, docs }: CreateAppOptions) {
  const app = new OpenAPIHono<AppEnv>();

  // nosniff, no-referrer, no framing, HSTS... on every answer, errors included. A route that
  // serves a document (the HTML report) adds its own Content-Security-Policy.
  app.use('*', secureHeaders({ xFrameOptions: 'DENY' }));
  app.use('*', requestContext(logger));
  app.use(
    '*',
    cors({
      origin: corsOrigins.includes('*') ? '*' : corsOrigins,
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'X-Request-Id'],
      exposeHeaders: ['ETag', 'Idempotent-Replayed', 'Retry-After', 'X-Request-Id', 'Location'],
      maxAge: 600,
    }),
  );
  app.use('*', methodNotAllowed(app));
  app.use('*', bodyLimits(CSV_PATHS));
  app.use('*', requireContentType(CSV_PATHS));
  app.use('*', requireUtf8Body());

  app.openapi(healthRoute, (c) => c.json({ status: 'ok' as const }, 200));

  for (const module of modules) {
    if (module.routes) app.route('/', module.routes);
  }

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from /v1/auth/signup, /v1/auth/login or /v1/auth/refresh.',
  });
  const documentConfig = {
    openapi: '3.1.0',
    info: {
      title: 'Budgeting API',
      version: '1.0.0',
      description:
        'Budgets, shared households and expenses. Errors are RFC 9457 problem details; money is integer minor units. ' +
        'Every path answers a method it does not have with 405 and an `Allow` header. Sign-up, sign-in and refresh are rate limited (429 with Retry-After, ' +
        'see those operations); when deployed, API Gateway also throttles the whole stage and may answer any operation with 429 ' +
        '`{"message":"Too Many Requests"}` (not a problem document, no Retry-After): back off and retry.',
      license: { name: 'Proprietary', identifier: 'LicenseRef-Proprietary' },
    },
  };
  // Generated once (the routes do not change at run time); `servers` is the caller's origin.
  let generated: ReturnType<typeof app.getOpenAPI31Document> | undefined;
  app.get('/v1/openapi.json', (c) => {
    generated ??= app.getOpenAPI31Document(documentConfig);
    return c.json(finishDocument(generated, new URL(c.req.url).origin));
  });
  if (docs) mountDocs(app, docs);

  app.notFound((c) => problemResponse(problems.notFound(`No route for ${c.req.method} ${c.req.path}.`), c.get('requestId')));
  app.onError(errorHandler);
  return app;
}

export type App = ReturnType<typeof createApp>;
