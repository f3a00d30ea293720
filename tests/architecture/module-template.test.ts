import { describe, expect, it } from 'vitest';
import { materializeFixture, REPO_ROOT } from './support/fixtures';
import { findRawClientHandOvers, findTemplateViolations } from './support/module-template';

/** Run a check on a fixture (fixtures/README.md), removing the copy afterwards. */
function onFixture<T>(name: string, check: (root: string) => T): T {
  const fixture = materializeFixture(name);
  try {
    return check(fixture.root);
  } finally {
    fixture.remove();
  }
}

describe('4. every module follows the module template (docs/architecture.md)', () => {
  it('the real modules do', () => {
    expect(findTemplateViolations(REPO_ROOT)).toEqual([]);
  });

  it('fails on missing parts, parts the template has no place for, unpaired route files and middleware outside routes/index.ts', () => {
    const found = onFixture('module-template', findTemplateViolations);
    // budgets in the fixture follows the template (reports included): nothing reported.
    expect(found.filter((f) => f.includes('/budgets/'))).toEqual([]);
    expect(found.filter((f) => f.includes('/expenses/'))).toEqual([
      'packages/expenses/src/domain/ is missing',
      'packages/expenses/src/recurrence.ts does not belong at the top of src/',
      'packages/expenses/src/routes/expenses.routes.ts attaches middleware (only routes/index.ts and <feature>.shortcut.ts may)',
      'packages/expenses/src/routes/expenses.routes.ts has no expenses.handlers.ts',
      'packages/expenses/src/utils/ is not a folder of the template',
    ]);
    // users is the bare base fixture: not a templated module at all.
    expect(found).toContain('packages/users/src/create-module.ts is missing');
  });
});

describe('5. no module receives a raw DynamoDB client', () => {
  it('the real PlatformDeps and modules hand over none', () => {
    expect(findRawClientHandOvers(REPO_ROOT)).toEqual([]);
  });

  it('fails on a raw client in PlatformDeps or in a module', () => {
    expect(onFixture('raw-client', findRawClientHandOvers)).toEqual([
      'PlatformDeps hands modules a raw client: doc: DynamoDBDocumentClient;',
      'packages/users/src/create-module.ts names a raw DynamoDB client',
    ]);
  });
});
