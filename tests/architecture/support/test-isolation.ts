import { matchesGlob } from 'node:path';

/**
 * What makes a test file change state that the whole process shares, so that it must run in a
 * fresh module graph (vitest.config.ts `ISOLATED`, or `HEAVY`, which is isolated too) and not in
 * the main project, whose files share one worker's modules: an AWS SDK client mock installed
 * for every client (aws-sdk-client-mock's mockClient, directly or through tests/support/sns-push,
 * or notified-system, which starts one) or the process's environment.
 */
const PROCESS_WIDE_STATE = /mockClient\(|aws-sdk-client-mock|support\/sns-push|support\/notified-system|process\.env/;

export interface TestFile {
  /** Repo-relative, with forward slashes, e.g. tests/integration/foo.test.ts. */
  path: string;
  source: string;
}

/**
 * The integration files listed by name in ISOLATED that do not touch process-wide state, or that
 * no longer exist: each costs a fresh module graph (about a second of imports) for nothing, and a
 * stale entry hides that a file could run in the main project. Globs (tests/lambda/**, ...) are
 * whole kinds of tests that start processes or import the bundle, and are not checked here.
 */
export function needlesslyIsolated(files: TestFile[], isolated: string[]): string[] {
  const byPath = new Map(files.map((f) => [f.path, f.source]));
  return isolated.filter((entry) => entry.startsWith('tests/integration/') && !/[*?{[]/.test(entry)).filter((path) => {
    const source = byPath.get(path);
    return source === undefined || !PROCESS_WIDE_STATE.test(source);
  });
}

/** The files that touch process-wide state but match none of the isolated globs. */
export function unisolatedFiles(files: TestFile[], isolatedGlobs: string[]): string[] {
  return files.filter((f) => PROCESS_WIDE_STATE.test(f.source) && !isolatedGlobs.some((glob) => matchesGlob(f.path, glob))).map((f) => f.path);
}
