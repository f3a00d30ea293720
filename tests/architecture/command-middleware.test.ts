import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { describe, expect, it } from 'vitest';
import { handWrittenMiddlewareScopes } from './support/command-middleware-scopes';
import { REPO_ROOT } from './support/fixtures';
import type { TestFile } from './support/test-isolation';

/**
 * The files allowed to remove a middleware by hand: each adds it in a beforeAll and removes it in
 * the afterAll of its describe (kept for all its tests, so not one `work` of withCommandMiddleware).
 */
const KEPT_ACROSS_TESTS = ['tests/integration/budgets/balances.test.ts'];

function testSources(): TestFile[] {
  const dir = join(REPO_ROOT, 'tests');
  return (readdirSync(dir, { recursive: true }) as string[])
    .filter((name) => name.endsWith('.ts') && !name.split(sep).includes('fixtures'))
    .map((name) => ({ path: relative(REPO_ROOT, join(dir, name)).split(sep).join('/'), source: readFileSync(join(dir, name), 'utf8') }));
}

describe('a middleware on the shared client in tests', () => {
  it('is put on for a scope with withCommandMiddleware, not added and removed by hand', () => {
    const files = testSources();
    expect(files.length).toBeGreaterThan(200);
    expect(handWrittenMiddlewareScopes(files, KEPT_ACROSS_TESTS)).toEqual([]);
  });

  it('finds a hand-written removal outside the helper and the allowed files', () => {
    const removal = "try { await work(); } finally { t.doc.middlewareStack.remove('hold'); }";
    const files: TestFile[] = [
      { path: 'tests/integration/by-hand.test.ts', source: removal },
      { path: 'tests/support/held.ts', source: 'doc\n    .middlewareStack.remove(name);' },
      { path: 'tests/support/command-middleware.ts', source: removal },
      { path: 'tests/integration/allowed.test.ts', source: removal },
      { path: 'tests/integration/scoped.test.ts', source: "await withCommandMiddleware(t.doc, 'hold', hold, work);" },
    ];
    expect(handWrittenMiddlewareScopes(files, ['tests/integration/allowed.test.ts'])).toEqual(['tests/integration/by-hand.test.ts', 'tests/support/held.ts']);
  });
});
