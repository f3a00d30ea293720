import { setAnswerHeader, type AppEnv } from '@budgeting/platform';
import { cors } from 'hono/cors';
import { createMiddleware } from 'hono/factory';

export interface CorsOptions {
  /** `['*']` for any origin, else the allowed origins. */
  origins: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge: number;
}

/**
 * CORS with hono/cors's answers, set at another moment. Preflights (OPTIONS) are hono/cors's
 * own. On other requests hono/cors sets Allow-Origin and Expose-Headers BEFORE the route runs,
 * which makes Hono create a placeholder Response; the route's answer then replaces it through
 * Context's `set res`, which copies the answer into a new Response built from its body stream
 * (the platform's http/answer-headers.ts says what that costs). Here the same headers, with the same values, are
 * set on the route's answer after it ran, errors included.
 */
export function corsMiddleware(options: CorsOptions) {
  const anyOrigin = options.origins.includes('*');
  const preflight = cors({
    origin: anyOrigin ? '*' : options.origins,
    allowHeaders: options.allowHeaders,
    exposeHeaders: options.exposeHeaders,
    maxAge: options.maxAge,
  });
  const exposed = options.exposeHeaders.join(',');
  return createMiddleware<AppEnv>(async (c, next) => {
    if (c.req.method === 'OPTIONS') return preflight(c, next);
    await next();
    const origin = c.req.header('origin') || '';
    const allowed = anyOrigin ? '*' : options.origins.includes(origin) ? origin : null;
    if (allowed) setAnswerHeader(c, 'Access-Control-Allow-Origin', allowed);
    if (exposed) setAnswerHeader(c, 'Access-Control-Expose-Headers', exposed);
    if (!anyOrigin) setAnswerHeader(c, 'Vary', 'Origin', { append: true });
  });
}
