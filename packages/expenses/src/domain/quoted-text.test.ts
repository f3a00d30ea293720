import { describe, expect, it } from 'vitest';
import { isWellFormedText } from '@budgeting/platform';
import { clip } from './quoted-text';
import { QifFileError, readQif } from './qif/read';

/**
 * A quoted piece of a file goes into a problem+json body and the import's stored errors: it must
 * stay well-formed text. A cut between the two halves of a surrogate pair (an emoji, any
 * character past U+FFFF) leaves a lone surrogate, which JSON writes as "\ud83d" (strict parsers
 * refuse it) and UTF-8 cannot encode at all.
 */
describe('clip', () => {
  const emoji = '\u{1F600}';

  it.each([40, 200])('never cuts a surrogate pair in half (a character past U+FFFF at the %i-character mark)', (max) => {
    const clipped = clip(`${'a'.repeat(max - 1)}${emoji}b`, max);
    expect(isWellFormedText(clipped), JSON.stringify(clipped)).toBe(true);
    expect(clipped.endsWith('...')).toBe(true);
    expect(clipped.length).toBeLessThanOrEqual(max + 4);
  });

  it('keeps text of at most `max` characters whole, and text made of emoji whole pairs', () => {
    expect(clip('a'.repeat(40))).toBe('a'.repeat(40));
    expect(clip(emoji.repeat(30))).toBe(`${emoji.repeat(20)}...`);
  });

  it("a reader's refusal quoting a header line of emoji stays well-formed (QIF)", () => {
    try {
      readQif(`${'x'.repeat(39)}${emoji.repeat(10)}\n`);
      expect.unreachable('the file was read');
    } catch (err) {
      expect(err).toBeInstanceOf(QifFileError);
      expect(isWellFormedText((err as Error).message), (err as Error).message).toBe(true);
    }
  });
});
