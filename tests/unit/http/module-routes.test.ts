import { type AppEnv, type ModuleRuntime } from '@budgeting/platform';
import { createRouter } from '@budgeting/platform/routes';
import { createRoute, z } from '@hono/zod-openapi';
import { Hono } from 'hono';
import { createMiddleware } from 'hono/factory';
import { describe, expect, it } from 'vitest';
import { manifestOf, mountModuleRoutes, onlyOperations } from '../../../packages/app/src/http/module-routes';

/**
 * The placeholders createApp mounts for each module's routes (packages/app/src/http/module-routes.ts):
 * no router is built before a request reaches its module, and a route then behaves as if its
 * router were mounted (same params, validation, middleware order, error handling).
 */
const itemRoute = createRoute({
  method: 'get',
  path: '/v1/things/{thingId}',
  request: { params: z.object({ thingId: z.string().max(5) }) },
  responses: { 200: { description: 'ok' } },
});

/** Like requireAuth: code after next() replaces whatever the route answered. */
const overruling = createMiddleware<AppEnv>(async (c, next) => {
  await next();
  if (c.req.header('x-overrule')) c.res = c.json({ overruled: true, was: c.res.status }, 401);
});

function moduleWith(builds: { count: number }): ModuleRuntime {
  return {
    name: 'things',
    routes: async () => {
      builds.count++;
      const router = createRouter();
      router.openapi({ ...itemRoute, middleware: [overruling] }, (c) => c.json({ id: c.req.valid('param').thingId }, 200));
      router.post('/v1/things', (c) => c.json({ created: true }, 201));
      return router;
    },
  };
}

function appWith(module: ModuleRuntime, manifest: Record<string, [string, string][]>) {
  const app = new Hono<AppEnv>();
  mountModuleRoutes(app, [module], manifest, (err, c) => c.json({ error: err.message }, 400));
  app.notFound((c) => c.json({ notFound: true }, 404));
  app.onError((err, c) => c.json({ error: err.message }, 500));
  return app;
}

const manifest = { things: [['GET', '/v1/things/:thingId'], ['POST', '/v1/things']] as [string, string][] };

describe('module routes mounted from the manifest', () => {
  it('records a router\'s routes in registration order', async () => {
    expect(manifestOf(await moduleWith({ count: 0 }).routes!())).toEqual(manifest.things);
  });

  it('builds a module\'s router only when a request reaches it, and once', async () => {
    const builds = { count: 0 };
    const app = appWith(moduleWith(builds), manifest);
    expect(builds.count).toBe(0);
    expect((await app.request('/v1/elsewhere')).status).toBe(404);
    expect(builds.count).toBe(0);
    const res = await app.request('/v1/things/abc');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ id: 'abc' });
    expect((await app.request('/v1/things', { method: 'POST' })).status).toBe(201);
    expect(builds.count).toBe(1);
  });

  it('answers a thrown error at its step, so the middleware around it still has the last word', async () => {
    const app = appWith(moduleWith({ count: 0 }), manifest);
    const invalid = await app.request('/v1/things/toolong');
    expect(invalid.status).toBe(400);
    const overruled = await app.request('/v1/things/toolong', { headers: { 'x-overrule': '1' } });
    expect(overruled.status).toBe(401);
    expect(await overruled.json()).toEqual({ overruled: true, was: 400 });
  });

  it('refuses to run a router whose routes are not the manifest\'s', async () => {
    const app = appWith(moduleWith({ count: 0 }), { things: [['GET', '/v1/things/:thingId']] });
    const res = await app.request('/v1/things/abc');
    expect(res.status).toBe(500);
    expect(((await res.json()) as { error: string }).error).toMatch(/route manifest of module things is out of date/);
  });

  it('answers what a route\'s shortcut accepts without building the router, and the rest through the router', async () => {
    const builds = { count: 0 };
    const module: ModuleRuntime = {
      ...moduleWith(builds),
      shortcuts: {
        'GET /v1/things/:thingId': {
          accepts: (c) => c.req.param('thingId') === 'short',
          handlers: [overruling, async (c) => c.json({ shortcut: c.req.param('thingId') }, 200)],
        },
      },
    };
    const app = appWith(module, manifest);
    const short = await app.request('/v1/things/short');
    expect(await short.json()).toEqual({ shortcut: 'short' });
    expect((await app.request('/v1/things/short', { headers: { 'x-overrule': '1' } })).status).toBe(401);
    expect(builds.count).toBe(0);
    expect(await (await app.request('/v1/things/abc')).json()).toEqual({ id: 'abc' });
    expect((await app.request('/v1/things/toolong')).status).toBe(400);
    expect(builds.count).toBe(1);
  });

  it('keeps only the chosen operations of a document', () => {
    const doc = { openapi: '3.1.0', paths: { '/v1/things/{thingId}': { get: {}, parameters: [] }, '/v1/other': { post: {} } } };
    expect(onlyOperations(doc, (method, path) => `${method} ${path}` === 'GET /v1/things/:thingId').paths).toEqual({
      '/v1/things/{thingId}': { get: {}, parameters: [] },
    });
  });
});
