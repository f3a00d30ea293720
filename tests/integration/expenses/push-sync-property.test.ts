import fc from 'fast-check';
import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenAtClock } from '../../support/actors';
import { crashAfterCommit } from '../../support/crash-after-commit';
import { changeShardOf } from '../../../packages/expenses/src/repository/change-log';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * The offline push's answered token, property-style (packages/expenses/docs/sync.md "Offline push", the `since`
 * paragraphs and "Retries"): a phone that applies a push's results and adopts its
 * `serverKnowledge`, then syncs with GET /changes, ends EQUAL to the server's lists, whatever
 * another member wrote in between; it may receive something twice, never miss anything.
 *
 * Two members of one budget. Member A's phone keeps a mirror of expenses and income built only
 * from responses (GET /changes pages in small pages, push results). Random sequences of:
 * - A pushes a batch (creates with client ids, or without one in a keyed batch: the id derived
 *   from the key's; updates and deletes at the version it last saw) with `since` = its token and
 *   an Idempotency-Key. Its first attempt is answered, or dies right after its k-th commit
 *   (crashAfterCommit), or is answered but the answer is lost; then another member writes, the
 *   phone may sync a little, and it retries with the same key (same `since`: the key's
 *   fingerprint covers the query) or resends the batch without a key from its current token.
 *   The retry's found creates claim their first attempt's numbers (PushService.foundCreate).
 * - B writes through the routes: POST, PATCH and DELETE of expenses and income, A's too.
 * - A syncs a few pages.
 * At the end A syncs to the end and must equal GET of the lists (whole items: ids, versions,
 * amounts...), as must a phone syncing from nothing; every item A's pushes created is one A was
 * told of or named (nothing written twice by a retry).
 *
 * Right after each adopted answer a copy of the phone syncs to the end and must equal the lists
 * too (a skipped change shows before a later write of its item hides it).
 *
 * Seeded (fast-check): PUSH_SYNC_SEED=<n> replays another seed, PUSH_SYNC_RUNS=<n> runs more.
 * Checked on 2026-12-05 (feat/syncprop56) that it can fail: with the answer advancing over other
 * writers' numbers between the push's own (advancedOver taking the push's highest number), the
 * default seed fails at its 5th run. Found no defect: seeds 1, 2, 3 (16 runs each) pass.
 * A's client ids sit on change shard 0, so B's changes of them and the pushes'
 * own numbers interleave on one counter (and overwrite its RECENT_SLOTS).
 */
const BASE = '2026-11-24T12:00:00Z';
const clock = fixedClock(BASE);
let h: Harness;
let a: User;
let b: User;
let died: ReturnType<typeof crashAfterCommit>;

beforeAll(async () => {
  h = await createHarness({ clock });
  died = crashAfterCommit(h.t.doc);
  [a, b] = await Promise.all([h.signup('phone'), h.signup('member')]);
});
afterAll(() => h.destroy());

type Kind = 'expense' | 'income';
const KINDS: Kind[] = ['expense', 'income'];
const LIST = { expense: 'expenses', income: 'income' } as const;
type Item = { id: string; version: number; amount: number; createdBy: string };
type Mutation = { type?: 'income'; op: 'create' | 'update' | 'delete'; id?: string; baseVersion?: number; expense?: object; income?: object; patch?: object };

const bodyOf = (kind: Kind, amount: number) => (kind === 'expense' ? { amount, occurredOn: '2026-11-20' } : { amount, receivedOn: '2026-11-20', source: 'Pay' });

/** A's phone: what the responses told it, applied in order, and its token. */
class Phone {
  readonly items: Record<Kind, Map<string, Item>> = { expense: new Map(), income: new Map() };
  token: string | undefined;
  /** Whether the last page ended a sync. */
  complete = false;
  /** Inside a first sync (started without a token; a push's answer keeps its place in the pages). */
  private paging = false;
  /**
   * Whether the last page ended a first sync: writes made during its pages have numbers after the
   * counters it read before its first page, so the NEXT sync brings them (packages/expenses/docs/sync.md "Delta sync",
   * "First sync"); its `hasMore: false` says no page is left, not that nothing changed meanwhile.
   */
  endedFirstSync = false;
  constructor(
    private readonly budget: Budget,
    private readonly user: User,
  ) {}

  /** One page of GET /changes; true while more follow. */
  async step(limit: number): Promise<boolean> {
    this.paging ||= this.token === undefined;
    const params = new URLSearchParams({ limit: String(limit), ...(this.token ? { since: this.token } : {}) });
    const res = await h.call('GET', `/v1/budgets/${this.budget.id}/changes?${params}`, { token: this.user.token });
    expect(res.status, res.text).toBe(200);
    for (const kind of KINDS) {
      for (const { kind: shown, ...item } of (res.json[LIST[kind]] ?? []) as (Item & { kind?: string; deleted?: true })[]) {
        if (item.deleted) this.items[kind].delete(item.id);
        else {
          // A page's copy names its kind (the list's does not).
          expect(shown).toBe(kind);
          this.items[kind].set(item.id, item);
        }
      }
    }
    this.token = res.json.serverKnowledge;
    this.complete = !res.json.hasMore;
    this.endedFirstSync = this.complete && this.paging;
    if (this.complete) this.paging = false;
    return res.json.hasMore;
  }

  async syncAll(limit: number): Promise<void> {
    while (await this.step(limit));
  }

  /** Syncs to the end: a first sync ending now met the writes made during its pages, which the next sync brings. */
  async catchUp(limit: number): Promise<void> {
    await this.syncAll(limit);
    if (this.endedFirstSync) await this.syncAll(limit);
  }

  /** The same phone (mirror, token, place in a sync), to sync on its own without moving this one. */
  copy(): Phone {
    const twin = new Phone(this.budget, this.user);
    for (const kind of KINDS) for (const [id, item] of this.items[kind]) twin.items[kind].set(id, item);
    Object.assign(twin, { token: this.token, complete: this.complete, paging: this.paging });
    return twin;
  }

  /** What a phone does with a push's answer: each result's copy (or its deletion), then the token. */
  adopt(mutations: Mutation[], answer: { results: any[]; serverKnowledge: string }): void {
    expect(answer.results).toHaveLength(mutations.length);
    answer.results.forEach((result, i) => {
      const m = mutations[i]!;
      const kind: Kind = m.type ?? 'expense';
      if (result.status === 'applied' && m.op === 'delete') this.items[kind].delete(m.id!);
      else if (result.status === 'applied') this.items[kind].set(result[kind].id, result[kind]);
      else if (result.status === 'conflict' && result.current.deleted) this.items[kind].delete(result.current.id);
      else if (result.status === 'conflict') {
        const { kind: shown, ...item } = result.current;
        expect(shown).toBe(kind);
        this.items[kind].set(item.id, item);
      } else expect.fail(`unexpected result ${JSON.stringify(result)} of ${JSON.stringify(m)}`);
    });
    // Its place kept: a token mid-way through a sync's pages answers one mid-way too (`complete` as it was).
    this.token = answer.serverKnowledge;
  }
}

// ---- the random sequences ----
const kind = fc.constantFrom<Kind>('expense', 'income');
const amount = fc.integer({ min: 1, max: 9_999 });
/** One of A's queued mutations; `pick` chooses among the items its mirror holds (none: a create). */
const planned = fc.record({ op: fc.constantFrom('create', 'create', 'update', 'delete'), kind, pick: fc.nat(), amount, clientId: fc.constantFrom(true, true, true, false) });
/** B's write through the routes; `pick` chooses among the ids ever seen (`ofA`: A's), a gone one answers 404. */
const bWrite = fc.record({ op: fc.constantFrom('post', 'patch', 'patch', 'delete'), kind, pick: fc.nat(), amount, ofA: fc.constantFrom(true, true, true, false) });
const write = fc.record({ t: fc.constant('write' as const), w: bWrite });
const push = fc.record({
  t: fc.constant('push' as const),
  mutations: fc.array(planned, { minLength: 1, maxLength: 4 }),
  /** The first attempt: answered; died after its (crashAfter % n + 1)-th commit; answered and the answer lost. */
  fate: fc.constantFrom('answered', 'crashed', 'crashed', 'lost', 'lost'),
  crashAfter: fc.nat({ max: 3 }),
  /** The retry: the same key (and `since`), or the batch again without a key from the phone's current token. */
  retry: fc.constantFrom('key', 'resend'),
  /** Between the attempt and the retry, in any order: B's writes, and pages the phone syncs (a resend goes from the token they left). */
  between: fc.array(fc.oneof(write, fc.record({ t: fc.constant('page' as const), limit: fc.integer({ min: 1, max: 4 }) })), { maxLength: 4 }),
  /** Whether a sync cut between pages is finished before pushing (else the push's `since` is mid-way). */
  finishFirst: fc.boolean(),
});
const sync = fc.record({ t: fc.constant('sync' as const), limit: fc.integer({ min: 1, max: 3 }), pages: fc.integer({ min: 1, max: 3 }) });
const scenario = fc.record({
  /** B's expenses and income before the phone's first sync (its first pages then cut through them). */
  before: fc.array(fc.record({ kind, amount }), { maxLength: 3 }),
  steps: fc.array(fc.oneof({ arbitrary: push, weight: 5 }, { arbitrary: write, weight: 3 }, { arbitrary: sync, weight: 2 }), { minLength: 1, maxLength: 12 }),
});
type Scenario = typeof scenario extends fc.Arbitrary<infer S> ? S : never;
type BWrite = typeof bWrite extends fc.Arbitrary<infer W> ? W : never;
type PushStep = typeof push extends fc.Arbitrary<infer P> ? P : never;

let runs = 0;
let ids = 0;
/** A client id on change shard 0 (see the top). */
function clientId(): string {
  for (;;) {
    const id = `01KC${String(runs).padStart(6, '0')}${String(++ids).padStart(16, '0')}`;
    if (changeShardOf(id) === 0) return id;
  }
}

/**
 * A minute on: a keyed retry finds its first attempt's lease run out; each run starts in a rate
 * limit window of its own (1,200 requests a minute per account). The tokens signed again at the moved clock.
 */
async function minuteLater() {
  clock.advance(61_000);
  for (const u of [a, b]) u.token = await tokenAtClock(h.t, u);
}

async function list(budget: Budget, kind: Kind): Promise<Map<string, Item>> {
  const res = await h.call('GET', `/v1/budgets/${budget.id}/${LIST[kind]}?limit=100`, { token: a.token });
  expect(res.status, res.text).toBe(200);
  expect(res.json.nextCursor ?? null).toBeNull();
  return new Map((res.json.items as Item[]).map((i) => [i.id, i] as const));
}

async function run({ before, steps }: Scenario): Promise<void> {
  runs += 1;
  await minuteLater();
  // A new pair of accounts every 90 runs: an account owns at most 100 budgets (PUSH_SYNC_RUNS past it).
  if (runs % 90 === 0) [a, b] = await Promise.all([h.signup(`phone${runs}`), h.signup(`member${runs}`)]);
  const budget = await h.createBudget(a);
  await h.addMember(budget, a, b, 'editor');
  const base = `/v1/budgets/${budget.id}`;
  const phone = new Phone(budget, a);
  /** Ids ever seen, by kind and by whether A's push made them: B's targets. */
  const seen = { expense: { a: [] as string[], b: [] as string[] }, income: { a: [] as string[], b: [] as string[] } };
  /** Every id A named or was answered for a create: nothing else of A's may exist. */
  const told = new Set<string>();
  let keys = 0;

  const bWrites = async (w: BWrite) => {
    const pool = seen[w.kind][w.ofA ? 'a' : 'b'].length > 0 ? seen[w.kind][w.ofA ? 'a' : 'b'] : [...seen[w.kind].a, ...seen[w.kind].b];
    if (w.op === 'post' || pool.length === 0) {
      const res = await h.call('POST', `${base}/${LIST[w.kind]}`, { token: b.token, body: bodyOf(w.kind, w.amount) });
      expect(res.status, res.text).toBe(201);
      seen[w.kind].b.push(res.json.id);
      return;
    }
    const url = `${base}/${LIST[w.kind]}/${pool[w.pick % pool.length]}`;
    const res = w.op === 'patch' ? await h.call('PATCH', url, { token: b.token, body: { amount: w.amount } }) : await h.call('DELETE', url, { token: b.token });
    expect([w.op === 'patch' ? 200 : 204, 404], res.text).toContain(res.status);
  };

  const pushStep = async (p: PushStep) => {
    // A phone pushes with the token it holds: one from a sync, or a first page's if it never synced.
    if (phone.token === undefined) await phone.step(2);
    if (p.finishFirst && !phone.complete) await phone.syncAll(2);
    const retried = p.fate !== 'answered';
    const used = new Set<string>();
    const mutations: Mutation[] = p.mutations.map((q): Mutation => {
      const type = q.kind === 'income' ? { type: 'income' as const } : {};
      const known = [...phone.items[q.kind].values()].filter((i) => !used.has(i.id));
      if (q.op === 'create' || known.length === 0) {
        // Without a client id only where the key's derived id finds it again: a batch resent without its key must name its ids.
        const id = q.clientId || (retried && p.retry === 'resend') ? clientId() : undefined;
        if (id) told.add(id);
        return { ...type, op: 'create', ...(id ? { id } : {}), [q.kind]: bodyOf(q.kind, q.amount) };
      }
      const item = known[q.pick % known.length]!;
      used.add(item.id);
      return q.op === 'update' ? { ...type, op: 'update', id: item.id, baseVersion: item.version, patch: { amount: q.amount } } : { ...type, op: 'delete', id: item.id, baseVersion: item.version };
    });
    const key = `push-sync-${runs}-${++keys}`;
    const sent = (since: string, headers: Record<string, string>) => () =>
      h.call('POST', `${base}/changes?since=${encodeURIComponent(since)}`, { token: a.token, body: { mutations }, headers });
    const keyed = sent(phone.token!, { 'idempotency-key': key });
    const learn = (answer: { results: any[] }) =>
      answer.results.forEach((r, i) => {
        const m = mutations[i]!;
        const item = r.status === 'applied' && m.op === 'create' ? r[m.type ?? 'expense'] : undefined;
        if (item) {
          told.add(item.id);
          seen[m.type ?? 'expense'].a.push(item.id);
        }
      });
    if (p.fate === 'answered') {
      const res = await keyed();
      expect(res.status, res.text).toBe(200);
      learn(res.json);
      phone.adopt(mutations, res.json);
      await expectCaughtUp(phone, budget, `push ${key}`);
      return;
    }
    if (p.fate === 'crashed') {
      // Dies right after a commit: the answer never reaches the phone (a batch with fewer writes dies completing its key, a 5xx too).
      const first = await died.during(keyed, p.crashAfter % mutations.length);
      expect(first.status, first.text).toBeGreaterThanOrEqual(500);
    } else {
      const first = await keyed();
      expect(first.status, first.text).toBe(200);
    }
    // B knows the ids A named: another member's phone synced them.
    for (const m of mutations) if (m.op === 'create' && m.id) seen[m.type ?? 'expense'].a.push(m.id);
    for (const x of p.between) await (x.t === 'write' ? bWrites(x.w) : phone.step(x.limit));
    let res;
    if (p.retry === 'key') {
      await minuteLater();
      res = await keyed();
    } else res = await sent(phone.token!, {})();
    expect(res.status, res.text).toBe(200);
    learn(res.json);
    phone.adopt(mutations, res.json);
    await expectCaughtUp(phone, budget, `${p.fate} push ${key}, its ${p.retry === 'key' ? 'keyed retry' : 'resend'}`);
  };

  for (const x of before) {
    const res = await h.call('POST', `${base}/${LIST[x.kind]}`, { token: b.token, body: bodyOf(x.kind, x.amount) });
    expect(res.status, res.text).toBe(201);
    seen[x.kind].b.push(res.json.id);
  }
  for (const s of steps) {
    if (s.t === 'push') await pushStep(s);
    else if (s.t === 'write') await bWrites(s.w);
    else for (let n = 0; n < s.pages && (await phone.step(s.limit)); n++);
  }

  await phone.catchUp(2);
  const fresh = new Phone(budget, a);
  await fresh.syncAll(3);
  for (const kind of KINDS) {
    const server = await list(budget, kind);
    expect(phone.items[kind], kind).toEqual(server);
    expect(fresh.items[kind], kind).toEqual(server);
    // Nothing written twice: every item of A's is one A named or was answered.
    for (const item of server.values()) if (item.createdBy === a.id) expect(told, `${kind} ${item.id} created by A, never answered`).toContain(item.id);
  }
}

/**
 * Right after the phone adopted a push's answer, a copy of it syncs to the end and must equal the
 * lists: a change the answered token skipped shows now, before a later write of the same item
 * (which the next sync would bring) hides it from the end's comparison.
 */
async function expectCaughtUp(phone: Phone, budget: Budget, why: string): Promise<void> {
  const twin = phone.copy();
  await twin.catchUp(3);
  for (const kind of KINDS) expect(twin.items[kind], `${kind} after ${why}`).toEqual(await list(budget, kind));
}

const SEED = Number(process.env.PUSH_SYNC_SEED ?? 1);
const RUNS = Number(process.env.PUSH_SYNC_RUNS ?? 16);

describe('offline push: a phone adopting the answered token never misses a change (retries and crashes included)', { timeout: 600_000 }, () => {
  it(`seed ${SEED}, ${RUNS} runs: the phone ends equal to the lists`, async () => {
    await fc.assert(fc.asyncProperty(scenario, run), { seed: SEED, numRuns: RUNS });
  });
});
