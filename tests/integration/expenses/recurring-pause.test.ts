import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { type Budget, type Harness, type Team, type User } from './harness';
import { callAs, recurringSuite } from './recurring-harness';

/**
 * Pausing, resuming and skipping a recurring expense (PATCH `paused`, POST .../skip) against
 * DynamoDB Local with a fixed clock and the real job: a paused definition leaves the due index
 * and records nothing, resuming restarts from today in the budget's time zone without the
 * missed occurrences, a skip moves past exactly the next occurrence, and a skip racing the job
 * for the same occurrence never both skips and records it.
 */
const START = '2026-11-24T12:00:00Z'; // 2026-11-25 01:00 in Auckland
const DAY = 24 * 60 * 60 * 1000;
const suite = recurringSuite(START, { team: { categories: ['Housing'], timezone: 'Pacific/Auckland' } });
const { clock, created, run } = suite;
let h: Harness;
let team: Team;
beforeAll(() => {
  h = suite.harness();
  team = suite.team();
});

const req = (who: User, method: string, url: string, options: { body?: unknown; headers?: Record<string, string> } = {}) => callAs(h, who, method, url, options);

type Definition = { id: string; nextOccurrenceOn: string | null; paused: boolean; version: number };

async function setUp(budget: Budget, body: Record<string, unknown>) {
  const res = await req(team.owner, 'POST', `/v1/budgets/${budget.id}/recurring-expenses`, { body });
  expect(res.status, res.text).toBe(201);
  const url = res.headers.get('location')!;
  created.push(url);
  return { url, skip: `${url}/skip`, def: res.json as Definition };
}

/** The definition's stored item, read raw (the due-index attributes are not in the API). */
async function storedItem(id: string) {
  const out = await h.t.doc.send(
    new ScanCommand({ TableName: h.t.tableName, FilterExpression: 'kind = :k AND id = :id', ExpressionAttributeValues: { ':k': 'recurring-expense', ':id': id } }),
  );
  expect(out.Items).toHaveLength(1);
  return out.Items![0]!;
}

async function expensesOf(budget: Budget) {
  const res = await req(team.owner, 'GET', `/v1/budgets/${budget.id}/expenses?limit=100`);
  expect(res.status, res.text).toBe(200);
  return (res.json.items as { occurredOn: string; amount: number }[]).reverse();
}
const datesOf = async (budget: Budget) => (await expensesOf(budget)).map((e) => e.occurredOn);

