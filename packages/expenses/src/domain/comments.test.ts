import { describe, expect, it } from 'vitest';
import { codePoints, COMMENT_EXCERPT_MAX, commentExcerpt } from './comments';

describe('comment text', () => {
  it('counts code points, not UTF-16 units', () => {
    expect(codePoints('🧾🧾')).toBe(2);
    expect('🧾🧾'.length).toBe(4);
  });

  it('keeps a short text as it is, collapsing whitespace', () => {
    expect(commentExcerpt('Milk\n\nand  eggs ')).toBe('Milk and eggs');
  });

  it("puts every line break on the one line, NEL (U+0085) and U+2028/2029 too: the excerpt is a push's body, a co-member's text", () => {
    expect(commentExcerpt('Thanks!\u0085\u0085Your account is locked,\u2028call 555-0100\u2029')).toBe('Thanks! Your account is locked, call 555-0100');
  });

  it('cuts a long text on a code point with an ellipsis, never leaving a lone surrogate', () => {
    const text = '🧾'.repeat(COMMENT_EXCERPT_MAX + 5);
    const excerpt = commentExcerpt(text);
    expect(codePoints(excerpt)).toBe(COMMENT_EXCERPT_MAX);
    expect(excerpt.endsWith('…')).toBe(true);
    expect(excerpt).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])/);
  });

  it('cuts between what a reader sees as characters, never inside a flag or a joined emoji', () => {
    const family = '\u{1F468}\u200d\u{1F469}\u200d\u{1F467}';
    expect(commentExcerpt(`${'a'.repeat(77)}${family}${'b'.repeat(10)}`)).toBe(`${'a'.repeat(77)}…`);
    expect(commentExcerpt(`${'a'.repeat(78)}\u{1F1EC}\u{1F1E7}${'b'.repeat(10)}`)).toBe(`${'a'.repeat(78)}…`);
    expect(commentExcerpt(`${'a'.repeat(74)}${family}${'b'.repeat(10)}`)).toBe(`${'a'.repeat(74)}${family}…`);
  });
});
