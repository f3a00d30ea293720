import { finishDocument, prefersHtml, problemResponse, problems, type AppEnv, type Logger, type ModuleRuntime } from '@budgeting/platform';
import type { Context } from 'hono';
import { Hono } from 'hono';
import { TrieRouter } from 'hono/router/trie-router';
import { secureHeaders } from 'hono/secure-headers';
import { bodyLimits, requestContext, requireContentType } from './conventions';
import { corsMiddleware } from './cors';
import { mountDocs, type DocsScript } from './docs-page';
import { errorHandler } from './error-handler';
import { methodNotAllowed } from './method-not-allowed';
import { noStoreByDefault } from './no-store-by-default';
import { mountModuleRoutes, onlyOperations } from './module-routes';
import { MODULE_ROUTES } from './routes.generated';
import { requireUtf8Body, requireUtf8Query } from './utf8-body';
import type { DescribedProblemType } from './problem-catalog';

export interface CreateAppOptions {
  logger: Logger;
  modules: ModuleRuntime[];
  corsOrigins: string[];
  /** Where /docs loads Scalar from; without it there is no /docs (see docs-page.ts). */
  docs?: DocsScript;
}

/** Paths whose body is a file, up to 5 MB (the expenses import). */
const CSV_PATHS = [/^\/v1\/budgets\/[^/]+\/expenses\/import$/];
/** The one-click unsubscribe (users routes/unsubscribe.routes.ts): mailbox providers POST a form to it (RFC 8058). */
const FORM_PATHS = [/^\/v1\/unsubscribe\/[^/]+$/];
/** OFX/QFX bank statements (expenses domain/import-file.ts). */
const OFX_MEDIA_TYPES = ['application/x-ofx', 'application/vnd.intu.qfx', 'application/ofx'];
/** camt.053 (ISO 20022) bank statements and QIF files (expenses domain/import-file.ts). */
const CAMT_MEDIA_TYPES = ['application/xml', 'text/xml', 'application/vnd.iso20022.camt.053+xml'];
const QIF_MEDIA_TYPES = ['application/qif', 'application/x-qif', 'text/x-qif'];
/** The import's media types: CSV (also as Excel labels it), OFX/QFX and camt.053 bank statements, QIF files. */
const FILE_MEDIA_TYPES = ['text/csv', 'application/vnd.ms-excel', ...OFX_MEDIA_TYPES, ...CAMT_MEDIA_TYPES, ...QIF_MEDIA_TYPES];

/**
 * The HTTP face of the monolith: shared conventions first (request id, logs, CORS, limits,
 * content types), then every module's routes (placeholders that build a module's router on
 * the first request reaching it: module-routes.ts), then the OpenAPI document, generated
 * from the very schemas that validate the requests (openapi-document.ts) and served from the
 * generated file. Nothing here constructs a zod schema: a cold request pays only for the
 * routes it reaches.
 */