describe('pausing and resuming a recurring expense', { timeout: 60_000 }, () => {
  it('paused: leaves the due index, the job records nothing past its dates; resumed: from today (budget time zone), the missed ones never recorded', async () => {
    const budget = await h.createBudget(team.owner, { timezone: 'Pacific/Auckland' });
    // Weekly on Wednesdays from 2026-11-25 (today in Auckland).
    const { url, def } = await setUp(budget, { amount: 700, schedule: { frequency: 'weekly', startsOn: '2026-11-25' } });
    expect(def).toMatchObject({ nextOccurrenceOn: '2026-11-25', paused: false, version: 1 });
    expect(await storedItem(def.id)).toHaveProperty('gsi1pk');

    const paused = await req(team.owner, 'PATCH', url, { body: { paused: true }, headers: { 'if-match': '"1"' } });
    expect(paused.status, paused.text).toBe(200);
    // No next occurrence while paused: the ETag says so.
    expect(paused.headers.get('etag')).toBe('"2-none"');
    expect(paused.json).toMatchObject({ paused: true, nextOccurrenceOn: null, version: 2 });
    const item = await storedItem(def.id);
    expect(item).toMatchObject({ paused: true });
    for (const attribute of ['gsi1pk', 'gsi1sk', 'nextOccurrenceOn']) expect(item).not.toHaveProperty(attribute);

    // 2026-12-03 in Auckland: 11-25 and 12-02 fell while paused.
    clock.set('2026-12-02T12:00:00Z');
    expect(await run()).toMatchObject({ due: 0, recorded: 0, failed: 0 });
    expect(await datesOf(budget)).toEqual([]);

    const resumed = await req(team.owner, 'PATCH', url, { body: { paused: false } });
    expect(resumed.status, resumed.text).toBe(200);
    // The first Wednesday on or after today in Auckland (12-03), not UTC's today (12-02).
    expect(resumed.json).toMatchObject({ paused: false, nextOccurrenceOn: '2026-12-09', version: 3 });
    expect(await storedItem(def.id)).not.toHaveProperty('paused');
    expect(await run()).toMatchObject({ recorded: 0 });

    clock.set('2026-12-09T12:00:00Z'); // 12-10 in Auckland
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect(await datesOf(budget)).toEqual(['2026-12-09']);
  });

  it('a PATCH of other fields keeps it paused; pausing twice changes nothing (not even the version); a schedule change while paused stays paused', async () => {
    const budget = await h.createBudget(team.owner);
    const { url } = await setUp(budget, { amount: 100, schedule: { frequency: 'daily' } });
    expect((await req(team.owner, 'PATCH', url, { body: { paused: true } })).status).toBe(200);
    const again = await req(team.owner, 'PATCH', url, { body: { paused: true } });
    expect(again.json).toMatchObject({ paused: true, nextOccurrenceOn: null, version: 2 });
    const changed = await req(team.owner, 'PATCH', url, { body: { amount: 200, schedule: { frequency: 'weekly' } } });
    expect(changed.status, changed.text).toBe(200);
    expect(changed.json).toMatchObject({ amount: 200, paused: true, nextOccurrenceOn: null, version: 3 });
    clock.advance(3 * DAY);
    expect(await run()).toMatchObject({ due: 0, recorded: 0 });
    expect(await datesOf(budget)).toEqual([]);
    // Resumed on 11-27: weekly from 11-24, the first on or after today is 12-01.
    const resumed = await req(team.owner, 'PATCH', url, { body: { paused: false } });
    expect(resumed.json).toMatchObject({ paused: false, nextOccurrenceOn: '2026-12-01' });
    // `paused: false` on a definition that is not paused changes nothing (no new version): 12-01
    // is due, not recorded yet on 12-02, and is still recorded.
    clock.set('2026-12-02T12:00:00Z');
    const noChange = await req(team.owner, 'PATCH', url, { body: { paused: false } });
    expect(noChange.json).toMatchObject({ paused: false, nextOccurrenceOn: '2026-12-01', version: 4 });
    expect(await run()).toMatchObject({ recorded: 1 });
    expect(await datesOf(budget)).toEqual(['2026-12-01']);
  });

  it('the forecast leaves a paused definition out and counts it again once resumed', async () => {
    const budget = await h.createBudget(team.owner);
    const forecast = async () => {
      const res = await req(team.owner, 'GET', `/v1/budgets/${budget.id}/forecast`);
      expect(res.status, res.text).toBe(200);
      return res.json as { scheduled: number; upcoming: { recurringExpenseId: string }[] };
    };
    const rent = await setUp(budget, { amount: 30_000, schedule: { frequency: 'monthly', startsOn: '2026-09-30' } });
    const bus = await setUp(budget, { amount: 500, schedule: { frequency: 'weekly', startsOn: '2026-11-26' } }); // 11-26
    expect(await forecast()).toMatchObject({ scheduled: 30_500 });
    expect((await req(team.owner, 'PATCH', rent.url, { body: { paused: true } })).status).toBe(200);
    const without = await forecast();
    expect(without.scheduled).toBe(500);
    expect(without.upcoming.map((o) => o.recurringExpenseId)).toEqual([bus.def.id]);
    expect((await req(team.owner, 'PATCH', rent.url, { body: { paused: false } })).status).toBe(200);
    expect(await forecast()).toMatchObject({ scheduled: 30_500 });
  });

  it('a stored item without `paused` (as written before pausing existed, and by every unpaused write) reads as false', async () => {
    const { def, url } = await setUp(team.budget, { amount: 100, schedule: { frequency: 'daily' } });
    const item = await storedItem(def.id);
    expect(item).not.toHaveProperty('paused');
    expect((await req(team.viewer, 'GET', url)).json.paused).toBe(false);
    const list = await req(team.viewer, 'GET', `/v1/budgets/${team.budget.id}/recurring-expenses?limit=100`);
    expect((list.json.items as Definition[]).find((d) => d.id === def.id)?.paused).toBe(false);
  });

  it('validation 400 names `paused`; a viewer is refused with 403; a stale If-Match is a 412', async () => {
    const { url } = await setUp(team.budget, { amount: 100, schedule: { frequency: 'daily' } });
    for (const bad of ['yes', 1, null]) {
      const res = await req(team.owner, 'PATCH', url, { body: { paused: bad } });
      expect(res.status, res.text).toBe(400);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(res.json.errors.map((e: { path: string }) => e.path)).toContain('paused');
    }
    expect((await req(team.viewer, 'PATCH', url, { body: { paused: true } })).status).toBe(403);
    expect((await req(team.viewer, 'POST', `${url}/skip`)).status).toBe(403);
    expect((await req(team.editor, 'PATCH', url, { body: { paused: true } })).status).toBe(200); // version 2
    expect((await req(team.owner, 'PATCH', url, { body: { paused: false }, headers: { 'if-match': '"1"' } })).status).toBe(412);
    expect((await req(team.owner, 'GET', url)).json).toMatchObject({ paused: true, version: 2 });
  });
});

