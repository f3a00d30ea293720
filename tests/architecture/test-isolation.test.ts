import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { HEAVY, ISOLATED } from '../../vitest.config';
import { REPO_ROOT } from './support/fixtures';
import { unisolatedFiles, type TestFile } from './support/test-isolation';

/**
 * The main project runs its integration files without isolation (vitest.config.ts): a file that
 * mocks the SDK client for the whole process or sets process.env would leave that behind for the
 * files after it in the same worker (at stop 57 one client mock made 23 other files fail). Such a
 * file must be listed in ISOLATED (or HEAVY).
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
});
