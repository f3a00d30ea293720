import { beforeAll, describe, expect, it } from 'vitest';
import { outboxEvents } from '../../support/events';
import type { Harness, User } from './harness';
import { recurringSuite } from './recurring-harness';

/**
 * Categorization rules do not reach recurring occurrences (DynamoDB Local, the real job): a
 * definition holds its own category (or none), so an uncategorized definition whose merchant
 * a rule matches records uncategorized occurrences, without the rule's tags or categorizedBy.
 */
const suite = recurringSuite('2026-11-24T12:00:00Z');
const { created, req, run, collection } = suite;
let h: Harness;
let owner: User;
beforeAll(() => {
  h = suite.harness();
  owner = suite.owner();
});

describe('categorization rules and recurring expenses', { timeout: 120_000 }, () => {
  it('an occurrence keeps its definition\'s category, whatever the rules say', async () => {
    const b = await h.createBudget(owner, { categories: ['Subscriptions'] });
    const rule = await req('POST', `/v1/budgets/${b.id}/rules`, { body: { merchant: { equals: 'streamflix' }, categoryId: b.categories[0]!.id, tags: ['tv'] } });
    expect(rule.status, rule.text).toBe(201);
    const def = await req('POST', collection(b), { body: { amount: 999, merchant: 'StreamFlix', schedule: { frequency: 'daily' } } });
    expect(def.status, def.text).toBe(201);
    created.push(def.headers.get('location')!);
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });

    const listed = await req('GET', `/v1/budgets/${b.id}/expenses`);
    expect(listed.json.items.map((e: { merchant: string; categoryId: string | null; tags?: string[] }) => [e.merchant, e.categoryId, e.tags])).toEqual([
      ['StreamFlix', null, undefined],
    ]);
    const recorded = (await outboxEvents(h.t, 'expense.recorded')).filter((e) => e.envelope.data.budgetId === b.id);
    expect(recorded.map((e) => [e.envelope.data.via, e.envelope.data.categoryId, e.envelope.data.categorizedBy])).toEqual([['recurring', null, undefined]]);
    // The same merchant sent by hand without a category does take the rule.
    const byHand = await req('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 999, merchant: 'StreamFlix' } });
    expect([byHand.json.categoryId, byHand.json.tags]).toEqual([b.categories[0]!.id, ['tv']]);
  });
});
