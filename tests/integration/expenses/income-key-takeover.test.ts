import { fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { appKeys } from '../../support/app-keys';
import { createHarness, type Budget, type Harness, type User } from './harness';

/**
 * A keyed income POST whose lease ran out (60 s) while it still ran: the same request retried
 * takes the lease over, keeping the reserved id (platform idempotency.ts), and both attempts
 * then run. The lease's completion in the entry's transaction (`#state = :inProgress AND
 * fingerprint = :fp`) cannot tell them apart, but the entry's Put (only if absent) can: one
 * creates the entry and completes the key, the other finds the id taken. Whatever the slower
 * one then answers, the key's record must keep the first answer: the next retry replays it
 * (same body, Location, ETag), and never records the income a second time.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const keyOf = appKeys(clock);
let h: Harness;
let owner: User;
let budget: Budget;
/** Set: the next create transaction that completes a key waits for `release` before it is sent. */
let holdNext = false;
let release: (() => void) | undefined;
let reached: (() => void) | undefined;
/** Set: the first read after the next lease taken (the attempt's access check) waits for `releaseRead`. */
let holdReadAfterLease: 'armed' | 'leased' | undefined;
let releaseRead: (() => void) | undefined;
let readReached: (() => void) | undefined;

beforeAll(async () => {
  h = await createHarness({ clock });
  h.t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const items = (args.input as { TransactItems?: { Update?: { Key?: { pk?: unknown } } }[] }).TransactItems ?? [];
      const completesKey = items.some((i) => String(i.Update?.Key?.pk ?? '').startsWith('idempotency#'));
      const key = String((args.input as { Key?: { pk?: unknown } }).Key?.pk ?? '');
      if (holdReadAfterLease === 'armed' && /^Update(Item)?Command$/.test(String(context.commandName)) && key.startsWith('idempotency#')) holdReadAfterLease = 'leased';
      else if (holdReadAfterLease === 'leased' && /^BatchGet(Item)?Command$/.test(String(context.commandName))) {
        holdReadAfterLease = undefined;
        const gate = new Promise<void>((r) => (releaseRead = r));
        readReached?.();
        await gate;
      }
      if (holdNext && context.commandName === 'TransactWriteItemsCommand' && completesKey) {
        holdNext = false;
        const gate = new Promise<void>((r) => (release = r));
        reached?.();
        await gate;
      }
      return next(args);
    },
    { step: 'initialize', name: 'holdFirstAttempt' },
  );
  owner = await h.signup('owner');
  budget = await h.createBudget(owner, { currency: 'USD' });
});
afterAll(() => h.destroy());

const base = `/v1/budgets/${'{budget}'}/income`;
const income = () => base.replace('{budget}', budget.id);
const post = (label: string, body: unknown) => h.call('POST', income(), { token: owner.token, body, headers: { 'idempotency-key': keyOf(label) } });

/** The first attempt, held just before its transaction, and a promise of its answer. */
async function firstAttemptHeld(label: string, body: unknown) {
  holdNext = true;
  const atTransaction = new Promise<void>((r) => (reached = r));
  const slow = post(label, body);
  await atTransaction;
  // Wrapped: an async function returning the promise itself would wait for it.
  return { slow };
}

async function entriesDescribed(description: string) {
  const listed = await h.call('GET', `${income()}?limit=100`, { token: owner.token });
  return listed.json.items.filter((e: { description?: string }) => e.description === description);
}

describe('a keyed income POST taken over after its lease ran out, while the first attempt still runs', () => {
  it('the retry that committed keeps its answer when the first attempt then finds the entry changed', async () => {
    const body = { amount: 5_000, receivedOn: '2026-11-06', description: 'taken over, then changed' };
    const { slow } = await firstAttemptHeld('takeover-changed', body);
    clock.advance(61_000);
    const retry = await post('takeover-changed', body);
    expect(retry.status, retry.text).toBe(201);
    const id = String(retry.json.id);
    const patched = await h.call('PATCH', `${income()}/${id}`, { token: owner.token, body: { amount: 5_500 } });
    expect(patched.status, patched.text).toBe(200);
    release!();
    const first = await slow;
    // The slow attempt's client is answered the key's answer, not a second view of the entry.
    expect(first.status, first.text).toBe(201);
    expect(first.text).toBe(retry.text);
    expect(first.headers.get('etag')).toBe(retry.headers.get('etag'));
    expect(first.headers.get('location')).toBe(retry.headers.get('location'));

    const again = await post('takeover-changed', body);
    expect(again.status, again.text).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(retry.text);
    expect(again.headers.get('location')).toBe(retry.headers.get('location'));
    expect(again.headers.get('etag')).toBe(retry.headers.get('etag'));
    expect(await entriesDescribed(body.description)).toHaveLength(1);
  });

  it('the retry that committed keeps its answer when the first attempt then finds the entry deleted: no second entry', async () => {
    const body = { amount: 6_000, receivedOn: '2026-11-07', description: 'taken over, then deleted' };
    const { slow } = await firstAttemptHeld('takeover-deleted', body);
    clock.advance(61_000);
    const retry = await post('takeover-deleted', body);
    expect(retry.status, retry.text).toBe(201);
    const id = String(retry.json.id);
    expect((await h.call('DELETE', `${income()}/${id}`, { token: owner.token })).status).toBe(204);
    release!();
    const first = await slow;
    expect(first.status, first.text).toBe(201);
    expect(first.text).toBe(retry.text);
    expect(first.headers.get('etag')).toBe(retry.headers.get('etag'));
    expect(first.headers.get('location')).toBe(retry.headers.get('location'));

    // The key still answers its first 201; the income is not recorded again.
    const again = await post('takeover-deleted', body);
    expect(again.status, again.text).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(retry.text);
    expect(again.headers.get('location')).toBe(retry.headers.get('location'));
    expect(again.headers.get('etag')).toBe(retry.headers.get('etag'));
    expect(await entriesDescribed(body.description)).toHaveLength(0);
  });

  it('the first attempt refused meanwhile leaves the lease of the retry alone: the retry records the income, and its answer is the one of the key', async () => {
    const body = { amount: 7_000, receivedOn: '2026-11-08', description: 'taken over, first refused' };
    const label = 'takeover-refused';
    holdReadAfterLease = 'armed';
    const atRead = new Promise<void>((r) => (readReached = r));
    const slow = post(label, body);
    await atRead;
    clock.advance(61_000);
    const { slow: retrying } = await firstAttemptHeld(label, body);
    // The budget archived while the first attempt waits for its access check: it is refused (409).
    expect((await h.call('POST', `/v1/budgets/${budget.id}/archive`, { token: owner.token })).status).toBe(200);
    releaseRead!();
    const first = await slow;
    expect(first.status, first.text).toBe(409);
    expect((await h.call('POST', `/v1/budgets/${budget.id}/unarchive`, { token: owner.token })).status).toBe(200);
    release!();
    const retry = await retrying;
    expect(retry.status, retry.text).toBe(201);

    const again = await post(label, body);
    expect(again.status, again.text).toBe(201);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.text).toBe(retry.text);
    expect(await entriesDescribed(body.description)).toHaveLength(1);
  });
});
