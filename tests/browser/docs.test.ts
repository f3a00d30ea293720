import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchChromium, serveOnLocalhost } from '../support/browser';
import { call } from '../support/http';
import { createTestSystem, type TestSystem } from '../support/test-system';

/**
 * /docs as a person opens it under `npm start`: served over HTTP on 127.0.0.1, rendered by
 * headless Chromium. Scalar's script must come from the app itself (the pinned dependency),
 * so the page works offline: no request may leave the local origin, and nothing may be logged
 * as an error.
 */
let t: TestSystem;
let server: Awaited<ReturnType<typeof serveOnLocalhost>>;
let browser: Awaited<ReturnType<typeof launchChromium>>;

beforeAll(async () => {
  t = await createTestSystem();
  server = await serveOnLocalhost(t.app);
  browser = await launchChromium();
}, 60_000);
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await t?.destroy();
});

describe('the docs page', () => {
  it('lists the operations from the local pinned script, with no outside request and no console error', async () => {
    const document = (await call(t.app, 'GET', '/v1/openapi.json')).json;
    const summaries: string[] = Object.values(document.paths as Record<string, Record<string, { summary?: string }>>)
      .flatMap((item) => Object.values(item))
      .map((op) => op.summary)
      .filter((s): s is string => Boolean(s));
    expect(summaries.length).toBeGreaterThan(20);

    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const requests: string[] = [];
    const errors: string[] = [];
    page.on('request', (r) => requests.push(r.url()));
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    page.on('pageerror', (e) => errors.push(e.message));
    page.on('response', (r) => r.status() >= 400 && errors.push(`${r.status()} ${r.url()}`));

    const res = await page.goto(`${server.origin}/docs`, { waitUntil: 'networkidle' });
    expect(res?.status()).toBe(200);
    await page.getByText(summaries[0]!, { exact: true }).first().waitFor({ timeout: 20_000 });
    const text = (await page.locator('body').textContent()) ?? '';
    const missing = summaries.filter((s) => !text.includes(s));
    expect(missing).toEqual([]);

    const outside = requests.filter((url) => !url.startsWith(server.origin) && !url.startsWith('data:') && !url.startsWith('blob:'));
    expect(outside).toEqual([]);
    expect(requests).toContain(`${server.origin}/v1/openapi.json`);
    expect(requests.some((url) => /\/docs\/scalar-\d+\.\d+\.\d+\.js$/.test(url))).toBe(true);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);
});
