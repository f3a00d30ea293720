// The docs page's script for the Lambda bundle (node_modules is not shipped): the exact
// @scalar/api-reference version in the lockfile, from jsDelivr's npm mirror, with a
// Subresource Integrity hash of the very file in node_modules. A browser refuses any other
// bytes, so the page never runs an unpinned or altered script.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

export function cdnDocsScript() {
  const root = join(dirname(require.resolve('@scalar/api-reference')), '..');
  const { name, version } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
  const path = 'dist/browser/standalone.js';
  const integrity = `sha384-${createHash('sha384').update(readFileSync(join(root, path))).digest('base64')}`;
  return { kind: 'cdn', src: `https://cdn.jsdelivr.net/npm/${name}@${version}/${path}`, integrity };
}
