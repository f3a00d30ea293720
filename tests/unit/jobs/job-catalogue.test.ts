import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { JOB_CATALOGUE_COMMAND, liveJobCatalogue, renderJobCatalogue } from '../../../packages/app/src/local/job-catalogue/derive';

/**
 * `npm run job` lists and accepts the jobs and operations of a generated catalogue
 * (packages/app/src/local/job-catalogue/catalogue.ts), so that its usage and its refusal of an
 * unknown name need not import the app. A stale one would refuse a job the modules register
 * (or accept one they no longer do), so it fails here.
 */
describe('the job catalogue', () => {
  it('is up to date with the jobs and operations the modules register', () => {
    const committed = readFileSync(new URL('../../../packages/app/src/local/job-catalogue/catalogue.ts', import.meta.url), 'utf8');
    expect(committed === renderJobCatalogue(liveJobCatalogue()), `the job catalogue is out of date: run \`${JOB_CATALOGUE_COMMAND}\``).toBe(true);
  });

  it('holds the jobs the usage has always listed first, and the operations with their options', () => {
    const live = liveJobCatalogue();
    expect(live.jobs.join('|')).toContain('budget-reports|budgets-rekey-due-index|budgets-category-ids-backfill|recurring-expenses');
    expect(live.jobs).toContain('notifications-quiet-summary');
    expect(live.operations).toContainEqual({ name: 'users-mfa-reset', options: ['email', 'reason'] });
  });
});
