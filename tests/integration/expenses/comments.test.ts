import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { deliver, outboxEvents, tableItems, theEvent } from '../../support/events';
import { expectProblem } from '../../support/problem';
import { createHarness, type Budget, type Harness, type Team, type User } from './harness';

/**
 * Comments on an expense, on DynamoDB Local through the whole system: roles, validation naming
 * `text`, the per-expense cap (lowered to 3 here), Idempotency-Key, paging oldest first, the
 * events delivered to the activity log and notifications (twice: one notification), and the
 * cascade when the expense is deleted (restoring it brings none back).
 */
const MAX = 3;
let h: Harness;
let team: Team;

beforeAll(async () => {
  h = await createHarness({ expenses: { comments: { maxPerExpense: MAX } } });
  team = await h.team();
});
afterAll(() => h.destroy());

const collection = (b: Budget, expenseId: string) => `/v1/budgets/${b.id}/expenses/${expenseId}/comments`;
const comment = (expenseId: string, who: User, text: unknown, headers: Record<string, string> = {}) =>
  h.call('POST', collection(team.budget, expenseId), { token: who.token, body: { text }, headers });
const list = (expenseId: string, who: User, query = '') => h.call('GET', `${collection(team.budget, expenseId)}${query}`, { token: who.token });

async function expense(who: User = team.owner): Promise<string> {
  const res = await h.call('POST', `/v1/budgets/${team.budget.id}/expenses`, { token: who.token, body: { amount: 4_200, occurredOn: '2026-11-20', merchant: 'Toy Store' } });
  expect(res.status, res.text).toBe(201);
  return res.json.id;
}

const notificationsOf = async (who: User) => {
  const res = await h.call('GET', '/v1/notifications', { token: who.token });
  expect(res.status, res.text).toBe(200);
  return (res.json.items as any[]).filter((n) => n.kind === 'expense.comment');
};

