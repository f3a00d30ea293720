import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { App } from '../../../packages/app/src/http/create-app';
import { deliver, tableItems, theEvent } from '../../support/events';
import { call } from '../../support/http';
import { expectProblem } from '../../support/problem';
import { expectPatchesChangeNothing } from '../../support/no-change-patch';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * Import profiles (saved column mappings of bank CSV files) on DynamoDB Local through the whole
 * system: CRUD with ETag, If-Match and Idempotency-Key as the other budget resources; the
 * mapping validated by the import's own rules (400 naming `mapping.<field>`); names unique per
 * budget ignoring case (409 naming `name`); at most N per budget (lowered here); owners and
 * editors write, viewers read, strangers get 404; `POST .../expenses/import?profile=` with a
 * parameter overriding the profile's field, in a dry run and through the import job; a file with
 * debit and credit columns end to end; the budget's deletion removes its profiles.
 */
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness();
  team = await h.team({ currency: 'GBP', categories: ['Groceries'] });
});
afterAll(() => h.destroy());

const path = (b: Budget) => `/v1/budgets/${b.id}/import-profiles`;
const post = (b: Budget, body: unknown, who: User = team.owner, headers: Record<string, string> = {}) => h.call('POST', path(b), { token: who.token, body, headers });
const fresh = () => h.createBudget(team.owner, { currency: 'GBP', categories: ['Groceries'] });
const profileItems = async (budgetId: string) =>
  (await tableItems(h.t.doc, h.t.tableName)).filter((i) => i.pk === `expenses#budget#${budgetId}` && String(i.sk).startsWith('expenses#importprofile'));

/** A UK bank's export: a line before the header, money out and money in in two columns. */
const UK = [
  'Account 12345678 sort code 00-00-00',
  'Date,Description,Paid out,Paid in,Balance',
  '03/11/2026,TESCO STORES,"1,234.56",,"2,000.00"',
  '04/11/2026,SALARY ACME LTD,,"2,500.00","4,500.00"',
  '05/11/2026,TFL TRAVEL,3.50,0.00,"4,496.50"',
  '06/11/2026,REFUND AND FEE,1.00,2.00,"4,497.50"',
  '07/11/2026,NOTHING,,,"4,497.50"',
  '',
].join('\r\n');

const UK_MAPPING = {
  dateColumn: 'Date',
  merchantColumn: 'Description',
  descriptionColumn: 'Balance',
  debitColumn: 'Paid out',
  creditColumn: 'Paid in',
  dateFormat: 'DD/MM/YYYY',
  decimalSeparator: '.',
  skipLines: 1,
};

const importCsv = (b: Budget, csv: string, query: Record<string, string>, who: User = team.owner) => h.importCsv(b, who, csv, query);
const view = (list: any[]) => list.map(({ occurredOn, amount, merchant }) => ({ occurredOn, amount, merchant }));

