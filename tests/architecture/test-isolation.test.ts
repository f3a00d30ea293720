import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAVY, ISOLATED, ISOLATED_SHARED_MODULE_STATE } from '../../vitest.config';
import { REPO_ROOT } from './support/fixtures';
import { needlesslyIsolated, unisolatedFiles, type TestFile } from './support/test-isolation';

/**
 * The main project runs its integration files without isolation (vitest.config.ts): a file that
 * mocks the SDK client for the whole process or sets process.env would leave that behind for the
 * files after it in the same worker (at stop 57 one client mock made 23 other files fail). Such a
 * file must be listed in ISOLATED (or HEAVY); and only such a file: the list once held 16 files
 * that touched nothing, listed because a mock left installed broke them (2026-12-06: all moved back;
 * ISOLATED_SHARED_MODULE_STATE in vitest.config.ts would list one isolated for a state not found yet).
 */
function integrationTests(): TestFile[] {
  const dir = join(REPO_ROOT, 'tests', 'integration');
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => name.endsWith('.test.ts'))
    .map((name) => {
      const path = relative(REPO_ROOT, join(dir, name)).split(sep).join('/');
      return { path, source: readFileSync(join(dir, name), 'utf8') };
    });
}

describe('test isolation', () => {
  it('runs every integration file that touches process-wide state isolated', () => {
    const files = integrationTests();
    expect(files.length).toBeGreaterThan(200);
    expect(unisolatedFiles(files, [...ISOLATED, ...HEAVY])).toEqual([]);
  });

  it('finds a file that mocks the SDK client or sets the environment when it is not listed', () => {
    const files: TestFile[] = [
      { path: 'tests/integration/a.test.ts', source: "const ddb = mockClient(DynamoDBDocumentClient);" },
      { path: 'tests/integration/b.test.ts', source: "process.env.TABLE_NAME = 'x';" },
      { path: 'tests/integration/c.test.ts', source: "import { snsPush } from '../support/sns-push';" },
      { path: 'tests/integration/d.test.ts', source: 'const h = await createHarness();' },
      { path: 'tests/integration/listed.test.ts', source: "process.env.X = '1';" },
    ];
    expect(unisolatedFiles(files, ['tests/integration/listed.test.ts'])).toEqual(['tests/integration/a.test.ts', 'tests/integration/b.test.ts', 'tests/integration/c.test.ts']);
  });

  it('lists in ISOLATED by name only integration files that touch process-wide state: the others run in the main project', () => {
    // Those isolated for a module state not found yet say why in vitest.config.ts.
    expect(needlesslyIsolated(integrationTests(), ISOLATED.filter((entry) => !ISOLATED_SHARED_MODULE_STATE.includes(entry)))).toEqual([]);
  });

  it('finds a listed file that touches no process-wide state, and a listed file that is gone; globs are not checked', () => {
    const files: TestFile[] = [
      { path: 'tests/integration/mocks.test.ts', source: 'const sqs = mockClient(SQSClient);' },
      { path: 'tests/integration/pushes.test.ts', source: "import { snsPush } from '../support/sns-push';" },
      { path: 'tests/integration/plain.test.ts', source: "const res = await call(t.app, 'GET', '/v1/me');" },
    ];
    const listed = ['tests/lambda/**/*.test.ts', 'tests/integration/mocks.test.ts', 'tests/integration/pushes.test.ts', 'tests/integration/plain.test.ts', 'tests/integration/gone.test.ts'];
    expect(needlesslyIsolated(files, listed)).toEqual(['tests/integration/plain.test.ts', 'tests/integration/gone.test.ts']);
  });
});
