import { describe, expect, it } from 'vitest';
import { COMMENT_TEXT_MAX } from '../domain/comments';
import { CreateCommentBody } from './comments.schemas';

/** One clear error per bad value: a comment's text too long is one error naming `text`, with the limit that applies. */
describe('CreateCommentBody text', () => {
  it.each([
    ['just over the limit in characters', 'a'.repeat(COMMENT_TEXT_MAX + 1)],
    ['over the UTF-16 bound as well', 'a'.repeat(COMMENT_TEXT_MAX * 2 + 1)],
    ['far over (a 1 MB body)', 'a'.repeat(1_000_000)],
  ])('is one error naming text when %s', (_, text) => {
    const result = CreateCommentBody.safeParse({ text });
    expect(result.success).toBe(false);
    const issues = result.error!.issues;
    expect(issues.map((i) => i.path.join('.'))).toEqual(['text']);
    expect(issues[0]!.message).toContain(`${COMMENT_TEXT_MAX} characters`);
  });

  it('counts an emoji as one character: 1000 of them fit', () => {
    expect(CreateCommentBody.safeParse({ text: '\u{1F600}'.repeat(COMMENT_TEXT_MAX) }).success).toBe(true);
  });
});