describe('import profiles: the resource', { timeout: 120_000 }, () => {
  it('creates, gets, lists, patches (ETag, If-Match) and deletes', async () => {
    const b = await fresh();
    const created = await post(b, { name: '  Barclays   current ', mapping: UK_MAPPING });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toEqual({
      id: expect.any(String),
      name: 'Barclays current',
      mapping: UK_MAPPING,
      version: 1,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    await h.expectCreated(created, path(b), team.owner);
    const second = await post(b, { name: 'Monzo', mapping: { amountColumn: 'Amount', amountSign: 'negativeIsSpending' } });
    expect(second.status, second.text).toBe(201);

    const listed = await h.call('GET', path(b), { token: team.owner.token });
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json).toEqual({ items: [created.json, second.json], nextCursor: null });

    const url = `${path(b)}/${created.json.id}`;
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { name: 'x' }, headers: { 'if-match': '"7"' } }), 412);
    const patched = await h.call('PATCH', url, { token: team.owner.token, body: { name: 'Barclays joint', mapping: { amountColumn: 'Amount' } }, headers: { 'if-match': '"1"' } });
    expect(patched.status, patched.text).toBe(200);
    expect(patched.headers.get('etag')).toBe('"2"');
    // The mapping is replaced whole, not merged.
    expect(patched.json).toMatchObject({ name: 'Barclays joint', mapping: { amountColumn: 'Amount' }, version: 2 });
    expect(Object.keys(patched.json.mapping)).toEqual(['amountColumn']);
    // The old name is free again, the new one taken.
    expect((await post(b, { name: 'barclays CURRENT', mapping: {} })).status).toBe(201);
    expectProblem(await post(b, { name: 'BARCLAYS JOINT', mapping: {} }), 409, ['name']);

    expectProblem(await h.call('DELETE', url, { token: team.owner.token, headers: { 'if-match': '"1"' } }), 412);
    expect((await h.call('DELETE', url, { token: team.owner.token, headers: { 'if-match': '"2"' } })).status).toBe(204);
    expectProblem(await h.call('GET', url, { token: team.owner.token }), 404);
    // Its name is free once it is deleted.
    expect((await post(b, { name: 'Barclays joint', mapping: {} })).status).toBe(201);
  });

  it('pages as every list does (limit, cursor): each profile once, oldest first, the last page null, a cursor bound to its budget', async () => {
    const b = await fresh();
    const ids: string[] = [];
    for (const name of ['One', 'Two', 'Three']) {
      const res = await post(b, { name, mapping: UK_MAPPING });
      expect(res.status, res.text).toBe(201);
      ids.push(res.json.id);
    }
    const page1 = await h.call('GET', `${path(b)}?limit=2`, { token: team.owner.token });
    expect(page1.status, page1.text).toBe(200);
    expect(page1.json.items.map((p: { id: string }) => p.id)).toEqual(ids.slice(0, 2));
    const page2 = await h.call('GET', `${path(b)}?limit=2&cursor=${encodeURIComponent(page1.json.nextCursor)}`, { token: team.owner.token });
    expect(page2.json.items.map((p: { id: string }) => p.id)).toEqual(ids.slice(2));
    expect(page2.json.nextCursor).toBeNull();
    expect((await h.call('GET', path(b), { token: team.owner.token })).json.items).toHaveLength(3);
    expectProblem(await h.call('GET', `${path(await fresh())}?cursor=${encodeURIComponent(page1.json.nextCursor)}`, { token: team.owner.token }), 400, ['query.cursor']);
  });

  it('a PATCH that changes nothing writes nothing: 200 with the stored profile and its ETag; If-Match and unknown fields still checked', async () => {
    const b = await fresh();
    const made = await post(b, { name: 'Barclays current', mapping: UK_MAPPING });
    expect(made.status, made.text).toBe(201);
    const url = `${path(b)}/${made.json.id}`;
    // The values it has: the name with other spacing (stored normalized), the same mapping (keys
    // in another order), no `credits` when it has none.
    const reordered = Object.fromEntries(Object.entries(UK_MAPPING).reverse());
    const same = [{ name: '  Barclays   current ' }, { mapping: reordered }, { credits: null }, { name: 'Barclays current', mapping: UK_MAPPING }];
    await expectPatchesChangeNothing(h.t.doc, same, { json: made.json, etag: '"1"' }, (body, headers) => h.call('PATCH', url, { token: team.owner.token, body, headers }));
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { name: 'Barclays current' }, headers: { 'if-match': '"2"' } }), 412);
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { name: 'Barclays current', colour: 'red' } }), 400, ['colour']);
    expect((await h.call('GET', url, { token: team.owner.token })).json).toEqual(made.json);
    // The same name in another case is stored in that case: a change, version 2.
    const renamed = await h.call('PATCH', url, { token: team.owner.token, body: { name: 'barclays current' }, headers: { 'if-match': '"1"' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.headers.get('etag')).toBe('"2"');
    expect(renamed.json).toMatchObject({ name: 'barclays current', version: 2 });
  });

  it('replays a create with the same Idempotency-Key instead of adding it twice', async () => {
    const b = await fresh();
    const key = { 'idempotency-key': 'profile-create-1' };
    const first = await post(b, { name: 'Nationwide', mapping: UK_MAPPING }, team.owner, key);
    expect(first.status, first.text).toBe(201);
    const retry = await post(b, { name: 'Nationwide', mapping: UK_MAPPING }, team.owner, key);
    expect(retry.status).toBe(201);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expect((await h.call('GET', path(b), { token: team.owner.token })).json.items).toHaveLength(1);
  });

  it('refuses bad bodies with a 400 naming the field (the import mapping rules), and names taken ignoring case with a 409 naming name', async () => {
    const b = await fresh();
    expectProblem(await post(b, { mapping: UK_MAPPING }), 400, ['name']);
    expectProblem(await post(b, { name: '   ', mapping: UK_MAPPING }), 400, ['name']);
    expectProblem(await post(b, { name: 'x'.repeat(101), mapping: UK_MAPPING }), 400, ['name']);
    expectProblem(await post(b, { name: 'A' }), 400, ['mapping']);
    expectProblem(await post(b, { name: 'A', mapping: { delimiter: '|' } }), 400, ['mapping.delimiter']);
    expectProblem(await post(b, { name: 'A', mapping: { skipLines: 21 } }), 400, ['mapping.skipLines']);
    expectProblem(await post(b, { name: 'A', mapping: { skipLines: '3' } }), 400, ['mapping.skipLines']);
    expectProblem(await post(b, { name: 'A', mapping: { merchantColumn: ' ' } }), 400, ['mapping.merchantColumn']);
    // Ill-formed text, refused as in every other text field (it was stored as sent).
    for (const bad of ['Da\u0000te', 'Amo\ud800unt', 'x\u0001']) {
      expectProblem(await post(b, { name: 'A', mapping: { dateColumn: bad } }), 400, ['mapping.dateColumn']);
      expectProblem(await post(b, { name: 'A', mapping: { tagsColumn: bad } }), 400, ['mapping.tagsColumn']);
    }
    expectProblem(await post(b, { name: 'A', mapping: { colums: 'x' } }), 400);
    // The mapping as a whole: one amount column, or a debit and a credit column together.
    expectProblem(await post(b, { name: 'A', mapping: { debitColumn: 'Out' } }), 400, ['mapping.creditColumn']);
    expectProblem(await post(b, { name: 'A', mapping: { creditColumn: 'In' } }), 400, ['mapping.debitColumn']);
    expectProblem(await post(b, { name: 'A', mapping: { debitColumn: 'Out', creditColumn: 'In', amountColumn: 'Amount' } }), 400, ['mapping.amountColumn']);
    expectProblem(await post(b, { name: 'A', mapping: { debitColumn: 'Out', creditColumn: 'In', amountSign: 'negativeIsSpending' } }), 400, ['mapping.amountSign']);
    expect(await profileItems(b.id)).toEqual([]);

    const made = await post(b, { name: 'Lloyds', mapping: UK_MAPPING });
    expect(made.status, made.text).toBe(201);
    const taken = await post(b, { name: ' LLOYDS', mapping: {} });
    expectProblem(taken, 409, ['name']);
    const other = await post(b, { name: 'HSBC', mapping: {} });
    const url = `${path(b)}/${other.json.id}`;
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { name: 'lloyds' } }), 409, ['name']);
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: {} }), 400, ['body']);
    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { mapping: { debitColumn: 'Out' } } }), 400, ['mapping.creditColumn']);
    // Its own name in another case is no conflict.
    const recased = await h.call('PATCH', url, { token: team.owner.token, body: { name: 'hsbc' } });
    expect(recased.status, recased.text).toBe(200);
    expect(recased.json).toMatchObject({ name: 'hsbc', version: 2 });
    // Another budget may use the same names.
    expect((await post(await fresh(), { name: 'Lloyds', mapping: {} })).status).toBe(201);
    // Two profiles, their count and two name claims.
    expect((await profileItems(b.id)).map((i) => i.kind).sort()).toEqual(['import-profile', 'import-profile', 'import-profile-count', 'import-profile-name', 'import-profile-name']);
  });

  it('a name whose key grows past DynamoDB\'s 1,024-byte sort key when folded (NFKC: "ﷺ" is 18 characters) is a profile like any other: 201, unique, renamed, deleted', async () => {
    const b = await fresh();
    // 100 characters, as the schema allows; folded for uniqueness they are 1,800 characters, 3,300 bytes.
    const long = 'ﷺ'.repeat(100);
    const made = await post(b, { name: long, mapping: {} });
    expect(made.status, made.text.slice(0, 300)).toBe(201);
    expect(made.json.name).toBe(long);
    // Taken, as any name: the claim holds it.
    expectProblem(await post(b, { name: long, mapping: {} }), 409, ['name']);
    const url = `${path(b)}/${made.json.id}`;
    const renamed = await h.call('PATCH', url, { token: team.owner.token, body: { name: `${'ﷺ'.repeat(99)}x` } });
    expect(renamed.status, renamed.text.slice(0, 300)).toBe(200);
    expect((await post(b, { name: long, mapping: {} })).status).toBe(201);
    expect((await h.call('DELETE', url, { token: team.owner.token })).status).toBe(204);
  });

  it('owners and editors write, viewers read (403 to change), strangers get 404', async () => {
    const b = team.budget;
    expectProblem(await post(b, { name: 'By viewer', mapping: {} }, team.viewer), 403);
    expectProblem(await post(b, { name: 'By stranger', mapping: {} }, team.stranger), 404);
    const made = await post(b, { name: 'By editor', mapping: UK_MAPPING }, team.editor);
    expect(made.status, made.text).toBe(201);
    const url = `${path(b)}/${made.json.id}`;
    for (const who of [team.owner, team.editor, team.viewer]) {
      expect((await h.call('GET', url, { token: who.token })).status).toBe(200);
      expect((await h.call('GET', path(b), { token: who.token })).json.items.map((p: { id: string }) => p.id)).toContain(made.json.id);
    }
    expectProblem(await h.call('GET', url, { token: team.stranger.token }), 404);
    expectProblem(await h.call('GET', path(b), { token: team.stranger.token }), 404);
    expectProblem(await h.call('PATCH', url, { token: team.viewer.token, body: { name: 'x' } }), 403);
    expectProblem(await h.call('DELETE', url, { token: team.viewer.token }), 403);
    expectProblem(await h.call('PATCH', url, { token: team.stranger.token, body: { name: 'x' } }), 404);
    expectProblem(await h.call('DELETE', url, { token: team.stranger.token }), 404);
    // A viewer cannot import with it either; a stranger does not learn it exists.
    expectProblem(await importCsv(b, UK, { profile: made.json.id, dryRun: 'true' }, team.viewer), 403);
    expectProblem(await importCsv(b, UK, { profile: made.json.id, dryRun: 'true' }, team.stranger), 404);
    const renamed = await h.call('PATCH', url, { token: team.owner.token, body: { name: 'By editor, renamed by owner' } });
    expect(renamed.status, renamed.text).toBe(200);
    expect((await h.call('DELETE', url, { token: team.editor.token })).status).toBe(204);
  });
});

