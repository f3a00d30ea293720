import fc from 'fast-check';
import { expect } from 'vitest';
import { MAX_AMOUNT_MINOR, MAX_DATE, MIN_DATE, isCalendarDate } from '@budgeting/platform';
import type { ReadFile } from '../../packages/expenses/src/domain/import-file';
import { validateFileRow } from '../../packages/expenses/src/domain/file-rows';
import type { RowContext } from '../../packages/expenses/src/domain/csv/rows';

/**
 * Hostile import files for the readers' property tests (csv/, ofx/, qif/, camt/ *.property.test.ts):
 * arbitrary text, and a valid file mutated the ways uploads break (cut off, lines duplicated,
 * swapped or dropped, stray quotes and markup, NULs, lone surrogates, BOMs in the middle, CR-only
 * line ends, one huge field). What each reader may do with them is its module's contract: read
 * rows, or throw ITS OWN error (which the import service answers as a 400 naming `body`); any
 * other exception would be a 500 (service/import-read.ts `read`).
 */

/** Under CI a fixed seed (FUZZ_SEED, default 53), so a landing never depends on the draw; FUZZ_SEED=n replays a failure. */
export function fuzzParameters(numRuns: number): fc.Parameters<unknown> {
  const seed = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : process.env.CI ? 53 : undefined;
  return { numRuns: Number(process.env.FUZZ_RUNS ?? numRuns), seed, endOnFailure: true };
}

/** Largest text a mutation inserts as one field: 64 KB keeps a run of 100 files near a second. */
const HUGE = 64 * 1024;

type Mutation = (lines: string[]) => string[];

const at = (n: number, length: number) => (length === 0 ? 0 : n % length);
const insertAt = (line: string, n: number, what: string) => line.slice(0, at(n, line.length + 1)) + what + line.slice(at(n, line.length + 1));

/** One way a file breaks, applied to its lines. */
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.nat().map((n): Mutation => (lines) => lines.slice(0, at(n, lines.length + 1))),
  fc.nat().map((n): Mutation => (lines) => {
    const text = lines.join('\n');
    return text.slice(0, at(n, text.length + 1)).split('\n');
  }),
  fc.nat().map((n): Mutation => (lines) => lines.flatMap((l, i) => (i === at(n, lines.length) ? [l, l] : [l]))),
  fc.tuple(fc.nat(), fc.nat()).map(([a, b]): Mutation => (lines) => {
    if (lines.length === 0) return lines;
    const out = [...lines];
    const [i, j] = [at(a, out.length), at(b, out.length)];
    [out[i], out[j]] = [out[j]!, out[i]!];
    return out;
  }),
  fc.nat().map((n): Mutation => (lines) => lines.filter((_, i) => i !== at(n, lines.length))),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('"', '""', '\0', '\uD800', '\uDFFF', '\uFEFF', '\r', '<', '>', '&', '&#0;', '&#xD800;', '^', ';', ',', '\t', '-', '.', '€', '<!--', ']]>', '<![CDATA[', "'"))
    .map(([a, b, what]): Mutation => (lines) => lines.map((l, i) => (i === at(a, lines.length) ? insertAt(l, b, what) : l))),
  fc.tuple(fc.nat(), fc.nat(), fc.constantFrom('x', '9', ' ', '"', '<A>', 'M'), fc.integer({ min: 1, max: HUGE }))
    .map(([a, b, unit, size]): Mutation => (lines) => lines.map((l, i) => (i === at(a, lines.length) ? insertAt(l, b, unit.repeat(Math.ceil(size / unit.length))) : l))),
  fc.tuple(fc.nat(), fc.string({ unit: 'binary', maxLength: 40 })).map(([a, junk]): Mutation => (lines) => lines.map((l, i) => (i === at(a, lines.length) ? junk : l))),
);

/** Line ends a file is joined with: LF, CRLF, CR only. */
const lineEnd = fc.constantFrom('\n', '\r\n', '\r');

/** `valid` (one line per element of the array) broken by 1 to 4 mutations, joined by LF, CRLF or CR. */
export function mutatedFile(valid: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.array(mutation, { minLength: 1, maxLength: 4 }), lineEnd, fc.boolean()).map(([steps, end, bom]) => {
    const lines = steps.reduce((l, step) => step(l), [...valid]);
    return (bom ? '\uFEFF' : '') + lines.join(end);
  });
}

/** Anything a client may send as a file's text: any code points (lone surrogates and NULs too), or a mutated valid file. */
export function hostileText(valid: readonly string[]): fc.Arbitrary<string> {
  return fc.oneof(
    { arbitrary: fc.string({ unit: 'binary', maxLength: 300 }), weight: 1 },
    { arbitrary: fc.string({ unit: fc.constantFrom(...'<>/!?"\'=&;#^\n\r\t,.-+0123456789 DTPLMSE$AZ\0\uFEFF'), maxLength: 300 }), weight: 1 },
    { arbitrary: mutatedFile(valid), weight: 4 },
  );
}

/** Messages a reader or the row check returns are quoted in the import's `errors`; 100 of them must stay far below DynamoDB's 400 KB item. */
export const MESSAGE_MAX = 400;

/**
 * Reads `text` and checks the reader's contract: it returns rows, or throws one of `allowed`
 * (its own errors, with a line >= 1 and a short message); every row it returns has a line
 * within the file, and checked by the import's row rules (file-rows.ts validateFileRow) is
 * either an error of a short message or an expense of an integer amount in (0,
 * MAX_AMOUNT_MINOR] and a calendar date in [MIN_DATE, MAX_DATE].
 */
export function checkReader(text: string, read: (text: string) => ReadFile, allowed: readonly (new (...args: never[]) => Error)[], context: RowContext): void {
  let file: ReadFile;
  try {
    file = read(text);
  } catch (err) {
    if (!allowed.some((kind) => err instanceof kind)) throw err;
    const e = err as Error & { line?: number };
    expect(e.message.length, e.message.slice(0, 300)).toBeLessThanOrEqual(MESSAGE_MAX);
    if (e.line !== undefined) expect(e.line).toBeGreaterThanOrEqual(1);
    return;
  }
  const physicalLines = text.split(/\r\n|\r|\n/).length;
  for (const line of [...file.rows.map((r) => r.line), ...file.skipped]) {
    expect(Number.isInteger(line) && line >= 1 && line <= physicalLines).toBe(true);
  }
  for (const record of file.rows) {
    const checked = validateFileRow(record, context);
    if (!checked.ok) {
      expect(checked.message.length).toBeLessThanOrEqual(MESSAGE_MAX);
      continue;
    }
    const { amount, occurredOn, splits } = checked.value.row;
    for (const a of [amount, ...(splits ?? []).map((s) => s.amount)]) {
      expect(Number.isSafeInteger(a) && a > 0 && a <= MAX_AMOUNT_MINOR).toBe(true);
    }
    expect(isCalendarDate(occurredOn) && occurredOn >= MIN_DATE && occurredOn <= MAX_DATE).toBe(true);
  }
}
