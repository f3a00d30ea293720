import { describe, expect, it } from 'vitest';
import { addMember } from '../../support/actors';
import { archiveRaceSuite, type RaceBudget as Budget } from '../../support/archive-race';
import { tableItems } from '../../support/events';
import { expectProblem } from '../../support/problem';

/**
 * An archived budget's categorization rules and import profiles (packages/budgets/docs/budget-lifecycle.md "Archiving a
 * budget"): every write of theirs (rules: create, PATCH, DELETE, apply; import profiles:
 * create, PATCH, DELETE) answers 409 `budget-archived` and writes nothing (the rule, the
 * profile and the expense the rule would file are as they were, on GET and in the table);
 * reads still answer; once unarchived, each of those writes works again. The rules preview is
 * a read: it still answers on an archived budget (the owner's only, as on an active one).
 */
// A system and a team with a Groceries budget (made before the tests, destroyed after); `h` and `team` are read inside them.
const suite = archiveRaceSuite();

const owner = () => suite.team.owner.token;
const req = (method: string, url: string, body?: unknown) => suite.h.call(method, url, { token: owner(), ...(body === undefined ? {} : { body }) });

function expectArchived(res: Awaited<ReturnType<typeof req>>) {
  expectProblem(res, 409);
  expect(res.json.type).toMatch(/budget-archived$/);
  expect(res.json.title).toBe('The budget is archived');
}

/** Every item of the budget's expenses partition: nothing a refused write could add, change or remove escapes it. */
const partition = async (b: Budget) => (await tableItems(suite.h.t.doc, suite.h.t.tableName)).filter((i) => i.pk === `expenses#budget#${b.id}`);

const MAPPING = { dateColumn: 'Date', amountColumn: 'Amount', merchantColumn: 'Payee', dateFormat: 'YYYY-MM-DD' };

