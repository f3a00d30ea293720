import { readFileSync, readdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A schema named with `.openapi('Name')` becomes the document's `#/components/schemas/Name`. Two
 * different schemas given one name do not fail the generator: the first one it meets is the
 * component and every other route's `$ref` points at it, so a route silently documents (and the
 * generated client types) the other schema's fields. That happened once (the expenses' upcoming
 * bills and safe-to-spend's bills were both `UpcomingBill`: the upcoming route's answer was then
 * "missing" the required `dueOn`). Names are read from the sources, so no generation order hides one.
 */
const repoRoot = join(import.meta.dirname, '../../..');
const NAMED = /\.openapi\(\s*['"]([A-Za-z][A-Za-z0-9_]*)['"]/g;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

describe('OpenAPI component names', () => {
  it('name one schema each across every module', () => {
    const places = new Map<string, string[]>();
    for (const file of sourceFiles(join(repoRoot, 'packages'))) {
      for (const [, name] of readFileSync(file, 'utf8').matchAll(NAMED)) {
        places.set(name!, [...(places.get(name!) ?? []), relative(repoRoot, file)]);
      }
    }
    expect(places.size).toBeGreaterThan(100);
    expect([...places].filter(([, files]) => files.length > 1)).toEqual([]);
  });
});
