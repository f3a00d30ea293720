import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { DocsScript } from '../http/docs-page';

const require = createRequire(import.meta.url);

/** The pinned `@scalar/api-reference` standalone bundle in node_modules (version, path). */
export function scalarStandalone(): { version: string; file: string } {
  const main = require.resolve('@scalar/api-reference'); // .../dist/index.js (package.json is not exported)
  const root = join(dirname(main), '..');
  const { version } = JSON.parse(require('node:fs').readFileSync(join(root, 'package.json'), 'utf8')) as { version: string };
  return { version, file: join(root, 'dist/browser/standalone.js') };
}

/** The docs script served by the app itself (npm start, tests): no network needed. */
export function servedDocsScript(): DocsScript {
  const { version, file } = scalarStandalone();
  return { kind: 'served', version, read: () => readFile(file, 'utf8') };
}
