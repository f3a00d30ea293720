import { beforeAll, describe, expect, it } from 'vitest';
import { checkTree, type Finding, type TreeReport } from './support/cruise';
import { materializeFixture, REPO_ROOT } from './support/fixtures';

/**
 * Checks 1 (public entries, allowed package imports), 2a (modules never import the DynamoDB
 * SDK) and 3 (no cycles) with dependency-cruiser and the rules of dependency-rules.mjs (the
 * same rules `depcruise --config .dependency-cruiser.mjs` applies). Each check runs on the real
 * tree and on a fixture that breaks it.
 */
const fixtures: Record<string, TreeReport> = {};
let real: TreeReport;

beforeAll(async () => {
  real = await checkTree(REPO_ROOT);
  for (const name of ['base', 'deep-import', 'forbidden-dependency', 'cycles', 'module-imports-sdk', 'reports-deep-import']) {
    const fixture = materializeFixture(name === 'base' ? undefined : name);
    try {
      fixtures[name] = await checkTree(fixture.root);
    } finally {
      fixture.remove();
    }
  }
});

const brief = (f: Finding) => `${f.rule}: ${f.from} -> ${f.to}`;
const ofRules = (report: TreeReport, ...rules: string[]) => report.findings.filter((f) => rules.some((r) => f.rule.startsWith(r)));

describe('the real packages', () => {
  it('respect every dependency rule', () => {
    expect(real.findings.map(brief)).toEqual([]);
  });

  it('form an acyclic package graph matching docs/architecture.md', () => {
    expect(real.packageCycles).toEqual([]);
    expect([...real.packageGraph.keys()].sort()).toEqual(['activity', 'app', 'budgets', 'expenses', 'notifications', 'platform', 'users']);
  });
});

describe('the fixtures', () => {
  it('base (well-formed) passes every check, so the failures below come from the violations', () => {
    expect(fixtures.base!.findings.map(brief)).toEqual([]);
    expect(fixtures.base!.packageCycles).toEqual([]);
  });
});

describe('1. a package is imported only through its public entry, and only where allowed', () => {
  it('fails on deep imports by name and on relative paths into another package', () => {
    expect(fixtures['deep-import']!.findings.map(brief).sort()).toEqual([
      'no-relative-import-across-packages: packages/app/src/emails.ts -> packages/users/src/repository.ts',
      'no-relative-import-across-packages: packages/expenses/src/budget-link.ts -> packages/budgets/src/index.ts',
      'no-unexported-package-path: packages/budgets/src/owner.ts -> @budgeting/users/src/repository',
      'only-through-public-entry: packages/app/src/emails.ts -> packages/users/src/repository.ts',
    ]);
    // budgets/src/owner.ts also imports @budgeting/platform/init: a declared entry, not reported.
  });

  it('fails on imports the package graph does not allow (type-only imports included)', () => {
    expect(ofRules(fixtures['forbidden-dependency']!, 'platform-', 'users-', 'budgets-', 'expenses-', 'app-').map(brief).sort()).toEqual([
      'budgets-imports-only-platform-users: packages/budgets/src/app-link.ts -> packages/app/src/index.ts',
      'expenses-imports-only-platform-budgets: packages/expenses/src/owner.ts -> packages/users/src/index.ts',
      'platform-imports-only-nothing-of-ours: packages/platform/src/user-lookup.ts -> packages/users/src/index.ts',
      'users-imports-only-platform: packages/users/src/budget-roles.ts -> packages/budgets/src/index.ts',
    ]);
  });
});

describe('2a. modules reach DynamoDB only through their ModuleStore', () => {
  it('fails when a module imports the DynamoDB SDK (platform and app may; type-only imports carry no access)', () => {
    const found = ofRules(fixtures['module-imports-sdk']!, 'modules-access-dynamodb');
    expect(found.map((f) => `${f.from} -> ${f.to.match(/@aws-sdk\/[^/]+/)?.[0]}`).sort()).toEqual([
      'packages/budgets/src/raw-client.ts -> @aws-sdk/client-dynamodb',
      'packages/expenses/src/stream.ts -> @aws-sdk/client-dynamodb-streams',
      'packages/users/src/raw-read.ts -> @aws-sdk/lib-dynamodb',
    ]);
  });
});

describe('1b. budgets reaches its reports feature only through reports/index.ts', () => {
  it('fails when the rest of budgets imports a file inside reports/ (the entry, and reports using budgets, are fine)', () => {
    expect(ofRules(fixtures['reports-deep-import']!, 'budgets-reaches-reports').map(brief)).toEqual([
      'budgets-reaches-reports-only-through-its-entry: packages/budgets/src/summary.ts -> packages/budgets/src/reports/mail.ts',
    ]);
  });
});

describe('3. no import cycles', () => {
  it('fails on a package cycle', () => {
    expect(fixtures.cycles!.packageCycles).toEqual([['budgets', 'users', 'budgets']]);
  });

  it('fails on module cycles inside a package and across packages, but not on type-only ones', () => {
    const cycles = ofRules(fixtures.cycles!, 'no-circular').map((f) => f.cycle);
    expect(cycles).toHaveLength(2);
    expect(cycles).toContainEqual(['packages/users/src/b.ts', 'packages/users/src/a.ts']);
    expect(cycles).toContainEqual(['packages/users/src/index.ts', 'packages/budgets/src/index.ts']);
  });
});
