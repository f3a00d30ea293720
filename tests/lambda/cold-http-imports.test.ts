import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLambda } from '../../packages/app/scripts/build.mjs';
import { chunksHolding, staticallyLoadedInputs } from './support/static-graph';

/**
 * Issue 11: a cold HTTP request evaluates the entry, the composition root (createSystem builds
 * every module) and the router of the module its route belongs to. Jobs, subscription work and
 * services no request of that module needs must stay out of that code: they are imported on
 * first use (platform lazyJob, loadOnce + import()). esbuild puts a file in the chunk of every
 * static importer, so one static import (or an index.ts re-export) pulls a file back in; this
 * test reads the built bundle's metafile (the same esbuild options as `npm run build`) and
 * names the file that came back.
 */
const repoRoot = join(import.meta.dirname, '../..');
let outdir: string;
let metafile: Metafile;

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), 'cold-http-imports-'));
  ({ metafile } = await buildLambda({ entryPoint: join(repoRoot, 'packages/app/src/lambda/handler.ts'), outdir }));
}, 120_000);
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/** The output files loaded with `roots`: the roots and what they import statically, transitively. */
function staticallyLoadedOutputs(roots: string[]): string[] {
  const seen = new Set<string>();
  const pending = [...roots];
  while (pending.length > 0) {
    const file = pending.pop()!;
    if (seen.has(file) || !metafile.outputs[file]) continue;
    seen.add(file);
    for (const imported of metafile.outputs[file].imports) if (imported.kind === 'import-statement') pending.push(imported.path);
  }
  return [...seen];
}

/** What every cold start evaluates once it builds the system: the entry and the composition root. */
const compositionRoot = () =>
  staticallyLoadedInputs(metafile, [...chunksHolding(metafile, 'packages/app/src/lambda/handler.ts'), ...chunksHolding(metafile, 'packages/app/src/system.ts')]);

/**
 * Heavy files no cold start needs before it knows what it serves: the jobs, subscription work
 * and route services of the modules a budget summary does not reach. (Budgets builds its
 * services, reports and jobs at start on purpose: the summary's router needs most of it, and
 * splitting the rest off cost more module loads than it saved;
 * bench/HISTORY.md#cold-start-jobs-subscribers-and-services-on-first-use-featlazyinit-2026-11-30.)
 */
