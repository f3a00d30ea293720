// The package architecture of docs/architecture.md as dependency-cruiser rules. One definition,
// used by tests/architecture/*.test.ts (on the real tree and on violating fixtures) and by the
// CLI through .dependency-cruiser.mjs:  npx depcruise packages --config .dependency-cruiser.mjs
// (the depcruise CLI wants Node 22+; on Node 20: npx bun node_modules/.bin/depcruise ...).
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Which of our packages each package may import (docs/architecture.md, "may import"). */
export const ALLOWED_IMPORTS = {
  platform: [],
  users: ['platform'],
  budgets: ['platform', 'users'],
  expenses: ['platform', 'budgets'],
  activity: ['platform', 'users', 'budgets', 'expenses'],
  notifications: ['platform', 'users', 'budgets', 'expenses'],
  webhooks: ['platform', 'users', 'budgets', 'expenses'],
  app: ['platform', 'users', 'budgets', 'expenses', 'activity', 'notifications', 'webhooks'],
};

/** The business modules: they reach the table only through their ModuleStore. */
export const MODULES = ['users', 'budgets', 'expenses', 'activity', 'notifications', 'webhooks'];

/** DynamoDB SDK packages only platform (ModuleStore, client) and app (relay, local runtime) may use. */
export const DYNAMODB_SDK = ['client-dynamodb', 'lib-dynamodb', 'client-dynamodb-streams'];

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Every file a package exposes: the targets of its package.json "exports" (e.g. platform's
 * "." and "./init"). Importing anything else of another package is a deep import.
 */
export function publicEntries(rootDir) {
  const dir = join(rootDir, 'packages');
  const entries = [];
  for (const name of existsSync(dir) ? readdirSync(dir) : []) {
    const pkgFile = join(dir, name, 'package.json');
    if (!existsSync(pkgFile)) continue;
    const { exports: exp } = JSON.parse(readFileSync(pkgFile, 'utf8'));
    const targets = typeof exp === 'string' ? [exp] : Object.values(exp ?? {}).flatMap(targetFiles);
    for (const t of targets) entries.push(`packages/${name}/${t.replace(/^\.\//, '')}`);
  }
  return entries;
}

function targetFiles(target) {
  if (typeof target === 'string') return [target];
  return Object.values(target ?? {}).flatMap(targetFiles); // conditional exports
}

function packageRules() {
  return Object.entries(ALLOWED_IMPORTS).map(([name, allowed]) => ({
    name: `${name}-imports-only-${allowed.length ? allowed.join('-') : 'nothing-of-ours'}`,
    comment: `packages/${name} may import ${allowed.length ? allowed.join(', ') : 'none of our packages'} (docs/architecture.md).`,
    severity: 'error',
    from: { path: `^packages/${name}/` },
    to: { path: '^packages/[^/]+/', pathNot: `^packages/(${[name, ...allowed].join('|')})/` },
  }));
}

/** The dependency-cruiser configuration for the tree rooted at rootDir (the repo, or a fixture). */
export function architectureConfig(rootDir) {
  const entries = publicEntries(rootDir);
  return {
    forbidden: [
      {
        name: 'only-through-public-entry',
        comment:
          "Another package is imported only through its public entry (its package.json exports), never one of its internal files.",
        severity: 'error',
        from: { path: '^packages/([^/]+)/' },
        to: {
          path: '^packages/[^/]+/',
          pathNot: ['^packages/$1/', ...(entries.length ? [`^(${entries.map(escape).join('|')})$`] : [])],
        },
      },
      {
        name: 'no-relative-import-across-packages',
        comment: 'Another package is imported by its name (@budgeting/x), never by a relative path into its folder.',
        severity: 'error',
        from: { path: '^packages/([^/]+)/' },
        to: { path: '^packages/[^/]+/', pathNot: '^packages/$1/', dependencyTypes: ['local'] },
      },
      {
        name: 'no-unexported-package-path',
        comment: "@budgeting/<package>/<path> that the package does not export (a deep import, or a typo).",
        severity: 'error',
        from: { path: '^packages/' },
        to: { path: '^@budgeting/', couldNotResolve: true },
      },
      ...packageRules(),
      {
        name: 'modules-access-dynamodb-only-through-module-store',
        comment:
          'A module reads and writes the table only through its ModuleStore (prefix-checked); importing the DynamoDB SDK would bypass it. Type-only imports carry no access and are allowed.',
        severity: 'error',
        from: { path: `^packages/(${MODULES.join('|')})/` },
        to: {
          path: `(^|node_modules/)@aws-sdk/(${DYNAMODB_SDK.join('|')})(/|$)`,
          dependencyTypesNot: ['type-only'],
        },
      },
      {
        name: 'budgets-reaches-reports-only-through-its-entry',
        comment:
          'Reports are a feature with a seam: the rest of budgets imports packages/budgets/src/reports only through reports/index.ts, and its routes only through reports/routes.ts (kept apart so that start-up code never reaches zod; reports itself may use the rest of budgets).',
        severity: 'error',
        from: { path: '^packages/budgets/src/', pathNot: '^packages/budgets/src/reports/' },
        to: { path: '^packages/budgets/src/reports/', pathNot: '^packages/budgets/src/reports/(index|routes)\\.ts$' },
      },
      {
        name: 'no-circular',
        comment: 'No import cycles that exist at run time, inside a package or across packages.',
        severity: 'error',
        from: { path: '^packages/' },
        to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
      },
    ],
    options: {
      tsPreCompilationDeps: true,
      doNotFollow: { path: 'node_modules' },
      exclude: { path: '\\.test\\.ts$' },
      // Resolve @budgeting/* like Node and esbuild do: through node_modules and "exports".
      enhancedResolveOptions: {
        exportsFields: ['exports'],
        conditionNames: ['import', 'require', 'node', 'default', 'types'],
        mainFields: ['module', 'main', 'types'],
      },
    },
  };
}
