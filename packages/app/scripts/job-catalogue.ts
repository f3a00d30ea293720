/**
 * Writes packages/app/src/local/job-catalogue/catalogue.ts (the jobs and operations `npm run job`
 * lists and accepts) from what the modules register.
 *   npx tsx packages/app/scripts/job-catalogue.ts          regenerate
 *   npx tsx packages/app/scripts/job-catalogue.ts --check  exit 1 if the file is out of date
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeOrCheck } from './generated-file';
import { JOB_CATALOGUE_COMMAND, liveJobCatalogue, renderJobCatalogue } from '../src/local/job-catalogue/derive';

const file = join(dirname(fileURLToPath(import.meta.url)), '../src/local/job-catalogue/catalogue.ts');

writeOrCheck(file, renderJobCatalogue(liveJobCatalogue()), {
  stale: `${file} is out of date: run \`${JOB_CATALOGUE_COMMAND}\``,
  upToDate: 'the job catalogue is up to date',
});
