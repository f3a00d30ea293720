import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { commandsSentDuring } from '../../support/sent-commands';
import { tokenAtClock } from '../../support/actors';
import { RECENT_SLOTS, changeShardOf } from '../../../packages/expenses/src/repository/change-log';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * A keyed offline push whose recordNext recorded and then died before answering (packages/expenses/docs/sync.md
 * "Offline push", "Retries"): the retry finds the entry under the id derived from the key's and
 * answers it. Its answered serverKnowledge (with `since`) must cover the changes the first attempt
 * made (the entry and the definition's move), as a push not retried covers its own writes: the
 * client adopting it has them from the answer, so its next sync brings nothing of them. Another
 * member's write made between the attempts is still brought.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
let h: Harness;
let owner: User;
let editor: User;
let died: ReturnType<typeof crashAfterCommit>;

beforeAll(async () => {
  h = await createHarness({ clock });
  died = crashAfterCommit(h.t.doc);
  [owner, editor] = await Promise.all([h.signup('owner'), h.signup('editor')]);
});
afterAll(() => h.destroy());
// Each keyed retry moves the shared clock past its lease (61 s): tokens signed at the clock's time,
// so the file's retries together never outlive the access tokens' lifetime.
beforeEach(async () => {
  for (const u of [owner, editor]) u.token = await tokenAtClock(h.t, u);
});

const changesPath = (b: Budget) => `/v1/budgets/${b.id}/changes`;

type DefinitionKind = 'recurringExpense' | 'recurringIncome';
/** The routes of a definition kind in budget `b`. */
const definitionsPath = (b: Budget, kind: DefinitionKind) =>
  kind === 'recurringExpense' ? `/v1/budgets/${b.id}/recurring-expenses` : `/v1/budgets/${b.id}/recurring-income`;
/** A next sync's ids (nextSync) holding the one definition `id` of its kind, and `expenses` if given. */
const bringsDefinition = (kind: DefinitionKind, id: string, expenses: string[] = []) => ({
  expenses,
  income: [],
  recurringExpenses: kind === 'recurringExpense' ? [id] : [],
  recurringIncome: kind === 'recurringIncome' ? [id] : [],
});

/** The owner's offline push of `mutations` from `since` (keyed when `key` is given). */
const pushFrom = (b: Budget, since: string, mutations: unknown[], key?: string) =>
  h.call('POST', `${changesPath(b)}?since=${encodeURIComponent(since)}`, { token: owner.token, body: { mutations }, ...(key ? { headers: { 'idempotency-key': key } } : {}) });

/** Another member's expense (the editor's), written between a push's attempts: its id. */
async function othersExpense(b: Budget): Promise<string> {
  const other = await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: editor.token, body: { amount: 77, occurredOn: '2026-11-24' } });
  expect(other.status, other.text).toBe(201);
  return other.json.id;
}

/**
 * A keyed push whose first attempt dies right after its commit, another member's expense written
 * before the client retries once the attempt's lease ran out (61 s): the retry and what it sent.
 */
async function retriedAfterDeath(b: Budget, push: () => ReturnType<typeof h.call>) {
  expect((await died.during(push)).status).toBeGreaterThanOrEqual(500);
  const other = await othersExpense(b);
  clock.advance(61_000);
  const { result: retry, sent } = await commandsSentDuring(h.t.doc, push);
  return { retry, sent, other };
}

/** A budget the owner shares with the editor, holding one definition of `kind` the owner created from `body`. */
async function sharedDefinition(kind: DefinitionKind, body: object) {
  const b = await h.createBudget(owner);
  await h.addMember(b, owner, editor, 'editor');
  const base = definitionsPath(b, kind);
  const created = await h.call('POST', base, { token: owner.token, body });
  expect(created.status, created.text).toBe(201);
  return { b, base, definition: created.json as { id: string; nextOccurrenceOn: string } };
}

