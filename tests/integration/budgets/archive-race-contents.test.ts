import { describe, expect, it } from 'vitest';
import { tableItems } from '../../support/events';
import { archiveRaceSuite, expectArchived, type RaceBudget as Budget } from '../../support/archive-race';

/**
 * The archive race, closed for the writes that take no change number (packages/budgets/docs/budget-lifecycle.md
 * "Archiving a budget"): recurring definitions, categorization rules, import profiles,
 * comments, attachments and dismissed duplicates. Each write is held between its access check and its transaction
 * while the budget is archived: it answers 409 `budget-archived` and the budget's expenses
 * partition is item for item as it was (before, the write landed). Unarchived, the same write
 * works.
 */
const race = archiveRaceSuite();
const { req, ok } = race;
/** Every item of the budget's expenses partition, where each of these writers writes. */
const partition = async (b: Budget) => (await tableItems(race.h.t.doc, race.h.t.tableName)).filter((i) => i.pk === `expenses#budget#${b.id}`);

/** `method url` held past its access check while the budget is archived: 409, nothing written; then unarchived. */
async function refusedWhileArchiving(b: Budget, method: string, url: string, body?: unknown) {
  const before = await partition(b);
  expectArchived(await race.heldOn(b.id, `expenses#budget#${b.id}`, () => req(method, url, body)));
  expect(await partition(b)).toEqual(before);
  await race.unarchive(b.id);
}

describe('archive vs the writers that take no change number, each held past its access check', { timeout: 180_000 }, () => {
  it('recurring definitions: create, PATCH, skip and DELETE answer 409 and write nothing; PATCH works after unarchive', async () => {
    const b = await race.h.createBudget(race.team.owner, { categories: ['Groceries'] });
    const list = `/v1/budgets/${b.id}/recurring-expenses`;
    const made = await ok('POST', list, 201, { amount: 700, schedule: { frequency: 'monthly' } });
    const url = `${list}/${made.id}`;
    await refusedWhileArchiving(b, 'POST', list, { amount: 800, schedule: { frequency: 'weekly' } });
    await refusedWhileArchiving(b, 'PATCH', url, { amount: 750 });
    await refusedWhileArchiving(b, 'POST', `${url}/skip`);
    await refusedWhileArchiving(b, 'DELETE', url);
    expect(await ok('PATCH', url, 200, { amount: 750 })).toMatchObject({ amount: 750, version: 2 });
  });

  it('categorization rules: create, PATCH and DELETE answer 409 and write nothing; create works after unarchive', async () => {
    const b = await race.h.createBudget(race.team.owner, { categories: ['Groceries'] });
    const groceries = b.categories[0]!.id;
    const list = `/v1/budgets/${b.id}/rules`;
    const rule = await ok('POST', list, 201, { merchant: { equals: 'Corner Market' }, categoryId: groceries });
    await refusedWhileArchiving(b, 'POST', list, { merchant: { equals: 'Bakery' }, categoryId: groceries });
    await refusedWhileArchiving(b, 'PATCH', `${list}/${rule.id}`, { renameTo: 'Market' });
    await refusedWhileArchiving(b, 'DELETE', `${list}/${rule.id}`);
    await ok('POST', list, 201, { merchant: { equals: 'Bakery' }, categoryId: groceries });
  });

  it('import profiles: create, PATCH (a rename, a transaction already) and DELETE answer 409 and write nothing', async () => {
    const b = await race.h.createBudget(race.team.owner, { categories: ['Groceries'] });
    const list = `/v1/budgets/${b.id}/import-profiles`;
    const mapping = { dateColumn: 'Date', amountColumn: 'Amount', merchantColumn: 'Payee', dateFormat: 'YYYY-MM-DD' };
    const profile = await ok('POST', list, 201, { name: 'Bank', mapping });
    await refusedWhileArchiving(b, 'POST', list, { name: 'Other bank', mapping });
    await refusedWhileArchiving(b, 'PATCH', `${list}/${profile.id}`, { name: 'Renamed' });
    await refusedWhileArchiving(b, 'DELETE', `${list}/${profile.id}`);
    expect(await ok('PATCH', `${list}/${profile.id}`, 200, { name: 'Renamed' })).toMatchObject({ name: 'Renamed', version: 2 });
  });

  it('comments: adding and deleting one answer 409 and write nothing; deleting works after unarchive', async () => {
    const b = await race.h.createBudget(race.team.owner, { categories: ['Groceries'] });
    const expense = await ok('POST', `/v1/budgets/${b.id}/expenses`, 201, { amount: 1_250, merchant: 'Corner Market' });
    const comments = `/v1/budgets/${b.id}/expenses/${expense.id}/comments`;
    const comment = await ok('POST', comments, 201, { text: 'Split with Sam?' });
    await refusedWhileArchiving(b, 'POST', comments, { text: 'And Alex' });
    await refusedWhileArchiving(b, 'DELETE', `${comments}/${comment.id}`);
    await ok('DELETE', `${comments}/${comment.id}`, 204);
    expect((await ok('GET', comments, 200)).items).toEqual([]);
  });

  it('attachments: declaring and deleting one answer 409 and write nothing; deleting works after unarchive', async () => {
    const b = await race.h.createBudget(race.team.owner, { categories: ['Groceries'] });
    const expense = await ok('POST', `/v1/budgets/${b.id}/expenses`, 201, { amount: 980, merchant: 'Pharmacy' });
    const attachments = `/v1/budgets/${b.id}/expenses/${expense.id}/attachments`;
    const receipt = await ok('POST', attachments, 201, { contentType: 'image/jpeg', size: 1_024 });
    await refusedWhileArchiving(b, 'POST', attachments, { contentType: 'application/pdf', size: 2_048 });
    await refusedWhileArchiving(b, 'DELETE', `${attachments}/${receipt.id}`);
    await ok('DELETE', `${attachments}/${receipt.id}`, 204);
  });

  it('dismissing possible duplicates answers 409 and writes nothing; works after unarchive', async () => {
    const b = await race.h.createBudget(race.team.owner, { categories: ['Groceries'] });
    const expense = () => ok('POST', `/v1/budgets/${b.id}/expenses`, 201, { amount: 500, merchant: 'Kiosk', occurredOn: '2026-11-20' });
    const ids = [(await expense()).id, (await expense()).id];
    const dismiss = `/v1/budgets/${b.id}/expenses/duplicates/dismiss`;
    await refusedWhileArchiving(b, 'POST', dismiss, { expenseIds: ids });
    await ok('POST', dismiss, 204, { expenseIds: ids });
  });
});
