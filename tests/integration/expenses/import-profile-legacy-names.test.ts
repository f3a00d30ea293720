import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tableItems } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type Team } from './harness';

/**
 * Import profiles named before names dropped every invisible format character (f36c48db): such
 * a profile's stored name still carries, say, a right-to-left mark, and its name claim is the
 * key of that time (`bank\u200e`), not today's nameKey (`bank`). Its name must still be taken,
 * and renaming or deleting it must move or drop its own claim, never another profile's.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ currency: 'GBP', categories: ['Groceries'] });
});
afterAll(() => h.destroy());

const MAPPING = { dateColumn: 'Date', amountColumn: 'Amount', merchantColumn: 'Payee' };
const path = (b: Budget) => `/v1/budgets/${b.id}/import-profiles`;
const post = (b: Budget, name: string) => h.call('POST', path(b), { token: team.owner.token, body: { name, mapping: MAPPING } });
const fresh = () => h.createBudget(team.owner, { currency: 'GBP', categories: ['Groceries'] });
const pk = (b: Budget) => `expenses#budget#${b.id}`;
const claims = async (b: Budget) =>
  (await tableItems(h.t.doc, h.t.tableName))
    .filter((i) => i.pk === pk(b) && String(i.sk).startsWith('expenses#importprofile-name#'))
    .map((i) => ({ name: String(i.sk).slice('expenses#importprofile-name#'.length), profileId: i.profileId }));

/** Creates "Bank" through the API, then rewrites it as the code before stored "Bank" + RLM: the name and its claim `bank` + RLM. */
async function legacyProfile(b: Budget): Promise<{ id: string; etag: string }> {
  const created = await post(b, 'Bank');
  expect(created.status).toBe(201);
  const id = created.json.id as string;
  const item = (await tableItems(h.t.doc, h.t.tableName)).find((i) => i.pk === pk(b) && i.sk === `expenses#importprofile#${id}`)!;
  await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { ...item, name: 'Bank\u200e' } }));
  await h.t.doc.send(new DeleteCommand({ TableName: h.t.tableName, Key: { pk: pk(b), sk: 'expenses#importprofile-name#bank' } }));
  await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { pk: pk(b), sk: 'expenses#importprofile-name#bank\u200e', kind: 'import-profile-name', profileId: id } }));
  const read = await h.call('GET', `${path(b)}/${id}`, { token: team.owner.token });
  expect(read.json.name).toBe('Bank\u200e');
  return { id, etag: read.headers.get('etag')! };
}

describe('import profiles named before invisible characters were dropped', { timeout: 120_000 }, () => {
  it('such a name is still taken: "Bank" is a 409 naming name', async () => {
    const b = await fresh();
    await legacyProfile(b);
    expectProblem(await post(b, 'Bank'), 409, ['name']);
    expectProblem(await post(b, 'bank'), 409, ['name']);
  });

  it('deleting it drops its own claim and leaves another profile\'s: "Bank" stays taken by the other', async () => {
    const b = await fresh();
    const legacy = await legacyProfile(b);
    // Before the change "Bank" and "Bank" + RLM were two names: another profile, "Bank", holds `bank`.
    const other = (await post(b, 'Savings')).json.id as string;
    const item = (await tableItems(h.t.doc, h.t.tableName)).find((i) => i.pk === pk(b) && i.sk === `expenses#importprofile#${other}`)!;
    await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { ...item, name: 'Bank' } }));
    await h.t.doc.send(new DeleteCommand({ TableName: h.t.tableName, Key: { pk: pk(b), sk: 'expenses#importprofile-name#savings' } }));
    await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { pk: pk(b), sk: 'expenses#importprofile-name#bank', kind: 'import-profile-name', profileId: other } }));

    const deleted = await h.call('DELETE', `${path(b)}/${legacy.id}`, { token: team.owner.token });
    expect(deleted.status).toBe(204);
    expect(await claims(b)).toEqual([{ name: 'bank', profileId: other }]);
    expectProblem(await post(b, 'Bank'), 409, ['name']);
  });

  it('renaming it to the name it shows moves its claim to today\'s key; renaming it away frees it', async () => {
    const b = await fresh();
    const legacy = await legacyProfile(b);
    const renamed = await h.call('PATCH', `${path(b)}/${legacy.id}`, { token: team.owner.token, body: { name: 'Bank' }, headers: { 'If-Match': legacy.etag } });
    expect(renamed.status).toBe(200);
    expect(await claims(b)).toEqual([{ name: 'bank', profileId: legacy.id }]);
    expectProblem(await post(b, 'Bank'), 409, ['name']);

    const b2 = await fresh();
    const away = await legacyProfile(b2);
    const moved = await h.call('PATCH', `${path(b2)}/${away.id}`, { token: team.owner.token, body: { name: 'Savings' }, headers: { 'If-Match': away.etag } });
    expect(moved.status).toBe(200);
    expect(await claims(b2)).toEqual([{ name: 'savings', profileId: away.id }]);
    expect((await post(b2, 'Bank')).status).toBe(201);
  });
});

