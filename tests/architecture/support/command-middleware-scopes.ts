import type { TestFile } from './test-isolation';

/**
 * A test that takes a middleware off the shared client by hand (`middlewareStack.remove`) wrote
 * the add/remove scope itself; tests/support/command-middleware.ts's withCommandMiddleware is that
 * scope, removing it whatever `work` does. By hand it was once left on after a failure, or
 * removed before the last await that needed it; one helper keeps the shape in one place.
 */
const HAND_WRITTEN_REMOVAL = /\.middlewareStack\s*\.remove\(/;

/**
 * The test files (tests/**, not the helper itself nor the architecture tests' own examples) that
 * remove a middleware by hand and are not `allowed` (a middleware kept across a file's tests, from
 * a beforeAll to an afterAll, is no one `work`).
 */
export function handWrittenMiddlewareScopes(files: TestFile[], allowed: string[]): string[] {
  return files
    .filter((f) => f.path !== 'tests/support/command-middleware.ts' && !f.path.startsWith('tests/architecture/') && !allowed.includes(f.path))
    .filter((f) => HAND_WRITTEN_REMOVAL.test(f.source))
    .map((f) => f.path);
}
