import { describe, expect, it } from 'vitest';
import { limitPage } from './limit-page';

const item = (n: number) => ({ pk: 'p', sk: `s${n}`, gsi1pk: 'g', gsi1sk: `g${n}`, other: n });

describe('limitPage: a Query read with Limit limit + 1', () => {
  it('more than limit: the first limit, resuming after the last of them (its key attributes only)', () => {
    const out = limitPage([item(1), item(2), item(3)], 2, { pk: 'p', sk: 's3' }, ['pk', 'sk', 'gsi1pk', 'gsi1sk']);
    expect(out).toEqual({ items: [item(1), item(2)], lastKey: { pk: 'p', sk: 's2', gsi1pk: 'g', gsi1sk: 'g2' } });
  });

  it('cut short by DynamoDB (1 MB): the items it gave and ITS LastEvaluatedKey', () => {
    const out = limitPage([item(1)], 2, { pk: 'p', sk: 's1' }, ['pk', 'sk']);
    expect(out).toEqual({ items: [item(1)], lastKey: { pk: 'p', sk: 's1' } });
  });

  it('the end: no lastKey at all', () => {
    expect(limitPage([item(1), item(2)], 2, undefined, ['pk', 'sk'])).toEqual({ items: [item(1), item(2)] });
    expect(limitPage([], 2, undefined, ['pk', 'sk'])).toEqual({ items: [] });
  });
});
