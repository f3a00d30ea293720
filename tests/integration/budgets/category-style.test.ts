import { beforeAll, describe, expect, it } from 'vitest';
import { deliver, outboxEvents } from '../../support/events';
import { setClockFor } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, as, clockSuite, createBudget, expectProblem, storedBudget, type Account } from './helpers';

/**
 * A category's `emoji` and `color`, and the order of a budget's categories, over HTTP on
 * DynamoDB Local with a fixed clock (November 2026): create, GET, what is stored, PATCH (change,
 * null, left out), copy, the lines of the summary, trends and report, the report page (the bar's
 * fill, the emoji in the table), the quick budget's patch and lines, the spending insights lines, budget.updated and the activity log, reordering by PATCH, and the 400s.
 */
const suite = clockSuite('2026-11-10T12:00:00Z');
const { clock, call, get } = suite;
let t: TestSystem;
let owner: Account;
beforeAll(() => ({ t, owner } = suite.accounts));

describe('category emoji and color', () => {
  let budgetId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await setClockFor(t, clock, owner, '2026-10-05T12:00:00Z');
    const budget = await createBudget(t.app, owner, {
      limit: 100_000,
      categories: [
        { name: 'Groceries', limit: 40_000, emoji: '🍕', color: '#1a2B3c' },
        { name: 'Travel', limit: 10_000, emoji: '🇩🇪', color: '#C0FFEE', hidden: true },
        { name: 'Family', emoji: '👨‍👩‍👧', color: null },
        { name: 'Misc', emoji: null },
      ],
    });
    budgetId = budget.id;
    for (const c of budget.categories as { id: string; name: string }[]) ids[c.name] = c.id;
    // October: Groceries 30,000; Travel 12,000 (over its 10,000).
    await addExpense(t.app, owner, budgetId, { amount: 30_000, occurredOn: '2026-10-02', categoryId: ids.Groceries });
    await addExpense(t.app, owner, budgetId, { amount: 12_000, occurredOn: '2026-10-03', categoryId: ids.Travel });
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    // November: Family 2,500.
    await addExpense(t.app, owner, budgetId, { amount: 2_500, occurredOn: '2026-11-02', categoryId: ids.Family });
  });

  it('create keeps the emoji and the color (upper-case); null or absent stores nothing', async () => {
    const budget = await get(`/v1/budgets/${budgetId}`);
    expect(budget.categories).toEqual([
      { id: ids.Groceries, name: 'Groceries', limit: 40_000, emoji: '🍕', color: '#1A2B3C' },
      { id: ids.Travel, name: 'Travel', limit: 10_000, hidden: true, emoji: '🇩🇪', color: '#C0FFEE' },
      { id: ids.Family, name: 'Family', emoji: '👨‍👩‍👧' },
      { id: ids.Misc, name: 'Misc' },
    ]);
    const item = await storedBudget(t, budgetId);
    expect(item.categories[0]).toEqual({ id: ids.Groceries, name: 'Groceries', limit: 40_000, emoji: '🍕', color: '#1A2B3C' });
    expect(item.categories[3]).toEqual({ id: ids.Misc, name: 'Misc' });
  });

  it('summary, trends and forecast lines carry them (only where set)', async () => {
    const s = await get(`/v1/budgets/${budgetId}/summary`);
    expect(s.categories.map((c: any) => [c.name, c.emoji, c.color, c.spent])).toEqual([
      ['Groceries', '🍕', '#1A2B3C', 0],
      ['Travel', '🇩🇪', '#C0FFEE', 0],
      ['Family', '👨‍👩‍👧', undefined, 2_500],
      ['Misc', undefined, undefined, 0],
    ]);
    expect(s.categories[3]).not.toHaveProperty('emoji');
    const tr = await get(`/v1/budgets/${budgetId}/trends?periods=2`);
    // Groceries: 30,000 in October + 0 in November.
    expect(tr.categories[0]).toEqual({ categoryId: ids.Groceries, name: 'Groceries', limit: 80_000, group: null, emoji: '🍕', color: '#1A2B3C', total: 30_000, average: 15_000 });
    expect(tr.periods[0].categories[1]).toMatchObject({ name: 'Travel', hidden: true, emoji: '🇩🇪', color: '#C0FFEE', spent: 12_000 });
    const f = await get(`/v1/budgets/${budgetId}/forecast`);
    expect(f.categories[2]).toMatchObject({ categoryId: ids.Family, emoji: '👨‍👩‍👧', spent: 2_500 });
    expect(f.categories[2]).not.toHaveProperty('color');
  });

  it("October's report keeps them on its lines; its page draws the bar in the color and shows the emoji before the name", async () => {
    const res = await call('POST', `/v1/budgets/${budgetId}/reports`, { date: '2026-10-15' });
    expect(res.status, res.text).toBe(201);
    expect(res.json.byCategory[0]).toEqual({ categoryId: ids.Groceries, name: 'Groceries', limit: 40_000, group: null, emoji: '🍕', color: '#1A2B3C', spent: 30_000 });
    const page = await as(t.app, owner)('GET', res.headers.get('location')!, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    // Groceries: 30,000 of 40,000, left 10,000. Travel: 12,000 of 10,000 (over), hidden.
    expect(page.text).toContain('<tr><td>🍕 Groceries</td><td class="n"><span>400.00</span></td><td class="n"><span>300.00</span></td><td class="n"><span>100.00</span></td></tr>');
    expect(page.text).toContain('<tr><td>🇩🇪 Travel (hidden)</td>');
    expect(page.text).toContain('<tr><td>👨‍👩‍👧 Family</td>');
    expect(page.text).toContain('<tr><td>Misc</td>');
    // The bars: Groceries in its color; Travel in its color, outlined red (over its limit); Family and Misc (no color) in the default blue.
    expect(page.text).toMatch(/<rect x="180" y="5" width="[\d.]+" height="20" fill="#1A2B3C"\/>/);
    expect(page.text).toMatch(/<rect x="180" y="33" width="[\d.]+" height="20" fill="#C0FFEE" stroke="#c0392b" stroke-width="2"\/>/);
    expect(page.text).toMatch(/<rect x="180" y="61" width="0" height="20" fill="#2e86c1"\/>/);
  });

  it('the quick budget keeps them in its patch and shows them on its lines', async () => {
    const res = await call('GET', `/v1/budgets/${budgetId}/limit-suggestions?basis=last-period-spent&periods=1&roundTo=1`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.patch.categories[0]).toEqual({ id: ids.Groceries, name: 'Groceries', limit: 30_000, emoji: '🍕', color: '#1A2B3C' });
    // October spent: Groceries 30,000 (limit 40,000); Travel 12,000, hidden: no suggestion, its 10,000 kept.
    expect(res.json.categories).toEqual([
      { categoryId: ids.Groceries, name: 'Groceries', emoji: '🍕', color: '#1A2B3C', limit: 40_000, suggested: 30_000, change: -10_000, unchanged: false, spent: [30_000] },
      { categoryId: ids.Travel, name: 'Travel', hidden: true, emoji: '🇩🇪', color: '#C0FFEE', limit: 10_000, suggested: 10_000, change: 0, unchanged: true, spent: [12_000] },
      { categoryId: ids.Family, name: 'Family', emoji: '👨‍👩‍👧', limit: null, suggested: 0, change: 0, unchanged: false, spent: [0] },
      { categoryId: ids.Misc, name: 'Misc', limit: null, suggested: 0, change: 0, unchanged: false, spent: [0] },
    ]);
  });

  it('the spending insights lines carry them (only where set)', async () => {
    // Days 1..10 of November against October's (the budget's first period): Family 2,500 against 0;
    // Misc 0 against 0; Travel 0 against 12,000; Groceries 0 against 30,000. Sorted by difference, largest first.
    const res = await call('GET', `/v1/budgets/${budgetId}/spending-insights?date=2026-11-10`);
    expect(res.status, res.text).toBe(200);
    expect(res.json.periods).toBe(1);
    expect(res.json.categories.map((c: any) => [c.name, c.hidden, c.emoji, c.color, c.spentSoFar, c.difference])).toEqual([
      ['Family', undefined, '👨‍👩‍👧', undefined, 2_500, 2_500],
      ['Misc', undefined, undefined, undefined, 0, 0],
      ['Travel', true, '🇩🇪', '#C0FFEE', 0, -12_000],
      ['Groceries', undefined, '🍕', '#1A2B3C', 0, -30_000],
    ]);
    expect(res.json.categories[1]).not.toHaveProperty('emoji');
    expect(res.json.categories[1]).not.toHaveProperty('color');
    expect(res.json.categories[0]).not.toHaveProperty('color');
  });

  it('copy keeps them', async () => {
    const res = await call('POST', `/v1/budgets/${budgetId}/copy`, { name: 'Next year' });
    expect(res.status, res.text).toBe(201);
    expect(res.json.categories.map(({ id: _id, ...c }: { id: string }) => c)).toEqual([
      { name: 'Groceries', limit: 40_000, emoji: '🍕', color: '#1A2B3C' },
      { name: 'Travel', limit: 10_000, hidden: true, emoji: '🇩🇪', color: '#C0FFEE' },
      { name: 'Family', emoji: '👨‍👩‍👧' },
      { name: 'Misc' },
    ]);
  });

  it('PATCH changes and clears them (null, left out); the same color in another case is no change; budget.updated carries them', async () => {
    const before = await get(`/v1/budgets/${budgetId}`);
    const res = await call('PATCH', `/v1/budgets/${budgetId}`, {
      categories: [
        { id: ids.Groceries, name: 'Groceries', limit: 40_000, emoji: '🛒', color: '#00ff00' },
        { id: ids.Travel, name: 'Travel', limit: 10_000, hidden: true, emoji: null, color: null },
        { id: ids.Family, name: 'Family' },
        { id: ids.Misc, name: 'Misc', color: '#abcdef' },
      ],
    });
    expect(res.status, res.text).toBe(200);
    const after = [
      { id: ids.Groceries, name: 'Groceries', limit: 40_000, emoji: '🛒', color: '#00FF00' },
      { id: ids.Travel, name: 'Travel', limit: 10_000, hidden: true },
      { id: ids.Family, name: 'Family' },
      { id: ids.Misc, name: 'Misc', color: '#ABCDEF' },
    ];
    expect(res.json.categories).toEqual(after);
    expect((await get(`/v1/budgets/${budgetId}`)).categories).toEqual(after);
    expect((await storedBudget(t, budgetId)).categories[1]).toEqual({ id: ids.Travel, name: 'Travel', limit: 10_000, hidden: true });
    const events = (await outboxEvents(t, 'budget.updated')).filter((e) => e.envelope.data.budgetId === budgetId);
    expect(events.at(-1)!.envelope.data).toMatchObject({ changed: ['categories'], changes: { categories: { before: before.categories, after } } });
    // The activity log's settings change shows them as the event has them.
    await deliver(t, events.at(-1)!);
    const activity = await get(`/v1/budgets/${budgetId}/activity`);
    const entry = activity.items.find((e: any) => e.action === 'budget.settings_changed' && e.changes?.categories?.after?.[0]?.emoji === '🛒');
    expect(entry?.changes.categories).toEqual({ before: before.categories, after });

    // The same colors in lower case: nothing changed, no new event, the version unchanged.
    const version = res.json.version;
    const same = await call('PATCH', `/v1/budgets/${budgetId}`, {
      categories: [
        { id: ids.Groceries, name: 'Groceries', limit: 40_000, emoji: '🛒', color: '#00ff00' },
        { id: ids.Travel, name: 'Travel', limit: 10_000, hidden: true },
        { id: ids.Family, name: 'Family' },
        { id: ids.Misc, name: 'Misc', color: '#AbCdEf' },
      ],
    });
    expect(same.status, same.text).toBe(200);
    expect(same.json.version).toBe(version);
    expect((await outboxEvents(t, 'budget.updated')).filter((e) => e.envelope.data.budgetId === budgetId)).toHaveLength(events.length);
  });

  it('reorder: the PATCH list order is the stored order, and the summary, trends and report lines follow it', async () => {
    const current = (await get(`/v1/budgets/${budgetId}`)).categories as { id: string; name: string }[];
    const reversed = [...current].reverse();
    const res = await call('PATCH', `/v1/budgets/${budgetId}`, { categories: reversed });
    expect(res.status, res.text).toBe(200);
    expect(res.json.categories.map((c: { name: string }) => c.name)).toEqual(['Misc', 'Family', 'Travel', 'Groceries']);
    expect((await storedBudget(t, budgetId)).categories.map((c: { name: string }) => c.name)).toEqual(['Misc', 'Family', 'Travel', 'Groceries']);
    // The ids are kept (a reorder, not new categories): the expenses stay in them.
    expect(res.json.categories.map((c: { id: string }) => c.id)).toEqual([ids.Misc, ids.Family, ids.Travel, ids.Groceries]);
    const s = await get(`/v1/budgets/${budgetId}/summary`);
    expect(s.categories.map((c: any) => [c.name, c.spent])).toEqual([
      ['Misc', 0],
      ['Family', 2_500],
      ['Travel', 0],
      ['Groceries', 0],
    ]);
    const tr = await get(`/v1/budgets/${budgetId}/trends?periods=2`);
    expect(tr.categories.map((c: { name: string }) => c.name)).toEqual(['Misc', 'Family', 'Travel', 'Groceries']);
    const f = await get(`/v1/budgets/${budgetId}/forecast`);
    expect(f.categories.map((c: { name: string }) => c.name)).toEqual(['Misc', 'Family', 'Travel', 'Groceries']);
    // A report made now (September: a period before the budget's creation may be reported) lists them in the new order.
    const report = await call('POST', `/v1/budgets/${budgetId}/reports`, { date: '2026-09-15' });
    expect(report.status, report.text).toBe(201);
    expect(report.json.byCategory.map((c: { name: string }) => c.name)).toEqual(['Misc', 'Family', 'Travel', 'Groceries']);
  });
});

