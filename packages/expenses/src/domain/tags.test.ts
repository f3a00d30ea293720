import { describe, expect, it } from 'vitest';
import { CreateExpenseBody, UpdateExpenseBody } from '../schemas/expenses.schemas';
import { TAGS_MAX, TAG_MAX, hasTag, patchTags, storedTags, tagsField } from './tags';

/** The tag rules (domain/tags.ts) and the schema's checks of a body's tags, each problem naming its field. */
describe('tags', () => {
  it('stores tags name-normalized, deduplicated ignoring case and accents (first spelling kept), in order', () => {
    expect(storedTags(['  Vacation 2026 ', 'reimbursable', 'VACATION  2026', 'Réimbursable', 'work', 'vacation\u00a02026'])).toEqual([
      'Vacation 2026',
      'reimbursable',
      'work',
    ]);
    // NFC: a decomposed accent is stored composed, and matches its precomposed twin.
    expect(storedTags(['cafe\u0301', 'café'])).toEqual(['café']);
    // Only invisible characters: no tag at all.
    expect(storedTags(['\u200b'])).toBeUndefined();
  });

  it('none is no attribute: [] and null store nothing, PATCH [] or null removes, undefined keeps', () => {
    expect(tagsField([])).toEqual({});
    expect(tagsField(undefined)).toEqual({});
    expect(tagsField(['a', 'A'])).toEqual({ tags: ['a'] });
    const next: { tags?: string[] } = { tags: ['old'] };
    patchTags(next, undefined);
    expect(next).toEqual({ tags: ['old'] });
    patchTags(next, ['New', 'new']);
    expect(next).toEqual({ tags: ['New'] });
    patchTags(next, []);
    expect(next).toEqual({});
    next.tags = ['x'];
    patchTags(next, null);
    expect('tags' in next).toBe(false);
  });

  it('hasTag compares searchKeys', () => {
    expect(hasTag(['Café'], 'cafe')).toBe(true);
    expect(hasTag(['Café au lait'], 'cafe')).toBe(false);
    expect(hasTag(undefined, 'cafe')).toBe(false);
  });

  const problemPaths = (result: { success: boolean; error?: { issues: { path: PropertyKey[] }[] } }) =>
    result.success ? [] : result.error!.issues.map((i) => i.path.join('.'));

  it('the schemas accept up to TAGS_MAX tags of 1..TAG_MAX characters after trimming', () => {
    const tags = Array.from({ length: TAGS_MAX }, (_, i) => `${' '.repeat(i)}${'t'.repeat(TAG_MAX - 2)}${i.toString().padStart(2, '0')} `);
    const parsed = CreateExpenseBody.safeParse({ amount: 1, tags });
    expect(parsed.success).toBe(true);
    expect(parsed.data!.tags!.every((t) => t.length === TAG_MAX)).toBe(true);
    expect(UpdateExpenseBody.safeParse({ tags: null }).success).toBe(true);
    expect(UpdateExpenseBody.safeParse({ tags: [] }).success).toBe(true);
  });

  it('the schemas refuse too many tags naming `tags`, and a bad tag naming `tags.<n>`', () => {
    expect(problemPaths(CreateExpenseBody.safeParse({ amount: 1, tags: Array.from({ length: TAGS_MAX + 1 }, (_, i) => `t${i}`) }))).toEqual(['tags']);
    expect(problemPaths(CreateExpenseBody.safeParse({ amount: 1, tags: ['ok', 'ok', 'ok', '   '] }))).toEqual(['tags.3']);
    expect(problemPaths(CreateExpenseBody.safeParse({ amount: 1, tags: ['ok', 'x'.repeat(TAG_MAX + 1)] }))).toEqual(['tags.1']);
    expect(problemPaths(CreateExpenseBody.safeParse({ amount: 1, tags: [7] }))).toEqual(['tags.0']);
    expect(problemPaths(CreateExpenseBody.safeParse({ amount: 1, tags: ['\u200b'] }))).toEqual(['tags.0']);
    expect(problemPaths(CreateExpenseBody.safeParse({ amount: 1, tags: ['a\u0000b'] }))).toEqual(['tags.0']);
    expect(problemPaths(CreateExpenseBody.safeParse({ amount: 1, tags: 'vacation' }))).toEqual(['tags']);
    expect(problemPaths(UpdateExpenseBody.safeParse({ tags: ['fine', ''] }))).toEqual(['tags.1']);
  });
});
