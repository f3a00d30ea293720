import { defineConfig } from 'vitest/config';

/**
 * Test files that write thousands of items or race dozens of writers against DynamoDB Local.
 * Next to other files they starve the one JVM on a 2-core machine, their transactions start
 * to conflict and back off, and they slow down by an order of magnitude. (One JVM also got
 * slower with every file it served, until the launcher indexed its stream records: see
 * LoopbackDynamoDbLocal.java; a file after summary-cost took 5x longer.) So
 * each runs after everything else, in a project of its own: global-setup.ts starts one
 * DynamoDB Local per project, so each of them meets a fresh one (HEAVY_GROUPS: two at a time).
 */
const HEAVY = [
  'tests/integration/expenses/summary-cost.test.ts',
  'tests/integration/expenses/pagination.test.ts',
  'tests/integration/expenses/search-paging.test.ts',
  'tests/integration/expenses/concurrency.test.ts',
  'tests/integration/expenses/changes-concurrency.test.ts',
  // Moved here at the end of stop 9: in one shared JVM with them, later files ran up to 10x
  // slower than alone (users/me: 2.9 s alone, 27 s in the suite) and CI passed 15 minutes.
  'tests/integration/expenses/csv-import-job.test.ts',
  'tests/integration/hostile-input.test.ts',
  'tests/integration/expenses/change-log.test.ts',
  'tests/integration/budgets/report-job.test.ts',
];
/**
 * The fan-out scale test (issue 10) at a quarter of its sizes (about 80 s alone); the full
 * sizes (1,000 reports, 1,000 occurrences, a 20,000-expense deletion) take minutes on a 2-core
 * machine and run with `npm run test:scale` (SCALE=full). Last: the other heavy files first.
 */
HEAVY.push('tests/integration/jobs/fan-out-scale.test.ts');

/**
 * How the heavy files run, after the main project: in groups, one after another; the files of
 * a group at the same time, each in a project of its own with its own DynamoDB Local
 * (global-setup.ts starts one per project), so no two of them share a JVM. One file alone kept
 * one of the two cores idle and paid a JVM start per file. A race (concurrency,
 * changes-concurrency) or the report job is paired with one of the main project's longest
 * files (moved out of it for that: they only need a core, not a JVM of their own, and the main
 * project gets shorter by as much); the fan-out scale test, which checks invocation time
 * budgets, keeps its group to itself.
 */
const PARTNERS = [
  'tests/integration/subscribers/budget-deleted.test.ts',
  'tests/integration/expenses/search-splits.test.ts',
  'tests/integration/expenses/totals-cap.test.ts',
  // The main project's longest file (20-40 s in the shared JVM, depending on what that JVM had
  // served before it, until the launcher indexed its stream records): third in the CSV import's
  // group, after change-log (15 s) on the core the import (33 s) leaves free.
  'tests/integration/expenses/search-tags.test.ts',
];
const HEAVY_GROUPS: string[][] = [
  ['tests/integration/expenses/summary-cost.test.ts', 'tests/integration/expenses/pagination.test.ts'],
  ['tests/integration/expenses/search-paging.test.ts', 'tests/integration/hostile-input.test.ts'],
  ['tests/integration/expenses/csv-import-job.test.ts', 'tests/integration/expenses/change-log.test.ts', PARTNERS[3]!],
  ['tests/integration/budgets/report-job.test.ts', PARTNERS[0]!],
  ['tests/integration/expenses/concurrency.test.ts', PARTNERS[1]!],
  ['tests/integration/expenses/changes-concurrency.test.ts', PARTNERS[2]!],
  ['tests/integration/jobs/fan-out-scale.test.ts'],
];
HEAVY.push(...PARTNERS);
const grouped = HEAVY_GROUPS.flat();
if (grouped.length !== HEAVY.length || HEAVY.some((f) => !grouped.includes(f))) throw new Error('every HEAVY file belongs to exactly one HEAVY_GROUPS group');

export default defineConfig({
  test: {
    exclude: ['tests/architecture/fixtures/**', 'node_modules/**'],
    globalSetup: ['tests/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // DynamoDB Local is one JVM per project; a couple of workers keep it busy without
    // starving it on a 2-core machine.
    maxWorkers: 2,
    env: { LOG_LEVEL: 'SILENT', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
    projects: [
      {
        extends: true,
        test: {
          name: 'main',
          include: ['tests/**/*.test.ts', 'packages/*/src/**/*.test.ts'],
          exclude: ['tests/architecture/fixtures/**', 'node_modules/**', ...HEAVY],
          sequence: { groupOrder: 0 },
        },
      },
      ...HEAVY_GROUPS.flatMap((files, group) =>
        files.map((file, i) => ({
          extends: true as const,
          test: {
            name: `heavy-${group + 1}${'abc'[i]}`,
            include: [file],
            // Its own DynamoDB Local, started with the file (global-setup.ts, own-dynamodb.ts).
            setupFiles: ['tests/support/own-dynamodb.ts'],
            sequence: { groupOrder: group + 1 },
          },
        })),
      ),
    ],
  },
});
