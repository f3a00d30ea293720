/**
 * Writes the two files the HTTP app is built from without building any route at start-up:
 * packages/app/src/http/openapi.generated.json (the OpenAPI document, before the per-request
 * touches of platform's finishDocument) and packages/app/src/http/routes.generated.ts (each
 * module's routes, method and path, in registration order: the placeholders createApp mounts).
 * Both come from the modules' real routers, mounted as the app once mounted them.
 *   npm run openapi:generate   (npx tsx packages/app/scripts/openapi-document.ts)
 *   npm run openapi:check      exit 1 if either file is out of date (also a test: tests/contract/generated-document.test.ts)
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOrCheck } from './generated-file';
import { renderHttpDescription } from '../src/http/generated-description';

const dir = join(dirname(fileURLToPath(import.meta.url)), '../src/http');
const { document, manifest } = await renderHttpDescription();

for (const [file, text] of [
  [join(dir, 'openapi.generated.json'), document],
  [join(dir, 'routes.generated.ts'), manifest],
] as const) {
  writeOrCheck(file, text, {
    stale: `${file} is out of date with the modules' routes: run \`npm run openapi:generate\``,
    upToDate: `${file} is up to date`,
  });
}