describe('the cap on import profiles per budget', { timeout: 120_000 }, () => {
  const CAP = 3;
  let app: App;
  beforeAll(() => {
    app = h.expensesAppWith({ importProfiles: { maxPerBudget: CAP } });
  });
  const as = (method: string, url: string, body?: unknown) => call(app, method, url, { token: team.owner.token, ...(body === undefined ? {} : { body }) });

  it('refuses the one past the cap with 409 naming the limit, writing nothing; a deletion makes room again', async () => {
    const b = await fresh();
    const urls: string[] = [];
    for (let i = 1; i <= CAP; i++) {
      const res = await as('POST', path(b), { name: `bank ${i}`, mapping: {} });
      expect(res.status, res.text).toBe(201);
      urls.push(res.headers.get('location')!);
    }
    const refused = await as('POST', path(b), { name: 'bank 99', mapping: {} });
    expectProblem(refused, 409);
    expect(refused.json.detail).toBe(`A budget can have at most ${CAP} import profiles; delete one first.`);
    expect(refused.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', title: 'Limit reached', limit: CAP, collection: 'importProfiles' });
    expect((await as('GET', path(b))).json.items).toHaveLength(CAP);
    expect((await as('DELETE', urls[0]!)).status).toBe(204);
    // A refused create left no name claim behind: its name is free.
    expect((await as('POST', path(b), { name: 'bank 99', mapping: {} })).status).toBe(201);
    expect((await as('GET', path(b))).json.items).toHaveLength(CAP);
  });

  it('holds under concurrent creates: exactly the cap get in, and one name only once', async () => {
    const b = await fresh();
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => as('POST', path(b), { name: `bank ${i}`, mapping: {} })));
    expect(answers.filter((a) => a.status === 201)).toHaveLength(CAP);
    expect(answers.filter((a) => a.status !== 201).map((a) => a.status)).toEqual([409, 409, 409, 409, 409]);
    const other = await fresh();
    const same = await Promise.all(Array.from({ length: 4 }, (_, i) => as('POST', path(other), { name: i % 2 ? 'Same' : 'SAME', mapping: {} })));
    expect(same.map((a) => a.status).sort()).toEqual([201, 409, 409, 409]);
  });
});