/** A keyed recordNext push whose first attempt dies after its commit: its retry (61 s on) answers the recorded 1,500 and reads no change counter. */
async function expectRetryRecordsReadingNoCounter(push: () => ReturnType<typeof h.call>) {
  expect((await died.during(push)).status).toBeGreaterThanOrEqual(500);
  clock.advance(61_000);
  const { result: retry, sent } = await commandsSentDuring(h.t.doc, push);
  expect(retry.status, retry.text).toBe(200);
  expect(retry.json.results[0]).toMatchObject({ status: 'applied', expense: { amount: 1_500 } });
  expect(sent.filter((c) => c.name === 'GetItemCommand' && String((c.input.Key as { sk?: string } | undefined)?.sk).startsWith('expenses#seq#'))).toEqual([]);
}

/** A first sync to its end: the in-sync token a client holds. */
async function firstSync(b: Budget): Promise<string> {
  for (let since: string | undefined; ; ) {
    const res = await h.call('GET', `${changesPath(b)}${since ? `?since=${encodeURIComponent(since)}` : ''}`, { token: owner.token });
    expect(res.status, res.text).toBe(200);
    if (!res.json.hasMore) return res.json.serverKnowledge;
    since = res.json.serverKnowledge;
  }
}

/** What the next GET /changes from `since` sends, by kind: ids only. */
async function nextSync(b: Budget, since: string) {
  const res = await h.call('GET', `${changesPath(b)}?since=${encodeURIComponent(since)}`, { token: owner.token });
  expect(res.status, res.text).toBe(200);
  const ids = (list: { id: string }[] | undefined) => (list ?? []).map((i) => i.id).sort();
  return { expenses: ids(res.json.expenses), income: ids(res.json.income), recurringExpenses: ids(res.json.recurringExpenses), recurringIncome: ids(res.json.recurringIncome) };
}

