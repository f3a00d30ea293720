import { createBudgetsModule, type BudgetContentsPort } from '@budgeting/budgets';
import { createExpensesModule, type ExpensesModuleOptions } from '@budgeting/expenses';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApp, type App } from '../../../packages/app/src/http/create-app';
import { outboxEvents, tableItems, theEvent } from '../../support/events';
import { commandsSentDuring } from '../../support/sent-commands';
import { call } from '../../support/http';
import { setClockFor } from '../../support/system-with-account';
import { createTestSystem, type TestSystem } from '../../support/test-system';
import { addMember, as, createBudget, expectProblem, signup, type Account } from './helpers';

/**
 * POST /v1/budgets/{budgetId}/copy on DynamoDB Local: settings and categories (new ids), rules
 * mapped to the new categories (proved by an expense the rule categorizes in the copy),
 * recurring expenses starting no earlier than today, import profiles (proved by a dry-run import
 * through the copied one), members with their roles and shares, who
 * may copy, validation, a cap met before anything is written, and Idempotency-Key: a replay
 * answers the same budget, and a retry after a failure mid-copy finishes it.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let t: TestSystem;
let alice: Account;
let bob: Account;
let carol: Account;
let stranger: Account;

beforeAll(async () => {
  t = await createTestSystem({ clock });
  [alice, bob, carol, stranger] = (await Promise.all(['alice', 'bob', 'carol', 'stranger'].map((l) => signup(t.app, l)))) as [Account, Account, Account, Account];
});
afterAll(() => t.destroy());

const SOURCE = {
  name: 'Household 2026',
  currency: 'EUR',
  period: 'yearly',
  timezone: 'Europe/Paris',
  limit: 1_200_000,
  categories: [
    { name: 'Groceries', limit: 40_000, group: 'Everyday' },
    { name: 'Transport', group: 'Everyday' },
    { name: 'Rent', limit: 90_000, group: 'Bills' },
    { name: 'Fun' },
  ],
  rollover: true,
  alertThresholds: [50, 90, 100],
};

const copyOf = (who: Account, budgetId: string, body: unknown, headers: Record<string, string> = {}, app: App = t.app) =>
  call(app, 'POST', `/v1/budgets/${budgetId}/copy`, { token: who.token, body, headers });

/** Budget items (not memberships) in the table: a copy that writes nothing leaves their number alone. */
const budgetItems = async () => (await tableItems(t.doc, t.tableName)).filter((i) => i.kind === 'budget');