export function createApp({ logger, modules, corsOrigins, docs }: CreateAppOptions) {
  // Hono's default SmartRouter first tries its RegExpRouter, which refuses this route set (the
  // manifest's paths: UnsupportedPathError), then settles on a TrieRouter, on the first request:
  // about 3 ms of a cold start's CPU for the same matching (tests/unit/http/create-app.test.ts).
  const app = new Hono<AppEnv>({ router: new TrieRouter() });

  // nosniff, no-referrer, no framing, HSTS... on every answer, errors included. A route that
  // serves a document (the HTML report) adds its own Content-Security-Policy.
  app.use('*', secureHeaders({ xFrameOptions: 'DENY' }));
  app.use('*', requestContext(logger));
  app.use('*', noStoreByDefault);
  app.use(
    '*',
    corsMiddleware({
      origins: corsOrigins,
      // Every request header the OpenAPI document names and every answer header it describes, so a
      // browser client can use the API as a phone does (Prefer: wait=N on the jobs; Preference-Applied,
      // Content-Disposition, Vary and Allow read back; the unsubscribe page's Referrer-Policy and X-Robots-Tag, documented,
      // too). http-conventions.test.ts checks both lists against the document.
      allowHeaders: ['Authorization', 'Content-Type', 'Idempotency-Key', 'If-Match', 'If-None-Match', 'Prefer', 'X-Request-Id'],
      exposeHeaders: ['ETag', 'Idempotent-Replayed', 'Retry-After', 'X-Request-Id', 'Location', 'RateLimit', 'RateLimit-Policy', 'Preference-Applied', 'Content-Disposition', 'Vary', 'WWW-Authenticate', 'Allow', 'Referrer-Policy', 'X-Robots-Tag'],
      maxAge: 600,
    }),
  );
  app.use('*', methodNotAllowed(app));
  app.use('*', bodyLimits(CSV_PATHS));
  app.use('*', requireContentType(CSV_PATHS, FILE_MEDIA_TYPES, FORM_PATHS));
  // Bank files are often Windows-1252: the import route decodes its OFX and camt.053 statements by their
  // declared charset (QIF files as CSV ones) and its CSV files by the Content-Type's or the mapping's (expenses
  // routes/import-body.ts); every other body must be UTF-8.
  app.use('*', requireUtf8Body({ paths: CSV_PATHS, mediaTypes: FILE_MEDIA_TYPES }));
  app.use('*', requireUtf8Query());

  app.get('/health', (c) => c.json({ status: 'ok' as const }, 200));

  mountModuleRoutes(app, modules, MODULE_ROUTES, errorHandler);
  mountProblemCatalog(app);

  // Generated with the routes (npm run openapi:generate; a test fails when it is stale) and
  // loaded from its own chunk on the first request for it; `servers` is the caller's origin.
  // A system of some modules only (tests) documents only the operations it mounted.
  const mounted = new Set(modules.flatMap((m) => (m.routes ? (MODULE_ROUTES[m.name] ?? []).map(([method, path]) => `${method} ${path}`) : [])));
  let served: object | undefined;
  app.get('/v1/openapi.json', async (c) => {
    served ??= onlyOperations((await import('./openapi.generated.json')).default, (method, path) => APP_PATHS.includes(path) || mounted.has(`${method} ${path}`));
    return c.json(finishDocument(served, new URL(c.req.url).origin, { storeless: STORELESS_OPERATIONS }));
  });
  if (docs) mountDocs(app, docs);

  app.notFound((c) => problemResponse(problems.notFound(`No route for ${c.req.method} ${c.req.path}.`), c.get('requestId')));
  app.onError(errorHandler);
  return app;
}

/** The app's own operations, documented whatever modules a system mounts. */
const APP_PATHS = ['/health', '/problems', '/problems/:slug'];
/**
 * The operations that never read or write the store, so never answer 503 (finishDocument gives
 * every other one its 503): the app's own, liveness and the problem catalogue built from code.
 */
const STORELESS_OPERATIONS = ['getHealth', 'listProblemTypes', 'getProblemType'];

/**
 * GET /problems and GET /problems/{slug}: the catalogue of problem types, where a problem's
 * `type` URI leads when the deployment's `/problems/` is its base (RFC 9457 3.1.1; root
 * README "HTTP conventions"). Public, no database; the catalogue (every module's declarations) is
 * loaded on the first request for it. JSON, or a page when the browser ranks text/html first.
 */
function mountProblemCatalog(app: Hono<AppEnv>): void {
  let loaded: Promise<{ types: DescribedProblemType[]; catalog: typeof import('./problem-catalog') }> | undefined;
  const catalog = () => (loaded ??= import('./problem-catalog').then((catalog) => ({ types: catalog.problemTypes(), catalog })));
  const answer = (c: Context<AppEnv>, json: object, html: () => string) => {
    c.header('Vary', 'Accept');
    c.header('Cache-Control', 'public, max-age=300');
    if (!prefersHtml(c.req.header('accept'))) return c.json(json, 200);
    // A page of text and links: no script, no outside asset, inline styles only, never framed (as the report's page).
    c.header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'");
    return c.html(html(), 200);
  };
  app.get('/problems', async (c) => {
    const { types, catalog: { problemIndexPage, problemTypeView } } = await catalog();
    return answer(c, { items: types.map(problemTypeView) }, () => problemIndexPage(types));
  });
  app.get('/problems/:slug', async (c) => {
    const { types, catalog: { problemTypePage, problemTypeView } } = await catalog();
    const slug = c.req.param('slug');
    const type = types.find((t) => t.slug === slug);
    // The slug is echoed only when it could be one (no arbitrary text in the answer).
    const named = /^[a-z0-9-]{1,60}$/.test(slug) ? ` is called "${slug}"` : ' has this slug';
    if (!type) throw problems.notFound(`No problem type${named}; GET /problems lists them.`);
    return answer(c, problemTypeView(type), () => problemTypePage(type));
  });
}

export type App = ReturnType<typeof createApp>;