describe('a keyed push whose recordNext its retry finds recorded', { timeout: 60_000 }, () => {
  for (const kind of ['recurringExpense', 'recurringIncome'] as const) {
    it(`${kind}: the retry's answered token covers the entry and the definition the first attempt changed`, async () => {
      const b = await h.createBudget(owner);
      await h.addMember(b, owner, editor, 'editor');
      const created =
        kind === 'recurringExpense'
          ? await h.call('POST', `/v1/budgets/${b.id}/recurring-expenses`, { token: owner.token, body: { amount: 1_500, merchant: 'Retry rent', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } } })
          : await h.call('POST', `/v1/budgets/${b.id}/recurring-income`, { token: owner.token, body: { amount: 9_000, source: 'Retry pay', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } } });
      expect(created.status, created.text).toBe(201);
      const definition = created.json as { id: string; nextOccurrenceOn: string };
      const since = await firstSync(b);

      const mutations = [{ type: kind, op: 'recordNext', id: definition.id, baseVersion: 1, nextOccurrenceOn: definition.nextOccurrenceOn }];
      const push = () => pushFrom(b, since, mutations, `retry-token-${kind}`);
      const first = await died.during(push);
      expect(first.status).toBeGreaterThanOrEqual(500); // the client never got its answer

      // Another member's expense between the attempts: the client has not got it.
      const other = await othersExpense(b);

      clock.advance(61_000); // the first attempt's lease ran out
      const { result: retry, sent } = await commandsSentDuring(h.t.doc, push);
      expect(retry.status, retry.text).toBe(200);
      // The recording's numbers: ONE strongly consistent GetItem of the entry's change counter.
      const counterReads = sent.filter((c) => c.name === 'GetItemCommand' && String((c.input.Key as { sk?: string } | undefined)?.sk).startsWith('expenses#seq#'));
      expect(counterReads.map((c) => c.input.ConsistentRead)).toEqual([true]);
      const [result] = retry.json.results;
      expect(result.status).toBe('applied');
      const entry = kind === 'recurringExpense' ? result.expense : result.income;
      expect(entry).toMatchObject({ amount: kind === 'recurringExpense' ? 1_500 : 9_000 });
      expect(result[kind]).toMatchObject({ id: definition.id, nextOccurrenceOn: '2026-12-28', version: 2 });

      // The entry and the definition's move came with the answer; the other member's expense did not.
      expect(await nextSync(b, retry.json.serverKnowledge)).toEqual({ expenses: [other], income: [], recurringExpenses: [], recurringIncome: [] });
    });
  }

  // Review 55d: the definition changed by another member after the recording (its PATCH numbered
  // after the recording's two, on the entry's counter or the definition's own): the retry's answer
  // shows it, yet its token does not cover it, so the next sync brings the definition again.
  for (const kind of ['recurringExpense', 'recurringIncome'] as const) {
    it(`${kind}: another member's PATCH of the definition between the attempts still comes with the next sync`, async () => {
      const b = await h.createBudget(owner);
      await h.addMember(b, owner, editor, 'editor');
      const base = definitionsPath(b, kind);
      const created = await h.call('POST', base, {
        token: owner.token,
        body: kind === 'recurringExpense' ? { amount: 1_500, merchant: 'Patched rent', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } } : { amount: 9_000, source: 'Patched pay', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } },
      });
      expect(created.status, created.text).toBe(201);
      const definition = created.json as { id: string; nextOccurrenceOn: string };
      const since = await firstSync(b);
      const mutations = [{ type: kind, op: 'recordNext', id: definition.id, baseVersion: 1, nextOccurrenceOn: definition.nextOccurrenceOn }];
      const push = () => pushFrom(b, since, mutations, `retry-token-patched-${kind}`);
      expect((await died.during(push)).status).toBeGreaterThanOrEqual(500);

      const patched = await h.call('PATCH', `${base}/${definition.id}`, { token: editor.token, body: { amount: 2_000 }, headers: { 'if-match': '"2"' } });
      expect(patched.status, patched.text).toBe(200);

      clock.advance(61_000);
      const retry = await push();
      expect(retry.status, retry.text).toBe(200);
      const [result] = retry.json.results;
      expect(result).toMatchObject({ status: 'applied', [kind]: { id: definition.id, amount: 2_000, version: 3 } });
      // The entry came with the answer (its recording covered); the definition's PATCH is not the push's own.
      const next = await nextSync(b, retry.json.serverKnowledge);
      expect(next).toEqual(bringsDefinition(kind, definition.id));
    });
  }

  // Since feat/push56: a keyed retry of a create finds the item its first attempt wrote and
  // answers it `applied`; its token covers that create's number as a push not retried covers its own.
  const createBodies = {
    expense: { amount: 4_200, occurredOn: '2026-11-24' },
    income: { amount: 9_900, receivedOn: '2026-11-24', source: 'Retried pay' },
    recurringExpense: { amount: 1_500, merchant: 'Retried rent', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } },
    recurringIncome: { amount: 9_000, source: 'Retried salary', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } },
  } as const;
  for (const kind of ['expense', 'income', 'recurringExpense', 'recurringIncome'] as const) {
    it(`${kind}: a retried create's answered token covers the create its first attempt wrote`, async () => {
      const b = await h.createBudget(owner);
      await h.addMember(b, owner, editor, 'editor');
      const since = await firstSync(b);
      const mutations = [{ type: kind, op: 'create', [kind]: createBodies[kind] }];
      const push = () => pushFrom(b, since, mutations, `retry-token-create-${kind}`);
      // The first attempt dies after its commit; another member's expense between the attempts (the client has not got it).
      const { retry, sent, other } = await retriedAfterDeath(b, push);
      expect(retry.status, retry.text).toBe(200);
      const [result] = retry.json.results;
      expect(result).toMatchObject({ status: 'applied', version: 1, [kind]: { amount: createBodies[kind].amount } });
      // After the create's transaction found its item: the create's number, ONE strongly consistent
      // GetItem of the item's change counter, then the item read again (before it, the stamp's own read).
      const afterWrite = sent.slice(sent.map((c) => c.name).lastIndexOf('TransactWriteItemsCommand') + 1);
      const counterReads = afterWrite.filter((c) => c.name === 'GetItemCommand' && String((c.input.Key as { sk?: string } | undefined)?.sk).startsWith('expenses#seq#'));
      expect(counterReads.map((c) => c.input.ConsistentRead)).toEqual([true]);
      // The create came with the answer; the other member's expense did not.
      expect(await nextSync(b, retry.json.serverKnowledge)).toEqual({ expenses: [other], income: [], recurringExpenses: [], recurringIncome: [] });
    });
  }

  // Review 56a: two creates of the batch on one change shard, both committed by the first attempt
  // (which died after the second), and another member's expense on that shard between the
  // attempts: the retry claims both creates (consecutive after the token) and stops at the other's.
  it('two found creates on one shard: both claimed, another member\'s expense after them still brought', async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const ids: string[] = [];
    for (let n = 0; ids.length < 3; n++) {
      const id = `01KB0056${String(n).padStart(18, '0')}`;
      if (ids.length === 0 || changeShardOf(id) === changeShardOf(ids[0]!)) ids.push(id);
    }
    const [x, y, z] = ids as [string, string, string];
    const since = await firstSync(b);
    const mutations = [x, y].map((id) => ({ op: 'create', id, expense: { amount: 300, occurredOn: '2026-11-24' } }));
    const push = () => pushFrom(b, since, mutations, 'retry-token-two-creates');
    expect((await died.during(push, 1)).status).toBeGreaterThanOrEqual(500); // both committed, then died
    const other = await h.call('POST', changesPath(b), { token: editor.token, body: { mutations: [{ op: 'create', id: z, expense: { amount: 77, occurredOn: '2026-11-24' } }] } });
    expect(other.status, other.text).toBe(200);
    clock.advance(61_000);
    const retry = await push();
    expect(retry.status, retry.text).toBe(200);
    expect(retry.json.results).toMatchObject([
      { status: 'applied', version: 1, expense: { id: x } },
      { status: 'applied', version: 1, expense: { id: y } },
    ]);
    expect(await nextSync(b, retry.json.serverKnowledge)).toEqual({ expenses: [z], income: [], recurringExpenses: [], recurringIncome: [] });
  });

  // A resend of a create with its client id (no key) after the client synced past it: the create's
  // number is at or before the token, nothing to claim; another member's expense is still brought.
  it("a resent create with a newer token: another member's later changes still come with the next sync", async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const since = await firstSync(b);
    const id = '01KB0000000000000000000056';
    const mutations = [{ op: 'create', id, expense: { amount: 500, occurredOn: '2026-11-24' } }];
    const first = await pushFrom(b, since, mutations);
    expect(first.status, first.text).toBe(200);
    // Another member changes the expense; the client resends its create from the token the push answered.
    const patched = await h.call('PATCH', `/v1/budgets/${b.id}/expenses/${id}`, { token: editor.token, body: { amount: 600 }, headers: { 'if-match': '"1"' } });
    expect(patched.status, patched.text).toBe(200);
    const other = await othersExpense(b);
    const resent = await h.call('POST', `${changesPath(b)}?since=${encodeURIComponent(first.json.serverKnowledge)}`, { token: owner.token, body: { mutations } });
    expect(resent.status, resent.text).toBe(200);
    expect(resent.json.results[0]).toMatchObject({ status: 'applied', expense: { id, amount: 600, version: 2 } });
    // Claimed: the create's number alone, at or before the token (nothing to advance over); the
    // PATCH, another member's, is not the push's own even though the answer shows it.
    const next = await nextSync(b, resent.json.serverKnowledge);
    expect(next.expenses).toEqual([id, other].sort());
  });

  // The create's slot overwritten (RECENT_SLOTS changes of its shard since, which the client synced)
  // and another member's PATCH of the item right after the resent push's token: the earliest change
  // the counter keeps of the item is that PATCH, not the create. Claimed, it would move the token
  // past another member's change; the item's version (not 1) tells the create's number is not there.
  it("a resent create whose create left the slots claims nothing: another member's PATCH right after the token is brought", async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    // Client ids of one change shard (ULIDs: 10 time characters, 16 random ones).
    const ids: string[] = [];
    for (let n = 0; ids.length < RECENT_SLOTS + 1; n++) {
      const id = `01KB0000${String(n).padStart(18, '0')}`;
      if (ids.length === 0 || changeShardOf(id) === changeShardOf(ids[0]!)) ids.push(id);
    }
    const [id, ...others] = ids as [string, ...string[]];
    const mutations = [{ op: 'create', id, expense: { amount: 500, occurredOn: '2026-11-24' } }];
    const first = await h.call('POST', `${changesPath(b)}?since=${encodeURIComponent(await firstSync(b))}`, { token: owner.token, body: { mutations } });
    expect(first.status, first.text).toBe(200);
    const filled = await h.call('POST', changesPath(b), { token: editor.token, body: { mutations: others.map((o) => ({ op: 'create', id: o, expense: { amount: 1, occurredOn: '2026-11-24' } })) } });
    expect(filled.status, filled.text).toBe(200);
    const since = await firstSync(b); // the client synced all of it
    const patched = await h.call('PATCH', `/v1/budgets/${b.id}/expenses/${id}`, { token: editor.token, body: { amount: 600 }, headers: { 'if-match': '"1"' } });
    expect(patched.status, patched.text).toBe(200);
    const resent = await pushFrom(b, since, mutations);
    expect(resent.status, resent.text).toBe(200);
    expect(resent.json.results[0]).toMatchObject({ status: 'applied', expense: { id, version: 2 } });
    expect(await nextSync(b, resent.json.serverKnowledge)).toEqual({ expenses: [id], income: [], recurringExpenses: [], recurringIncome: [] });
  });

  // A skip its first attempt applied meets the version it produced: a conflict showing the
  // definition skipped. Since review 56a its token claims nothing of it (another member's skip of
  // the same date looks the same, below): the next sync brings the definition again, harmless,
  // and the retry reads no counter for it.
  for (const kind of ['recurringExpense', 'recurringIncome'] as const) {
    it(`${kind}: a retried skip answered as a conflict claims nothing and reads no counter`, async () => {
      const b = await h.createBudget(owner);
      await h.addMember(b, owner, editor, 'editor');
      const created = await h.call('POST', definitionsPath(b, kind), { token: owner.token, body: createBodies[kind] });
      expect(created.status, created.text).toBe(201);
      const definition = created.json as { id: string; nextOccurrenceOn: string };
      const since = await firstSync(b);
      const mutations = [{ type: kind, op: 'skip', id: definition.id, baseVersion: 1, nextOccurrenceOn: definition.nextOccurrenceOn }];
      const push = () => pushFrom(b, since, mutations, `retry-token-skip-${kind}`);
      // The first attempt dies after its commit; another member's expense between the attempts (the client has not got it).
      const { retry, sent, other } = await retriedAfterDeath(b, push);
      expect(retry.status, retry.text).toBe(200);
      expect(retry.json.results[0]).toMatchObject({ status: 'conflict', current: { id: definition.id, version: 2, nextOccurrenceOn: '2026-12-28' } });
      const counterReads = sent.filter((c) => c.name === 'GetItemCommand' && String((c.input.Key as { sk?: string } | undefined)?.sk).startsWith('expenses#seq#'));
      expect(counterReads).toEqual([]);
      expect(await nextSync(b, retry.json.serverKnowledge)).toEqual(bringsDefinition(kind, definition.id, [other]));
    });
  }

  // Review 56a: another member's PATCH of the definition after the client's token, then the
  // client's skip (its baseVersion the PATCH's version, from the conflict that showed it) whose
  // first attempt died after its commit. The retry meets its own skip, but the counter also keeps
  // the PATCH right after the token: claiming every kept number of the definition (as feat/push56
  // did) moved the token over the PATCH, which the client's token never covered (not the push's own).
  for (const kind of ['recurringExpense', 'recurringIncome'] as const) {
    it(`${kind}: a retried skip never claims another member's PATCH kept before its skip`, async () => {
      const { b, base, definition } = await sharedDefinition(kind, createBodies[kind]);
      const since = await firstSync(b);
      const patched = await h.call('PATCH', `${base}/${definition.id}`, { token: editor.token, body: { amount: 2_000 }, headers: { 'if-match': '"1"' } });
      expect(patched.status, patched.text).toBe(200);
      const skip = (baseVersion: number) => [{ type: kind, op: 'skip', id: definition.id, baseVersion, nextOccurrenceOn: definition.nextOccurrenceOn }];
      // The client's skip from version 1 meets the PATCH: a conflict showing version 2, not covered.
      const refused = await h.call('POST', `${changesPath(b)}?since=${encodeURIComponent(since)}`, { token: owner.token, body: { mutations: skip(1) } });
      expect(refused.status, refused.text).toBe(200);
      expect(refused.json.results[0]).toMatchObject({ status: 'conflict', current: { version: 2, amount: 2_000 } });
      // It skips again from version 2, from the token it still holds; the first attempt dies after its commit.
      const push = () => h.call('POST', `${changesPath(b)}?since=${encodeURIComponent(since)}`, { token: owner.token, body: { mutations: skip(2) }, headers: { 'idempotency-key': `retry-skip-after-patch-${kind}` } });
      expect((await died.during(push)).status).toBeGreaterThanOrEqual(500);
      clock.advance(61_000);
      const retry = await push();
      expect(retry.status, retry.text).toBe(200);
      expect(retry.json.results[0]).toMatchObject({ status: 'conflict', current: { id: definition.id, version: 3, amount: 2_000 } });
      // The PATCH (right after the token) is another member's: the next sync brings the definition.
      expect(await nextSync(b, retry.json.serverKnowledge)).toEqual(bringsDefinition(kind, definition.id));
    });
  }

  // Review 56a: the claims' reads are a retry's only. A first send of creates (each kind) and a
  // skip with an in-sync since takes its numbers from its own writes: no counter read after them.
  it('a first send with since reads nothing to claim (creates of each kind: no item read again; a skip: no counter read after it)', async () => {
    const b = await h.createBudget(owner);
    const created = await h.call('POST', `/v1/budgets/${b.id}/recurring-expenses`, { token: owner.token, body: createBodies.recurringExpense });
    expect(created.status, created.text).toBe(201);
    const since = await firstSync(b);
    const mutations = [
      ...(['expense', 'income', 'recurringExpense', 'recurringIncome'] as const).map((kind) => ({ type: kind, op: 'create', [kind]: createBodies[kind] })),
      { type: 'recurringExpense', op: 'skip', id: created.json.id, baseVersion: 1, nextOccurrenceOn: created.json.nextOccurrenceOn },
    ];
    const { result: res, sent } = await commandsSentDuring(h.t.doc, () => pushFrom(b, since, mutations));
    expect(res.status, res.text).toBe(200);
    expect(res.json.results.map((r: { status: string }) => r.status)).toEqual(['applied', 'applied', 'applied', 'applied', 'applied']);
    // A found create's claim reads its item again after its counter (foundCreate): none of a fresh one.
    const ids = (res.json.results as Record<string, { id?: string }>[]).slice(0, 4).map((r, i) => r[mutations[i]!.type]!.id!);
    expect(ids.every((id) => typeof id === 'string')).toBe(true);
    expect(sent.filter((c) => c.name === 'GetItemCommand' && ids.some((id) => JSON.stringify(c.input.Key).includes(id)))).toEqual([]);
    // Nor a skip applied: no counter read after the last write (the skip's), the claims' only.
    const afterWrites = sent.slice(sent.map((c) => c.name).lastIndexOf('TransactWriteItemsCommand') + 1);
    expect(afterWrites.filter((c) => c.name === 'GetItemCommand')).toEqual([]);
    // Its own writes covered: the next sync brings nothing.
    expect(await nextSync(b, res.json.serverKnowledge)).toEqual({ expenses: [], income: [], recurringExpenses: [], recurringIncome: [] });
  });

  // Review 56a: another member skipped the date the client's queued skip names (both from version
  // 1). The client's push meets a definition at baseVersion + 1 with that date skipped, exactly as
  // its own first attempt would have left it: nothing on the definition or the counter tells the
  // two apart, so claiming it moved the token over the other member's skip.
  for (const kind of ['recurringExpense', 'recurringIncome'] as const) {
    it(`${kind}: a skip meeting another member's skip of the same date claims nothing`, async () => {
      const { b, base, definition } = await sharedDefinition(kind, createBodies[kind]);
      const since = await firstSync(b);
      const skipped = await h.call('POST', `${base}/${definition.id}/skip`, { token: editor.token, headers: { 'if-match': '"1"' } });
      expect(skipped.status, skipped.text).toBe(200);
      const mutations = [{ type: kind, op: 'skip', id: definition.id, baseVersion: 1, nextOccurrenceOn: definition.nextOccurrenceOn }];
      const res = await pushFrom(b, since, mutations);
      expect(res.status, res.text).toBe(200);
      expect(res.json.results[0]).toMatchObject({ status: 'conflict', current: { id: definition.id, version: 2, nextOccurrenceOn: '2026-12-28' } });
      expect(await nextSync(b, res.json.serverKnowledge)).toEqual(bringsDefinition(kind, definition.id));
    });
  }

  // A real conflict (another member's PATCH, not the client's skip) is not the push's own: brought again.
  it("a skip refused by another member's PATCH claims nothing: the next sync brings the definition", async () => {
    const b = await h.createBudget(owner);
    await h.addMember(b, owner, editor, 'editor');
    const created = await h.call('POST', `/v1/budgets/${b.id}/recurring-expenses`, { token: owner.token, body: createBodies.recurringExpense });
    expect(created.status, created.text).toBe(201);
    const since = await firstSync(b);
    const patched = await h.call('PATCH', `/v1/budgets/${b.id}/recurring-expenses/${created.json.id}`, { token: editor.token, body: { amount: 2_000 }, headers: { 'if-match': '"1"' } });
    expect(patched.status, patched.text).toBe(200);
    const mutations = [{ type: 'recurringExpense', op: 'skip', id: created.json.id, baseVersion: 1, nextOccurrenceOn: created.json.nextOccurrenceOn }];
    const res = await pushFrom(b, since, mutations);
    expect(res.status, res.text).toBe(200);
    expect(res.json.results[0]).toMatchObject({ status: 'conflict', current: { id: created.json.id, version: 2, amount: 2_000 } });
    expect(await nextSync(b, res.json.serverKnowledge)).toEqual({ expenses: [], income: [], recurringExpenses: [created.json.id], recurringIncome: [] });
  });

  // A token mid-way through a first sync keeps its place and never advances over numbers: the
  // retry's recordNext looks none up.
  it("a since mid-way through a first sync: the retry's recordNext reads no counter", async () => {
    const b = await h.createBudget(owner);
    const created = await h.call('POST', `/v1/budgets/${b.id}/recurring-expenses`, { token: owner.token, body: createBodies.recurringExpense });
    expect(created.status, created.text).toBe(201);
    for (const amount of [1, 2]) {
      const e = await h.call('POST', `/v1/budgets/${b.id}/expenses`, { token: owner.token, body: { amount, occurredOn: '2026-11-20' } });
      expect(e.status, e.text).toBe(201);
    }
    const page = await h.call('GET', `${changesPath(b)}?limit=1`, { token: owner.token });
    expect(page.status, page.text).toBe(200);
    expect(page.json.hasMore).toBe(true);
    const since = page.json.serverKnowledge as string;
    const mutations = [{ type: 'recurringExpense', op: 'recordNext', id: created.json.id, baseVersion: 1, nextOccurrenceOn: created.json.nextOccurrenceOn }];
    const push = () => pushFrom(b, since, mutations, 'retry-token-mid-way');
    await expectRetryRecordsReadingNoCounter(push);
  });

  it('without since (an answer of the counters after the batch) the retry reads no counter for it', async () => {
    const b = await h.createBudget(owner);
    const created = await h.call('POST', `/v1/budgets/${b.id}/recurring-expenses`, { token: owner.token, body: { amount: 1_500, merchant: 'Retry rent', schedule: { frequency: 'monthly', startsOn: '2026-11-28' } } });
    expect(created.status, created.text).toBe(201);
    const mutations = [{ type: 'recurringExpense', op: 'recordNext', id: created.json.id, baseVersion: 1, nextOccurrenceOn: created.json.nextOccurrenceOn }];
    const push = () => h.call('POST', changesPath(b), { token: owner.token, body: { mutations }, headers: { 'idempotency-key': 'retry-token-no-since' } });
    await expectRetryRecordsReadingNoCounter(push);
  });
});
