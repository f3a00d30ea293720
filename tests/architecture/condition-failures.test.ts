import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './support/fixtures';

/**
 * A failed condition is read in one place, platform dynamo/condition-failed.ts (and the 503
 * mapping of http/aws-errors.ts): until 2026-12-06 repositories compared the error's name by hand,
 * a transaction's refusal read with the single write's name (a 500) or any cancellation, a
 * throttled one included, read as a lost race (a chunk of an import silently uncounted).
 */
const ALLOWED = new Set([
  'packages/platform/src/dynamo/condition-failed.ts',
  'packages/platform/src/http/aws-errors.ts',
  // The batched reads' riders answer each waiter by its own item's reason code (a failed
  // condition: absent), the one place a code is read item by item (request-reads.ts).
  'packages/platform/src/dynamo/request-reads.ts',
]);
/**
 * The error names, the raw reasons, and a reason code compared by hand
 * (`cancellationCodes(err)[i] === 'ConditionalCheckFailed'`, `=== 'None'` for an item the
 * cancelled transaction did not refuse, `'TransactionConflict'`): condition-failed.ts names
 * each reading (cancellationUntouched, cancelledOnlyAt, cancelledOnlyByConflicts). Until
 * 2026-12-06 change-log.ts compared 'None' by hand and module-store.ts mapped a missing code
 * to 'None' itself: two readings of "untouched" that could drift apart.
 */
const NAMES = /['"`](TransactionCanceledException|ConditionalCheckFailedException|ConditionalCheckFailed|None|TransactionConflict)['"`]|CancellationReasons/;

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The lines of `source` that read a DynamoDB condition failure by hand. */
function handChecks(source: string): string[] {
  return source.split('\n').filter((line) => NAMES.test(line));
}

describe('failed conditions are read through platform condition-failed.ts only', () => {
  it('finds a hand-written check', () => {
    expect(handChecks("if ((err as { name?: string }).name === 'TransactionCanceledException') return false;")).toHaveLength(1);
    expect(handChecks('const reasons = (err as { CancellationReasons?: unknown[] }).CancellationReasons;')).toHaveLength(1);
    expect(handChecks("if (cancellationCodes(err)[2] === 'ConditionalCheckFailed') return 'taken';")).toHaveLength(1);
    expect(handChecks("return cancellationCodes(err)[index] === 'None';")).toHaveLength(1);
    expect(handChecks("const codes = cancellationCodes(err).map((c) => c ?? 'None');")).toHaveLength(1);
    expect(handChecks("return codes.includes('TransactionConflict');")).toHaveLength(1);
    expect(handChecks('if (!cancellationUntouched(err, counterAt)) this.forget(change);')).toEqual([]);
    expect(handChecks('if (isTransactionConditionFailed(err)) return false;')).toEqual([]);
  });

  it('no module source reads one by hand', () => {
    const found = readdirSync(join(REPO_ROOT, 'packages'))
      .flatMap((pkg) => sources(join(REPO_ROOT, 'packages', pkg, 'src')))
      .map((path) => relative(REPO_ROOT, path))
      .filter((path) => !ALLOWED.has(path))
      .flatMap((path) => handChecks(readFileSync(join(REPO_ROOT, path), 'utf8')).map((line) => `${path}: ${line.trim()}`));
    expect(found).toEqual([]);
  });
});
