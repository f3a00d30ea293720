/**
 * Writes packages/app/src/wiring/manifest.ts (the bus rules and schedules infra/ deploys) from
 * the subscriptions and scheduled jobs the modules register.
 *   npx tsx packages/app/scripts/wiring-manifest.ts          regenerate
 *   npx tsx packages/app/scripts/wiring-manifest.ts --check  exit 1 if the file is out of date
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MANIFEST_COMMAND, renderManifest } from '../src/wiring/derive';
import { registeredWiring } from '../src/wiring/registered';

const file = join(dirname(fileURLToPath(import.meta.url)), '../src/wiring/manifest.ts');
const text = renderManifest(registeredWiring());

if (process.argv.includes('--check')) {
  let current = '';
  try {
    current = readFileSync(file, 'utf8');
  } catch {
    // missing counts as out of date
  }
  if (current !== text) {
    console.error(`${file} is out of date: run \`${MANIFEST_COMMAND}\``);
    process.exit(1);
  }
  console.log('the wiring manifest is up to date');
} else {
  writeFileSync(file, text);
  console.log(`wrote ${file}`);
}
