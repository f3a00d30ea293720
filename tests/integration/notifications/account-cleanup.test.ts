import { BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { userCleanupJob } from '../../../packages/notifications/src/jobs/user-cleanup-job';
import { NotificationsRepository } from '../../../packages/notifications/src/repository/notifications.repository';
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
 * job is worked here on a clock that moves 10 ms each time it is read, with a deadline 55 ms
 * ahead: each invocation makes its first step (100 keys) and no second, whatever the machine.
 */
const jobs = heldJobs('notifications-cleanup');
const JOB = 'notifications-user-cleanup';
let t: TestSystem;

beforeAll(async () => {
  t = await createTestSystem({ jobs: { transport: jobs.transport } });
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
    const queued = jobs.held.splice(0).filter((m) => m.job === JOB);
    expect(queued).toHaveLength(1);
    expect(await notificationItemsOf(t, user.id)).toHaveLength(250);

    let clock = 0;
    const now = () => (clock += 10);
    const store = t.system.deps.storeFor('notifications');
    const job = userCleanupJob({ store, repository: new NotificationsRepository(store), now });
    const ctx = () => ({ logger: t.system.deps.logger, deadline: clock + 55 });
    const left: number[] = [];
    let next = queued[0]?.type === 'unit' ? await job.parseUnit(queued[0].unit) : undefined;
    while (next) {
      next = (await job.work(next, new Date(), ctx()))?.again;
      left.push((await notificationItemsOf(t, user.id)).length);
    }
    // One step of 100 keys per invocation (the third's 50 are all there was; it cannot know
    // before reading again), then one that finds nothing left and ends the unit.
    expect(left).toEqual([150, 50, 0, 0]);
  });
});
