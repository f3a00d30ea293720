import { problemResponse, problems, type AppEnv, type Logger, type ModuleRuntime } from '@budgeting/platform';
import { OpenAPIHono } from '@hono/zod-openapi';
import { Scalar } from '@scalar/hono-api-reference';
import { cors } from 'hono/cors';
import { secureHeaders } from 'hono/secure-headers';
import { bodyLimits, requestContext, requireContentType } from './conventions';
import { errorHandler } from './error-handler';
import { methodNotAllowed } from './method-not-allowed';

export interface CreateAppOptions {
  logger: Logger;
  modules: ModuleRuntime[];
  corsOrigins: string[];
}

/** Paths whose body is CSV, up to 5 MB (the expenses import). */
const CSV_PATHS = [/^\/v1\/budgets\/[^/]+\/expenses\/import$/];

/**
 * The HTTP face of the monolith: shared conventions first (request id, logs, CORS, limits,
 * content types), then every module's routes, then the OpenAPI document built from the
 * very schemas that validated the requests.
 */
export function createApp({ logger, modules, corsOrigins }: CreateAppOptions) {
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

  app.get('/health', (c) => c.json({ status: 'ok' }));

  for (const module of modules) {
    if (module.routes) app.route('/', module.routes);
  }

  app.openAPIRegistry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT',
    description: 'Access token from /v1/auth/signup, /v1/auth/login or /v1/auth/refresh.',
  });
  app.doc31('/v1/openapi.json', {
    openapi: '3.1.0',
    info: {
      title: 'Budgeting API',
      version: '1.0.0',
      description:
        'Budgets, shared households and expenses. Errors are RFC 9457 problem details; money is integer minor units.',
    },
    servers: [{ url: '/' }],
  });
  app.get('/docs', Scalar({ url: '/v1/openapi.json', pageTitle: 'Budgeting API' }));

  app.notFound((c) => problemResponse(problems.notFound(`No route for ${c.req.method} ${c.req.path}.`), c.get('requestId')));
  app.onError(errorHandler);
  return app;
}

export type App = ReturnType<typeof createApp>;
