import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fixedClock } from '@budgeting/platform';
import openapiTS, { astToString } from 'openapi-typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { responseValidator, type Exchange } from '../support/response-validator';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * The contract as a generated client meets it (issue 13, item 6):
 * 1. openapi-typescript generates types from the document the app serves;
 * 2. the scenario (client-scenario.ts), written against them with openapi-fetch, compiles
 *    under `tsc --strict` with no cast, and calls every operation of the document;
 * 3. the scenario runs against the app, and every response is checked against the document
 *    (status, media type, body schema, our headers): zero violations.
 */
const here = import.meta.dirname;
const root = join(here, '../..');
const clock = fixedClock('2026-10-05T09:00:00Z');
let t: TestSystem;
let document: any;
/** tsc's output on the scenario and the generated types ('' when it compiles), started by beforeAll. */
let compiled: Promise<string>;

beforeAll(async () => {
  // Pushes (and device registration) go to files, as under npm start; no SNS in this run.
  // Webhook deliveries (the scenario's ping) are answered in-process: no request leaves the machine.
  t = await createTestSystem({
    clock,
    env: { PUSH_DIR: mkdtempSync(join(tmpdir(), 'contract-push-')) },
    webhooks: { post: async () => ({ status: 204, latencyMs: 0, error: null }) },
  });
  const res = await t.app.request('/v1/openapi.json');
  expect(res.status).toBe(200);
  document = await res.json();
  mkdirSync(join(here, '.generated'), { recursive: true });
  writeFileSync(join(here, '.generated/api.ts'), astToString(await openapiTS(document)));
  // tsc (TypeScript 7, native: a few seconds where TypeScript 5 took about 15) runs in its own
  // process while the scenario runs against the app; its answer is checked last.
  compiled = tscOutput();
});

function tscOutput(): Promise<string> {
  const tsc = join(root, 'node_modules/typescript7/bin/tsc');
  return new Promise((resolve) =>
    execFile(process.execPath, [tsc, '-p', join(here, 'tsconfig.client.json')], { encoding: 'utf8' }, (err, stdout, stderr) => resolve(err ? `${stdout}${stderr}` || String(err) : '')),
  );
}
afterAll(() => t?.destroy());

const operations = () =>
  Object.entries(document.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.keys(item)
      .filter((m) => ['get', 'put', 'post', 'patch', 'delete'].includes(m))
      .map((m) => `${m.toUpperCase()} ${path}`),
  );

describe('the generated TypeScript client', () => {
  it('is used without casts, any or non-null assertions, and the scenario calls every operation', () => {
    const source = readFileSync(join(here, 'client-scenario.ts'), 'utf8').replace(/\/\*[\s\S]*?\*\/|^\s*\/\/.*$/gm, '');
    expect(source).not.toMatch(/\bas\s+(?!const\b)[A-Za-z{[(]|<[A-Z]\w*>\s*[a-z]|\bany\b|[\w)\]]!\./);
    const called = [...source.matchAll(/\b(?:api|pages)\.(GET|POST|PATCH|PUT|DELETE)\('([^']+)'/g)].map(([, m, p]) => `${m} ${p}`);
    const missing = operations().filter((op) => !called.includes(op));
    expect(missing, 'operations of the document that tests/contract/client-scenario.ts never calls (api.GET(...) etc.): add a call to each').toEqual([]);
    expect(operations().length).toBeGreaterThanOrEqual(33);
  });

  it('runs against the app, and every response conforms to the document', async () => {
    // Imported by path, so the repository's own type-check does not follow it into the
    // generated types (they exist only after beforeAll; tsconfig.client.json checks them).
    const scenario = join(here, 'client-scenario.ts');
    const { runScenario } = (await import(scenario)) as {
      runScenario(runtime: { fetch: (request: Request) => Promise<Response>; setClock: (iso: string) => void }): Promise<void>;
    };
    const exchanges: Exchange[] = [];
    await runScenario({
      setClock: (iso) => clock.set(iso),
      fetch: async (request) => {
        const res = await t.app.fetch(request);
        const body = await res.clone().text();
        exchanges.push({ method: request.method, url: request.url, status: res.status, headers: res.headers, body });
        return res;
      },
    });
    const validator = responseValidator(document);
    expect(exchanges.flatMap((x) => validator.violations(x))).toEqual([]);
    // Every operation was exercised for real, not only compiled.
    const exercised = new Set(exchanges.map((x) => validator.operationOf(x.method, x.url)).map((op) => op && `${op.method.toUpperCase()} ${op.path}`));
    expect(operations().filter((op) => !exercised.has(op))).toEqual([]);
  }, 120_000);

  it('compiles the scenario under tsc --strict', async () => {
    expect(await compiled).toBe('');
  }, 120_000);
});
