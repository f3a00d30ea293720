import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectProblem } from '../../support/problem';
import { commandsSentDuring, type SentCommand } from '../../support/sent-commands';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * POST /expenses with an Idempotency-Key commits the key's record (holding the answer) in
 * the expense's own transaction: the whole write is one BatchGetItem (access) and one
 * TransactWriteItems, a retry replays the stored answer, another body is a 422, and a
 * refused attempt leaves nothing behind.
 */
let h: Harness;
let owner: User;
let viewer: User;
let budget: Budget;

beforeAll(async () => {
  h = await createHarness();
  owner = await h.signup('owner');
  viewer = await h.signup('viewer');
  budget = await h.createBudget(owner);
  await h.addMember(budget, owner, viewer, 'viewer');
  // This process now knows the budget's change counters it will use (a warm container).
  for (let i = 0; i < 40; i++) await post(owner, `warm-${i}`, { amount: 1, occurredOn: '2026-11-01' });
});
afterAll(() => h.destroy());

/**
 * The keys of each BatchGetItem (`reads`) and the ConditionChecks of each transaction
 * (`checks`) among `sent`, as "<pk prefix up to its second #>".
 */
function keysOf(sent: SentCommand[]) {
  const prefix = (pk: unknown) => String(pk).split('#').slice(0, 2).join('#');
  const input = (c: SentCommand) =>
    c.input as { TransactItems?: { ConditionCheck?: { Key: Record<string, unknown> } }[]; RequestItems?: Record<string, { Keys: { pk: string }[] }> };
  const reads = sent.flatMap((c) => {
    const items = input(c).RequestItems;
    return items ? [Object.values(items).flatMap((r) => r.Keys.map((k) => prefix(k.pk))).sort()] : [];
  });
  const checks = sent.flatMap((c) => {
    const items = input(c).TransactItems;
    return items ? [items.flatMap((i) => (i.ConditionCheck ? [prefix(i.ConditionCheck.Key.pk)] : [])).sort()] : [];
  });
  return { reads, checks };
}

const path = () => `/v1/budgets/${budget.id}/expenses`;
const post = (who: User, key: string, body: unknown) =>
  h.call('POST', path(), { token: who.token, body, headers: { 'idempotency-key': key } });

describe('an expense create with an Idempotency-Key', () => {
  it('is one transaction that also checks account, membership and category; the retry replays the same answer', async () => {
    // An explicit `categoryId: null`: uncategorized without asking the categorization rules
    // (a body without the field would read them first, one Query: rules-apply.test.ts).
    const body = { amount: 4_200, occurredOn: '2026-11-20', merchant: 'Bakery', categoryId: null };
    const { result: first, commands, sent } = await commandsSentDuring(h.t.doc, () => post(owner, 'one-write', body));
    const { checks, reads } = keysOf(sent);
    expect(first.status, first.text).toBe(201);
    // The day is named, so nothing is read first: the transaction carries ConditionChecks that
    // the bearer's account still exists (issue 12), that the caller may write to the budget
    // and that the category is the budget's (BudgetsFacade.writeChecks, platform deferGuard).
    // (Unless this process has not written the expense's change shard yet: then the change
    // number is read first, and the account check travels in that read instead.)
    const counterRead = reads.length === 1 && reads[0]!.join() === 'expenses#changes,users#user';
    expect(commands).toEqual(counterRead ? ['BatchGetItemCommand', 'TransactWriteItemsCommand'] : ['TransactWriteItemsCommand']);
    // (No category: the membership alone; see BudgetsRepository.writeChecks. No closed-budget
    // check: the membership's makes it redundant, see ExpensesRepository.create.)
    expect(checks).toEqual([counterRead ? ['budgets#budget'] : ['budgets#budget', 'users#user']]);

    const retry = await post(owner, 'one-write', { merchant: 'Bakery', occurredOn: '2026-11-20', amount: 4_200, categoryId: null });
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const mine = (await h.listExpenses(budget, owner.token)).filter((e) => e.merchant === 'Bakery');
    expect(mine.map((e) => e.id)).toEqual([first.json.id]);
  });

  it('refuses the same key with another body (422) and records nothing for it', async () => {
    expect((await post(owner, 'other-body', { amount: 10, occurredOn: '2026-11-21' })).status).toBe(201);
    expectProblem(await post(owner, 'other-body', { amount: 11, occurredOn: '2026-11-21' }), 422);
    expect((await h.listExpenses(budget, owner.token)).filter((e) => e.amount === 11)).toEqual([]);
  });

  it('keeps nothing of a refused attempt, so the corrected request with the same key runs', async () => {
    expectProblem(await post(owner, 'fix-me', { amount: 50, occurredOn: '2026-11-22', categoryId: 'no-such-category' }), 400);
    const fixed = await post(owner, 'fix-me', { amount: 50, occurredOn: '2026-11-22' });
    expect(fixed.status, fixed.text).toBe(201);
    expect(fixed.headers.get('idempotent-replayed')).toBeNull();
  });

  it('never replays to a caller who may not make the request (keys are per caller; a viewer is refused first)', async () => {
    const body = { amount: 70, occurredOn: '2026-11-23' };
    expect((await post(owner, 'shared-key', body)).status).toBe(201);
    expectProblem(await post(viewer, 'shared-key', body), 403);
  });

  it('records one expense for many concurrent identical requests; every one answers 201 with it', async () => {
    const body = { amount: 9_999, occurredOn: '2026-11-24', description: 'concurrent' };
    const answers = await Promise.all(Array.from({ length: 8 }, () => post(owner, 'concurrent-key', body)));
    expect(answers.map((a) => a.status)).toEqual(Array(8).fill(201));
    expect(new Set(answers.map((a) => a.json.id)).size).toBe(1);
    const recorded = (await h.listExpenses(budget, owner.token)).filter((e) => e.description === 'concurrent');
    expect(recorded).toHaveLength(1);
    expect(await h.spent(budget, owner.token, '2026-11-24')).toBeGreaterThanOrEqual(9_999);
  });
});