describe('importing with a profile (?profile=)', { timeout: 120_000 }, () => {
  it('reads the file with the saved mapping, in a dry run and through the job; a parameter overrides its field', async () => {
    const b = await fresh();
    // Saved without skipLines: the account line is then taken for the header.
    const { skipLines: _skip, ...withoutSkip } = UK_MAPPING;
    const profile = (await post(b, { name: 'UK', mapping: withoutSkip })).json;
    expectProblem(await importCsv(b, UK, { profile: profile.id, dryRun: 'true' }), 400, ['query.profile']);

    const dry = await importCsv(b, UK, { profile: profile.id, skipLines: '1', dryRun: 'true' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({
      dryRun: true,
      total: 4,
      imported: 2,
      duplicates: 0,
      errorCount: 2,
      errors: [
        { line: 6, message: 'debit ("1.00") and credit ("2.00") are both filled: a row is one or the other' },
        { line: 7, message: 'debit and credit are both empty (or zero): a row needs one of them' },
      ],
      importLines: [3, 5],
      skipped: 1,
      skippedLines: [4],
    });
    expect(await h.listExpenses(b, team.owner.token)).toEqual([]);

    const done = await importCsv(b, UK, { profile: profile.id, skipLines: '1' });
    expect(done.status, done.text).toBe(200);
    expect(done.json).toMatchObject({ status: 'succeeded', total: 4, processed: 4, imported: 2, duplicates: 0, errorCount: 2, skipped: 1 });
    expect(view(await h.listExpenses(b, team.owner.token))).toEqual([
      { occurredOn: '2026-11-05', amount: 350, merchant: 'TFL TRAVEL' },
      { occurredOn: '2026-11-03', amount: 123456, merchant: 'TESCO STORES' },
    ]);
    // The same file through the same mapping given as parameters: the same rows, duplicates.
    const params = Object.fromEntries(Object.entries(UK_MAPPING).map(([k, v]) => [k, String(v)]));
    const again = await importCsv(b, UK, params);
    expect(again.json).toMatchObject({ status: 'succeeded', total: 4, imported: 0, duplicates: 2, errorCount: 2, skipped: 1 });
  });

  it('an Idempotency-Key replays the first answer under the same profile id, even after the profile changed (the fingerprint covers the query, not the profile)', async () => {
    const b = await fresh();
    const profile = (await post(b, { name: 'Replayed', mapping: UK_MAPPING })).json;
    const keyed = (who: User = team.owner) =>
      h.call('POST', `/v1/budgets/${b.id}/expenses/import?profile=${profile.id}`, {
        token: who.token,
        rawBody: UK,
        headers: { 'content-type': 'text/csv', prefer: 'wait=25', 'idempotency-key': 'profile-import-1' },
      });
    const first = await keyed();
    expect(first.json).toMatchObject({ status: 'succeeded', imported: 2 });
    // Now the profile would read nothing of this file (its header has no "Money out").
    expect((await h.call('PATCH', `${path(b)}/${profile.id}`, { token: team.owner.token, body: { mapping: { ...UK_MAPPING, debitColumn: 'Money out' } } })).status).toBe(200);
    const retry = await keyed();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(first.json);
    expect(await h.listExpenses(b, team.owner.token)).toHaveLength(2);
  });

  it('an unknown profile, or another budget\'s, is a 400 naming profile; problems of a field the profile gave name profile, of one sent its parameter', async () => {
    const b = await fresh();
    const elsewhere = await fresh();
    const foreign = (await post(elsewhere, { name: 'Foreign', mapping: UK_MAPPING })).json;
    expectProblem(await importCsv(b, UK, { profile: 'NO-SUCH-PROFILE' }), 400, ['query.profile']);
    expectProblem(await importCsv(b, UK, { profile: foreign.id, dryRun: 'true' }), 400, ['query.profile']);

    const own = (await post(b, { name: 'Own', mapping: UK_MAPPING })).json;
    // The profile's debit and credit columns with an amountColumn sent: the parameter sent is named.
    expectProblem(await importCsv(b, UK, { profile: own.id, amountColumn: 'Balance' }), 400, ['query.amountColumn']);
    // A sent column the header lacks names its parameter; a saved one the header lacks names the profile.
    expectProblem(await importCsv(b, UK, { profile: own.id, merchantColumn: 'Payee' }), 400, ['query.merchantColumn']);
    const stale = (await post(b, { name: 'Stale', mapping: { ...UK_MAPPING, debitColumn: 'Money out' } })).json;
    const res = await importCsv(b, UK, { profile: stale.id });
    expectProblem(res, 400, ['query.profile']);
    expect(res.json.errors[0].message).toBe('The profile\'s debitColumn: The header (line 2) has no column "Money out"');
    // An OFX body takes no profile.
    expectProblem(await h.call('POST', `/v1/budgets/${b.id}/expenses/import?profile=${own.id}`, { token: team.owner.token, rawBody: 'OFXHEADER:100\r\n', headers: { 'content-type': 'application/x-ofx' } }), 400, ['query.profile']);
    expect(await h.listExpenses(b, team.owner.token)).toEqual([]);
  });

  it('debit and credit columns as parameters: end to end through the job; half a pair or both kinds of amount is a 400 naming the parameter', async () => {
    const b = await fresh();
    const params = Object.fromEntries(Object.entries(UK_MAPPING).map(([k, v]) => [k, String(v)]));
    const res = await importCsv(b, UK, params);
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', total: 4, imported: 2, errorCount: 2, skipped: 1 });
    expect(res.json.errors.map((e: { line: number }) => e.line)).toEqual([6, 7]);
    const { creditColumn: _c, ...noCredit } = params;
    expectProblem(await importCsv(b, UK, noCredit), 400, ['query.creditColumn']);
    const { debitColumn: _d, ...noDebit } = params;
    expectProblem(await importCsv(b, UK, noDebit), 400, ['query.debitColumn']);
    expectProblem(await importCsv(b, UK, { ...params, amountColumn: 'Balance' }), 400, ['query.amountColumn']);
    expectProblem(await importCsv(b, UK, { ...params, amountSign: 'positive' }), 400, ['query.amountSign']);
    expectProblem(await importCsv(b, UK, { ...params, debitColumn: 'Money out' }), 400, ['query.debitColumn']);
    expect(await h.listExpenses(b, team.owner.token)).toHaveLength(2);
  });
});

/** A German bank's export: a line before the header, `;`, DD.MM.YYYY, decimal commas, money in positive. */
const DE = [
  'Kontoauszug;DE00 1234;',
  'Buchungstag;Empfänger;Verwendungszweck;Betrag',
  '03.11.2026;REWE;Einkauf;-12,50',
  '04.11.2026;Arbeitgeber;Gehalt;2.000,00',
  '05.11.2026;DB Bahn;Ticket;-1.045,00',
  '',
].join('\n');

const DE_MAPPING = {
  dateColumn: 'Buchungstag',
  amountColumn: 'Betrag',
  merchantColumn: 'Empfänger',
  descriptionColumn: 'Verwendungszweck',
  delimiter: ';',
  dateFormat: 'DD.MM.YYYY',
  decimalSeparator: ',',
  amountSign: 'negativeIsSpending',
  skipLines: 1,
};

describe("a profile's credits (what a credit of its files becomes)", { timeout: 120_000 }, () => {
  /** Money out 100.00, then money in 25.00 (a returned item), in two columns. */
  const FILE = 'Date,Description,Paid out,Paid in\r\n02/11/2026,AMAZON EU,100.00,\r\n06/11/2026,AMAZON EU,,25.00\r\n';
  const MAPPING = { dateColumn: 'Date', merchantColumn: 'Description', debitColumn: 'Paid out', creditColumn: 'Paid in', dateFormat: 'DD/MM/YYYY', decimalSeparator: '.' };

  it('is created, read, listed, patched and cleared with null; another value is a 400 naming credits', async () => {
    const b = await fresh();
    expectProblem(await post(b, { name: 'A', mapping: MAPPING, credits: 'all' }), 400, ['credits']);
    expectProblem(await post(b, { name: 'A', mapping: MAPPING, credits: null }), 400, ['credits']);
    expect(await profileItems(b.id)).toEqual([]);

    const created = await post(b, { name: 'Amazon card', mapping: MAPPING, credits: 'refunds' });
    expect(created.status, created.text).toBe(201);
    expect(created.json).toEqual({ id: expect.any(String), name: 'Amazon card', mapping: MAPPING, credits: 'refunds', version: 1, createdAt: expect.any(String), updatedAt: expect.any(String) });
    const url = `${path(b)}/${created.json.id}`;
    expect((await h.call('GET', url, { token: team.owner.token })).json).toEqual(created.json);
    expect((await h.call('GET', path(b), { token: team.owner.token })).json.items).toEqual([created.json]);

    expectProblem(await h.call('PATCH', url, { token: team.owner.token, body: { credits: 'everything' } }), 400, ['credits']);
    const skip = await h.call('PATCH', url, { token: team.owner.token, body: { credits: 'skip' } });
    expect(skip.status, skip.text).toBe(200);
    expect(skip.json).toMatchObject({ credits: 'skip', mapping: MAPPING, version: 2 });
    // A new mapping leaves credits as it is.
    expect((await h.call('PATCH', url, { token: team.owner.token, body: { mapping: { ...MAPPING, skipLines: 0 } } })).json).toMatchObject({ credits: 'skip', version: 3 });
    const cleared = await h.call('PATCH', url, { token: team.owner.token, body: { credits: null } });
    expect(cleared.status, cleared.text).toBe(200);
    expect(cleared.json.version).toBe(4);
    expect('credits' in cleared.json).toBe(false);
    expect('credits' in (await h.call('GET', url, { token: team.owner.token })).json).toBe(false);
    expect((await profileItems(b.id)).find((i) => i.kind === 'import-profile')!.credits).toBeUndefined();
  });

  it('credits=refunds imports a credit as a refund with ?profile=<id> and ?profile=auto; the query\'s credits=skip overrides it', async () => {
    const b = await fresh();
    const profile = (await post(b, { name: 'Amazon card', mapping: MAPPING, credits: 'refunds' })).json;

    // The profile alone: the credit would be imported.
    const dry = await importCsv(b, FILE, { profile: profile.id, dryRun: 'true' });
    expect(dry.json).toMatchObject({ total: 2, imported: 2, skipped: 0, importLines: [2, 3] });
    // The query says skip: the credit is left out, as without the profile's field.
    const skipped = await importCsv(b, FILE, { profile: profile.id, credits: 'skip' });
    expect(skipped.status, skipped.text).toBe(200);
    expect(skipped.json).toMatchObject({ status: 'succeeded', total: 1, imported: 1, skipped: 1 });
    expect(await h.spent(b, team.owner.token, '2026-11-02')).toBe(10000);

    // The profile's refunds (picked by auto): only the credit is new, a refund of 25.00.
    const refunds = await importCsv(b, FILE, { profile: 'auto' });
    expect(refunds.status, refunds.text).toBe(200);
    expect(refunds.json).toMatchObject({ status: 'succeeded', profileId: profile.id, total: 2, imported: 1, duplicates: 1, skipped: 0 });
    const list = await h.listExpenses(b, team.owner.token);
    expect(list.map(({ occurredOn, amount, refund }) => ({ occurredOn, amount, refund }))).toEqual([
      { occurredOn: '2026-11-06', amount: 2500, refund: true },
      { occurredOn: '2026-11-02', amount: 10000, refund: undefined },
    ]);
    // 100.00 spent, 25.00 of it refunded: 75.00.
    expect(await h.spent(b, team.owner.token, '2026-11-06')).toBe(7500);

    // Cleared: the default again, the credit skipped.
    await h.call('PATCH', `${path(b)}/${profile.id}`, { token: team.owner.token, body: { credits: null } });
    expect((await importCsv(b, FILE, { profile: profile.id, dryRun: 'true' })).json).toMatchObject({ total: 1, duplicates: 1, skipped: 1, skippedLines: [3] });
  });
});

describe('importing with ?profile=auto (the profile whose columns the header has)', { timeout: 120_000 }, () => {
  it("picks each bank file's profile (each header read with its profile's skipLines and delimiter), in a dry run and through the job; the import says which", async () => {
    const b = await fresh();
    const uk = (await post(b, { name: 'Barclays', mapping: UK_MAPPING })).json;
    const de = (await post(b, { name: 'Sparkasse', mapping: DE_MAPPING })).json;
    // Newer, and fits the UK file too, but names fewer columns: the fuller profile is preferred.
    const { merchantColumn: _m, descriptionColumn: _d, ...looser } = UK_MAPPING;
    const loose = (await post(b, { name: 'Barclays (dates and money only)', mapping: looser })).json;
    expect(loose.id).not.toBe(uk.id);

    const ukDry = await importCsv(b, UK, { profile: 'auto', dryRun: 'true' });
    expect(ukDry.status, ukDry.text).toBe(200);
    expect(ukDry.json).toMatchObject({ dryRun: true, profileId: uk.id, total: 4, imported: 2, errorCount: 2, importLines: [3, 5], skipped: 1, skippedLines: [4] });
    const deDry = await importCsv(b, DE, { profile: 'auto', dryRun: 'true' });
    expect(deDry.status, deDry.text).toBe(200);
    expect(deDry.json).toMatchObject({ dryRun: true, profileId: de.id, total: 2, imported: 2, errorCount: 0, importLines: [3, 5], skipped: 1, skippedLines: [4] });
    expect(await h.listExpenses(b, team.owner.token)).toEqual([]);

    const ukDone = await importCsv(b, UK, { profile: 'auto' });
    expect(ukDone.status, ukDone.text).toBe(200);
    expect(ukDone.json).toMatchObject({ status: 'succeeded', imported: 2, skipped: 1, profileId: uk.id });
    const deDone = await importCsv(b, DE, { profile: 'auto' });
    expect(deDone.status, deDone.text).toBe(200);
    expect(deDone.json).toMatchObject({ status: 'succeeded', imported: 2, skipped: 1, profileId: de.id });
    // GET of the import says it too.
    const got = await h.call('GET', deDone.headers.get('location')!, { token: team.owner.token });
    expect(got.status, got.text).toBe(200);
    expect(got.json.profileId).toBe(de.id);
    const byMerchant = (list: { merchant: string }[]) => [...list].sort((x, y) => x.merchant.localeCompare(y.merchant));
    expect(byMerchant(view(await h.listExpenses(b, team.owner.token)))).toEqual([
      { occurredOn: '2026-11-05', amount: 104500, merchant: 'DB Bahn' },
      { occurredOn: '2026-11-03', amount: 1250, merchant: 'REWE' },
      { occurredOn: '2026-11-03', amount: 123456, merchant: 'TESCO STORES' },
      { occurredOn: '2026-11-05', amount: 350, merchant: 'TFL TRAVEL' },
    ]);

    // A named profile is reported as well; without a profile there is no profileId.
    expect((await importCsv(b, DE, { profile: de.id, dryRun: 'true' })).json.profileId).toBe(de.id);
    const plain = await importCsv(b, UK, { ...Object.fromEntries(Object.entries(UK_MAPPING).map(([k, v]) => [k, String(v)])), dryRun: 'true' });
    expect(plain.status, plain.text).toBe(200);
    expect(plain.json.profileId).toBeUndefined();
  });

  it('a parameter given takes part in the pick: the profiles are matched as the import would read the file', async () => {
    const b = await fresh();
    const { skipLines: _skip, ...withoutSkip } = UK_MAPPING;
    const uk = (await post(b, { name: 'UK without the account line', mapping: withoutSkip })).json;
    // Read from line 1, the header is the account line: nothing fits.
    expectProblem(await importCsv(b, UK, { profile: 'auto', dryRun: 'true' }), 400, ['query.profile']);
    const dry = await importCsv(b, UK, { profile: 'auto', skipLines: '1', dryRun: 'true' });
    expect(dry.status, dry.text).toBe(200);
    expect(dry.json).toMatchObject({ profileId: uk.id, imported: 2 });
  });

  it('an Idempotency-Key retry replays the first answer and its profileId, even when a profile added since would now be picked', async () => {
    const b = await fresh();
    const { merchantColumn: _m, descriptionColumn: _d, ...looser } = UK_MAPPING;
    const first = (await post(b, { name: 'Loose', mapping: looser })).json;
    const keyed = () =>
      h.call('POST', `/v1/budgets/${b.id}/expenses/import?profile=auto`, {
        token: team.owner.token,
        rawBody: UK,
        headers: { 'content-type': 'text/csv', prefer: 'wait=25', 'idempotency-key': 'auto-import-1' },
      });
    const answer = await keyed();
    expect(answer.json).toMatchObject({ status: 'succeeded', imported: 2, profileId: first.id });
    const fuller = (await post(b, { name: 'Full', mapping: UK_MAPPING })).json;
    expect((await importCsv(b, UK, { profile: 'auto', dryRun: 'true' })).json.profileId).toBe(fuller.id);
    const retry = await keyed();
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect(retry.json).toEqual(answer.json);
    expect(await h.listExpenses(b, team.owner.token)).toHaveLength(2);
  });

  it("none fitting is a 400 naming query.profile whose detail lists the header's columns; a budget without profiles says so", async () => {
    const b = await fresh();
    await post(b, { name: 'Barclays', mapping: UK_MAPPING });
    await post(b, { name: 'Sparkasse', mapping: DE_MAPPING });
    const other = ['Datum,Betrag,Zahlungsempfänger', '03.11.2026,"-12,50",REWE', ''].join('\n');
    const none = await importCsv(b, other, { profile: 'auto' });
    expectProblem(none, 400, ['query.profile']);
    expect(none.json.errors).toEqual([{ path: 'query.profile', message: "No saved import profile or built-in preset matches the file's header" }]);
    expect(none.json.detail).toMatch(/^No saved import profile or built-in preset matches the file's header \(its columns: .*\); nothing was imported/);
    // The header as the newest profile reads it: a comma-separated one without a preamble.
    await post(b, { name: 'Plain', mapping: { dateColumn: 'Date', amountColumn: 'Amount' } });
    const listed = await importCsv(b, other, { profile: 'auto', dryRun: 'true' });
    expectProblem(listed, 400, ['query.profile']);
    expect(listed.json.detail).toContain('"Datum", "Betrag", "Zahlungsempfänger"');
    expect(await h.listExpenses(b, team.owner.token)).toEqual([]);

    const empty = await h.createBudget(team.owner, { currency: 'GBP', categories: ['Groceries'] });
    const nothing = await importCsv(empty, UK, { profile: 'auto', dryRun: 'true' });
    expectProblem(nothing, 400, ['query.profile']);
    expect(nothing.json.errors[0].message).toBe("The budget has no saved import profiles, and no built-in preset matches the file's header");
    // A viewer is refused before anything is read, a stranger learns nothing.
    expectProblem(await importCsv(team.budget, UK, { profile: 'auto', dryRun: 'true' }, team.viewer), 403);
    expectProblem(await importCsv(team.budget, UK, { profile: 'auto', dryRun: 'true' }, team.stranger), 404);
  });
});

describe("the budget's deletion", { timeout: 120_000 }, () => {
  it('removes its profiles, their count and name claims with the rest of its expense partition (budget.deleted cleanup)', async () => {
    const doomed = await fresh();
    expect((await post(doomed, { name: 'Gone soon', mapping: UK_MAPPING })).status).toBe(201);
    const kept = await fresh();
    expect((await post(kept, { name: 'Stays', mapping: UK_MAPPING })).status).toBe(201);
    expect(await profileItems(doomed.id)).toHaveLength(3); // the profile, the count, the name claim
    expect((await h.call('DELETE', `/v1/budgets/${doomed.id}`, { token: team.owner.token })).status).toBe(204);
    await deliver(h.t, await theEvent(h.t, 'budget.deleted', { budgetId: doomed.id }));
    expect(await profileItems(doomed.id)).toEqual([]);
    expect(await profileItems(kept.id)).toHaveLength(3);
  });
});
