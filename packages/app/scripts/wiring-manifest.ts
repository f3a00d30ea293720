/**
 * Writes packages/app/src/wiring/manifest.ts (the bus rules and schedules infra/ deploys) from
 * the subscriptions and scheduled jobs the modules register.
 *   npx tsx packages/app/scripts/wiring-manifest.ts          regenerate
 *   npx tsx packages/app/scripts/wiring-manifest.ts --check  exit 1 if the file is out of date
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOrCheck } from './generated-file';
import { MANIFEST_COMMAND, renderManifest } from '../src/wiring/derive';
import { registeredWiring } from '../src/wiring/registered';

const file = join(dirname(fileURLToPath(import.meta.url)), '../src/wiring/manifest.ts');
const text = renderManifest(registeredWiring());

writeOrCheck(file, text, {
  stale: `${file} is out of date: run \`${MANIFEST_COMMAND}\``,
  upToDate: 'the wiring manifest is up to date',
});
