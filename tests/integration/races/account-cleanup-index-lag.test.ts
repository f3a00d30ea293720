import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, fixedClock } from '@budgeting/platform';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localJobQueue } from '../../../packages/app/src/local/jobs-runtime';
import { addExpense, addMember, as, createBudget, signUp, type Actor } from '../../support/actors';
import { withCommandMiddleware } from '../../support/command-middleware';
import { deliver, tableItems, theEvent } from '../../support/events';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * A deleted account's budgets and memberships (packages/users/docs/account-deletion.md): the
 * `budgets-user-cleanup` unit lists them through gsi1, which is eventually consistent, so a
 * budget created (or a membership added) a moment before DELETE /v1/me may not be in the index
 * yet when the unit lists it. Nothing else would ever find it: the budget, its expenses and the
 * membership would outlive the account for good. DynamoDB Local's index has no lag: here the
 * first such Query answers empty, as a lagging index would (as member-details-races.test.ts does
 * for the snapshots' refresh). Run on the local work queue (the stand-in of SQS), whose delayed
 * messages the test hands over with releaseDelayed() after moving the system's clock.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const dataDir = mkdtempSync(join(tmpdir(), 'account-cleanup-lag-'));
const jobs = localJobQueue({ dataDir, logger: createLogger('SILENT'), retry: { maxAttempts: 2, baseDelayMs: 5, maxDelayMs: 20 } });
let s: TestSystem;
let other: Actor;

beforeAll(async () => {
  s = await createTestSystem({ clock, jobs: { transport: jobs.transport } });
  other = await signUp(s.app, 'household');
});
afterAll(async () => {
  await jobs.queue.stop();
  await s?.destroy();
  rmSync(dataDir, { recursive: true, force: true });
});

/** Delivers `who`'s user.deleted with the first gsi1 Query of their memberships answering no items. */
async function deliverMissingTheMemberships(who: Actor): Promise<number> {
  const event = await theEvent(s, 'user.deleted', { userId: who.id });
  let missed = 0;
  await withCommandMiddleware(
    s.doc,
    'laggingMembershipIndex',
    (next, context) => async (args) => {
      const input = args.input as { IndexName?: string };
      if (missed === 0 && context.commandName === 'QueryCommand' && input.IndexName === 'gsi1' && JSON.stringify(input).includes(`budgets#member#${who.id}`)) {
        missed++;
        return { output: { Items: [], Count: 0, ScannedCount: 0, $metadata: {} }, response: {} } as never;
      }
      return next(args);
    },
    async () => {
      await deliver(s, event);
      await jobs.queue.idle();
    },
  );
  return missed;
}

/** The units of the account cleanup waiting out a delay (the local queue keeps each delayed send as a file). */
function delayedCleanups(): unknown[] {
  const dir = join(dataDir, 'delayed-work');
  const files = (() => {
    try {
      return readdirSync(dir).filter((f) => f.endsWith('.json'));
    } catch {
      return [];
    }
  })();
  return files
    .flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as { messages: { job: string; unit?: unknown }[] }).messages)
    .filter((m) => m.job === 'budgets-user-cleanup')
    .map((m) => m.unit);
}

/** The budgets module's items naming the budget (its item and memberships) and the expenses module's (its expenses). */
const itemsOf = async (budgetId: string) => (await tableItems(s.doc, s.tableName)).filter((i) => String(i.pk).includes(budgetId) && /^(budgets#budget#|expenses#budget#)/.test(String(i.pk)));

describe("a deleted account's budget and membership the index did not show yet (index lag)", { timeout: 120_000 }, () => {
  it('a delayed second pass of the cleanup deletes the budget and removes the membership; it queues no third', async () => {
    const start = clock.now().getTime();
    try {
      const leaving = await signUp(s.app, 'leaving');
      const owned = await createBudget(s.app, leaving, { name: 'Made just before leaving' });
      await addExpense(s.app, leaving, owned.id, { amount: 1_250, occurredOn: '2026-11-20' });
      const shared = await createBudget(s.app, other, { name: 'Household' });
      await addMember(s.app, other, shared.id, leaving, 'editor');
      const gone = await as(s.app, leaving)('DELETE', '/v1/me', { body: { password: leaving.password } });
      expect(gone.status, gone.text).toBe(204);

      expect(await deliverMissingTheMemberships(leaving)).toBe(1);
      // The first pass listed nothing: the budget and the membership are still there.
      expect((await itemsOf(owned.id)).map((i) => i.kind).sort()).toEqual(['budget', 'expense', 'member']);
      expect(delayedCleanups()).toEqual([{ userId: leaving.id, secondPass: true }]);

      // Not due before its delay: handed over early, it is sent back unworked.
      clock.advance(30_000);
      jobs.queue.releaseDelayed();
      await jobs.queue.idle();
      expect(delayedCleanups()).toHaveLength(1);
      expect((await itemsOf(owned.id)).map((i) => i.kind).sort()).toEqual(['budget', 'expense', 'member']);

      clock.advance(31_000);
      jobs.queue.releaseDelayed();
      await jobs.queue.idle();
      // The budget went with its memberships, announced as any other (budget.deleted, whose cascade removes the expenses).
      await deliver(s, await theEvent(s, 'budget.deleted', { budgetId: owned.id }));
      await jobs.queue.idle();
      expect((await itemsOf(owned.id)).map((i) => i.kind)).toEqual([]);
      const members = await as(s.app, other)('GET', `/v1/budgets/${shared.id}/members`);
      expect((members.json.items as { userId: string }[]).map((m) => m.userId)).toEqual([other.id]);
      expect(delayedCleanups()).toEqual([]);
      expect(jobs.queue.deadLettered).toBe(0);
    } finally {
      clock.set(new Date(start));
    }
  });
});