/**
 * Creates "❤ Bank" through the API, then rewrites it as named with an emoji's presentation
 * selector and fullwidth letters before names were compared by NFKC: "❤️ Ｂａｎｋ", its claim the
 * key of that time, `❤ ｂａｎｋ` (selector dropped, letters kept: neither today's key nor the
 * stored name lowercased).
 */
async function fullwidthProfile(b: Budget): Promise<{ id: string; etag: string }> {
  const created = await post(b, PLAIN_BANK);
  expect(created.status).toBe(201);
  const id = created.json.id as string;
  const item = (await tableItems(h.t.doc, h.t.tableName)).find((i) => i.pk === pk(b) && i.sk === `expenses#importprofile#${id}`)!;
  await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { ...item, name: FULLWIDTH_BANK } }));
  await h.t.doc.send(new DeleteCommand({ TableName: h.t.tableName, Key: { pk: pk(b), sk: `expenses#importprofile-name#${PLAIN_BANK.toLowerCase()}` } }));
  await h.t.doc.send(new PutCommand({ TableName: h.t.tableName, Item: { pk: pk(b), sk: `expenses#importprofile-name#\u2764 ${FULLWIDTH_BANK_LETTERS.toLowerCase()}`, kind: 'import-profile-name', profileId: id } }));
  const read = await h.call('GET', `${path(b)}/${id}`, { token: team.owner.token });
  expect(read.json.name).toBe(FULLWIDTH_BANK);
  return { id, etag: read.headers.get('etag')! };
}
const PLAIN_BANK = '\u2764 Bank';
const FULLWIDTH_BANK_LETTERS = '\uff22\uff41\uff4e\uff4b';
const FULLWIDTH_BANK = `\u2764\ufe0f ${FULLWIDTH_BANK_LETTERS}`;

describe('import profiles named with a look-alike before names were compared by their compatibility form (NFKC)', { timeout: 120_000 }, () => {
  it('a new look-alike of a name is taken: "❤️ Ｂａｎｋ" beside "❤ Bank" is a 409 naming name', async () => {
    const b = await fresh();
    expect((await post(b, PLAIN_BANK)).status).toBe(201);
    expectProblem(await post(b, FULLWIDTH_BANK), 409, ['name']);
  });

  it('such a name is still taken, and deleting it drops its own claim (under the key of its time)', async () => {
    const b = await fresh();
    const old = await fullwidthProfile(b);
    expectProblem(await post(b, PLAIN_BANK), 409, ['name']);
    expect((await h.call('DELETE', `${path(b)}/${old.id}`, { token: team.owner.token })).status).toBe(204);
    expect(await claims(b)).toEqual([]);
    expect((await post(b, PLAIN_BANK)).status).toBe(201);
  });

  it('renaming it to the plain name moves its claim to today\'s key', async () => {
    const b = await fresh();
    const old = await fullwidthProfile(b);
    const renamed = await h.call('PATCH', `${path(b)}/${old.id}`, { token: team.owner.token, body: { name: PLAIN_BANK }, headers: { 'If-Match': old.etag } });
    expect(renamed.status).toBe(200);
    expect(await claims(b)).toEqual([{ name: '\u2764 bank', profileId: old.id }]);
  });
});
