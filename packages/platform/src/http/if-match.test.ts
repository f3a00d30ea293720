import { ProblemError, expectedVersion } from '@budgeting/platform';
import { isSafe } from 'redos-detector';
import { LIST_ELEMENT } from './etag';
import type { Context } from 'hono';
import { describe, expect, it } from 'vitest';

/** The If-Match parser's corner cases (RFC 9110 sections 8.8.3, 13.1.1 and 5.6.1); HTTP behaviour is in tests/integration/platform/if-match.test.ts. */
const withIfMatch = (value: string | undefined) => ({ req: { header: () => value } }) as unknown as Context;
const versions = (value: string | undefined) => {
  const result = expectedVersion(withIfMatch(value));
  return result === undefined ? undefined : [...result].sort((a, b) => a - b);
};

describe('expectedVersion (If-Match)', () => {
  it('sets no precondition without the header or with `*`', () => {
    expect(versions(undefined)).toBeUndefined();
    expect(versions('*')).toBeUndefined();
    expect(versions(' * ')).toBeUndefined();
  });

  it.each([
    ['"3"', [3]],
    ['"3", "5"', [3, 5]],
    ['"3","5" ,\t"8"', [3, 5, 8]],
    [', "3" ,, "5",', [3, 5]], // empty list elements are ignored, as recipients must
    ['"0"', [0]],
    ['"999999999999999"', [999_999_999_999_999]],
  ])('accepts the strong version tags of %s', (header, expected) => {
    expect(versions(header)).toEqual(expected);
  });

  it.each([
    ['a weak tag', 'W/"3"'],
    ['only weak tags', 'W/"3", W/"4"'],
    ['a leading zero (strong comparison is octet by octet)', '"03"'],
    ['a tag we never send', '"abc"'],
    ['a comma inside a tag (one tag, not two)', '"3,4"'],
    ['an empty tag', '""'],
    ['a version too long to be ours', '"1234567890123456"'],
  ])('matches no version for %s: a 412, not a 400', (_name, header) => {
    expect(versions(header)).toEqual([]);
  });

  it('keeps the strong tags of a list mixing weak and strong ones', () => {
    expect(versions('W/"3", "4", W/"5"')).toEqual([4]);
  });

  it.each([
    ['an unquoted version', '3'],
    ['a list item without quotes', '"3", 4'],
    ['two tags without a comma', '"3" "4"'],
    ['a lower-case weak prefix', 'w/"3"'],
    ['a space after W/', 'W/ "3"'],
    ['an unterminated tag', '"3'],
    ['a quote inside a tag', '"3"4"'],
    ['`*` in a list', '*, "3"'],
    ['an empty header', ''],
    ['only commas', ' , ,'],
    ['a control character in a tag', '"3\u0001"'],
  ])('refuses %s with a 400 naming header.If-Match', (_name, header) => {
    try {
      expectedVersion(withIfMatch(header));
      expect.unreachable();
    } catch (err) {
      expect(err).toBeInstanceOf(ProblemError);
      expect((err as ProblemError).status).toBe(400);
      expect((err as ProblemError).toBody().errors).toEqual([expect.objectContaining({ path: 'header.If-Match' })]);
    }
  });
});

describe('the cost of reading a list', () => {
  /** Node's HTTP server takes header sections up to 16 KB: one header of about that size is what a client can send. */
  const HEADER_BYTES = 16_000;

  it('matches each run of blanks one way only, so a list is read in linear time (checked by redos-detector, not a clock)', () => {
    // The pattern runs sticky, at each element's start: checked anchored there.
    const asRun = (pattern: RegExp) => new RegExp(`^(?:${pattern.source})`);
    expect(isSafe(asRun(LIST_ELEMENT)).safe).toBe(true);
    // Before 5f492ff1: two optional runs of blanks side by side; 16 KB of spaces then a non-tag took a quarter second.
    expect(isSafe(asRun(/[ \t]*(?:(W\/)?"([\x21\x23-\x7e\x80-\xff]*)")?[ \t]*(,|$)/)).safe).toBe(false);
  });

  it.each([
    ['a run of spaces that ends in a non-tag', `${' '.repeat(HEADER_BYTES)}x`],
    ['a run of tabs and spaces before the end', `"3",${' \t'.repeat(HEADER_BYTES / 2)}"`],
    ['many empty elements each padded by spaces', `${'  ,'.repeat(HEADER_BYTES / 3)}x`],
  ])('refuses a header the size of a request\'s whole header section: %s', (_name, header) => {
    expect(() => expectedVersion(withIfMatch(header))).toThrow(ProblemError);
  });
});
