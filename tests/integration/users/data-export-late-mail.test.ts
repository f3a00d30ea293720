import { fixedClock, type EmailMessage, type FanOutJob, type LazyJob } from '@budgeting/platform';
import { createUsersModule } from '@budgeting/users';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATA_EXPORT_JOB } from '../../../packages/users/src/jobs/names';
import { as, signUp } from '../../support/actors';
import { createFanOutSystem, itemsOfKind } from '../jobs/support';

/**
 * The "your data export is ready" mail sent late: its send failed every attempt, so the assemble
 * unit was dead-lettered with the export succeeded and not yet mailed, and the operator replays it
 * days later (npm run dead-letters -- replay). The export is kept 7 days from its request: the
 * mail must state what is left of them, and none goes for an export already expired.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const mail: EmailMessage[] = [];
let failing = true;
let s: Awaited<ReturnType<typeof createFanOutSystem>>;

beforeAll(async () => {
  s = await createFanOutSystem({
    clock,
    concurrency: 1,
    mail: {
      send: async (m) => {
        if (failing) throw new Error('SES refused the send');
        mail.push(m);
      },
    },
  });
});
afterAll(() => s?.t.destroy());

/** Starts an export whose ready mail fails every attempt; the assemble unit, as the dead letters hold it. */
async function exportWithFailedMail(name: string) {
  const who = await signUp(s.t.app, name);
  failing = true;
  const start = await as(s.t.app, who)('POST', '/v1/me/export');
  expect(start.status, start.text).toBe(202);
  await s.queue.idle();
  const exportId = start.json.id as string;
  const stored = (await itemsOfKind(s.t, 'data-export')).filter((i) => i.pk === `users#user#${who.id}`);
  expect(stored.map((e) => [e.status, e.notifiedAt])).toEqual([['succeeded', undefined]]);
  return { who, unit: { userId: who.id, exportId, step: 'assemble' } };
}

async function replay(unit: Record<string, string>) {
  failing = false;
  const { runtime } = createUsersModule(s.t.system.deps, { mail: { send: async (m) => void mail.push(m) }, storage: s.t.system.storage, exportSources: {} as never });
  const job = (await (runtime.jobs!.find((j) => j.name === DATA_EXPORT_JOB) as LazyJob<unknown>).load()) as FanOutJob<unknown>;
  await job.work(await job.parseUnit(unit), clock.now(), { logger: s.t.system.deps.logger, deadline: Date.now() + 60_000 });
}

describe("the data export's ready mail, sent late", { timeout: 120_000 }, () => {
  it('replayed 5 days after the request, it says the export is kept 2 more days, not 7', async () => {
    clock.set('2026-11-24T12:00:00Z');
    const { who, unit } = await exportWithFailedMail('export-late-mail-ann');
    clock.set('2026-11-29T12:00:00Z');
    await replay(unit);
    const sent = mail.filter((m) => m.to === who.email);
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain('It is kept for 2 days.');
    expect(sent[0]!.text).not.toContain('7 days');
  });

  it('replayed after the export expired (8 days on), it mails nothing: there is nothing left to download', async () => {
    clock.set('2026-11-24T12:00:00Z');
    const { who, unit } = await exportWithFailedMail('export-late-mail-bea');
    clock.set('2026-12-02T12:00:00Z');
    await replay(unit);
    expect(mail.filter((m) => m.to === who.email)).toEqual([]);
  });
});
