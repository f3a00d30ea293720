import { problems } from '@budgeting/platform';
import type { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';

interface PathMethods {
  /** The route's path split at `/`; a `:param` segment matches any one non-empty segment. */
  segments: string[];
  /** Path parameters in the route's path: the fewer, the more specific the route. */
  params: number;
  methods: Set<string>;
}

/**
 * 405 + Allow for a method the request's path does not have, BEFORE any route runs. The path
 * is judged by its most specific route only: `/expenses/import` is a route of its own (POST),
 * so `GET .../expenses/import` is a 405 listing POST, not a lookup of an expense called
 * "import" through `/expenses/{expenseId}`, and `POST .../expenses/export` lists GET only,
 * not the methods of `/expenses/{expenseId}` too. (Hono's methodNotAllowed middleware merges
 * every matching route and only looks at 404 answers, which is how both went wrong.)
 */
export function methodNotAllowed(app: Pick<Hono, 'routes'>) {
  let bySegments: Map<number, PathMethods[]> | undefined;
  return createMiddleware(async (c, next) => {
    bySegments ??= groupBySegments(collect(app));
    // A route matches only paths of its own number of segments (a parameter is one segment, no
    // route has a wildcard): only those routes are tried, not every route's.
    const allowed = allowedMethods(bySegments.get(segmentCount(c.req.path)) ?? [], c.req.path);
    if (allowed && !allowed.has(c.req.method)) throw problems.methodNotAllowed([...allowed]);
    await next();
  });
}

/** The methods of the most specific routes matching `path`; undefined when no route does. */
function allowedMethods(paths: PathMethods[], path: string): Set<string> | undefined {
  const segments = path.split('/');
  const matching = paths.filter((p) => p.segments.every((s, i) => (s.startsWith(':') ? segments[i] !== '' : s === segments[i])));
  if (matching.length === 0) return undefined;
  const fewest = Math.min(...matching.map((p) => p.params));
  return new Set(matching.filter((p) => p.params === fewest).flatMap((p) => [...p.methods]));
}

function segmentCount(path: string): number {
  let count = 1;
  for (let i = path.indexOf('/'); i !== -1; i = path.indexOf('/', i + 1)) count++;
  return count;
}

function groupBySegments(paths: (PathMethods & { path: string })[]): Map<number, PathMethods[]> {
  const groups = new Map<number, PathMethods[]>();
  for (const p of paths) {
    const n = segmentCount(p.path);
    groups.set(n, [...(groups.get(n) ?? []), p]);
  }
  return groups;
}

function collect(app: Pick<Hono, 'routes'>): (PathMethods & { path: string })[] {
  const byPath = new Map<string, Set<string>>();
  for (const route of app.routes) {
    // Middleware is registered as ALL (or on wildcard paths); only real routes say what a path allows.
    if (route.method === 'ALL' || route.path.includes('*')) continue;
    const methods = byPath.get(route.path) ?? new Set<string>();
    methods.add(route.method);
    if (route.method === 'GET') methods.add('HEAD');
    // CORS preflights are answered by the cors middleware before this one.
    methods.add('OPTIONS');
    byPath.set(route.path, methods);
  }
  // Compared segment by segment, not through one RegExp per path: a cold start's first request
  // would compile a hundred of them (about 0.5 ms of CPU, issue 11).
  return [...byPath].map(([path, methods]) => {
    const segments = path.split('/');
    const params = segments.filter((s) => s.startsWith(':')).length;
    return { path, segments, params, methods };
  });
}