const LOADED_ON_FIRST_USE = [
  'packages/expenses/src/service/csv-import.service.ts',
  // The import's reading and chunk writing, split off the service (2026-12-07): on first use with it.
  'packages/expenses/src/service/import-prepare.ts',
  'packages/expenses/src/service/import-file-layout.ts',
  'packages/expenses/src/service/import-read.ts',
  'packages/expenses/src/service/import-chunk.ts',
  'packages/expenses/src/service/import-batches.ts',
  'packages/expenses/src/service/imported-rows.ts',
  'packages/expenses/src/jobs/csv-import-job.ts',
  'packages/expenses/src/jobs/recurring-job.ts',
  'packages/expenses/src/repository/recurring.repository.ts',
  'packages/expenses/src/service/scheduled.service.ts',
  'packages/budgets/src/service/forecast.service.ts',
  'packages/budgets/src/service/balances.service.ts',
  'packages/budgets/src/domain/balances-math.ts',
  'packages/budgets/src/domain/forecast-math.ts',
  // Safe to spend (GET .../safe-to-spend): its service and math on first use, as the forecast's.
  'packages/budgets/src/service/safe-to-spend.service.ts',
  'packages/budgets/src/domain/safe-to-spend.ts',
  'packages/budgets/src/service/trends.service.ts',
  'packages/budgets/src/domain/trends-math.ts',
  // The year in review (GET .../year-review): its service and math on first use.
  'packages/budgets/src/service/year-review.service.ts',
  'packages/budgets/src/domain/year-review.ts',
  // Ready to assign (GET .../assignable): its service and math on first use.
  'packages/budgets/src/service/assignable.service.ts',
  'packages/budgets/src/domain/assignable.ts',
  // The texts' message catalog (de/fr/es words): only rendered reports and notifications load it.
  'packages/platform/src/locale-messages.ts',
  // Quick budget (GET .../limit-suggestions): its service and math on first use.
  'packages/budgets/src/service/limit-suggestions.service.ts',
  'packages/budgets/src/domain/limit-suggestions.ts',
  // The home overview (GET /v1/me/overview): its service and figures, and the unread count.
  'packages/budgets/src/service/overview.service.ts',
  'packages/budgets/src/domain/overview.ts',
  'packages/notifications/src/domain/unread.ts',
  // Invitations: their service, repository and mail job (node:crypto included) on first use.
  'packages/budgets/src/service/invitations.service.ts',
  'packages/budgets/src/repository/invitations.repository.ts',
  'packages/budgets/src/domain/invitation-token.ts',
  'packages/budgets/src/jobs/invitation-mail-job.ts',
  'packages/budgets/src/service/invitation-mail.ts',
  'packages/expenses/src/repository/import-jobs.repository.ts',
  'packages/expenses/src/repository/expenses.repository.ts',
  // Its item mapping and its reads, split off it (2026-12-07): on first use with it.
  'packages/expenses/src/repository/expense-item.ts',
  'packages/expenses/src/repository/expense-queries.repository.ts',
  'packages/expenses/src/repository/spending-reads.repository.ts',
  'packages/expenses/src/service/expenses.service.ts',
  // Its create path, patch application and write checks, split off it (2026-12-07): on first use with it.
  'packages/expenses/src/service/expense-create.ts',
  'packages/expenses/src/service/write-checks.ts',
  'packages/expenses/src/domain/expense-patch.ts',
  // The create path's new expense and its key's replay, split off it (2026-12-07): on first use with it.
  'packages/expenses/src/service/expense-draft.ts',
  'packages/expenses/src/service/expense-create-key.ts',
  'packages/expenses/src/domain/new-expense.ts',
  'packages/expenses/src/service/changes.service.ts',
  // Payee autocomplete (GET .../merchants): only with the expenses routes.
  'packages/expenses/src/service/merchants.service.ts',
  'packages/expenses/src/repository/merchant-window.ts',
  'packages/expenses/src/domain/merchant-suggestions.ts',
  // Spending breakdown (GET .../spending): only with the expenses routes.
  'packages/expenses/src/service/spending-breakdown.service.ts',
  'packages/expenses/src/domain/spending-breakdown.ts',
  // Income and the cash flow (.../income, .../cash-flow): only with the expenses routes (the
  // totals repository, on the cold path, reads the cash flow's Query but imports none of these).
  'packages/expenses/src/service/income.service.ts',
  'packages/expenses/src/repository/income.repository.ts',
  'packages/expenses/src/domain/cash-flow.ts',
  // Merchant rename (POST .../merchants/rename): its service, job and items only with the expenses routes or jobs.
  'packages/expenses/src/service/merchant-rename.service.ts',
  'packages/expenses/src/jobs/merchant-rename-job.ts',
  // The tag rename: the same job with the tag kind (rename-job.service.ts), its own service and items.
  'packages/expenses/src/service/rename-job.service.ts',
  'packages/expenses/src/service/tag-rename.service.ts',
  'packages/expenses/src/jobs/rename-job.ts',
  'packages/expenses/src/jobs/tag-rename-job.ts',
  // The import's and the rename's watchdogs (the shared platform job watchdog is in the platform's index).
  'packages/expenses/src/jobs/import-watchdog-job.ts',
  'packages/expenses/src/jobs/merchant-rename-watchdog-job.ts',
  'packages/expenses/src/jobs/rename-watchdog-job.ts',
  'packages/expenses/src/jobs/tag-rename-watchdog-job.ts',
  // The operator job that reseals stale TOTP seals: only when it runs.
  'packages/users/src/jobs/mfa-reseal-job.ts',
  'packages/users/src/repository/mfa-seals.ts',
  'packages/expenses/src/repository/merchant-renames.repository.ts',
  'packages/expenses/src/repository/renames.repository.ts',
  'packages/expenses/src/repository/tag-renames.repository.ts',
  'packages/expenses/src/domain/tag-rename.ts',
  'packages/expenses/src/domain/merchant-rename.ts',
  // Bill finder (GET .../recurring-expenses/suggestions): only with the expenses routes.
  'packages/expenses/src/service/recurring-suggestions.service.ts',
  'packages/expenses/src/domain/bill-detection.ts',
  // Rule suggestions (GET .../rules/suggestions): only with the expenses routes.
  'packages/expenses/src/service/rule-suggestions.service.ts',
  'packages/expenses/src/domain/rule-suggestions.ts',
  // The calendar feeds: their service, store and the iCalendar writer (ical-generator).
  'packages/expenses/src/service/calendar-feeds.service.ts',
  'packages/expenses/src/repository/calendar-feeds.repository.ts',
  'packages/expenses/src/domain/calendar-ics.ts',
  'packages/expenses/src/domain/calendar-timezone.ts',
  'node_modules/ical-generator/dist/index.mjs',
  'packages/webhooks/src/repository/deliveries.repository.ts',
  'packages/webhooks/src/service/fan-out.service.ts',
  // The ping (POST /v1/webhooks/{webhookId}/ping): with the webhooks routes' service.
  'packages/webhooks/src/service/ping.service.ts',
  'packages/webhooks/src/repository/ping-counter.ts',
  'packages/webhooks/src/jobs/reseal-secrets-job.ts',
  'packages/webhooks/src/jobs/deliveries-cleanup-job.ts',
  'packages/webhooks/src/repository/legacy-secrets.ts',
  'packages/notifications/src/repository/notifications.repository.ts',
  // Its devices and summaries, split off it (2026-12-07), through the same deferred file.
  'packages/notifications/src/repository/devices.repository.ts',
  'packages/notifications/src/repository/summaries.repository.ts',
  'packages/notifications/src/subscriptions/alert-member.ts',
  'packages/activity/src/domain/describe.ts',
  'packages/activity/src/repository/activity.repository.ts',
  'packages/activity/src/jobs/activity-cleanup-job.ts',
  'packages/users/src/jobs/password-reset-mail-job.ts',
  'packages/users/src/service/reset-mail.ts',
  // Sign-in alerts: the place planning with the users routes, the mail with its job.
  'packages/users/src/service/sign-in-places.ts',
  'packages/users/src/domain/sign-in-place.ts',
  'packages/users/src/jobs/sign-in-alert-mail-job.ts',
  'packages/users/src/service/sign-in-alert-mail.ts',
  // Personal access tokens: resolved on the first `bgt_` bearer, managed by the users routes.
  'packages/users/src/repository/personal-tokens.repository.ts',
  'packages/users/src/service/personal-tokens.service.ts',
  'packages/users/src/service/personal-token-auth.ts',
  // The common-password list (49k words, ~4.6 MiB as a Set): imported on the first new password's check.
  'node_modules/@zxcvbn-ts/language-common/dist/index.esm.js',
  'node_modules/@zxcvbn-ts/language-common/dist/passwords.json.esm.js',
  'packages/users/src/service/problems.ts',
  // The users' and expenses' problem types: thrown by their routes only (budgets' are on the summary's access path).
  'packages/users/src/problems.ts',
  'packages/expenses/src/problems.ts',
  // Every problem type's catalogue texts (meaning, action): read by GET /problems and docs/problems.md only.
  'packages/platform/src/http/problem-texts.ts',
  'packages/users/src/problem-texts.ts',
  'packages/budgets/src/problem-texts.ts',
  'packages/expenses/src/problem-texts.ts',
  'packages/app/src/mail/ses-sender.ts',
  'packages/app/src/push/sns-sender.ts',
  // Receipts: the storage (and the S3 SDK with it) only for the attachment routes and the cascades.
  'packages/expenses/src/service/attachments.service.ts',
  'packages/app/src/storage/index.ts',
  'packages/app/src/storage/s3-storage.ts',
  'packages/app/src/storage/local-storage.ts',
  // The S3 packages are bundled from their CommonJS builds (scripts/lazy-clients-own-sdk-core.mjs).
  'node_modules/@aws-sdk/client-s3/dist-cjs/index.js',
  'node_modules/@aws-sdk/s3-presigned-post/dist-cjs/index.js',
  'node_modules/@aws-sdk/s3-request-presigner/dist-cjs/index.js',
  // The job runner and its relayed-unit guard: imported by the job system on its first unit,
  // plan or enqueue (jobs/job-system.ts); a request that queues nothing never loads them.
  'packages/app/src/jobs/runner.ts',
  'packages/app/src/jobs/relayed-units.ts',
];

