import { matchesGlob } from 'node:path';

/**
 * What makes a test file change state that the whole process shares, so that it must run in a
 * fresh module graph (vitest.config.ts `ISOLATED`, or `HEAVY`, which is isolated too) and not in
 * the main project, whose files share one worker's modules: an AWS SDK client mock installed
 * for every client (aws-sdk-client-mock's mockClient, directly or through tests/support/sns-push)
 * or the process's environment.
 */
const PROCESS_WIDE_STATE = /mockClient\(|aws-sdk-client-mock|support\/sns-push|process\.env/;

export interface TestFile {
  /** Repo-relative, with forward slashes, e.g. tests/integration/foo.test.ts. */
  path: string;
  source: string;
}

/** The files that touch process-wide state but match none of the isolated globs. */
export function unisolatedFiles(files: TestFile[], isolatedGlobs: string[]): string[] {
  return files.filter((f) => PROCESS_WIDE_STATE.test(f.source) && !isolatedGlobs.some((glob) => matchesGlob(f.path, glob))).map((f) => f.path);
}
