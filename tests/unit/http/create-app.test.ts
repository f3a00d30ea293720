import { createLogger, type ModuleRuntime } from '@budgeting/platform';
import { Hono } from 'hono';
import { describe, expect, it } from 'vitest';
import { createApp } from '../../../packages/app/src/http/create-app';
import { MODULE_ROUTES } from '../../../packages/app/src/http/routes.generated';

/**
 * createApp hands Hono a TrieRouter instead of its default SmartRouter: the SmartRouter would try
 * its RegExpRouter on the first request, find it refuses the app's routes, and use a TrieRouter
 * from then on. Same matching, without paying the failed attempt at every cold start (issue 11).
 */
const modules: ModuleRuntime[] = Object.keys(MODULE_ROUTES).map((name) => ({
  name,
  routes: async () => {
    throw new Error('no router is built here');
  },
}));

describe('the app router', () => {
  it("is the router Hono's default would settle on for the manifest's routes", async () => {
    const byDefault = new Hono();
    for (const rows of Object.values(MODULE_ROUTES)) for (const [method, path] of rows) byDefault.on(method, path, (c) => c.text(path));
    await byDefault.request('/health');
    expect(byDefault.router.name).toBe('SmartRouter + TrieRouter');

    const app = createApp({ logger: createLogger('SILENT'), modules, corsOrigins: [] });
    expect(app.router.name).toBe('TrieRouter');
    expect((await app.request('/health')).status).toBe(200);
    expect(app.router.name).toBe('TrieRouter');
  });
});
