import { loadOnce, type AppEnv, type ModuleRuntime, type Router } from '@budgeting/platform';
import type { Context, ErrorHandler, Hono, MiddlewareHandler, Next } from 'hono';

/** Each module's routes as `[METHOD, Hono path]`, in the order its router registers them (routes.generated.ts). */
export type RouteManifest = Record<string, readonly (readonly [string, string])[]>;

type Handler = (c: Context<AppEnv>, next: Next) => unknown;

/**
 * Mounts every module's routes on the ONE app without building them: for each route of the
 * manifest (generated from the modules' routers, checked by `npm run openapi:check`), in the
 * modules' order and each router's own order, one placeholder on the same method and path. So
 * Hono matches exactly as if the routers were mounted (same paths, same order, same params)
 * and the 405 middleware sees the same `app.routes`. When a request first reaches one of a
 * module's placeholders, the module's router is built (its `routes/` chunk imported, its zod
 * schemas constructed) and the route's own handlers (middleware, validators, handler) run in
 * the placeholder's place with the same context; the router is then kept for the container's
 * life. A module's shortcut for a route (ModuleRuntime.shortcuts) answers the requests it
 * accepts without the router; the rest still reach the router.
 */
export function mountModuleRoutes(app: Hono<AppEnv>, modules: ModuleRuntime[], manifest: RouteManifest, onError: ErrorHandler<AppEnv>): void {
  for (const module of modules) {
    if (!module.routes) continue;
    // A module the manifest does not know yet (a new module before `npm run openapi:generate`)
    // gets no routes; the generated files' up-to-date test fails until they are regenerated.
    const routes = manifest[module.name] ?? [];
    const load = loadOnce(async () => handlersByRoute(module.name, await module.routes!(), routes));
    for (const [method, path] of routes) {
      const key = `${method} ${path}`;
      const shortcut = module.shortcuts?.[key];
      const placeholder: MiddlewareHandler<AppEnv> = async (c, next) => {
        const handlers = shortcut?.accepts(c) ? (shortcut.handlers as Handler[]) : (await load()).get(key)!;
        await runHandlers(handlers, c, next, onError);
        return c.finalized ? c.res : undefined;
      };
      app.on(method, path, placeholder);
    }
  }
}

/** The router's handlers per route; refuses a router whose routes are not the manifest's. */
function handlersByRoute(module: string, router: Router, manifest: RouteManifest[string]): Map<string, Handler[]> {
  const byRoute = new Map<string, Handler[]>();
  for (const route of router.routes) {
    const key = `${route.method} ${route.path}`;
    byRoute.set(key, [...(byRoute.get(key) ?? []), route.handler as Handler]);
  }
  const expected = manifest.map(([method, path]) => `${method} ${path}`);
  if (expected.join('\n') !== [...byRoute.keys()].join('\n')) {
    throw new Error(`the route manifest of module ${module} is out of date: run \`npm run openapi:generate\``);
  }
  return byRoute;
}

/** The ordered routes of a router, as the manifest records them. */
export function manifestOf(router: Router): [string, string][] {
  const seen = new Map<string, [string, string]>();
  for (const route of router.routes) seen.set(`${route.method} ${route.path}`, [route.method, route.path]);
  return [...seen.values()];
}

/**
 * Runs one route's handlers exactly as Hono's compose runs a mounted route's (hono/dist/compose.js):
 * an error a handler throws becomes the app's error answer AT THAT STEP, so the middleware
 * around it still runs its code after `next()` (requireAuth turns a deleted account's request
 * into a 401 whatever the route answered, even a 400 the validator threw); a handler's returned
 * Response becomes `c.res` unless the context is already finalized (or it is an error answer);
 * after the last handler, the app's `next`. `c.req.routeIndex` stays the placeholder's, whose
 * path and parameters are the route's own.
 */
async function runHandlers(handlers: Handler[], c: Context<AppEnv>, next: Next, onError: ErrorHandler<AppEnv>): Promise<void> {
  let index = -1;
  const dispatch = async (i: number): Promise<void> => {
    if (i <= index) throw new Error('next() called multiple times');
    index = i;
    const handler: Handler | undefined = handlers[i] ?? (i === handlers.length ? () => next() : undefined);
    if (!handler) return;
    let res: unknown;
    let isError = false;
    try {
      res = await handler(c, () => dispatch(i + 1));
    } catch (err) {
      if (!(err instanceof Error)) throw err;
      c.error = err;
      res = await onError(err, c);
      isError = true;
    }
    if (res instanceof Response && (!c.finalized || isError)) c.res = res;
  };
  await dispatch(0);
}


/**
 * The document with only the operations `keep(METHOD, Hono path)` accepts (`{param}` paths
 * compared as Hono's `:param`); paths left without operations are dropped.
 */
export function onlyOperations<D extends { paths?: object }>(document: D, keep: (method: string, path: string) => boolean): D {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [path, item] of Object.entries(document.paths ?? {}) as [string, Record<string, unknown>][]) {
    const honoPath = path.replace(/\{(\w+)\}/g, ':$1');
    const kept = Object.fromEntries(Object.entries(item).filter(([method]) => !OPERATIONS.has(method) || keep(method.toUpperCase(), honoPath)));
    if (Object.keys(kept).some((k) => OPERATIONS.has(k))) paths[path] = kept;
  }
  return { ...document, paths };
}

const OPERATIONS = new Set(['get', 'put', 'post', 'patch', 'delete', 'head', 'options', 'trace']);
