// infra/ (evaluated by SST at deploy time) uses the code only through public package entries,
// e.g. `@budgeting/app/wiring`: never a file inside packages/ by a relative path, never an
// @budgeting/<package>/<path> the package does not export. Rules for dependency-cruiser, used
// by tests/architecture/infra-imports.test.ts on the real tree and on a violating fixture.
import { publicEntries } from './dependency-rules.mjs';

const escape = (s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** The infra/ rules for the tree rooted at rootDir (the repo, or a fixture). */
export function infraImportRules(rootDir) {
  const entries = publicEntries(rootDir);
  const infra = { path: '^(infra/|sst\\.config\\.ts$)' };
  return [
    {
      name: 'infra-no-relative-import-into-packages',
      comment: 'infra/ imports a package by its name and a declared entry (@budgeting/app/wiring), never by a path into packages/.',
      severity: 'error',
      from: infra,
      to: { path: '^packages/', dependencyTypesNot: ['aliased-workspace'] },
    },
    {
      name: 'infra-only-through-public-entries',
      comment: "infra/ reaches a package only through a file its package.json exports.",
      severity: 'error',
      from: infra,
      to: { path: '^packages/', ...(entries.length ? { pathNot: `^(${entries.map(escape).join('|')})$` } : {}) },
    },
    {
      name: 'infra-no-unexported-package-path',
      comment: '@budgeting/<package>/<path> that the package does not export.',
      severity: 'error',
      from: infra,
      to: { path: '^@budgeting/', couldNotResolve: true },
    },
  ];
}