describe('skipping the next occurrence', { timeout: 120_000 }, () => {
  it('moves to the following occurrence (200, ETag, version + 1); the job records that one and never the skipped one', async () => {
    const budget = await h.createBudget(team.owner);
    // Monthly on the 31st: 11-30, 12-31, 2027-01-31.
    await h.addMember(budget, team.owner, team.editor, 'editor');
    const { skip, url } = await setUp(budget, { amount: 1_000, schedule: { frequency: 'monthly', startsOn: '2026-01-31' } });
    const res = await req(team.editor, 'POST', skip, { headers: { 'if-match': '"1"' } });
    expect(res.status, res.text).toBe(200);
    expect(res.headers.get('etag')).toBe('"2-n20261231"');
    expect(res.json).toMatchObject({ nextOccurrenceOn: '2026-12-31', paused: false, version: 2 });
    expect((await req(team.owner, 'GET', url)).json).toEqual(res.json);

    clock.set('2026-11-30T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 0 });
    clock.set('2026-12-31T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 1, failed: 0 });
    expect(await datesOf(budget)).toEqual(['2026-12-31']);
    expect((await req(team.owner, 'GET', url)).json.nextOccurrenceOn).toBe('2027-01-31');
  });

  it('skipping the last occurrence ends the schedule (nextOccurrenceOn null, out of the index); an ended or paused one is a 409', async () => {
    const budget = await h.createBudget(team.owner);
    const { skip, url, def } = await setUp(budget, { amount: 10, schedule: { frequency: 'daily', startsOn: '2026-11-24', endsOn: '2026-11-25' } });
    expect((await req(team.owner, 'POST', skip)).json.nextOccurrenceOn).toBe('2026-11-25');
    const last = await req(team.owner, 'POST', skip);
    expect(last.status, last.text).toBe(200);
    expect(last.json).toMatchObject({ nextOccurrenceOn: null, paused: false, version: 3 });
    expect(await storedItem(def.id)).not.toHaveProperty('gsi1pk');
    const ended = await req(team.owner, 'POST', skip);
    expect(ended.status).toBe(409);
    expect(ended.headers.get('content-type')).toBe('application/problem+json');
    clock.advance(2 * DAY);
    expect(await run()).toMatchObject({ due: 0, recorded: 0 });
    expect(await datesOf(budget)).toEqual([]);

    const other = await setUp(budget, { amount: 10, schedule: { frequency: 'daily' } });
    expect((await req(team.owner, 'PATCH', other.url, { body: { paused: true } })).status).toBe(200);
    const paused = await req(team.owner, 'POST', other.skip);
    expect(paused.status).toBe(409);
    expect(paused.json.detail).toMatch(/paused/);
    expect((await req(team.owner, 'GET', url)).json.version).toBe(3);
  });

  it('a resume never brings back a date skipped before the pause; a new schedule does not inherit the skip', async () => {
    const budget = await h.createBudget(team.owner);
    // Monthly on the 31st: 11-30 (today in Auckland), 12-31, 2027-01-31.
    const { skip, url } = await setUp(budget, { amount: 1_000, schedule: { frequency: 'monthly', startsOn: '2026-01-31' } });
    expect((await req(team.owner, 'POST', skip)).json.nextOccurrenceOn).toBe('2026-12-31');
    expect((await req(team.owner, 'POST', skip)).json.nextOccurrenceOn).toBe('2027-01-31');
    expect((await req(team.owner, 'PATCH', url, { body: { paused: true } })).status).toBe(200);
    const resumed = await req(team.owner, 'PATCH', url, { body: { paused: false } });
    expect(resumed.status, resumed.text).toBe(200);
    // From today on would be 11-30 again; both skipped dates stay skipped.
    expect(resumed.json).toMatchObject({ nextOccurrenceOn: '2027-01-31', paused: false });
    expect(resumed.json).not.toHaveProperty('skippedThrough');
    clock.set('2026-12-31T12:00:00Z');
    expect(await run()).toMatchObject({ recorded: 0 });
    expect(await datesOf(budget)).toEqual([]);

    // A changed schedule (every month on the 15th) has dates of its own: none was skipped.
    clock.set(START);
    expect((await req(team.owner, 'POST', skip)).json.nextOccurrenceOn).toBe('2027-02-28');
    const rescheduled = await req(team.owner, 'PATCH', url, { body: { schedule: { startsOn: '2026-01-15' } } });
    expect(rescheduled.status, rescheduled.text).toBe(200);
    expect(rescheduled.json.nextOccurrenceOn).toBe('2026-12-15');
    expect((await req(team.owner, 'PATCH', url, { body: { paused: true } })).status).toBe(200);
    expect((await req(team.owner, 'PATCH', url, { body: { paused: false } })).json.nextOccurrenceOn).toBe('2026-12-15');
  });

  it('a schedule changed while paused does not inherit the skip either: the resume starts at the new schedule\'s first date from today', async () => {
    const budget = await h.createBudget(team.owner);
    // A yearly subscription on Mar 1: 2027-03-01 skipped (skippedThrough), then 2028-03-01.
    const { skip, url } = await setUp(budget, { amount: 12_000, schedule: { frequency: 'yearly', startsOn: '2026-03-01' } });
    expect((await req(team.owner, 'POST', skip)).json.nextOccurrenceOn).toBe('2028-03-01');
    expect((await req(team.owner, 'PATCH', url, { body: { paused: true } })).status).toBe(200);
    // Switched to the monthly plan while paused: the 1st of each month from December.
    const switched = await req(team.owner, 'PATCH', url, { body: { amount: 1_000, schedule: { frequency: 'monthly', startsOn: '2026-12-01' } } });
    expect(switched.status, switched.text).toBe(200);
    expect(switched.json).toMatchObject({ paused: true, nextOccurrenceOn: null });
    const resumed = await req(team.owner, 'PATCH', url, { body: { paused: false } });
    expect(resumed.status, resumed.text).toBe(200);
    // Not 2027-04-01 (the first monthly date after the yearly date skipped): Dec, Jan, Feb, Mar are due.
    expect(resumed.json).toMatchObject({ paused: false, nextOccurrenceOn: '2026-12-01' });
    clock.set('2026-12-01T12:00:00Z'); // Dec 2 in Auckland
    expect(await run()).toMatchObject({ recorded: 1 });
    expect(await datesOf(budget)).toEqual(['2026-12-01']);
  });

  it('If-Match: a stale one is a 412 (nothing skipped); Idempotency-Key: a retry replays the first skip instead of skipping again', async () => {
    const budget = await h.createBudget(team.owner);
    const { skip, url } = await setUp(budget, { amount: 10, schedule: { frequency: 'daily', startsOn: '2026-11-24' } });
    expect((await req(team.owner, 'POST', skip, { headers: { 'if-match': '"7"' } })).status).toBe(412);
    expect((await req(team.owner, 'GET', url)).json).toMatchObject({ nextOccurrenceOn: '2026-11-24', version: 1 });
    const headers = { 'idempotency-key': `skip-${url}` };
    const first = await req(team.owner, 'POST', skip, { headers });
    const again = await req(team.owner, 'POST', skip, { headers });
    expect(first.status, first.text).toBe(200);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.json).toEqual(first.json);
    expect((await req(team.owner, 'GET', url)).json).toMatchObject({ nextOccurrenceOn: '2026-11-25', version: 2 });
  });

  it('in either order with the job: a skip after the recording skips the one after; a recording after the skip finds nothing due', async () => {
    const budget = await h.createBudget(team.owner);
    const a = await setUp(budget, { amount: 1, schedule: { frequency: 'daily', startsOn: '2026-11-24' } });
    expect(await run()).toMatchObject({ recorded: 1 });
    expect((await req(team.owner, 'POST', a.skip)).json.nextOccurrenceOn).toBe('2026-11-26');
    const b = await setUp(budget, { amount: 2, schedule: { frequency: 'daily', startsOn: '2026-11-24' } });
    expect((await req(team.owner, 'POST', b.skip)).json.nextOccurrenceOn).toBe('2026-11-25');
    expect(await run()).toMatchObject({ recorded: 0 });
    expect((await expensesOf(budget)).map((e) => [e.amount, e.occurredOn])).toEqual([[1, '2026-11-24']]);
  });

  it('racing the job for the same occurrence, many times: never both recorded and skipped', async () => {
    const budget = await h.createBudget(team.owner);
    const ROUNDS = 40;
    const outcomes = { skippedIt: 0, recordedIt: 0, neither: 0 };
    let delay = 0;
    let step = 16;
    const aim = (skipWon: boolean) => {
      if (!skipWon && step === 16) step = 2; // the first flip: from now on, around it
      delay = Math.max(0, delay + (skipWon ? 1 : -1) * (step + (step === 16 ? 0 : Math.floor(Math.random() * 2))));
    };
    for (let round = 0; round < ROUNDS; round++) {
      const amount = 1_000 + round; // tells this round's expenses apart
      const { skip, url } = await setUp(budget, { amount, schedule: { frequency: 'daily', startsOn: '2026-11-24' } });
      // The job's run pages the due index before it reads the definition, so a skip sent at
      // the same instant nearly always wins. The skip's delay homes in on the point where the
      // winner flips (coarse steps until the first flip, then 1-3 ms steps around it), so most
      // rounds put the two read-then-write windows over each other, in both orders.
      const [, skipped] = await Promise.all([run(), new Promise((r) => setTimeout(r, delay)).then(() => req(team.owner, 'POST', skip))]);
      const recorded = (await expensesOf(budget)).filter((e) => e.amount === amount);
      const after = (await req(team.owner, 'GET', url)).json as Definition;
      expect(recorded.length, `round ${round}`).toBeLessThanOrEqual(1);
      expect(recorded.every((e) => e.occurredOn === '2026-11-24')).toBe(true);
      if (skipped.status === 200 && skipped.json.nextOccurrenceOn === '2026-11-25') {
        // The skip won: 11-24 skipped, so never recorded.
        expect(recorded, `round ${round}: skipped and recorded`).toEqual([]);
        expect(after.nextOccurrenceOn).toBe('2026-11-25');
        outcomes.skippedIt++;
        aim(true);
      } else if (skipped.status === 200) {
        // The job won: 11-24 recorded, the skip re-read and skipped the next one (11-25).
        expect(skipped.json.nextOccurrenceOn).toBe('2026-11-26');
        expect(recorded).toHaveLength(1);
        expect(after.nextOccurrenceOn).toBe('2026-11-26');
        outcomes.recordedIt++;
        aim(false);
      } else {
        // The skip failed outright (a transaction conflict answered 503): it changed nothing.
        expect(skipped.status, skipped.text).toBe(503);
        expect(after.version).toBe(1);
        outcomes.neither++;
      }
    }
    console.info('skip vs job race outcomes', outcomes);
    expect(outcomes.skippedIt + outcomes.recordedIt + outcomes.neither).toBe(ROUNDS);
    // Both orders were met (so the invariant above was checked on each side of the race).
    expect(outcomes.skippedIt).toBeGreaterThan(0);
    expect(outcomes.recordedIt).toBeGreaterThan(0);
  });
});