describe('comments on an expense', { timeout: 60_000 }, () => {
  it('owners and editors comment, every member lists them oldest first, viewers and strangers cannot write', async () => {
    const expenseId = await expense();
    const first = await comment(expenseId, team.editor, '  What was this? 🎁  ');
    expect(first.status, first.text).toBe(201);
    expect(first.json).toEqual({ id: expect.any(String), budgetId: team.budget.id, expenseId, authorId: team.editor.id, text: 'What was this? 🎁', createdAt: expect.any(String) });
    expect(first.headers.get('location')).toBe(`${collection(team.budget, expenseId)}/${first.json.id}`);
    const second = await comment(expenseId, team.owner, 'Birthday present for Sam');
    expect(second.status, second.text).toBe(201);
    expect(second.json.id > first.json.id).toBe(true);

    expectProblem(await comment(expenseId, team.viewer, 'I only read'), 403);
    expectProblem(await comment(expenseId, team.stranger, 'hi'), 404);
    expectProblem(await list(expenseId, team.stranger), 404);
    expectProblem(await comment('01JDNOSUCHEXPENSE000000000', team.owner, 'hi'), 404);
    expectProblem(await list('01JDNOSUCHEXPENSE000000000', team.owner), 404);

    const all = await list(expenseId, team.viewer);
    expect(all.status, all.text).toBe(200);
    expect(all.json).toEqual({ items: [first.json, second.json], nextCursor: null });
    // Paged like other lists: one a page, then the rest.
    const page1 = await list(expenseId, team.viewer, '?limit=1');
    expect(page1.json.items).toEqual([first.json]);
    const page2 = await list(expenseId, team.viewer, `?limit=1&cursor=${encodeURIComponent(page1.json.nextCursor)}`);
    expect(page2.json).toEqual({ items: [second.json], nextCursor: null });
  });

  it("the create's Location answers 200 with the comment as the list shows it, to any member; 404 for a stranger, an unknown id, another expense's or budget's, a deleted comment or expense", async () => {
    const expenseId = await expense();
    const other = await expense();
    const made = await comment(expenseId, team.editor, 'Receipt is in the drawer');
    expect(made.status, made.text).toBe(201);
    const url = made.headers.get('location')!;
    const listed = (await list(expenseId, team.owner)).json.items;
    for (const who of [team.owner, team.editor, team.viewer]) {
      const got = await h.call('GET', url, { token: who.token });
      expect(got.status, got.text).toBe(200);
      expect(got.json).toEqual(listed.find((c: { id: string }) => c.id === made.json.id));
      expect(got.json).toEqual(made.json);
      expect(got.headers.get('cache-control')).toBe('no-store');
    }
    const one = (path: string, who: User = team.owner) => h.call('GET', path, { token: who.token });
    const missing = await one(`${collection(team.budget, expenseId)}/01JDQ4V8M7ZK3X9A2B5C6D7E8H`);
    expectProblem(missing, 404);
    expectProblem(await one(url, team.stranger), 404);
    expectProblem(await one(`${collection(team.budget, other)}/${made.json.id}`), 404);
    const theirs = await h.createBudget(team.stranger);
    const foreign = await one(`/v1/budgets/${theirs.id}/expenses/${expenseId}/comments/${made.json.id}`, team.stranger);
    expectProblem(foreign, 404);

    expect((await h.call('DELETE', url, { token: team.editor.token })).status).toBe(204);
    expectProblem(await one(url), 404);
    // The expense deleted: its comments are a 404 at once, as its list, before the cleanup removes them.
    const kept = await comment(other, team.owner, 'still stored until the cleanup');
    expect((await h.call('DELETE', `/v1/budgets/${team.budget.id}/expenses/${other}`, { token: team.owner.token })).status).toBe(204);
    expectProblem(await one(kept.headers.get('location')!), 404);
  });

  it('refuses text that is empty after trimming, too long, ill-formed or not a string, naming `text`; 1000 emoji are fine', async () => {
    const expenseId = await expense();
    // Only invisible characters (zero width space, bidi marks): nothing to read, so empty too.
    for (const text of ['', '   \n ', '\u200b', ' \u200e\u200f ', '\u202e', '\u00ad\u3164', 'x'.repeat(1001), '\uD800 lone', 42, null]) expectProblem(await comment(expenseId, team.owner, text), 400, ['text']);
    expectProblem(await h.call('POST', collection(team.budget, expenseId), { token: team.owner.token, body: { text: 'ok', extra: 1 } }), 400, ['extra']);
    const emoji = await comment(expenseId, team.owner, '🧾'.repeat(1000));
    expect(emoji.status, emoji.text).toBe(201);
    expect([...emoji.json.text]).toHaveLength(1000);
    expectProblem(await comment(expenseId, team.owner, '🧾'.repeat(1001)), 400, ['text']);
  });

  it('caps comments per expense with a 409 naming the limit, and a deletion gives the place back; Idempotency-Key replays', async () => {
    const expenseId = await expense();
    const keyed = await comment(expenseId, team.owner, 'one', { 'Idempotency-Key': 'comment-cap-1' });
    expect(keyed.status, keyed.text).toBe(201);
    const replay = await comment(expenseId, team.owner, 'one', { 'Idempotency-Key': 'comment-cap-1' });
    expect(replay.status, replay.text).toBe(201);
    expect(replay.json).toEqual(keyed.json);
    for (let i = 2; i <= MAX; i++) expect((await comment(expenseId, team.editor, `n${i}`)).status).toBe(201);
    const full = await comment(expenseId, team.owner, 'one too many');
    expectProblem(full, 409);
    expect(full.json.detail).toContain(`at most ${MAX} comments`);
    expect(full.json).toMatchObject({ type: 'https://budgeting.dev/problems/limit-reached', title: 'Limit reached', limit: MAX, collection: 'comments' });
    expect((await list(expenseId, team.owner)).json.items).toHaveLength(MAX);

    const removed = await h.call('DELETE', `${collection(team.budget, expenseId)}/${keyed.json.id}`, { token: team.owner.token });
    expect(removed.status, removed.text).toBe(204);
    expect((await comment(expenseId, team.owner, 'room again')).status).toBe(201);
  });

  it('the author or the owner deletes a comment; another editor or a viewer cannot', async () => {
    const expenseId = await expense();
    const byEditor = (await comment(expenseId, team.editor, 'mine')).json;
    const byOwner = (await comment(expenseId, team.owner, 'the owner speaks')).json;
    const other = await h.signup('other-editor');
    await h.addMember(team.budget, team.owner, other, 'editor');
    const path = (id: string) => `${collection(team.budget, expenseId)}/${id}`;

    expectProblem(await h.call('DELETE', path(byEditor.id), { token: other.token }), 403);
    expectProblem(await h.call('DELETE', path(byEditor.id), { token: team.viewer.token }), 403);
    expectProblem(await h.call('DELETE', path(byOwner.id), { token: team.editor.token }), 403);
    expectProblem(await h.call('DELETE', path(byEditor.id), { token: team.stranger.token }), 404);
    expect((await h.call('DELETE', path(byEditor.id), { token: team.editor.token })).status).toBe(204);
    expectProblem(await h.call('DELETE', path(byEditor.id), { token: team.editor.token }), 404);
    const second = (await comment(expenseId, team.editor, 'again')).json;
    expect((await h.call('DELETE', path(second.id), { token: team.owner.token })).status).toBe(204);
    expect((await list(expenseId, team.owner)).json.items.map((c: any) => c.id)).toEqual([byOwner.id]);

    const deleted = await theEvent(h.t, 'expense.comment_deleted', { commentId: second.id });
    expect(deleted.envelope.data).toMatchObject({ budgetId: team.budget.id, expenseId, authorId: team.editor.id, deletedBy: team.owner.id, text: 'again' });
  });

  it('events reach the activity log and notify the creator and earlier commenters, never the author, once however often delivered', async () => {
    const expenseId = await expense(team.editor);
    const before = { owner: (await notificationsOf(team.owner)).length, editor: (await notificationsOf(team.editor)).length, viewer: (await notificationsOf(team.viewer)).length };
    const byOwner = (await comment(expenseId, team.owner, 'Was this the gift?')).json;
    const ownerEvent = await theEvent(h.t, 'expense.comment_added', { commentId: byOwner.id });
    expect(ownerEvent.envelope.data).toMatchObject({ expenseCreatedBy: team.editor.id, earlierCommenters: [], authorId: team.owner.id });
    await deliver(h.t, ownerEvent, ownerEvent);

    // The creator (editor) is told once; the author (owner) and the viewer are not.
    const editorNotes = await notificationsOf(team.editor);
    expect(editorNotes).toHaveLength(before.editor + 1);
    expect(editorNotes[0]).toMatchObject({ kind: 'expense.comment', budgetId: team.budget.id, expenseId, commentId: byOwner.id, authorId: team.owner.id, excerpt: 'Was this the gift?', readAt: null });
    expect(await notificationsOf(team.owner)).toHaveLength(before.owner);
    expect(await notificationsOf(team.viewer)).toHaveLength(before.viewer);

    // The creator answers: the owner, an earlier commenter, is told; the creator (the author now) is not.
    const reply = (await comment(expenseId, team.editor, 'Yes, for Sam')).json;
    const replyEvent = await theEvent(h.t, 'expense.comment_added', { commentId: reply.id });
    expect(replyEvent.envelope.data.earlierCommenters).toEqual([team.owner.id]);
    await deliver(h.t, replyEvent);
    expect(await notificationsOf(team.owner)).toHaveLength(before.owner + 1);
    expect(await notificationsOf(team.editor)).toHaveLength(before.editor + 1);

    const activity = await h.call('GET', `/v1/budgets/${team.budget.id}/activity`, { token: team.viewer.token });
    expect(activity.status, activity.text).toBe(200);
    const added = (activity.json.items as any[]).filter((e) => e.action === 'comment.added' && e.expenseId === expenseId);
    expect(added).toHaveLength(2); // the owner's, delivered twice, is one entry
    expect(added.find((e) => e.subject.id === byOwner.id)).toMatchObject({
      actor: { type: 'user', id: team.owner.id },
      subject: { type: 'comment', id: byOwner.id },
      changes: { text: { before: null, after: 'Was this the gift?' } },
    });

    const removed = await h.call('DELETE', `${collection(team.budget, expenseId)}/${reply.id}`, { token: team.editor.token });
    expect(removed.status).toBe(204);
    await deliver(h.t, await theEvent(h.t, 'expense.comment_deleted', { commentId: reply.id }));
    const after = await h.call('GET', `/v1/budgets/${team.budget.id}/activity`, { token: team.owner.token });
    expect((after.json.items as any[]).find((e) => e.action === 'comment.deleted' && e.subject.id === reply.id)).toMatchObject({
      actor: { type: 'user', id: team.editor.id },
      expenseId,
      changes: { text: { before: 'Yes, for Sam', after: null } },
    });
  });

  it('deleting the expense deletes its comments and their count (a redelivery is harmless); restoring it brings none back', async () => {
    const expenseId = await expense();
    const kept = await expense();
    await comment(expenseId, team.owner, 'doomed 1');
    await comment(expenseId, team.editor, 'doomed 2');
    await comment(kept, team.owner, 'stays');
    const commentItems = async (e: string) => (await tableItems(h.t.doc, h.t.tableName)).filter((i) => String(i.sk).startsWith(`expenses#comment#${e}#`));
    expect(await commentItems(expenseId)).toHaveLength(3); // two comments and the count

    const del = await h.call('DELETE', `/v1/budgets/${team.budget.id}/expenses/${expenseId}`, { token: team.owner.token });
    expect(del.status, del.text).toBe(204);
    const deleted = await theEvent(h.t, 'expense.deleted', { expenseId });
    await deliver(h.t, deleted);
    expect(await commentItems(expenseId)).toEqual([]);
    await deliver(h.t, deleted); // again: nothing left, no error
    expect(await commentItems(kept)).toHaveLength(2);
    // No per-comment events for a cascade: the expense's deletion says it.
    expect((await outboxEvents(h.t, 'expense.comment_deleted')).filter((e) => e.envelope.data.expenseId === expenseId)).toEqual([]);

    const restored = await h.call('POST', `/v1/budgets/${team.budget.id}/expenses/${expenseId}/restore`, { token: team.owner.token });
    expect(restored.status, restored.text).toBe(200);
    expect((await list(expenseId, team.owner)).json).toEqual({ items: [], nextCursor: null });
    // The restored expense takes new comments from an empty count.
    expect((await comment(expenseId, team.owner, 'fresh start')).status).toBe(201);
  });

  it('deleting the budget deletes its comments with the rest of its expense partition (budget.deleted cleanup)', async () => {
    const doomed = await h.createBudget(team.owner);
    const res = await h.call('POST', `/v1/budgets/${doomed.id}/expenses`, { token: team.owner.token, body: { amount: 900, occurredOn: '2026-11-21' } });
    expect(res.status, res.text).toBe(201);
    const written = await h.call('POST', `/v1/budgets/${doomed.id}/expenses/${res.json.id}/comments`, { token: team.owner.token, body: { text: 'gone soon' } });
    expect(written.status, written.text).toBe(201);
    const commentsOf = async (budgetId: string) => (await tableItems(h.t.doc, h.t.tableName)).filter((i) => i.pk === `expenses#budget#${budgetId}` && String(i.sk).startsWith('expenses#comment#'));
    expect(await commentsOf(doomed.id)).toHaveLength(2); // the comment and the count
    expect((await h.call('DELETE', `/v1/budgets/${doomed.id}`, { token: team.owner.token })).status).toBe(204);
    await deliver(h.t, await theEvent(h.t, 'budget.deleted', { budgetId: doomed.id }));
    expect(await commentsOf(doomed.id)).toEqual([]);
    expect((await commentsOf(team.budget.id)).length).toBeGreaterThan(0); // another budget's stay
  });
});
