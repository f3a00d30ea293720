import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderHttpDescription } from '../../packages/app/src/http/generated-description';
import { MODULE_ROUTES } from '../../packages/app/src/http/routes.generated';

/**
 * The app serves a generated OpenAPI document and mounts its routes from a generated manifest
 * (issue 11: no schema or registry is built at start-up). Both must be what the modules'
 * routers describe today, or clients would read a stale contract and a new route would 404.
 */
const committed = (name: string) => readFileSync(new URL(`../../packages/app/src/http/${name}`, import.meta.url), 'utf8');

describe('the generated HTTP description', () => {
  it('is up to date with the modules\' routers (npm run openapi:generate)', async () => {
    const fresh = await renderHttpDescription();
    expect(committed('openapi.generated.json') === fresh.document, 'openapi.generated.json is stale: run `npm run openapi:generate`').toBe(true);
    expect(committed('routes.generated.ts') === fresh.manifest, 'routes.generated.ts is stale: run `npm run openapi:generate`').toBe(true);
  });

  it('lists every documented operation as a route of the manifest, and nothing else', () => {
    const doc = JSON.parse(committed('openapi.generated.json')) as { paths: Record<string, Record<string, unknown>> };
    const documented = Object.entries(doc.paths)
      .flatMap(([path, item]) => Object.keys(item).map((m) => `${m.toUpperCase()} ${path.replace(/\{(\w+)\}/g, ':$1')}`))
      // The app's own operations (create-app.ts), not a module's.
      .filter((r) => !['GET /health', 'GET /problems', 'GET /problems/:slug'].includes(r))
      .sort();
    const mounted = Object.values(MODULE_ROUTES)
      .flat()
      .filter(([method]) => method !== 'ALL')
      .map(([method, path]) => `${method} ${path}`)
      .sort();
    expect(mounted).toEqual(documented);
    expect(mounted).toContain('GET /v1/budgets/:budgetId/summary');
  });
});
