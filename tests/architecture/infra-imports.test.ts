import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { cruise, type ICruiseResult } from 'dependency-cruiser';
import { beforeAll, describe, expect, it } from 'vitest';
import { architectureConfig } from './dependency-rules.mjs';
import { infraImportRules } from './infra-rules.mjs';
import { materializeFixture, REPO_ROOT } from './support/fixtures';

/**
 * infra/ imports no package internals: only what a package's package.json exports (e.g.
 * `@budgeting/app/wiring`), by name. Checked on the real tree and on a fixture that breaks it.
 */
async function infraFindings(rootDir: string): Promise<string[]> {
  const { options } = architectureConfig(rootDir);
  const roots = ['infra', 'sst.config.ts'].filter((p) => existsSync(join(rootDir, p)));
  const result = await cruise(roots, { ...options, baseDir: rootDir, validate: true, ruleSet: { forbidden: infraImportRules(rootDir) } });
  return (result.output as ICruiseResult).summary.violations.map((v) => `${v.rule.name}: ${v.from} -> ${v.to}`).sort();
}

let real: string[];
let fixture: string[];
let realInfraImports: string[];

beforeAll(async () => {
  real = await infraFindings(REPO_ROOT);
  const { options } = architectureConfig(REPO_ROOT);
  const graph = (await cruise(['infra'], { ...options, baseDir: REPO_ROOT })).output as ICruiseResult;
  realInfraImports = graph.modules
    .filter((m) => m.source.startsWith('infra/'))
    .flatMap((m) => m.dependencies.map((d) => d.module))
    .filter((name) => name.startsWith('@budgeting/'));
  const copy = materializeFixture('infra-deep-import');
  try {
    fixture = await infraFindings(copy.root);
  } finally {
    copy.remove();
  }
});

describe('infra/ imports no package internals', () => {
  it('holds for the real infra/ and sst.config.ts, which do use the packages through their entries', () => {
    expect(real).toEqual([]);
    expect([...new Set(realInfraImports)].sort()).toEqual(['@budgeting/app/build', '@budgeting/app/wiring', '@budgeting/platform/table', '@budgeting/platform/work-queue']);
  });

  it('fails on a relative path into a package, an internal file and an unexported subpath', () => {
    expect(fixture).toEqual([
      'infra-no-relative-import-into-packages: infra/table.ts -> packages/platform/src/config.ts',
      'infra-no-relative-import-into-packages: infra/triggers.ts -> packages/app/src/index.ts',
      'infra-no-unexported-package-path: infra/triggers.ts -> @budgeting/app/src/system',
      'infra-only-through-public-entries: infra/table.ts -> packages/platform/src/config.ts',
    ]);
    // infra/function.ts imports @budgeting/platform/init, a declared entry: not reported.
  });
});
