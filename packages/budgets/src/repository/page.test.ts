import { describe, expect, it } from 'vitest';
import { toPage } from './page';

const item = (n: number) => ({ pk: 'budgets#budget#b1', sk: `budgets#member#u${n}`, n });

describe('toPage (a Query read with Limit: limit + 1)', () => {
  it('more than limit: the page and the key of its last item', () => {
    const page = toPage([item(1), item(2), item(3)], 2, ['pk', 'sk'], (i) => i.n, { pk: 'budgets#budget#b1', sk: 'budgets#member#u3' });
    expect(page).toEqual({ items: [1, 2], lastKey: { pk: 'budgets#budget#b1', sk: 'budgets#member#u2' } });
  });

  it('at most limit and read to the end: no cursor (no empty last page)', () => {
    expect(toPage([item(1), item(2)], 2, ['pk', 'sk'], (i) => i.n)).toEqual({ items: [1, 2], lastKey: undefined });
  });

  it('cut short by DynamoDB at 1 MB (fewer items, its own LastEvaluatedKey): that key, so paging goes on', () => {
    const cut = { pk: 'budgets#budget#b1', sk: 'budgets#member#u1' };
    expect(toPage([item(1)], 25, ['pk', 'sk'], (i) => i.n, cut)).toEqual({ items: [1], lastKey: cut });
  });
});
