import { existsSync } from 'node:fs';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser } from 'playwright-core';
import type { App } from '../../packages/app/src/http/create-app';

/**
 * Headless Chromium for the browser tests: the machine's own Chromium (Debian's `chromium`,
 * which .ci/run installs; CHROMIUM_PATH points elsewhere), driven by playwright-core, which
 * never downloads a browser. Flags: no sandbox (CI runs as root), and none of Chromium's own
 * background traffic, so every request a page makes is one the page asked for. launch() gives
 * each browser a fresh temporary profile (its --user-data-dir) and removes it on close.
 */
export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`No Chromium at ${CHROMIUM}: install it (Debian/Ubuntu: apt-get install -y chromium) or set CHROMIUM_PATH.`);
  }
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  return browser;
}

/** Serves an app over real HTTP on a free port of 127.0.0.1 (the browser needs a socket). */
export async function serveOnLocalhost(app: App): Promise<{ origin: string; close(): Promise<void> }> {
  let server: ServerType | undefined;
  const port = await new Promise<number>((resolve) => {
    server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => resolve(info.port));
  });
  return {
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve) => server!.close(() => resolve())),
  };
}
