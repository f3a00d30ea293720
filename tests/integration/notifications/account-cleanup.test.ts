import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { as, signUp } from '../../support/actors';
import { deliver, notificationItemsOf, theEvent } from '../../support/events';
import { heldJobs } from '../../support/held-jobs';
import { createTestSystem, type TestSystem } from '../../support/test-system';

/**
 * user.deleted empties the deleted account's notifications partition in bounded steps, on
 * DynamoDB Local: `notifications-on-users` queues one `notifications-user-cleanup` unit, and each
 * invocation of it deletes what fits its time (platform deleteInSteps) and queues the rest.
 * Before, the subscriber deleted the whole partition page by page in its one invocation, however
 * much the account had (a notification per alert, bill, comment, import... of 180 days). The
 * job's time budget here is 1 ms: every invocation does one step (100 keys) and queues the rest.
 */
const jobs = heldJobs('notifications-cleanup');
const JOB = 'notifications-user-cleanup';
let t: TestSystem;

beforeAll(async () => {
  t = await createTestSystem({ jobs: { transport: jobs.transport, unitBudgetMs: 1 } });
});
afterAll(async () => {
  await t?.destroy();
  await jobs.stop();
});

describe("a deleted account's notifications", { timeout: 30_000 }, () => {
  it('are deleted by a job over several invocations, not in the subscriber', async () => {
    const user = await signUp(t.app, 'many');
    // 250 notifications, as the subscribers leave them (only their keys matter to the cleanup).
    const items = Array.from({ length: 250 }, (_, i) => ({
      pk: `notifications#user#${user.id}`,
      sk: `notifications#n#01JE${String(i).padStart(22, '0')}`,
      kind: 'notification',
    }));
    for (let i = 0; i < items.length; i += 25) {
      await t.doc.send(new BatchWriteCommand({ RequestItems: { [t.tableName]: items.slice(i, i + 25).map((Item) => ({ PutRequest: { Item } })) } }));
    }
    const res = await as(t.app, user)('DELETE', '/v1/me');
    expect(res.status, res.text).toBe(204);
    await deliver(t, await theEvent(t, 'user.deleted', { userId: user.id }));

    // The subscriber only queued the unit: everything is still there.
    expect(jobs.held.filter((m) => m.job === JOB)).toHaveLength(1);
    expect(await notificationItemsOf(t, user.id)).toHaveLength(250);
    // Only this job's units from here on (the other modules' cleanups are not this test's).
    const ours = () => jobs.held.splice(0).filter((m) => m.job === JOB);
    let invocations = 0;
    for (let pending = ours(); pending.length > 0; pending = ours()) {
      invocations += pending.length;
      await jobs.run(pending);
    }
    expect(invocations).toBeGreaterThanOrEqual(3);
    expect(await notificationItemsOf(t, user.id)).toEqual([]);
  });
});