describe('what a cold HTTP request evaluates (issue 11)', () => {
  it('every file the test names is in the bundle (a renamed file must be renamed here too)', () => {
    const missing = LOADED_ON_FIRST_USE.filter((input) => !(input in metafile.inputs));
    expect(missing).toEqual([]);
  });

  it('the composition root loads none of the jobs, subscription work and route services of other modules', () => {
    const loaded = compositionRoot();
    // The graph is the real one: what the summary route needs at once is in it.
    expect(loaded).toContain('packages/budgets/src/service/summary.service.ts');
    expect(loaded).toContain('packages/expenses/src/repository/totals.repository.ts');
    expect(LOADED_ON_FIRST_USE.filter((input) => loaded.has(input))).toEqual([]);
  });

  it('the composition root loads no zod, zod-to-openapi, @hono/zod-openapi or schemas, so a first summary does not either', () => {
    const loaded = [...compositionRoot()];
    // The summary's shortcut answers valid requests without the budgets router (routes/summary.shortcut.ts);
    // event contracts import their schemas, and zod, on first use (platform events/contract.ts).
    expect(loaded).toContain('packages/budgets/src/routes/summary.shortcut.ts');
    const routeOnly = loaded.filter((input) =>
      /node_modules\/(zod|@asteasolutions\/zod-to-openapi|@hono\/zod-openapi|@hono\/zod-validator)\/|platform\/src\/events\/envelope-schema\.ts$|^packages\/[^/]+\/src\/(.*\/)?schemas\/|^packages\/platform\/src\/routes\.ts$|routes\/[^/]+\.routes\.ts$/.test(input),
    );
    expect(routeOnly).toEqual([]);
  });

  it('the composition root loads none of the SDK code only the lazy XML clients use (the XML and query protocols, the XML parser, CommonJS SDK files)', () => {
    // S3, SNS, the SDK's STS and the DynamoDB client import the same SDK core barrels; esbuild
    // puts a file in the chunks of every entry that can reach it, so their XML code rode into the
    // cold path until they got their own CommonJS core (packages/app/scripts/lazy-clients-own-sdk-core.mjs).
    const loaded = [...compositionRoot()];
    expect(loaded).toContain('node_modules/@aws-sdk/client-dynamodb/dist-es/DynamoDBClient.js');
    expect(loaded.filter((input) => /protocols\/(xml|query)\/|@aws-sdk\/xml-builder\/|\/dist-cjs\//.test(input))).toEqual([]);
  });

  it('the composition root is few files: the modules\' lazy parts do not split its graph into chunks of their own (scripts/start-graph-chunk.mjs)', () => {
    // Without the plugin every set of lazy parts sharing a start-up file made one more chunk:
    // 55 files before a first summary's answer (stop 51). Each file is a module load.
    const roots = ['packages/app/src/lambda/handler.ts', 'packages/app/src/system.ts', 'node_modules/hono/dist/adapter/aws-lambda/index.js'].flatMap((input) => chunksHolding(metafile, input));
    expect(staticallyLoadedOutputs(roots).length).toBeLessThanOrEqual(25);
  });

  it('the entry and a stream batch still load no module code, no HTTP stack and not the composition root', () => {
    // (A work-queue batch loads the platform's main entry, hono and jose with it, as before the plugin.)
    for (const trigger of ['packages/app/src/lambda/handler.ts', 'packages/app/src/events/stream-handler.ts']) {
      const loaded = staticallyLoadedInputs(metafile, chunksHolding(metafile, trigger));
      expect(loaded).toContain(trigger);
      const unwanted = [...loaded].filter(
        (input) => input === 'packages/app/src/system.ts' || /^packages\/(users|budgets|expenses|activity|notifications|webhooks)\/|node_modules\/(hono|jose)\//.test(input),
      );
      expect(unwanted).toEqual([]);
    }
  });

  it("the users routes' services do not load the common-password list (the first password check imports it) nor the message catalog", () => {
    const loaded = staticallyLoadedInputs(metafile, [
      ...chunksHolding(metafile, 'packages/users/src/routes/index.ts'),
      ...chunksHolding(metafile, 'packages/users/src/service/route-services.ts'),
    ]);
    expect(loaded).toContain('packages/users/src/service/common-passwords.ts');
    expect([...loaded].filter((input) => input.includes('node_modules/@zxcvbn-ts/'))).toEqual([]);
    // Nor the message catalog: only the unsubscribe link's pages need it, imported by their handlers on first use.
    expect(loaded).toContain('packages/users/src/routes/unsubscribe.handlers.ts');
    expect([...loaded].filter((input) => input === 'packages/platform/src/locale-messages.ts' || input.endsWith('/unsubscribe-page.ts'))).toEqual([]);
  });

  it("a first budget summary's router loads none of them either", () => {
    const loaded = staticallyLoadedInputs(metafile, chunksHolding(metafile, 'packages/budgets/src/routes/index.ts'));
    expect(loaded).toContain('packages/budgets/src/routes/summary.routes.ts');
    expect(LOADED_ON_FIRST_USE.filter((input) => loaded.has(input))).toEqual([]);
  });
});
