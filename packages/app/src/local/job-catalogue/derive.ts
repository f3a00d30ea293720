import { openCliSystem } from '../cli-system';

/** What `npm run job` can run: every plannable job, and every operator operation with its options' names. */
export interface JobCatalogue {
  jobs: string[];
  operations: { name: string; options: string[] }[];
}

export const JOB_CATALOGUE_COMMAND = 'npx tsx packages/app/scripts/job-catalogue.ts';

/**
 * Every job and operation with its options, read from a system whose endpoint is never
 * contacted (nothing runs), built from none of the operator's variables (which jobs exist does
 * not depend on them). The generator writes it to catalogue.ts, which the CLI reads instead:
 * building it imports the whole app (about 1 s of CPU), which the CLI's usage and refusals of
 * an unknown name need not.
 */
export function liveJobCatalogue(): JobCatalogue {
  const { system } = openCliSystem({
    DYNAMODB_ENDPOINT: 'http://127.0.0.1:9',
    // Fixed, so that not even the dev key file under DATA_DIR is read: nothing is signed.
    TOKEN_SIGNING_KEY: 'catalogue-only-never-signs-anything-0000000000',
    LOG_LEVEL: 'SILENT',
  });
  const known = { jobs: system.jobs.plannable(), operations: system.operations.map((o) => ({ name: o.name, options: Object.keys(o.options) })) };
  system.doc.destroy();
  return known;
}

export function renderJobCatalogue(catalogue: JobCatalogue): string {
  return [
    '// Generated from the jobs and operator operations the modules register: do not edit.',
    `// Regenerate with \`${JOB_CATALOGUE_COMMAND}\`; tests/unit/jobs/job-catalogue.test.ts fails when it is stale.`,
    "import type { JobCatalogue } from './derive';",
    '',
    `export const JOB_CATALOGUE: JobCatalogue = ${JSON.stringify(catalogue, null, 2)};`,
    '',
  ].join('\n');
}
