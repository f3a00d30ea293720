import type { AppEnv } from '@budgeting/platform';
import type { Hono } from 'hono';

/**
 * Where the docs page (/docs, Scalar's API reference) takes its one script from. Never an
 * unpinned CDN URL: either the app serves the file itself from the pinned `@scalar/api-reference`
 * dependency (`npm start`, tests: works offline), or (Lambda, where node_modules is not shipped)
 * the same version from a CDN with a Subresource Integrity hash of those very bytes, computed by
 * the build from node_modules (packages/app/scripts/docs-script.mjs), so the browser refuses any
 * other file.
 */
export type DocsScript =
  | { kind: 'served'; version: string; read: () => Promise<string> }
  | { kind: 'cdn'; src: string; integrity: string };

const OPENAPI_URL = '/v1/openapi.json';

export function mountDocs(app: Hono<AppEnv>, script: DocsScript): void {
  const src = script.kind === 'served' ? `/docs/scalar-${script.version}.js` : script.src;
  const attributes = script.kind === 'cdn' ? ` integrity="${script.integrity}" crossorigin="anonymous"` : '';
  // withDefaultFonts: false keeps the page from fetching web fonts from Scalar's font CDN.
  const config = JSON.stringify({ url: OPENAPI_URL, withDefaultFonts: false, hideClientButton: true, telemetry: false, defaultOpenAllTags: true });
  const page =
    '<!doctype html><html lang="en"><head><meta charset="utf-8">' +
    '<meta name="viewport" content="width=device-width, initial-scale=1"><title>Budgeting API</title>' +
    // No favicon: without this link the browser asks for /favicon.ico and logs the 404.
    '<link rel="icon" href="data:,"></head>' +
    `<body><div id="app"></div><script src="${src}"${attributes}></script>` +
    `<script>Scalar.createApiReference('#app', ${config})</script></body></html>`;
  app.get('/docs', (c) => c.html(page));

  if (script.kind === 'served') {
    let body: Promise<string> | undefined;
    app.get(src, async (c) => {
      body ??= script.read();
      // The file name carries the version, so it may be cached for good.
      return c.body(await body, 200, {
        'content-type': 'text/javascript; charset=utf-8',
        'cache-control': 'public, max-age=31536000, immutable',
      });
    });
  }
}
