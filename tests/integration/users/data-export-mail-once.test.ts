import { createLogger, type EmailMessage, type FanOutJob, type LazyJob } from '@budgeting/platform';
import { createUsersModule } from '@budgeting/users';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_EXPORT_JOB } from '../../../packages/users/src/jobs/names';
import { as, signUp } from '../../support/actors';
import { firstCallHeld } from '../../support/first-call-held';
import { createFanOutSystem, itemsOfKind } from '../jobs/support';

/**
 * The "your data export is ready" mail goes once however often the queue hands the export's
 * assemble unit. Its units are queued straight to the work queue (not relayed), so no runner
 * claim covers them, and SQS may hand one message to two invocations at once: both found the
 * export succeeded and not yet notified, and both mailed. And none goes to an account support
 * suspended while its export ran.
 */
const mail: EmailMessage[] = [];
const record = async (m: EmailMessage) => void mail.push(m);
let sendMail: (m: EmailMessage) => Promise<void> = record;
let s: Awaited<ReturnType<typeof createFanOutSystem>>;
/** Awaited before each job delivery: a test holds the export's units back while support acts. */
let gate: Promise<void> = Promise.resolve();

beforeAll(async () => {
  s = await createFanOutSystem({ concurrency: 1, mail: { send: (m) => sendMail(m) }, beforeDelivery: () => gate });
});
afterAll(() => s?.t.destroy());

describe("the data export's ready mail", { timeout: 120_000 }, () => {
  it('the assemble unit handed twice at once (SQS delivers at least once) mails once; handed again after, nothing', async () => {
    const ann = await signUp(s.t.app, 'export-mail-once-ann');
    const api = as(s.t.app, ann);
    const held = firstCallHeld();
    sendMail = async (m) => {
      await held.pass();
      await record(m);
    };
    try {
      const start = await api('POST', '/v1/me/export');
      expect(start.status, start.text).toBe(202);
      const exportId = start.json.id as string;
      // The queue's own delivery of the assemble unit is sending the mail (held)...
      await held.firstStarted;
      // ...when a second receive of the same unit runs (the job as the runner has it, same table, same sender).
      const { runtime } = createUsersModule(s.t.system.deps, { mail: { send: (m) => sendMail(m) }, storage: s.t.system.storage, exportSources: {} as never });
      const job = (await (runtime.jobs!.find((j) => j.name === DATA_EXPORT_JOB) as LazyJob<unknown>).load()) as FanOutJob<unknown>;
      const ctx = { logger: s.t.system.deps.logger, deadline: Date.now() + 60_000 };
      const unit = await job.parseUnit({ userId: ann.id, exportId, step: 'assemble' });
      await job.work(unit, new Date(), ctx).catch(() => undefined); // refused while the first sends, or nothing to do: either is right
      held.release();
      await s.queue.idle();
      expect((await api('GET', `/v1/me/exports/${exportId}`)).json.status).toBe('succeeded');
      await job.work(unit, new Date(), ctx);
      expect(mail.filter((m) => m.to === ann.email).map((m) => m.id)).toEqual([`data-export-${exportId}`]);
    } finally {
      sendMail = record;
    }
  });

  it('an account support suspended while its export ran gets no mail (support.md "No mail to the user"); the export still succeeds', async () => {
    const bea = await signUp(s.t.app, 'export-mail-suspended-bea');
    let open!: () => void;
    gate = new Promise((resolve) => (open = resolve));
    try {
      const start = await as(s.t.app, bea)('POST', '/v1/me/export');
      expect(start.status, start.text).toBe(202);
      const suspended = await s.t.system.operations.find((o) => o.name === 'users-suspend')!.run({ email: bea.email, reason: 'TICKET-8: takeover', operator: 'support' }, { logger: createLogger('SILENT') });
      expect(suspended).toMatchObject({ ok: true, summary: { outcome: 'suspended' } });
    } finally {
      open();
      gate = Promise.resolve();
    }
    await s.queue.idle();
    const exports = (await itemsOfKind(s.t, 'data-export')).filter((i) => i.pk === `users#user#${bea.id}`);
    expect(exports.map((e) => e.status)).toEqual(['succeeded']);
    expect(mail.filter((m) => m.to === bea.email)).toEqual([]);
  });
});
