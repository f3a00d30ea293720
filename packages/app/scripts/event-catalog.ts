/**
 * Writes docs/events.md from the modules' event contracts and the subscription table.
 *   npx tsx packages/app/scripts/event-catalog.ts          regenerate
 *   npx tsx packages/app/scripts/event-catalog.ts --check  exit 1 if the file is out of date
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOrCheck } from './generated-file';
import { CATALOG_COMMAND, renderEventCatalog } from '../src/events/catalog';
import { moduleContracts } from '../src/events/module-contracts';
import { SUBSCRIPTIONS } from '../src/wiring/manifest';

const file = join(dirname(fileURLToPath(import.meta.url)), '../../../docs/events.md');
const text = renderEventCatalog(await moduleContracts(), SUBSCRIPTIONS);

writeOrCheck(file, text, {
  stale: `docs/events.md is out of date: run \`${CATALOG_COMMAND}\``,
  upToDate: 'docs/events.md is up to date',
});