async function rule(budgetId: string, body: Record<string, unknown>) {
  const res = await as(t.app, alice)('POST', `/v1/budgets/${budgetId}/rules`, { body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

async function importProfile(budgetId: string, body: Record<string, unknown>) {
  const res = await as(t.app, alice)('POST', `/v1/budgets/${budgetId}/import-profiles`, { body });
  expect(res.status, res.text).toBe(201);
  return res.json;
}

/** A German bank's export: a preamble line, `;`, DD.MM.YYYY and decimal commas. */
const BANK_MAPPING = { dateColumn: 'Buchungstag', amountColumn: 'Betrag', merchantColumn: 'Empfänger', delimiter: ';', dateFormat: 'DD.MM.YYYY', decimalSeparator: ',', amountSign: 'negativeIsSpending', skipLines: 1 };
const BANK_CSV = ['Konto DE00 1234', 'Buchungstag;Empfänger;Betrag', '03.11.2026;REWE;-12,50', '04.11.2026;Gehalt;2.000,00', ''].join('\n');

const categoryId = (budget: { categories: { id: string; name: string }[] }, name: string) => budget.categories.find((c) => c.name === name)!.id;

describe('POST /v1/budgets/{budgetId}/copy', { timeout: 120_000 }, () => {
  it('copies settings and categories (new ids, names, limits, groups kept) and no expenses; publishes budget.created', async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    await as(t.app, alice)('POST', `/v1/budgets/${source.id}/expenses`, { body: { amount: 1234, occurredOn: '2026-11-20', categoryId: source.categories[0]!.id } });

    const res = await copyOf(alice, source.id, { name: '  Household   2027 ' });
    expect(res.status, res.text).toBe(201);
    const copy = res.json;
    expect(copy.id).not.toBe(source.id);
    expect(res.headers.get('location')).toBe(`/v1/budgets/${copy.id}`);
    expect(res.headers.get('etag')).toBe('"1"');
    expect(copy).toMatchObject({
      name: 'Household 2027',
      currency: 'EUR',
      period: 'yearly',
      timezone: 'Europe/Paris',
      limit: 1_200_000,
      rollover: true,
      alertThresholds: [50, 90, 100],
      role: 'owner',
      version: 1,
    });
    expect(copy.categories.map(({ id: _id, ...rest }: { id: string }) => rest)).toEqual(source.categories.map(({ id: _id, ...rest }) => rest));
    const sourceIds = new Set(source.categories.map((c) => c.id));
    expect(copy.categories.every((c: { id: string }) => !sourceIds.has(c.id))).toBe(true);
    expect(new Set(copy.categories.map((c: { id: string }) => c.id)).size).toBe(4);

    // The same Budget resource a GET answers, and no expense came along.
    const got = await as(t.app, alice)('GET', `/v1/budgets/${copy.id}`);
    expect(got.json).toEqual(copy);
    const expenses = await as(t.app, alice)('GET', `/v1/budgets/${copy.id}/expenses`);
    expect(expenses.status, expenses.text).toBe(200);
    expect(expenses.json.items).toEqual([]);
    const summary = await as(t.app, alice)('GET', `/v1/budgets/${copy.id}/summary?date=2026-11-24`);
    expect(summary.json.spent).toBe(0);

    const created = await theEvent(t, 'budget.created', { budgetId: copy.id });
    expect(created.envelope.data).toMatchObject({ ownerId: alice.id, name: 'Household 2027', currency: 'EUR', period: 'yearly', limit: 1_200_000 });
    // Members are not copied by default.
    const members = await as(t.app, alice)('GET', `/v1/budgets/${copy.id}/members`);
    expect(members.json.items.map((m: { userId: string }) => m.userId)).toEqual([alice.id]);
  });

  it('copies rename rules: rename-only as they are; one that also renames whose category was removed, as rename-only', async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    await rule(source.id, { merchant: { contains: 'amzn' }, renameTo: 'Amazon' });
    await rule(source.id, { merchant: { equals: 'Cineworld 42' }, renameTo: 'Cinema', categoryId: categoryId(source, 'Fun'), tags: ['films'] });
    const patched = await as(t.app, alice)('PATCH', `/v1/budgets/${source.id}`, {
      body: { categories: source.categories.filter((c) => c.name !== 'Fun').map(({ id, name, limit }) => ({ id, name, limit })) },
    });
    expect(patched.status, patched.text).toBe(200);
    const res = await copyOf(alice, source.id, { name: 'Copy with rename rules' });
    expect(res.status, res.text).toBe(201);
    const rules = await as(t.app, alice)('GET', `/v1/budgets/${res.json.id}/rules`);
    expect(rules.json.items.map((r: Record<string, unknown>) => [r.merchant, r.renameTo, r.categoryId, r.tags])).toEqual([
      [{ contains: 'amzn' }, 'Amazon', undefined, undefined],
      [{ equals: 'Cineworld 42' }, 'Cinema', undefined, undefined],
    ]);
  });

  it("copies a rule's amount and description conditions with it (as a rename-only copy too)", async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    await rule(source.id, { merchant: { contains: 'shell' }, amount: { min: 3000 }, description: { contains: 'diesel' }, categoryId: categoryId(source, 'Transport') });
    await rule(source.id, { merchant: { equals: 'PAYPAL' }, amount: { max: 1099 }, renameTo: 'Spotify', categoryId: categoryId(source, 'Fun') });
    const patched = await as(t.app, alice)('PATCH', `/v1/budgets/${source.id}`, {
      body: { categories: source.categories.filter((c) => c.name !== 'Fun').map(({ id, name, limit }) => ({ id, name, limit })) },
    });
    expect(patched.status, patched.text).toBe(200);
    const res = await copyOf(alice, source.id, { name: 'Copy with conditions' });
    expect(res.status, res.text).toBe(201);
    const rules = await as(t.app, alice)('GET', `/v1/budgets/${res.json.id}/rules`);
    expect(rules.json.items.map((r: Record<string, unknown>) => [r.merchant, r.amount, r.description, r.renameTo, r.categoryId])).toEqual([
      [{ contains: 'shell' }, { min: 3000 }, { contains: 'diesel' }, undefined, categoryId(res.json, 'Transport')],
      [{ equals: 'PAYPAL' }, { max: 1099 }, undefined, 'Spotify', undefined],
    ]);
  });

  it("copies a split rule with every part's category mapped; one with a removed part's category as rename-only, or not at all", async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    const percents = (a: string, b: string) => [
      { categoryId: categoryId(source, a), percent: 60 },
      { categoryId: categoryId(source, b), percent: 40 },
    ];
    await rule(source.id, { merchant: { equals: 'Costco' }, split: percents('Groceries', 'Transport'), tags: ['bulk'] });
    await rule(source.id, { merchant: { equals: 'Ikea' }, split: percents('Groceries', 'Fun'), renameTo: 'IKEA' });
    await rule(source.id, { merchant: { equals: 'Cinema' }, split: percents('Transport', 'Fun') });
    const patched = await as(t.app, alice)('PATCH', `/v1/budgets/${source.id}`, {
      body: { categories: source.categories.filter((c) => c.name !== 'Fun').map(({ id, name, limit }) => ({ id, name, limit })) },
    });
    expect(patched.status, patched.text).toBe(200);
    const res = await copyOf(alice, source.id, { name: 'Copy with split rules' });
    expect(res.status, res.text).toBe(201);
    const rules = await as(t.app, alice)('GET', `/v1/budgets/${res.json.id}/rules`);
    expect(rules.json.items.map((r: Record<string, unknown>) => [r.merchant, r.split, r.renameTo, r.tags])).toEqual([
      [
        { equals: 'Costco' },
        [
          { categoryId: categoryId(res.json, 'Groceries'), percent: 60 },
          { categoryId: categoryId(res.json, 'Transport'), percent: 40 },
        ],
        undefined,
        ['bulk'],
      ],
      [{ equals: 'Ikea' }, undefined, 'IKEA', undefined],
    ]);
  });

  it('copies the rules by default, mapped to the new categories: an expense in the copy is categorized by the copied rule', async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    await rule(source.id, { merchant: { contains: 'metro' }, categoryId: categoryId(source, 'Transport'), tags: ['commute'] });
    await rule(source.id, { merchant: { equals: 'Corner Market' }, categoryId: categoryId(source, 'Groceries'), position: -1 });
    // A rule whose category was removed does nothing in the source: it is not copied.
    await rule(source.id, { merchant: { equals: 'Cinema' }, categoryId: categoryId(source, 'Fun') });
    const patched = await as(t.app, alice)('PATCH', `/v1/budgets/${source.id}`, {
      body: { categories: source.categories.filter((c) => c.name !== 'Fun').map(({ id, name, limit }) => ({ id, name, limit })) },
    });
    expect(patched.status, patched.text).toBe(200);

    const res = await copyOf(alice, source.id, { name: 'Copy with rules' });
    expect(res.status, res.text).toBe(201);
    const copy = res.json;
    const rules = await as(t.app, alice)('GET', `/v1/budgets/${copy.id}/rules`);
    expect(rules.status, rules.text).toBe(200);
    expect(rules.json.items.map((r: Record<string, unknown>) => [r.merchant, r.categoryId, r.position, r.budgetId, r.createdBy])).toEqual([
      [{ equals: 'Corner Market' }, categoryId(copy, 'Groceries'), -1, copy.id, alice.id],
      [{ contains: 'metro' }, categoryId(copy, 'Transport'), 0, copy.id, alice.id],
    ]);
    // Ids of their own (a client may key rules by id alone), not the source's.
    const sourceRules = await as(t.app, alice)('GET', `/v1/budgets/${source.id}/rules`);
    const sourceRuleIds = new Set(sourceRules.json.items.map((r: { id: string }) => r.id));
    expect(rules.json.items.some((r: { id: string }) => sourceRuleIds.has(r.id))).toBe(false);

    const expense = await as(t.app, alice)('POST', `/v1/budgets/${copy.id}/expenses`, { body: { amount: 250, occurredOn: '2026-11-24', merchant: 'Metro Paris' } });
    expect(expense.status, expense.text).toBe(201);
    expect(expense.json.categoryId).toBe(categoryId(copy, 'Transport'));
    expect(expense.json.tags).toEqual(['commute']);

    // include.rules: false leaves them behind.
    const bare = await copyOf(alice, source.id, { name: 'No rules', include: { rules: false } });
    expect(bare.status, bare.text).toBe(201);
    expect((await as(t.app, alice)('GET', `/v1/budgets/${bare.json.id}/rules`)).json.items).toEqual([]);
  });

  it('copies the import profiles by default (names and mappings, new ids): a file imports through the copied profile', async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    const german = await importProfile(source.id, { name: 'Sparkasse', mapping: BANK_MAPPING });
    await importProfile(source.id, { name: 'Monzo', mapping: { amountColumn: 'Amount', amountSign: 'negativeIsSpending' }, credits: 'refunds' });

    const res = await copyOf(alice, source.id, { name: 'Copy with profiles' });
    expect(res.status, res.text).toBe(201);
    const copy = res.json;
    const profiles = await as(t.app, alice)('GET', `/v1/budgets/${copy.id}/import-profiles`);
    expect(profiles.status, profiles.text).toBe(200);
    // In the source's order (ids derived from the sources' sort as they do), version 1, dated now.
    expect(profiles.json.items).toEqual([
      { id: expect.any(String), name: 'Sparkasse', mapping: BANK_MAPPING, version: 1, createdAt: '2026-11-24T12:00:00.000Z', updatedAt: '2026-11-24T12:00:00.000Z' },
      { id: expect.any(String), name: 'Monzo', mapping: { amountColumn: 'Amount', amountSign: 'negativeIsSpending' }, credits: 'refunds', version: 1, createdAt: expect.any(String), updatedAt: expect.any(String) },
    ]);
    const sourceIds = new Set((await as(t.app, alice)('GET', `/v1/budgets/${source.id}/import-profiles`)).json.items.map((p: { id: string }) => p.id));
    expect(profiles.json.items.some((p: { id: string }) => sourceIds.has(p.id))).toBe(false);
    // Stored as the copier's, in the copy.
    const stored = (await tableItems(t.doc, t.tableName)).filter((i) => i.kind === 'import-profile' && i.budgetId === copy.id);
    expect(stored.map((i) => i.createdBy)).toEqual([alice.id, alice.id]);

    // The copied profile reads the bank's file in the copy; the source's id is another budget's there.
    const copied = profiles.json.items[0].id as string;
    const dry = await as(t.app, alice)('POST', `/v1/budgets/${copy.id}/expenses/import?profile=${copied}&dryRun=true`, { rawBody: BANK_CSV, headers: { 'content-type': 'text/csv' } });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ dryRun: true, imported: 1, skipped: 1, errorCount: 0 });
    expectProblem(
      await as(t.app, alice)('POST', `/v1/budgets/${copy.id}/expenses/import?profile=${german.id}&dryRun=true`, { rawBody: BANK_CSV, headers: { 'content-type': 'text/csv' } }),
      400,
      ['query.profile'],
    );

    // include.importProfiles: false leaves them behind.
    const bare = await copyOf(alice, source.id, { name: 'No profiles', include: { importProfiles: false } });
    expect(bare.status, bare.text).toBe(201);
    expect((await as(t.app, alice)('GET', `/v1/budgets/${bare.json.id}/import-profiles`)).json.items).toEqual([]);
  });

  it('copies recurring expenses when asked, mapped to the new categories and starting no earlier than today', async () => {
    const source = await createBudget(t.app, alice, { ...SOURCE, period: 'monthly', timezone: 'UTC' });
    const res = await as(t.app, alice)('POST', `/v1/budgets/${source.id}/recurring-expenses`, {
      body: { amount: 90_000, categoryId: categoryId(source, 'Rent'), description: 'Rent', sharedWith: [alice.id], schedule: { frequency: 'monthly', startsOn: '2026-11-01' } },
    });
    expect(res.status, res.text).toBe(201);
    expect(res.json.nextOccurrenceOn).toBe('2026-12-01');

    // Months later (the job never ran on the source): the copy does not start in the past.
    await setClockFor(t, clock, alice, '2027-02-10T09:00:00Z');
    try {
      const defaults = await copyOf(alice, source.id, { name: 'Without recurring' });
      expect(defaults.status, defaults.text).toBe(201);
      expect((await as(t.app, alice)('GET', `/v1/budgets/${defaults.json.id}/recurring-expenses`)).json.items).toEqual([]);

      const copied = await copyOf(alice, source.id, { name: 'With recurring', include: { recurringExpenses: true } });
      expect(copied.status, copied.text).toBe(201);
      const list = await as(t.app, alice)('GET', `/v1/budgets/${copied.json.id}/recurring-expenses`);
      expect(list.status, list.text).toBe(200);
      expect(list.json.items).toHaveLength(1);
      expect(list.json.items[0]).toMatchObject({
        budgetId: copied.json.id,
        amount: 90_000,
        categoryId: categoryId(copied.json, 'Rent'),
        description: 'Rent',
        // Kept as is: its ids are users, not the budget's.
        sharedWith: [alice.id],
        schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-11-01' },
        nextOccurrenceOn: '2027-03-01',
        createdBy: alice.id,
        version: 1,
      });
      // The source's definition is untouched.
      const sourceList = await as(t.app, alice)('GET', `/v1/budgets/${source.id}/recurring-expenses`);
      expect(sourceList.json.items[0].nextOccurrenceOn).toBe('2026-12-01');
      expect(list.json.items[0].id).not.toBe(sourceList.json.items[0].id);
    } finally {
      await setClockFor(t, clock, alice, '2026-11-24T12:00:00Z');
    }
  });

  it("does not copy a definition's pause history: a paused one is paused from the copy's day, a resumed one has none", async () => {
    const source = await createBudget(t.app, alice, { ...SOURCE, period: 'monthly', timezone: 'UTC' });
    const define = async (description: string) => {
      const res = await as(t.app, alice)('POST', `/v1/budgets/${source.id}/recurring-expenses`, { body: { amount: 1_000, description, schedule: { frequency: 'weekly', startsOn: '2026-11-25' } } });
      expect(res.status, res.text).toBe(201);
      return `/v1/budgets/${source.id}/recurring-expenses/${res.json.id}`;
    };
    const [stillPaused, resumedOne] = [await define('Paused'), await define('Resumed')];
    const patch = async (url: string, paused: boolean) => expect((await as(t.app, alice)('PATCH', url, { body: { paused } })).status).toBe(200);
    // Both paused on Nov 24; on Dec 10 one is resumed, and copied.
    await patch(stillPaused, true);
    await patch(resumedOne, true);
    await setClockFor(t, clock, alice, '2026-12-10T09:00:00Z');
    try {
      await patch(resumedOne, false);
      const sources = (await as(t.app, alice)('GET', `/v1/budgets/${source.id}/recurring-expenses`)).json.items as { description: string; pauses: unknown }[];
      // Created at the same instant: ordered by description, not id.
      expect(sources.map((d) => [d.description, d.pauses]).sort()).toEqual([
        ['Paused', [{ from: '2026-11-24', to: null }]],
        ['Resumed', [{ from: '2026-11-24', to: '2026-12-10' }]],
      ]);
      const copied = await copyOf(alice, source.id, { name: 'Copied pauses', include: { recurringExpenses: true } });
      expect(copied.status, copied.text).toBe(201);
      const copies = (await as(t.app, alice)('GET', `/v1/budgets/${copied.json.id}/recurring-expenses`)).json.items as { description: string; paused: boolean; pauses: unknown }[];
      // The source's pauses happened in its budget, before the copy had any date (it starts today).
      expect(copies.map((d) => [d.description, d.paused, d.pauses]).sort()).toEqual([
        ['Paused', true, [{ from: '2026-12-10', to: null }]],
        ['Resumed', false, []],
      ]);
      // So the paused copy's dates read paused, not missed (Dec 16, 23, 30 from its creation).
      const status = await as(t.app, alice)('GET', `/v1/budgets/${copied.json.id}/recurring-expenses/status`);
      expect(status.status, status.text).toBe(200);
      expect(status.json.totals.counts).toMatchObject({ paused: 3, missed: 0, due: 3 });
    } finally {
      await setClockFor(t, clock, alice, '2026-11-24T12:00:00Z');
    }
  });

  it("reads each change counter of the copy at most once: a definition on a counter the copy wrote before reads nothing (docs/capacity.md 'Copying a budget')", async () => {
    const source = await createBudget(t.app, alice, { ...SOURCE, period: 'monthly', timezone: 'UTC' });
    // 20 definitions over the 16 change shards: at least 4 land on a counter an earlier one wrote.
    for (let n = 0; n < 20; n++) {
      const res = await as(t.app, alice)('POST', `/v1/budgets/${source.id}/recurring-expenses`, { body: { amount: 1_000 + n, description: `Bill ${n}`, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } } });
      expect(res.status, res.text).toBe(201);
    }
    const run = await commandsSentDuring(t.doc, () => copyOf(alice, source.id, { name: 'Counters read once', include: { recurringExpenses: true } }));
    expect(run.result.status, run.result.text).toBe(201);
    const copyChanges = `expenses#changes#${run.result.json.id}`;
    const counterKey = (k: any) => (k?.pk === copyChanges && String(k.sk).startsWith('expenses#seq#') ? String(k.sk) : undefined);
    const counterReads = run.sent.filter((c) => c.name === 'GetItemCommand').map((c) => counterKey(c.input.Key)).filter((k) => k !== undefined);
    const stamped = run.sent
      .filter((c) => c.name === 'TransactWriteItemsCommand')
      .map((c) => (c.input.TransactItems as any[]).map((i) => counterKey(i.Update?.Key)).find((k) => k !== undefined))
      .filter((k) => k !== undefined);
    const countersWritten = new Set(stamped);
    // Every definition took a change number (one transaction each); each counter was read once, before its first write.
    expect(stamped).toHaveLength(20);
    expect(counterReads.sort()).toEqual([...countersWritten].sort());
    expect(counterReads.length).toBeLessThanOrEqual(16);
  });

  it('copies recurring income when asked, as the recurring expenses: starting no earlier than today, a paused one paused, a skip left behind', async () => {
    const source = await createBudget(t.app, alice, { ...SOURCE, period: 'monthly', timezone: 'UTC' });
    const base = `/v1/budgets/${source.id}/recurring-income`;
    const salary = await as(t.app, alice)('POST', base, { body: { amount: 320_000, source: 'Acme payroll', description: 'Salary', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } } });
    expect(salary.status, salary.text).toBe(201);
    const pension = await as(t.app, alice)('POST', base, { body: { amount: 50_000, source: 'Pension', schedule: { frequency: 'monthly', startsOn: '2026-12-01' }, paused: true } });
    expect(pension.status, pension.text).toBe(201);

    // Months later (the job never ran on the source); the source's salary skipped a paycheck then.
    await setClockFor(t, clock, alice, '2027-02-10T09:00:00Z');
    try {
      const skipped = await as(t.app, alice)('POST', `${base}/${salary.json.id}/skip`);
      expect(skipped.status, skipped.text).toBe(200);
      expect(skipped.json.nextOccurrenceOn).toBe('2026-12-28');

      expect((await as(t.app, alice)('GET', `${base}/${pension.json.id}`)).json.pauses).toEqual([{ from: '2026-11-24', to: null }]);
      const defaults = await copyOf(alice, source.id, { name: 'Without recurring income' });
      expect(defaults.status, defaults.text).toBe(201);
      expect((await as(t.app, alice)('GET', `/v1/budgets/${defaults.json.id}/recurring-income`)).json.items).toEqual([]);

      const copied = await copyOf(alice, source.id, { name: 'With recurring income', include: { recurringIncome: true } });
      expect(copied.status, copied.text).toBe(201);
      const list = await as(t.app, alice)('GET', `/v1/budgets/${copied.json.id}/recurring-income`);
      expect(list.status, list.text).toBe(200);
      expect(list.json.items).toEqual([
        expect.objectContaining({
          budgetId: copied.json.id,
          amount: 320_000,
          source: 'Acme payroll',
          description: 'Salary',
          schedule: { frequency: 'monthly', interval: 1, startsOn: '2026-11-28' },
          // Today's first occurrence: not the source's pending 2026-12-28, nothing in the past.
          nextOccurrenceOn: '2027-02-28',
          paused: false,
          pauses: [],
          createdBy: alice.id,
          version: 1,
        }),
        // The source's pause (from its creation, Nov 24) was an act in its budget: the copy's history
        // starts today, paused from today, as a recurring expense's copy.
        expect.objectContaining({ budgetId: copied.json.id, amount: 50_000, source: 'Pension', nextOccurrenceOn: null, paused: true, pauses: [{ from: '2027-02-10', to: null }], version: 1 }),
      ]);
      expect(list.json.items.map((i: { id: string }) => i.id)).not.toContain(salary.json.id);
      // Resumed in the copy: its first occurrence from today, the source's skip not carried over
      // (resumed in the source, the salary's 2026-12-28 skip would not be met anyway: it is past).
      const resumed = await as(t.app, alice)('PATCH', `/v1/budgets/${copied.json.id}/recurring-income/${list.json.items[1].id}`, { body: { paused: false } });
      expect(resumed.status, resumed.text).toBe(200);
      expect(resumed.json.nextOccurrenceOn).toBe('2027-03-01');
      // The source's definitions are untouched.
      expect((await as(t.app, alice)('GET', `${base}/${salary.json.id}`)).json).toMatchObject({ nextOccurrenceOn: '2026-12-28', version: 2 });
    } finally {
      await setClockFor(t, clock, alice, '2026-11-24T12:00:00Z');
    }
  });

  it('copies the members with their roles and shares when asked; the caller stays owner', async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    await addMember(t.app, alice, source.id, bob, 'editor');
    await addMember(t.app, alice, source.id, carol, 'viewer');
    const share = await as(t.app, alice)('PATCH', `/v1/budgets/${source.id}/members/${bob.id}`, { body: { share: 3 } });
    expect(share.status, share.text).toBe(200);

    const res = await copyOf(alice, source.id, { name: 'Shared copy', include: { members: true } });
    expect(res.status, res.text).toBe(201);
    const members = await as(t.app, alice)('GET', `/v1/budgets/${res.json.id}/members`);
    const byUser = Object.fromEntries(members.json.items.map((m: { userId: string; role: string; share: number }) => [m.userId, [m.role, m.share]]));
    expect(byUser).toEqual({ [alice.id]: ['owner', 1], [bob.id]: ['editor', 3], [carol.id]: ['viewer', 1] });
    // Each added member is announced as a member added through the members route is.
    for (const who of [bob, carol]) await theEvent(t, 'budget.member_added', { budgetId: res.json.id, userId: who.id, addedBy: alice.id });
    // Bob sees the copy too.
    expect((await as(t.app, bob)('GET', `/v1/budgets/${res.json.id}`)).json.role).toBe('editor');
  });

  it('lets a viewer copy into a budget of their own (the source owner becomes an editor there); a stranger gets 404', async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    await addMember(t.app, alice, source.id, carol, 'viewer');
    await rule(source.id, { merchant: { contains: 'bakery' }, categoryId: categoryId(source, 'Groceries') });

    const res = await copyOf(carol, source.id, { name: "Carol's", include: { members: true } });
    expect(res.status, res.text).toBe(201);
    expect(res.json.role).toBe('owner');
    const members = await as(t.app, carol)('GET', `/v1/budgets/${res.json.id}/members`);
    const byUser = Object.fromEntries(members.json.items.map((m: { userId: string; role: string }) => [m.userId, m.role]));
    expect(byUser).toEqual({ [carol.id]: 'owner', [alice.id]: 'editor' });
    // Carol owns the copy: she manages its settings, and its rules are hers.
    const renamed = await as(t.app, carol)('PATCH', `/v1/budgets/${res.json.id}`, { body: { name: 'Mine' } });
    expect(renamed.status, renamed.text).toBe(200);
    const rules = await as(t.app, carol)('GET', `/v1/budgets/${res.json.id}/rules`);
    expect(rules.json.items.map((r: { createdBy: string; categoryId: string }) => [r.createdBy, r.categoryId])).toEqual([[carol.id, categoryId(res.json, 'Groceries')]]);

    const before = (await budgetItems()).length;
    expectProblem(await copyOf(stranger, source.id, { name: 'Not mine' }), 404);
    expectProblem(await copyOf(alice, '01JNOSUCHBUDGET00000000000', { name: 'Nothing' }), 404);
    expect((await budgetItems()).length).toBe(before);
  });

  it('refuses a bad body with a 400 naming the field', async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    const cases: [unknown, string][] = [
      [{}, 'name'],
      [{ name: '   ' }, 'name'],
      [{ name: 'x'.repeat(101) }, 'name'],
      [{ name: 'Ok', include: { rules: 'yes' } }, 'include.rules'],
      [{ name: 'Ok', include: { recurringExpenses: 1 } }, 'include.recurringExpenses'],
      [{ name: 'Ok', include: { importProfiles: 'no' } }, 'include.importProfiles'],
      [{ name: 'Ok', include: { expenses: true } }, 'include.expenses'],
      [{ name: 'Ok', currency: 'USD' }, 'currency'],
    ];
    const before = (await budgetItems()).length;
    for (const [body, path] of cases) expectProblem(await copyOf(alice, source.id, body), 400, [path]);
    expect((await budgetItems()).length).toBe(before);
  });

  it('answers 409 naming the cap a copy would pass, before writing anything', async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    for (const merchant of ['a', 'b', 'c']) await rule(source.id, { merchant: { equals: merchant }, categoryId: categoryId(source, 'Fun') });
    const definition = { amount: 100, schedule: { frequency: 'monthly' } };
    for (let i = 0; i < 2; i++) expect((await as(t.app, alice)('POST', `/v1/budgets/${source.id}/recurring-expenses`, { body: definition })).status).toBe(201);
    for (const name of ['One', 'Two']) await importProfile(source.id, { name, mapping: { amountColumn: 'Amount' } });
    for (let i = 0; i < 2; i++) expect((await as(t.app, alice)('POST', `/v1/budgets/${source.id}/recurring-income`, { body: definition })).status).toBe(201);

    // The same system with lower caps (2 rules, 1 recurring expense, 1 import profile, 1 recurring income a budget), as the caps' own tests lower them.
    const app = budgetsAppWith(t, { rules: { maxPerBudget: 2 }, recurringDefinitions: { maxPerBudget: 1 }, importProfiles: { maxPerBudget: 1 }, recurringIncome: { maxPerBudget: 1 } }).app;
    const before = await tableItems(t.doc, t.tableName);
    const eventsBefore = (await outboxEvents(t)).length;

    const res = await copyOf(alice, source.id, { name: 'Too big', include: { recurringExpenses: true } }, {}, app);
    expectProblem(res, 409, ['include.rules', 'include.recurringExpenses', 'include.importProfiles']);
    expect(res.json.detail).toMatch(/cap/);
    expectProblem(await copyOf(alice, source.id, { name: 'Too big' }, {}, app), 409, ['include.rules', 'include.importProfiles']);
    const profilesOnly = await copyOf(alice, source.id, { name: 'Too big', include: { rules: false } }, {}, app);
    expectProblem(profilesOnly, 409, ['include.importProfiles']);
    expect(profilesOnly.json.errors.map((e: { path: string }) => e.path)).toEqual(['include.importProfiles']);
    const incomeOnly = await copyOf(alice, source.id, { name: 'Too big', include: { rules: false, importProfiles: false, recurringIncome: true } }, {}, app);
    expectProblem(incomeOnly, 409, ['include.recurringIncome']);
    expect(incomeOnly.json.errors.map((e: { path: string }) => e.path)).toEqual(['include.recurringIncome']);
    expect(await tableItems(t.doc, t.tableName)).toEqual(before);
    expect((await outboxEvents(t)).length).toBe(eventsBefore);

    // Within the caps (no rules, recurring expenses nor profiles) the same app copies.
    const ok = await copyOf(alice, source.id, { name: 'Small', include: { rules: false, importProfiles: false } }, {}, app);
    expect(ok.status, ok.text).toBe(201);
  });

  it('replays a retried copy with the same Idempotency-Key: one budget, the same id', async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    await rule(source.id, { merchant: { equals: 'Once' }, categoryId: categoryId(source, 'Fun') });
    const headers = { 'idempotency-key': 'copy-once' };
    const body = { name: 'Copied once', include: { members: true, recurringExpenses: true } };
    const first = await copyOf(alice, source.id, body, headers);
    const again = await copyOf(alice, source.id, body, headers);
    expect(first.status, first.text).toBe(201);
    expect(again.status, again.text).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json.id).toBe(first.json.id);
    expect(again.headers.get('location')).toBe(first.headers.get('location'));
    // The answer the last step's transaction stored (packages/budgets/docs/budget-lifecycle.md "Copying a budget") is the one sent.
    expect(again.text).toBe(first.text);
    expect(again.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(again.headers.get('content-type')).toBe(first.headers.get('content-type'));
    expect((await budgetItems()).filter((b) => b.name === 'Copied once')).toHaveLength(1);
    expect((await outboxEvents(t, 'budget.created')).filter((e) => e.envelope.data.name === 'Copied once')).toHaveLength(1);
    expect((await as(t.app, alice)('GET', `/v1/budgets/${first.json.id}/rules`)).json.items).toHaveLength(1);

    expectProblem(await copyOf(alice, source.id, { ...body, name: 'Another' }, headers), 422);
    // A replay is served only to someone who can still read the source.
    expectProblem(await copyOf(stranger, source.id, body, headers), 404);
  });

  it('finishes a copy that failed after creating the budget when retried with the same Idempotency-Key', async () => {
    const source = await createBudget(t.app, alice, SOURCE);
    await addMember(t.app, alice, source.id, bob, 'editor');
    await rule(source.id, { merchant: { equals: 'First' }, categoryId: categoryId(source, 'Groceries') });
    await rule(source.id, { merchant: { equals: 'Second' }, categoryId: categoryId(source, 'Rent') });
    await as(t.app, alice)('POST', `/v1/budgets/${source.id}/recurring-expenses`, { body: { amount: 500, categoryId: categoryId(source, 'Fun'), schedule: { frequency: 'weekly' } } });
    await importProfile(source.id, { name: 'Sparkasse', mapping: BANK_MAPPING });

    // The rules', recurring expenses' and profiles' copy fails once, after the rules and profiles were written.
    const flaky = budgetsAppWith(t, {}, (real) => {
      let failures = 0;
      return {
        copyable: real.copyable,
        copy: async (c) => {
          if (failures++ > 0) return real.copy(c);
          // Part of the copy, so its last item is not the copy's: it does not carry the key's completion.
          const { alsoWithLast: _notLast, ...part } = c;
          await real.copy({ ...part, include: { rules: true, recurringExpenses: false, importProfiles: true, recurringIncome: false } }).then(() => undefined);
          throw new Error('DynamoDB went away');
        },
      };
    });
    const headers = { 'idempotency-key': 'copy-flaky' };
    const body = { name: 'Finished later', include: { members: true, recurringExpenses: true } };
    const failed = await copyOf(alice, source.id, body, headers, flaky.app);
    expect(failed.status, failed.text).toBe(500);
    const half = (await budgetItems()).filter((b) => b.name === 'Finished later');
    expect(half).toHaveLength(1); // the budget (with its categories and members) is there, consistent on its own

    const retried = await copyOf(alice, source.id, body, headers, flaky.app);
    expect(retried.status, retried.text).toBe(201);
    expect(retried.json.id).toBe(half[0]!.id);
    expect((await budgetItems()).filter((b) => b.name === 'Finished later')).toHaveLength(1);
    const rules = await as(t.app, alice)('GET', `/v1/budgets/${retried.json.id}/rules`);
    expect(rules.json.items.map((r: { merchant: unknown; categoryId: string }) => [r.merchant, r.categoryId])).toEqual([
      [{ equals: 'First' }, categoryId(retried.json, 'Groceries')],
      [{ equals: 'Second' }, categoryId(retried.json, 'Rent')],
    ]);
    const recurring = await as(t.app, alice)('GET', `/v1/budgets/${retried.json.id}/recurring-expenses`);
    expect(recurring.json.items.map((r: { categoryId: string }) => r.categoryId)).toEqual([categoryId(retried.json, 'Fun')]);
    const members = await as(t.app, alice)('GET', `/v1/budgets/${retried.json.id}/members`);
    expect(members.json.items).toHaveLength(2);
    expect((await outboxEvents(t, 'budget.member_added')).filter((e) => e.envelope.data.budgetId === retried.json.id)).toHaveLength(1);
    const profiles = await as(t.app, alice)('GET', `/v1/budgets/${retried.json.id}/import-profiles`);
    expect(profiles.json.items.map((p: { name: string }) => p.name)).toEqual(['Sparkasse']);
    // The rule and profile counts held: each copied item counted once.
    const counts = (await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `expenses#budget#${retried.json.id}` && i.kind === 'rule-count');
    expect(counts.map((c) => c.count)).toEqual([2]);
    const profileCounts = (await tableItems(t.doc, t.tableName)).filter((i) => i.pk === `expenses#budget#${retried.json.id}` && i.kind === 'import-profile-count');
    expect(profileCounts.map((c) => c.count)).toEqual([1]);
  });
});

/**
 * An app serving the budgets module of `t`'s table whose rules and recurring expenses come from
 * an expenses module built with `options` (lower caps), optionally through `wrap`.
 */
function budgetsAppWith(t: TestSystem, options: ExpensesModuleOptions, wrap: (real: BudgetContentsPort) => BudgetContentsPort = (real) => real) {
  const expenses = createExpensesModule(t.system.deps, { budgets: t.system.facades.budgets, storage: t.system.storage }, options);
  const budgets = createBudgetsModule(t.system.deps, {
    spending: t.system.facades.spending,
    contents: wrap(expenses.contents),
    users: t.system.facades.users,
    expenseEvents: [],
    mail: { send: async () => undefined },
    notifications: { unreadCount: async () => ({ count: 0, more: false }) },
    review: expenses.review,
    archive: expenses.archive,
  });
  return { app: createApp({ logger: t.system.deps.logger, modules: [budgets.runtime], corsOrigins: [] }) };
}
