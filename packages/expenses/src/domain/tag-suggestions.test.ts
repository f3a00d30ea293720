import { describe, expect, it } from 'vitest';
import { groupTags, suggestTags, type TagUse } from './tag-suggestions';

const use = (occurredOn: string, ...tags: string[]): TagUse => ({ ...(tags.length > 0 ? { tags } : {}), occurredOn });

describe('groupTags', () => {
  it('groups by searchKey (case and accents ignored), once per expense; the latest use gives spelling and date', () => {
    const groups = groupTags([
      use('2026-11-10', 'Trip', 'TRÍP'), // one expense naming it twice counts once
      use('2026-11-20', 'trip'), // later date met after: its spelling wins
      use('2026-11-01'),
      use('2026-11-05', 'Café', 'work'),
      use('2026-11-05', 'cafe'), // same date: the first met keeps its spelling
    ]);
    expect(groups).toEqual([
      { tag: 'trip', count: 2, lastUsedOn: '2026-11-20' },
      { tag: 'Café', count: 2, lastUsedOn: '2026-11-05' },
      { tag: 'work', count: 1, lastUsedOn: '2026-11-05' },
    ]);
  });
});

describe('suggestTags', () => {
  const uses = [use('2026-11-20', 'b-tag'), use('2026-11-19', 'Vacation-2026', 'a-tag'), use('2026-11-18', 'vacation-2026'), use('2026-11-17', 'b-tag')];

  it('orders by count, then last use, then key; cuts at limit', () => {
    expect(suggestTags(uses, { limit: 10 }).map((s) => s.tag)).toEqual(['b-tag', 'Vacation-2026', 'a-tag']);
    expect(suggestTags([use('2026-11-01', 'zeta'), use('2026-11-01', 'alpha')], { limit: 10 }).map((s) => s.tag)).toEqual(['alpha', 'zeta']);
    expect(suggestTags(uses, { limit: 1 }).map((s) => s.tag)).toEqual(['b-tag']);
  });

  it('q: the start of the tag or of one of its words, ignoring case and accents', () => {
    expect(suggestTags(uses, { q: 'VACA', limit: 10 }).map((s) => s.tag)).toEqual(['Vacation-2026']);
    expect(suggestTags(uses, { q: '2026', limit: 10 }).map((s) => s.tag)).toEqual(['Vacation-2026']);
    expect(suggestTags(uses, { q: 'tag', limit: 10 }).map((s) => s.tag)).toEqual(['b-tag', 'a-tag']);
    expect(suggestTags(uses, { q: 'cation', limit: 10 })).toEqual([]);
  });
});
