import { beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../../support/actors';
import { outboxEvents } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { fanOutTeamSuite, itemsOfKind, type FanOutSystem } from '../jobs/support';

/**
 * POST /v1/budgets/{budgetId}/tags/rename: a tag renamed (or removed, `to: null`) across a
 * budget's expenses by the merchant rename's job with the tag kind, over the local work queue,
 * pages of 3 expenses here (so the expenses below are several units), each expense written as
 * its own PATCH `{tags}`. Every expectation is written by hand from the expenses made here.
 */
const TAG_RENAME_JOB = 'expenses-tag-rename';

const suite = fanOutTeamSuite('tagrename-', { concurrency: 2, expenses: { merchantRename: { pageSize: 3 } } });
const { api } = suite;
let s: FanOutSystem;
let owner: Actor;
let editor: Actor;
let viewer: Actor;
let stranger: Actor;
beforeAll(() => ({ s, owner, editor, viewer, stranger } = suite.accounts));

const teamBudget = () => suite.teamBudget('Travel');

async function add(budgetId: string, category: string, n: number, tags: string[] | undefined) {
  const res = await api(owner)('POST', `/v1/budgets/${budgetId}/expenses`, {
    body: { occurredOn: '2026-11-10', amount: 100 + n, categoryId: category, ...(tags ? { tags } : {}) },
  });
  expect(res.status, res.text).toBe(201);
  return res.json as { id: string; version: number; tags?: string[] };
}

/** The expenses' tags, and what each is after renaming `vacation`/`Vacances` to `trip`, by hand. */
const CASES: { tags: string[] | undefined; renamed?: string[] }[] = [
  { tags: ['vacation'], renamed: ['trip'] },
  { tags: ['VACATION', 'food'], renamed: ['trip', 'food'] }, // case
  { tags: ['food', 'vacances'], renamed: ['food', 'trip'] }, // the second `from`, in its place
  { tags: ['Vacancés'], renamed: ['trip'] }, // an accent
  { tags: ['trip', 'vacation'], renamed: ['trip'] }, // merged into the `to` it had: one
  { tags: ['vacation', 'Trip', 'x'], renamed: ['trip', 'x'] }, // merged: the first spelling stays
  { tags: ['Vacation', 'vacances'], renamed: ['trip'] }, // both `from` tags: one `to`
  { tags: ['vacation-2026'] }, // another tag
  { tags: ['trip'] }, // already `to`: nothing to write
  { tags: undefined }, // no tags
];

async function seed(budgetId: string, category: string) {
  const made = [];
  for (const [n, c] of CASES.entries()) made.push(await add(budgetId, category, n, c.tags));
  return made;
}

describe('tag rename', { timeout: 60_000 }, () => {
  it('renames the matching tags over several pages, merging into an existing tag; each as its PATCH', async () => {
    const b = await teamBudget();
    const made = await seed(b.id, b.category);
    const spent = (await api()('GET', `/v1/budgets/${b.id}/summary?date=2026-11-10`)).json.spent as number;
    const before = (await api()('GET', `/v1/budgets/${b.id}/changes`)).json.serverKnowledge as string;
    const deliveriesBefore = s.deliveries.filter((d) => d.job === TAG_RENAME_JOB).length;
    const updatedBefore = (await outboxEvents(s.t, 'expense.updated')).length;

    const body = { from: ['vacation', 'Vacances'], to: 'trip' };
    const res = await api()('POST', `/v1/budgets/${b.id}/tags/rename`, { body, headers: { prefer: 'wait=20' } });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('preference-applied')).toBe('wait=20');
    expect(res.headers.get('location')).toBe(`/v1/budgets/${b.id}/tag-renames/${res.json.id}`);
    expect(res.json).toMatchObject({ status: 'succeeded', from: body.from, to: 'trip', examined: 10, renamed: 7 });
    expect(res.json.finishedAt).toEqual(expect.any(String));
    // 10 expenses in pages of 3: four units under the tag rename's own items, each its delivery.
    const units = (await itemsOfKind(s.t, 'tag-rename-unit')).filter((u) => String(u.sk).includes(res.json.id));
    expect(units.length).toBe(4);
    expect(units.every((u) => String(u.sk).startsWith(`expenses#tagrenameunit#${res.json.id}#`))).toBe(true);
    expect(s.deliveries.filter((d) => d.job === TAG_RENAME_JOB).length - deliveriesBefore).toBeGreaterThanOrEqual(4);

    for (const [n, expense] of made.entries()) {
      const got = (await api(viewer)('GET', `/v1/budgets/${b.id}/expenses/${expense.id}`)).json;
      const { renamed } = CASES[n]!;
      if (renamed) expect(got, `expense ${n}`).toMatchObject({ tags: renamed, version: 2, amount: 100 + n, categoryId: b.category });
      else expect(got, `expense ${n}`).toEqual(expense);
    }
    // GET shows the same record.
    const got = await api(viewer)('GET', res.headers.get('location')!);
    expect(got.status).toBe(200);
    expect(got.json).toEqual(res.json);
    // Delta sync, expense.updated and the activity log: exactly the seven renamed, by the editor.
    const changes = (await api()('GET', `/v1/budgets/${b.id}/changes?since=${encodeURIComponent(before)}`)).json;
    expect(changes.expenses.length).toBe(7);
    expect((await outboxEvents(s.t, 'expense.updated')).length - updatedBefore).toBe(7);
    const activity = (await api()('GET', `/v1/budgets/${b.id}/activity?limit=100`)).json.items as { action: string; actor: { id: string } }[];
    const updates = activity.filter((e) => e.action === 'expense.updated');
    expect(updates.length).toBe(7);
    expect(updates.every((e) => e.actor.id === editor.id)).toBe(true);
    // The tag filter finds the renamed ones under `trip` (and the two that had it), none under `vacation`.
    expect((await api()('GET', `/v1/budgets/${b.id}/expenses?tag=trip`)).json.items.length).toBe(8);
    expect((await api()('GET', `/v1/budgets/${b.id}/expenses?tag=vacation`)).json.items.length).toBe(0);
    // Totals unaffected.
    expect((await api()('GET', `/v1/budgets/${b.id}/summary?date=2026-11-10`)).json.spent).toBe(spent);
    // No event for its end (the merchant rename's finished event is not published for it).
    expect((await outboxEvents(s.t, 'expense.merchant_rename_finished')).filter((e) => e.envelope.data.renameId === res.json.id)).toEqual([]);
  });

  it('to: null removes the tags (matched ignoring case and accents); an expense left without tags has none', async () => {
    const b = await teamBudget();
    const one = await add(b.id, b.category, 1, ['Réimbursable', 'work']);
    const two = await add(b.id, b.category, 2, ['REIMBURSABLE']);
    const three = await add(b.id, b.category, 3, ['work']);
    const res = await api(owner)('POST', `/v1/budgets/${b.id}/tags/rename`, { body: { from: ['reimbursable'], to: null }, headers: { prefer: 'wait=20' } });
    expect(res.status, res.text).toBe(200);
    expect(res.json).toMatchObject({ status: 'succeeded', from: ['reimbursable'], to: null, examined: 3, renamed: 2 });
    expect((await api()('GET', `/v1/budgets/${b.id}/expenses/${one.id}`)).json).toMatchObject({ tags: ['work'], version: 2 });
    const bare = (await api()('GET', `/v1/budgets/${b.id}/expenses/${two.id}`)).json;
    expect(bare.version).toBe(2);
    expect(bare.tags ?? []).toEqual([]);
    expect((await api()('GET', `/v1/budgets/${b.id}/expenses/${three.id}`)).json).toEqual(three);
  });

  it('without Prefer: 202 queued with Location; an Idempotency-Key replays it and starts nothing', async () => {
    const b = await teamBudget();
    await add(b.id, b.category, 1, ['Old']);
    const body = { from: ['old'], to: 'New' };
    const res = await api()('POST', `/v1/budgets/${b.id}/tags/rename`, { body, headers: { 'idempotency-key': 'tag-rename-1' } });
    expect(res.status, res.text).toBe(202);
    expect(res.json).toMatchObject({ status: 'queued', from: ['old'], to: 'New', examined: 0, renamed: 0 });
    expect(res.headers.get('location')).toBe(`/v1/budgets/${b.id}/tag-renames/${res.json.id}`);
    const replay = await api()('POST', `/v1/budgets/${b.id}/tags/rename`, { body, headers: { 'idempotency-key': 'tag-rename-1' } });
    expect(replay.status).toBe(202);
    expect(replay.json.id).toBe(res.json.id);
    await s.queue.idle();
    const final = (await api()('GET', res.headers.get('location')!)).json;
    expect(final).toMatchObject({ id: res.json.id, status: 'succeeded', examined: 1, renamed: 1 });
    // One rename record for the budget: the replay started nothing.
    const records = (await itemsOfKind(s.t, 'tag-rename')).filter((r) => r.budgetId === b.id);
    expect(records.length).toBe(1);
  });

  it('owners and editors only; strangers see nothing; bad bodies are 400s naming from or to', async () => {
    const b = await teamBudget();
    const path = `/v1/budgets/${b.id}/tags/rename`;
    const body = { from: ['a'], to: 'b' };
    expectProblem(await api(viewer)('POST', path, { body }), 403);
    expectProblem(await api(stranger)('POST', path, { body }), 404);
    expectProblem(await api(stranger)('GET', `/v1/budgets/${b.id}/tag-renames/01JDTAGRENAME0000000000001`), 404);
    expectProblem(await api()('GET', `/v1/budgets/${b.id}/tag-renames/01JDTAGRENAME0000000000001`), 404);
    expectProblem(await api()('POST', path, { body: { from: [], to: 'b' } }), 400, ['from']);
    expectProblem(await api()('POST', path, { body: { from: Array.from({ length: 21 }, (_, n) => `t${n}`), to: 'b' } }), 400, ['from']);
    expectProblem(await api()('POST', path, { body: { from: ['ok', '  '], to: 'b' } }), 400, ['from.1']);
    expectProblem(await api()('POST', path, { body: { from: ['ok', 'x'.repeat(33)], to: 'b' } }), 400, ['from.1']);
    expectProblem(await api()('POST', path, { body: { to: 'b' } }), 400, ['from']);
    expectProblem(await api()('POST', path, { body: { from: ['ok'], to: '' } }), 400, ['to']);
    expectProblem(await api()('POST', path, { body: { from: ['ok'], to: 'x'.repeat(33) } }), 400, ['to']);
    expectProblem(await api()('POST', path, { body: { from: ['ok'] } }), 400, ['to']);
    expectProblem(await api()('POST', path, { body: { ...body, extra: 1 } }), 400);
    // The owner may; the viewer may read it.
    const ok = await api(owner)('POST', path, { body, headers: { prefer: 'wait=20' } });
    expect(ok.status, ok.text).toBe(200);
    expect((await api(viewer)('GET', ok.headers.get('location')!)).status).toBe(200);
  });
});
