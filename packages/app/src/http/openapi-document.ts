import { PROBLEM_TYPE_BASE, problemType, type AppEnv, type ModuleRuntime } from '@budgeting/platform';
import { problemExample } from '@budgeting/platform/routes';
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import { manifestOf, type RouteManifest } from './module-routes';
import { problemTypes, problemTypeView } from './problem-catalog';

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
  // Documented here, answered by create-app.ts (problem-catalog.ts): no module owns the catalogue.
  app.openapi(listProblemTypesRoute, (c) => c.json({ items: problemTypes().map(problemTypeView) }, 200));
  app.openapi(getProblemTypeRoute, (c) => c.json(exampleType(), 200));
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
  return { document: withKnownProblemTypes(app.getOpenAPI31Document(documentConfig)), manifest };
}

/**
 * The Problem schema's `type` lists every declared type as `examples`, with a description that
 * links the catalogue. Not an `enum`: generated clients turn one into a closed union (and some
 * validate answers against it), so a type added by a later release would break them; matching on
 * a known `type` and falling back on `status` for any other is what RFC 9457 asks of a client.
 */
function withKnownProblemTypes<D extends { components?: { schemas?: Record<string, unknown> } }>(document: D): D {
  const problem = document.components?.schemas?.Problem as { properties?: Record<string, Record<string, unknown>> } | undefined;
  const type = problem?.properties?.type;
  if (!type) throw new Error('the Problem schema has no `type` to document');
  delete type.example;
  type.format = 'uri';
  type.description =
    `The problem type: \`${PROBLEM_TYPE_BASE}<slug>\` by default (a deployment may configure another base). ` +
    'Every known type, with what it means and what to do, is in the catalogue: GET /problems (docs/problems.md); ' +
    'the list grows between releases, so treat an unknown type by its `status`.';
  type.examples = problemTypes().map((t) => problemType(t.slug));
  return document;
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

const ProblemTypeSchema = z
  .object({
    type: z.string().openapi({ description: 'The `type` URI answers of this kind carry.', example: problemType('budget-archived') }),
    slug: z.string().openapi({ example: 'budget-archived' }),
    status: z.number().int().openapi({ description: 'The HTTP status answered with it.', example: 409 }),
    title: z.string().openapi({ description: 'The `title` of every answer of this type.', example: 'The budget is archived' }),
    meaning: z.string().openapi({ description: 'What happened, in one sentence.' }),
    action: z.string().openapi({ description: 'What a client should do about it.' }),
    module: z.string().openapi({ description: 'Who declares it: `platform` (the generic ones) or a module.', example: 'budgets' }),
  })
  .openapi('ProblemType');

/** The `Accept` of the catalogue's two GETs: JSON unless text/html is ranked above it (a browser). */
const CatalogAccept = z.object({
  accept: z.string().optional().openapi({
    param: { in: 'header' },
    description: 'application/json (the default) or text/html (a page to read), chosen when ranked above JSON.',
    example: 'text/html',
  }),
});

const catalogAnswer = <T extends z.ZodType>(schema: T, description: string, example: object, page: string) => ({
  description,
  headers: { Vary: { description: 'Accept: the representation depends on it', schema: { type: 'string' as const } } },
  content: {
    'application/json': { schema, example },
    'text/html': { schema: z.string().openapi({ description: 'A self-contained HTML page (no script).' }), example: page },
  },
});

/** The examples: an entry of the real catalogue, so they say what the route answers today. */
const exampleType = () => problemTypeView(problemTypes().find((t) => t.slug === 'budget-archived')!);
const PAGE = '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>The budget is archived (409)</title>…</head><body>…</body></html>';

/** GET /problems: the catalogue of problem types (RFC 9457 3.1.1: a `type` should resolve to documentation). */
const listProblemTypesRoute = createRoute({
  method: 'get',
  path: '/problems',
  operationId: 'listProblemTypes',
  tags: ['problems'],
  summary: 'Every problem type the API answers',
  description:
    'What each `type` of an error answer means and what a client should do: the generic types and each module\'s own. ' +
    'Public and cheap (no database). With `Accept: text/html` ranked above JSON (a browser): a page linking each type.',
  security: [],
  request: { headers: CatalogAccept },
  responses: {
    200: catalogAnswer(z.object({ items: z.array(ProblemTypeSchema) }).openapi('ProblemTypeList'), 'Every declared problem type', { items: [exampleType()] }, PAGE),
  },
});

/** GET /problems/{slug}: where a problem's `type` URI leads when its base is this deployment's. */
const getProblemTypeRoute = createRoute({
  method: 'get',
  path: '/problems/{slug}',
  operationId: 'getProblemType',
  tags: ['problems'],
  summary: 'One problem type',
  description:
    'The documentation a problem\'s `type` URI resolves to (RFC 9457 3.1.1) when the deployment\'s `/problems/` is its base. ' +
    'JSON by default; with `Accept: text/html` ranked above JSON (a browser), a readable page. An unknown slug is a 404 problem.',
  security: [],
  request: {
    params: z.object({ slug: z.string().openapi({ param: { in: 'path' }, example: 'budget-archived' }) }),
    headers: CatalogAccept,
  },
  responses: {
    200: catalogAnswer(ProblemTypeSchema, 'The problem type', exampleType(), PAGE),
    404: problemExample('No problem type has this slug', {
      type: problemType('not-found'),
      title: 'Not found',
      status: 404,
      detail: 'No problem type is called "budget-archive"; GET /problems lists them.',
    }),
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