describe('archived budget: rules and import profiles', { timeout: 120_000 }, () => {
  it('every rule and import-profile write answers 409 budget-archived and writes nothing; after unarchive they work', async () => {
    const b = await suite.h.createBudget(suite.team.owner, { categories: ['Groceries', 'Eating out'] });
    const [groceries, eating] = [b.categories[0]!.id, b.categories[1]!.id];
    const rules = `/v1/budgets/${b.id}/rules`;
    const profiles = `/v1/budgets/${b.id}/import-profiles`;
    // An uncategorized expense of today, recorded before the rule exists: what an apply would file under Groceries.
    const expense = await req('POST', `/v1/budgets/${b.id}/expenses`, { amount: 1_250, merchant: 'Corner Market', categoryId: null });
    expect(expense.status, expense.text).toBe(201);
    const rule = await req('POST', rules, { merchant: { equals: 'Corner Market' }, categoryId: groceries });
    expect(rule.status, rule.text).toBe(201);
    const profile = await req('POST', profiles, { name: 'Bank', mapping: MAPPING });
    expect(profile.status, profile.text).toBe(201);
    const ruleUrl = `${rules}/${rule.json.id}`;
    const profileUrl = `${profiles}/${profile.json.id}`;
    const expenseUrl = `/v1/budgets/${b.id}/expenses/${expense.json.id}`;
    const before = {
      rule: (await req('GET', ruleUrl)).json,
      profile: (await req('GET', profileUrl)).json,
      expense: (await req('GET', expenseUrl)).json,
      items: await partition(b),
    };
    expect(before.expense).toMatchObject({ categoryId: null, version: 1 });

    const archived = await req('POST', `/v1/budgets/${b.id}/archive`);
    expect(archived.status, archived.text).toBe(200);

    expectArchived(await req('POST', rules, { merchant: { equals: 'Bakery' }, categoryId: eating }));
    expectArchived(await req('PATCH', ruleUrl, { categoryId: eating }));
    expectArchived(await req('DELETE', ruleUrl));
    expectArchived(await req('POST', `${ruleUrl}/apply`, {}));
    expectArchived(await req('POST', profiles, { name: 'Other bank', mapping: MAPPING }));
    expectArchived(await req('PATCH', profileUrl, { name: 'Renamed' }));
    expectArchived(await req('DELETE', profileUrl));

    // Nothing written: the rule, the profile and the expense as they were, the lists unchanged, the partition item for item.
    expect((await req('GET', ruleUrl)).json).toEqual(before.rule);
    expect((await req('GET', profileUrl)).json).toEqual(before.profile);
    expect((await req('GET', expenseUrl)).json).toEqual(before.expense);
    expect((await req('GET', rules)).json.items.map((r: { id: string }) => r.id)).toEqual([rule.json.id]);
    expect((await req('GET', profiles)).json.items.map((p: { id: string }) => p.id)).toEqual([profile.json.id]);
    expect(await partition(b)).toEqual(before.items);

    const back = await req('POST', `/v1/budgets/${b.id}/unarchive`);
    expect(back.status, back.text).toBe(200);

    // Each write works again: the apply files the expense under Groceries (version 2), the rest as usual.
    const applied = await req('POST', `${ruleUrl}/apply`, {});
    expect(applied.status, applied.text).toBe(200);
    expect(applied.json.applied).toEqual([{ id: expense.json.id, categoryId: groceries }]);
    expect((await req('GET', expenseUrl)).json).toMatchObject({ categoryId: groceries, version: 2 });
    const patchedRule = await req('PATCH', ruleUrl, { categoryId: eating });
    expect(patchedRule.status, patchedRule.text).toBe(200);
    expect(patchedRule.json).toMatchObject({ categoryId: eating, version: 2 });
    const another = await req('POST', rules, { merchant: { equals: 'Bakery' }, categoryId: eating });
    expect(another.status, another.text).toBe(201);
    expect((await req('DELETE', ruleUrl)).status).toBe(204);
    expect((await req('GET', rules)).json.items.map((r: { id: string }) => r.id)).toEqual([another.json.id]);

    const patchedProfile = await req('PATCH', profileUrl, { name: 'Renamed' });
    expect(patchedProfile.status, patchedProfile.text).toBe(200);
    expect(patchedProfile.json).toMatchObject({ name: 'Renamed', version: 2 });
    const otherProfile = await req('POST', profiles, { name: 'Other bank', mapping: MAPPING });
    expect(otherProfile.status, otherProfile.text).toBe(201);
    expect((await req('DELETE', profileUrl)).status).toBe(204);
    expect((await req('GET', profiles)).json.items.map((p: { id: string }) => p.id)).toEqual([otherProfile.json.id]);
  });

  it('the rules preview still answers on an archived budget, for the owner only, writing nothing; create and apply stay 409', async () => {
    const b = await suite.h.createBudget(suite.team.owner, { categories: ['Groceries', 'Eating out'] });
    await addMember(suite.h.app, suite.team.owner, b.id, suite.team.editor, 'editor');
    const groceries = b.categories[0]!.id;
    const rules = `/v1/budgets/${b.id}/rules`;
    const expenses = `/v1/budgets/${b.id}/expenses`;
    // The test clock is 2026-11-24 (UTC): the range below holds all four, two of them at Corner Market.
    const add = async (body: Record<string, unknown>) => {
      const res = await req('POST', expenses, body);
      expect(res.status, res.text).toBe(201);
      return res.json.id as string;
    };
    const older = await add({ amount: 1_250, merchant: 'Corner Market', occurredOn: '2026-11-02', categoryId: null });
    await add({ amount: 900, merchant: 'Bakery', occurredOn: '2026-11-03', categoryId: null });
    const newer = await add({ amount: 4_020, merchant: 'corner market', occurredOn: '2026-11-20', categoryId: groceries });
    await add({ amount: 300, merchant: 'Market Hall', occurredOn: '2026-11-21', categoryId: null });
    const rule = await req('POST', rules, { merchant: { equals: 'Corner Market' }, categoryId: groceries });
    expect(rule.status, rule.text).toBe(201);
    expect((await req('POST', `/v1/budgets/${b.id}/archive`)).status).toBe(200);
    const items = await partition(b);

    const body = { rule: { merchant: { equals: 'Corner Market' }, categoryId: groceries }, from: '2026-11-01', to: '2026-11-24' };
    const preview = await req('POST', `${rules}/preview`, body);
    expect(preview.status, preview.text).toBe(200);
    // Newest first; `equals` ignores case ("corner market"), "Market Hall" and "Bakery" are not matched.
    expect(preview.json).toEqual({
      from: '2026-11-01',
      to: '2026-11-24',
      matches: [
        { id: newer, occurredOn: '2026-11-20', merchant: 'corner market', amount: 4_020, categoryId: groceries },
        { id: older, occurredOn: '2026-11-02', merchant: 'Corner Market', amount: 1_250, categoryId: null },
      ],
      more: false,
    });
    // Role still comes first: an editor 403, a viewer 403, a stranger 404.
    expectProblem(await suite.h.call('POST', `${rules}/preview`, { token: suite.team.editor.token, body }), 403);
    expectProblem(await suite.h.call('POST', `${rules}/preview`, { token: suite.team.stranger.token, body }), 404);
    // Every rule write is still refused.
    expectArchived(await req('POST', rules, { merchant: { equals: 'Bakery' }, categoryId: groceries }));
    expectArchived(await req('POST', `${rules}/${rule.json.id}/apply`, { from: '2026-11-01', to: '2026-11-24' }));
    expect(await partition(b)).toEqual(items);
  });
});
