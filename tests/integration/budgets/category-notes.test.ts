import { beforeAll, describe, expect, it } from 'vitest';
import { deliver, outboxEvents } from '../../support/events';
import { setClockFor } from '../../support/system-with-account';
import type { TestSystem } from '../../support/test-system';
import { addExpense, as, clockSuite, createBudget, expectProblem, storedBudget, type Account } from './helpers';

/**
 * A category's `note` and `hidden` flag over HTTP on DynamoDB Local with a fixed clock (November
 * 2026): create, GET, PATCH (change and remove), what is stored (nothing for a category without
 * them), the summary/forecast/trends lines of a hidden category (its spending counts as any
 * other's: figures worked out here from the amounts posted), the quick budget (no suggestion
 * for a hidden category), copy, budget.updated and the activity log, and the 400s.
 */
const suite = clockSuite('2026-11-10T12:00:00Z');
const { clock, call, get } = suite;
let t: TestSystem;
let owner: Account;
beforeAll(() => ({ t, owner } = suite.accounts));

describe('category note and hidden', () => {
  let budgetId: string;
  const ids: Record<string, string> = {};

  beforeAll(async () => {
    await setClockFor(t, clock, owner, '2026-10-05T12:00:00Z');
    const budget = await createBudget(t.app, owner, {
      limit: 100_000,
      categories: [
        { name: 'Groceries', limit: 40_000, note: '  Market on Saturdays\nand the bakery  ', hidden: false },
        { name: 'Old car', limit: 10_000, group: 'Transport', note: 'Sold in May', hidden: true },
        { name: 'Gifts', note: '', hidden: null },
        { name: 'Pets', note: null },
      ],
    });
    budgetId = budget.id;
    for (const c of budget.categories as { id: string; name: string }[]) ids[c.name] = c.id;
    // October: Groceries 30,000, Old car 9,000.
    await addExpense(t.app, owner, budgetId, { amount: 30_000, occurredOn: '2026-10-02', categoryId: ids.Groceries });
    await addExpense(t.app, owner, budgetId, { amount: 9_000, occurredOn: '2026-10-03', categoryId: ids['Old car'] });
    await setClockFor(t, clock, owner, '2026-11-10T12:00:00Z');
    // November: Groceries 12,000; Old car (hidden: expenses may still be recorded in it) 11,000; uncategorized 500.
    await addExpense(t.app, owner, budgetId, { amount: 12_000, occurredOn: '2026-11-02', categoryId: ids.Groceries });
    await addExpense(t.app, owner, budgetId, { amount: 11_000, occurredOn: '2026-11-03', categoryId: ids['Old car'] });
    await addExpense(t.app, owner, budgetId, { amount: 500, occurredOn: '2026-11-04', categoryId: null });
  });

  it('create keeps the note (trimmed) and hidden: true; an empty or null note and hidden false or null store nothing', async () => {
    const budget = await get(`/v1/budgets/${budgetId}`);
    expect(budget.categories).toEqual([
      { id: ids.Groceries, name: 'Groceries', limit: 40_000, note: 'Market on Saturdays\nand the bakery' },
      { id: ids['Old car'], name: 'Old car', limit: 10_000, group: 'Transport', note: 'Sold in May', hidden: true },
      { id: ids.Gifts, name: 'Gifts' },
      { id: ids.Pets, name: 'Pets' },
    ]);
    // Stored only when set: the other categories have no such attributes (no bytes added).
    const item = await storedBudget(t, budgetId);
    expect(item.categories[0]).not.toHaveProperty('hidden');
    expect(item.categories[2]).toEqual({ id: ids.Gifts, name: 'Gifts' });
    expect(item.categories[1]).toMatchObject({ note: 'Sold in May', hidden: true });
  });

  it("summary: a hidden category's line says hidden: true and its spending counts in every total and alert", async () => {
    const s = await get(`/v1/budgets/${budgetId}/summary`);
    // 12,000 + 11,000 + 500 = 23,500 spent of 100,000.
    expect(s).toMatchObject({ periodStart: '2026-11-01', limit: 100_000, spent: 23_500, remaining: 76_500, uncategorizedSpent: 500 });
    expect(s.categories).toEqual([
      { categoryId: ids.Groceries, name: 'Groceries', limit: 40_000, group: null, spent: 12_000, remaining: 28_000, pace: expect.anything() },
      { categoryId: ids['Old car'], name: 'Old car', limit: 10_000, group: 'Transport', hidden: true, spent: 11_000, remaining: -1_000, pace: expect.anything() },
      { categoryId: ids.Gifts, name: 'Gifts', limit: null, group: null, spent: 0, remaining: null, pace: null },
      { categoryId: ids.Pets, name: 'Pets', limit: null, group: null, spent: 0, remaining: null, pace: null },
    ]);
    // The group sums the hidden category's line as any other.
    expect(s.groups).toEqual([{ name: 'Transport', categoryIds: [ids['Old car']], limit: 10_000, spent: 11_000, remaining: -1_000 }]);
    // 11,000 of 10,000 crosses 80 and 100 of Old car; 12,000 of 40,000 (30%) and 23,500 of 100,000 cross nothing.
    expect(s.thresholdsCrossed).toEqual([
      { scope: 'category', categoryId: ids['Old car'], threshold: 80 },
      { scope: 'category', categoryId: ids['Old car'], threshold: 100 },
    ]);
  });

  it('forecast and trends lines carry hidden: true too, and count it', async () => {
    const f = await get(`/v1/budgets/${budgetId}/forecast`);
    expect(f.categories[1]).toMatchObject({ categoryId: ids['Old car'], hidden: true, spent: 11_000, scheduled: 0, projectedSpent: 11_000, projectedRemaining: -1_000 });
    expect(f.categories[0]).not.toHaveProperty('hidden');
    const tr = await get(`/v1/budgets/${budgetId}/trends?periods=2`);
    // October 9,000 + November 11,000 = 20,000 over 2 periods; limits 10,000 x 2.
    expect(tr.categories[1]).toEqual({ categoryId: ids['Old car'], name: 'Old car', limit: 20_000, group: 'Transport', hidden: true, total: 20_000, average: 10_000 });
    expect(tr.categories[0]).not.toHaveProperty('hidden');
    expect(tr.periods.map((p: { categories: { hidden?: boolean; spent: number }[] }) => [p.categories[1]!.hidden, p.categories[1]!.spent])).toEqual([
      [true, 9_000],
      [true, 11_000],
    ]);
    // 30,000 + 9,000 in October; 23,500 in November.
    expect(tr.total).toBe(62_500);
  });

  it("October's report marks the hidden category's line and counts it", async () => {
    const res = await call('POST', `/v1/budgets/${budgetId}/reports`, { date: '2026-10-15' });
    expect(res.status, res.text).toBe(201);
    // 30,000 + 9,000 spent in October.
    expect(res.json).toMatchObject({ periodStart: '2026-10-01', spent: 39_000, remaining: 61_000 });
    expect(res.json.byCategory[1]).toEqual({ categoryId: ids['Old car'], name: 'Old car', limit: 10_000, group: 'Transport', hidden: true, spent: 9_000 });
    expect(res.json.byCategory[0]).not.toHaveProperty('hidden');
    // Its HTML page marks the row and the chart's label after the name (the figures as any row's); no note is shown.
    const page = await as(t.app, owner)('GET', res.headers.get('location')!, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(200);
    expect(page.text).toContain('<tr><td>Old car (hidden)</td><td class="n"><span>100.00</span></td><td class="n"><span>90.00</span></td><td class="n"><span>10.00</span></td></tr>');
    // Twice: its row and its bar's label in the chart of spend by category.
    expect(page.text.match(/\(hidden\)/g)).toHaveLength(2);
    expect(page.text).toContain('text-anchor="end">Old car (hidden)</text>');
    expect(page.text).not.toContain('Sold in May');
  });

  it('the quick budget suggests no limit for a hidden category, and its patch keeps notes and the hidden flag', async () => {
    const res = await call('GET', `/v1/budgets/${budgetId}/limit-suggestions?basis=last-period-spent&periods=1&roundTo=1`);
    expect(res.status, res.text).toBe(200);
    // October: Groceries 30,000 -> 30,000; Old car (hidden) keeps 10,000 although it spent 9,000; Gifts and Pets spent nothing.
    expect(res.json.categories.map((c: any) => [c.name, c.hidden, c.suggested, c.change, c.unchanged])).toEqual([
      ['Groceries', undefined, 30_000, -10_000, false],
      ['Old car', true, 10_000, 0, true],
      ['Gifts', undefined, 0, 0, false],
      ['Pets', undefined, 0, 0, false],
    ]);
    expect(res.json.patch.categories).toEqual([
      { id: ids.Groceries, name: 'Groceries', limit: 30_000, note: 'Market on Saturdays\nand the bakery' },
      { id: ids['Old car'], name: 'Old car', limit: 10_000, group: 'Transport', note: 'Sold in May', hidden: true },
      { id: ids.Gifts, name: 'Gifts' },
      { id: ids.Pets, name: 'Pets' },
    ]);
    // Applied as is, it changes only the limit: the notes and the flag stay.
    const patched = await as(t.app, owner)('PATCH', `/v1/budgets/${budgetId}`, { body: res.json.patch, headers: { 'if-match': res.headers.get('etag')! } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.categories[0]).toEqual({ id: ids.Groceries, name: 'Groceries', limit: 30_000, note: 'Market on Saturdays\nand the bakery' });
    expect(patched.json.categories[1]).toEqual({ id: ids['Old car'], name: 'Old car', limit: 10_000, group: 'Transport', note: 'Sold in May', hidden: true });
  });

  it('copy carries notes and hidden flags', async () => {
    const res = await call('POST', `/v1/budgets/${budgetId}/copy`, { name: 'Next year' });
    expect(res.status, res.text).toBe(201);
    expect(res.json.categories.map(({ id: _id, ...c }: { id: string }) => c)).toEqual([
      { name: 'Groceries', limit: 30_000, note: 'Market on Saturdays\nand the bakery' },
      { name: 'Old car', limit: 10_000, group: 'Transport', note: 'Sold in May', hidden: true },
      { name: 'Gifts' },
      { name: 'Pets' },
    ]);
  });

  it('PATCH changes and removes them (null, empty, left out, false); budget.updated and the activity log show the before and after', async () => {
    const before = await get(`/v1/budgets/${budgetId}`);
    const res = await call('PATCH', `/v1/budgets/${budgetId}`, {
      categories: [
        { id: ids.Groceries, name: 'Groceries', limit: 30_000, note: ' Weekly shop ', hidden: true },
        { id: ids['Old car'], name: 'Old car', limit: 10_000, group: 'Transport', note: null, hidden: false },
        { id: ids.Gifts, name: 'Gifts', note: 'Birthdays' },
        { id: ids.Pets, name: 'Pets', note: '   ' },
      ],
    });
    expect(res.status, res.text).toBe(200);
    const after = [
      { id: ids.Groceries, name: 'Groceries', limit: 30_000, note: 'Weekly shop', hidden: true },
      { id: ids['Old car'], name: 'Old car', limit: 10_000, group: 'Transport' },
      { id: ids.Gifts, name: 'Gifts', note: 'Birthdays' },
      { id: ids.Pets, name: 'Pets' },
    ];
    expect(res.json.categories).toEqual(after);
    expect((await get(`/v1/budgets/${budgetId}`)).categories).toEqual(after);
    expect((await storedBudget(t, budgetId)).categories[1]).toEqual({ id: ids['Old car'], name: 'Old car', limit: 10_000, group: 'Transport' });

    const events = (await outboxEvents(t, 'budget.updated')).filter((e) => e.envelope.data.budgetId === budgetId);
    const last = events.at(-1)!;
    expect(last.envelope.data).toMatchObject({ changed: ['categories'], updatedBy: owner.id, changes: { categories: { before: before.categories, after } } });

    // Left out of the entry: removed (each entry is the category's whole new state).
    const cleared = await call('PATCH', `/v1/budgets/${budgetId}`, { categories: after.map(({ id, name }) => ({ id, name })) });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json.categories).toEqual(after.map(({ id, name }) => ({ id, name })));

    // The activity log: the settings change with the categories' before and after, as the event has them.
    await deliver(t, last);
    const activity = await get(`/v1/budgets/${budgetId}/activity`);
    const entry = activity.items.find((e: any) => e.action === 'budget.settings_changed' && e.changes?.categories?.after?.[0]?.note === 'Weekly shop');
    expect(entry?.changes.categories).toEqual({ before: before.categories, after });
  });
});

describe('category note and hidden: bad input', () => {
  it('400 naming categories.<i>.note and categories.<i>.hidden, on create and PATCH', async () => {
    const create = (categories: unknown[]) => call('POST', '/v1/budgets', { name: 'Bad', limit: 1_000, categories });
    expectProblem(await create([{ name: 'A', note: 'x'.repeat(501) }]), 400, ['categories.0.note']);
    expectProblem(await create([{ name: 'A' }, { name: 'B', note: 'bell\u0007' }]), 400, ['categories.1.note']);
    expectProblem(await create([{ name: 'A', note: 'half \ud800 a pair' }]), 400, ['categories.0.note']);
    expectProblem(await create([{ name: 'A', note: 42 }]), 400, ['categories.0.note']);
    // A note of only invisible characters would be stored and shown as a note that says nothing.
    expectProblem(await create([{ name: 'A', note: '\u200b\u200d' }]), 400, ['categories.0.note']);
    expectProblem(await create([{ name: 'A', hidden: 'yes' }]), 400, ['categories.0.hidden']);
    expectProblem(await create([{ name: 'A', hidden: 1 }]), 400, ['categories.0.hidden']);
    // 200 characters after trimming are accepted.
    const ok = await create([{ name: 'A', note: ` ${'é'.repeat(200)} ` }]);
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.categories[0].note).toBe('é'.repeat(200));

    const id = ok.json.id as string;
    const categoryId = ok.json.categories[0].id as string;
    const patch = (entry: Record<string, unknown>) => call('PATCH', `/v1/budgets/${id}`, { categories: [{ id: categoryId, name: 'A', ...entry }] });
    expectProblem(await patch({ note: 'y'.repeat(201) }), 400, ['categories.0.note']);
    expectProblem(await patch({ hidden: 'true' }), 400, ['categories.0.hidden']);
    // Nothing changed by the refused requests.
    expect((await get(`/v1/budgets/${id}`)).categories[0].note).toBe('é'.repeat(200));
  });

  it('the cap is exactly 200 characters: 201 is a 400 naming categories.<i>.note on create and PATCH, 200 works on both', async () => {
    const create = (categories: unknown[]) => call('POST', '/v1/budgets', { name: 'Cap', limit: 1_000, categories });
    // On create: the second entry's note of 201 characters names its index; nothing created.
    const before = (await get('/v1/budgets')).items.length;
    expectProblem(await create([{ name: 'A', note: 'a'.repeat(200) }, { name: 'B', note: 'b'.repeat(201) }]), 400, ['categories.1.note']);
    expect((await get('/v1/budgets')).items).toHaveLength(before);
    const ok = await create([{ name: 'A', note: 'a'.repeat(200) }, { name: 'B', note: 'b'.repeat(200) }]);
    expect(ok.status, ok.text).toBe(201);
    expect(ok.json.categories.map((c: { note: string }) => c.note.length)).toEqual([200, 200]);

    // On PATCH: 201 characters in the second entry refused, 200 accepted and stored.
    const [a, b] = ok.json.categories as { id: string; name: string }[];
    const patch = (note: string) => call('PATCH', `/v1/budgets/${ok.json.id}`, { categories: [{ id: a!.id, name: 'A' }, { id: b!.id, name: 'B', note }] });
    expectProblem(await patch('c'.repeat(201)), 400, ['categories.1.note']);
    expect((await get(`/v1/budgets/${ok.json.id}`)).categories[1].note).toBe('b'.repeat(200));
    const patched = await patch('c'.repeat(200));
    expect(patched.status, patched.text).toBe(200);
    expect(patched.json.categories[1].note).toBe('c'.repeat(200));
    expect((await storedBudget(t, ok.json.id)).categories[1].note).toBe('c'.repeat(200));
  });

  it('the largest budget.updated (50 categories, every 200-character note and 100-character name changed) is accepted', async () => {
    // 4 bytes of UTF-8 a character: the widest text the API accepts (it counts code points, so
    // an astral character is one; with '語', 3 bytes, this test missed a quarter of the worst case).
    const wide = (n: number, tag: string) => `${'\u{2070E}'.repeat(n - 2)}${tag}`;
    const categories = Array.from({ length: 50 }, (_, i) => ({
      name: wide(100, String(i).padStart(2, '0')),
      limit: 1_000_000_000_000,
      group: wide(50, 'gg'),
      rollover: true,
      target: { amount: 1_000_000_000_000, by: '2027-06-30' },
      note: wide(200, 'aa'),
      hidden: true,
      // A 14-code-unit emoji (a tag sequence flag, 28 bytes) and a color: what presentation adds at most, about 2x50x80 bytes.
      emoji: '🏴󠁧󠁢󠁳󠁣󠁴󠁿',
      color: '#ABCDEF',
    }));
    const created = await call('POST', '/v1/budgets', { name: 'Wide', limit: 1_000, categories });
    expect(created.status, created.text).toBe(201);
    const changed = (created.json.categories as { id: string }[]).map((c, i) => ({
      id: c.id,
      ...categories[i]!,
      name: wide(100, String(i + 50)),
      note: wide(200, 'bb'),
    }));
    const res = await call('PATCH', `/v1/budgets/${created.json.id}`, { categories: changed });
    expect(res.status, res.text).toBe(200);
    const event = (await outboxEvents(t, 'budget.updated')).find((e) => e.envelope.data.budgetId === created.json.id)!;
    const bytes = Buffer.byteLength(JSON.stringify(event.envelope));
    // Over 120 KB (about 62 KB a side). The same PATCH could also change the budget's name (100
    // such characters a side) and drop some of its 240 per-period limits (MAX_PERIOD_LIMITS, both
    // sides in `changes`): with their bytes added it stays well under EventBridge's 256 KB
    // (measured on 2026-12-03: 124,086 bytes, 169,424 with them, of 262,144; with 500-character
    // notes it was 259,424, too close, so notes are capped at 200 as settlement notes are; on
    // 2026-12-04 with every category's emoji and color too: 129,786, about 175,100 with them; on
    // 2026-12-07 with 4-byte characters: 164,186, 209,720 with them).
    const periodLimits = Array.from({ length: 240 }, (_, i) => ({ periodStart: '2026-11-01', categoryId: changed[i % 50]!.id, limit: 1_000_000_000_000 }));
    const more = 2 * Buffer.byteLength(JSON.stringify(periodLimits)) + 2 * Buffer.byteLength(JSON.stringify(wide(100, 'nn'))) + 100;
    expect(bytes).toBeGreaterThan(120_000);
    expect(bytes + more).toBeLessThan(256 * 1024);
  });
});