describe('category emoji and color: bad input', () => {
  it('400 naming categories.<i>.emoji and categories.<i>.color on create and PATCH; nothing written', async () => {
    const create = (categories: unknown[]) => call('POST', '/v1/budgets', { name: 'Bad', limit: 1_000, categories });
    const count = (await get('/v1/budgets')).items.length;
    expectProblem(await create([{ name: 'A', emoji: 'a' }]), 400, ['categories.0.emoji']);
    expectProblem(await create([{ name: 'A' }, { name: 'B', emoji: '🍕🍕' }]), 400, ['categories.1.emoji']);
    expectProblem(await create([{ name: 'A', emoji: '' }]), 400, ['categories.0.emoji']);
    expectProblem(await create([{ name: 'A', emoji: 7 }]), 400, ['categories.0.emoji']);
    expectProblem(await create([{ name: 'A', color: '#123' }]), 400, ['categories.0.color']);
    expectProblem(await create([{ name: 'A', color: 'red' }]), 400, ['categories.0.color']);
    expect((await get('/v1/budgets')).items).toHaveLength(count);

    const ok = await create([{ name: 'A', emoji: '🍕', color: '#1a2B3c' }]);
    expect(ok.status, ok.text).toBe(201);
    const patch = (entry: Record<string, unknown>) => call('PATCH', `/v1/budgets/${ok.json.id}`, { categories: [{ id: ok.json.categories[0].id, name: 'A', ...entry }] });
    expectProblem(await patch({ emoji: '1' }), 400, ['categories.0.emoji']);
    expectProblem(await patch({ color: '#GGGGGG' }), 400, ['categories.0.color']);
    expect((await get(`/v1/budgets/${ok.json.id}`)).categories[0]).toMatchObject({ emoji: '🍕', color: '#1A2B3C' });
  });
});
