import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * tests/support is shared by every folder's tests: what it loads, each of them loads. A support
 * file that reached into a folder's own helpers (tests/integration/expenses/harness.ts, say)
 * made a users or budgets test load the expenses harness and what it imports. Here every
 * support file's relative imports are followed, transitively, and none may land in
 * tests/integration.
 */
const TESTS = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const SUPPORT = join(TESTS, 'support');
const INTEGRATION = join(TESTS, 'integration');

/** The relative module specifiers of a file (static imports and exports, type-only ones too). */
function relativeImports(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\b[^'"]*?from\s*['"]([^'"]+)['"]/g)].map((m) => m[1]!);
  return specifiers.filter((s) => s.startsWith('.'));
}

function resolveTs(from: string, specifier: string): string | undefined {
  const base = resolve(dirname(from), specifier);
  return [`${base}.ts`, join(base, 'index.ts'), base].find((p) => p.endsWith('.ts') && existsSync(p));
}

/** Every test file reached from `entry` through relative imports, with the chain that reached it. */
function reached(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const specifier of relativeImports(file)) {
      const target = resolveTs(file, specifier);
      if (!target || seen.has(target) || !target.startsWith(TESTS)) continue;
      seen.set(target, [...seen.get(file)!, target]);
      queue.push(target);
    }
  }
  return seen;
}

describe('tests/support loads no test folder of its own', () => {
  const files = readdirSync(SUPPORT).filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'));

  it('finds the support files (the walk is not empty)', () => {
    expect(files).toContain('archive-race.ts');
    expect(files).toContain('holding-writes.ts');
  });

  it.each(files)('%s reaches nothing under tests/integration', (name) => {
    const into = [...reached(join(SUPPORT, name)).entries()].filter(([file]) => file.startsWith(INTEGRATION));
    expect(into.map(([, chain]) => chain.map((f) => relative(TESTS, f)).join(' -> '))).toEqual([]);
  });
});
