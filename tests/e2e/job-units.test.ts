import { createLogger, fixedClock, type EmailMessage } from '@budgeting/platform';
import { userRegistered } from '@budgeting/users';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inlineTransport } from '../../packages/app/src/jobs/inline-transport';
import type { WorkMessage, WorkTransport } from '../../packages/app/src/jobs/messages';
import { RELAYED_CLAIM_LEASE_SECONDS } from '../../packages/app/src/jobs/relayed-units';
import { commandsSentDuring } from '../support/sent-commands';
import { as, createBudget, signUp } from '../support/actors';
import { withCommandMiddleware } from '../support/command-middleware';
import { call } from '../support/http';
import { startE2eSystem, type E2eSystem } from './support';

/**
 * A job unit written in a change's transaction (the password-reset mail's), end to end as
 * `npm start` runs: the local stream poller hands it to the work queue. Exactly once on this
 * normal path: the e2e system's stream poller is the relay, so nothing else may relay it too.
 */
// Every send recorded (a folder sender would write a mail sent twice to the same file).
const sent: EmailMessage[] = [];
// The recipient whose mail attempt dies with the process (see processDiesOn).
let dying: string | undefined;
const clock = fixedClock('2026-11-24T12:00:00Z');
let e2e: E2eSystem;
// The first test's recipient, whose unit ran: the replay below must not mail it again.
let aliceEmail = '';
/**
 * The work transport: the inline one (as without a queue), except that a delayed send (a
 * deferred relayed unit) is held here instead of on the inline transport's timer, which a test
 * cannot wait out; the test hands it over once it moved the clock past its delay.
 */
let inline: WorkTransport;
const held: { messages: WorkMessage[]; delaySeconds: number }[] = [];
/**
 * While set, a continuation (the rest of a unit worked in parts) is taken and lost: the process
 * dies with it in memory, as with `npm start`'s in-memory work queue (local/work-queue.ts).
 */
let continuationsLost: WorkMessage[] | undefined;

beforeAll(async () => {
  e2e = await startE2eSystem([userRegistered], {
    clock,
    // Pages of one expense: a rename of two expenses is a unit worked in two parts.
    expenses: { merchantRename: { pageSize: 1 } },
    jobs: {
      transport: (deliver) => {
        inline = inlineTransport(deliver, { logger: createLogger('SILENT') });
        return {
          send: async (messages, options) => {
            if (options?.continuation && continuationsLost) return void continuationsLost.push(...messages);
            return options?.delaySeconds ? void held.push({ messages, delaySeconds: options.delaySeconds }) : inline.send(messages, options);
          },
        };
      },
    },
    mail: {
      send: async (message) => {
        if (message.to === dying) throw new Error('process died');
        sent.push(message);
      },
    },
  });
});
afterAll(() => e2e?.stop());

const mailsTo = (to: string) => sent.filter((m) => m.to === to);
const JOB = 'users-password-reset-mail';
/** Sends of the reset mail's relayed units dropped so far (the runner's RelayedUnitDuplicatesDropped figure). */
const dropped = () => e2e.t.system.jobs.metrics.relayedDuplicatesDropped(JOB);

/**
 * The process dying in the middle of `to`'s mail attempt: the mail throws, and nothing the
 * process would have written after that is written (every write to a claim `jobs#ran#` fails),
 * so the claim stays as the attempt took it: not released, not done. The relay, which works
 * the unit inline, reports its record failed, so the checkpoint stays before it.
 */
async function processDiesOn<T>(to: string, work: () => Promise<T>): Promise<T> {
  return withCommandMiddleware(
    e2e.t.doc,
    'processDied',
    (next) => async (args) => {
      const input = args.input as { Key?: { pk?: string }; Item?: { pk?: string } };
      if (dying && String(input.Key?.pk ?? '').startsWith('jobs#ran#')) throw new Error('process died');
      return next(args);
    },
    async () => {
      dying = to;
      try {
        return await work();
      } finally {
        dying = undefined;
      }
    },
  );
}

describe('a job unit written with its change, end to end', { timeout: 60_000 }, () => {
  it('is relayed by the stream poller and mailed once', async () => {
    const { t } = e2e;
    const alice = await signUp(t.app, 'alice');
    aliceEmail = alice.email;
    expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: alice.email } })).status).toBe(202);
    await e2e.settled();
    expect(mailsTo(alice.email)).toHaveLength(1);
  });

  it("whose attempt died with the process is mailed once by the stream's re-read after the restart, once the claim's lease has passed", async () => {
    const { t } = e2e;
    const carol = await signUp(t.app, 'carol');
    await e2e.settled();
    await processDiesOn(carol.email, async () => {
      expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: carol.email } })).status).toBe(202);
      // The poller hands carol's unit to the queue; its attempt dies, and so does the process.
      await e2e.events.relay.pollOnce();
      await e2e.events.stop();
    });
    expect(mailsTo(carol.email)).toHaveLength(0);
    const droppedBefore = dropped();

    // The restart comes after the dead attempt's lease: the stream is read again from the
    // checkpoint, a new send of carol's unit, which takes the claim over and mails.
    clock.advance(RELAYED_CLAIM_LEASE_SECONDS * 1000 + 1000);
    await e2e.restart();
    await e2e.settled();
    expect(mailsTo(carol.email)).toHaveLength(1);
    expect(dropped()).toBe(droppedBefore);

    // A replay of the whole stream (the checkpoint lost), later than any lease: alice's and
    // carol's units both ran, so their claims are done and both new sends are dropped.
    clock.advance(RELAYED_CLAIM_LEASE_SECONDS * 1000 + 1000);
    await e2e.restart({ lostCheckpoint: true });
    await e2e.settled();
    expect(mailsTo(aliceEmail)).toHaveLength(1);
    expect(mailsTo(carol.email)).toHaveLength(1);
    expect(dropped() - droppedBefore).toBe(2);
  });

  it("whose attempt died with the process, restarted within the claim's lease, is deferred (not dropped) and mailed once after the lease; a restart past it mails nothing more", async () => {
    const { t } = e2e;
    const dave = await signUp(t.app, 'dave');
    await e2e.settled();
    await processDiesOn(dave.email, async () => {
      expect((await call(t.app, 'POST', '/v1/auth/password-reset', { body: { email: dave.email } })).status).toBe(202);
      await e2e.events.relay.pollOnce();
      await e2e.events.stop();
    });
    expect(mailsTo(dave.email)).toHaveLength(0);
    const droppedBefore = dropped();

    // The restart a minute after the death: the re-read's send meets the dead attempt's claim,
    // not done and within its lease. It is deferred: one delayed message, until a second after
    // the lease; its claim cost one refused PutItem, which brought the claim back (no read).
    clock.advance(60_000);
    const { sent } = await commandsSentDuring(t.doc, async () => {
      await e2e.restart();
      await e2e.settled();
    });
    expect(mailsTo(dave.email)).toHaveLength(0);
    expect(dropped()).toBe(droppedBefore);
    expect(held).toHaveLength(1);
    expect(held[0]!.delaySeconds).toBe(RELAYED_CLAIM_LEASE_SECONDS - 60 + 1);
    expect(held[0]!.messages).toEqual([expect.objectContaining({ job: JOB, relayed: expect.objectContaining({ deferred: 1 }) })]);
    expect(sent.filter((c) => JSON.stringify(c.input).includes('jobs#ran#')).map((c) => c.name)).toEqual(['PutItemCommand']);

    // Its delay ends (the lease has passed): the deferred send takes the claim over and mails, once.
    clock.advance(held[0]!.delaySeconds * 1000);
    const { messages } = held.shift()!;
    await inline.send(messages);
    expect(mailsTo(dave.email)).toHaveLength(1);
    expect(dropped()).toBe(droppedBefore);
    expect(held).toHaveLength(0);

    // A restart past the lease reads on from the checkpoint, after the unit: nothing more.
    clock.advance(RELAYED_CLAIM_LEASE_SECONDS * 1000 + 1000);
    await e2e.restart();
    await e2e.settled();
    expect(mailsTo(dave.email)).toHaveLength(1);
    expect(dropped()).toBe(droppedBefore);
    expect(held).toHaveLength(0);
  });

  it("worked in parts, whose process died between its parts (the rest lost in memory, the stream not yet checkpointed past it), is finished by the stream's re-read after a restart past the lease", async () => {
    const { t } = e2e;
    const olga = await signUp(t.app, 'olga');
    const api = as(t.app, olga);
    const b = await createBudget(t.app, olga);
    const ids: string[] = [];
    for (const day of ['2026-11-10', '2026-11-11']) {
      const res = await api('POST', `/v1/budgets/${b.id}/expenses`, { body: { amount: 900, occurredOn: day, merchant: 'AMZN MKTP' } });
      expect(res.status, res.text).toBe(201);
      ids.push(res.json.id as string);
    }
    await e2e.settled();
    const merchants = async () => Promise.all(ids.map(async (id) => (await api('GET', `/v1/budgets/${b.id}/expenses/${id}`)).json.merchant as string));
    // The checkpoint before the rename: the process dies before it saves a later one.
    const before = e2e.checkpoint();
    const droppedBefore = e2e.t.system.jobs.metrics.relayedDuplicatesDropped('expenses-merchant-rename');

    // The poller hands the rename's unit 0 over; its first page is renamed, its rest is queued
    // in memory, and the process dies with it.
    continuationsLost = [];
    try {
      expect((await api('POST', `/v1/budgets/${b.id}/merchants/rename`, { body: { from: ['AMZN MKTP'], to: 'Amazon' } })).status).toBe(202);
      await e2e.events.relay.pollOnce();
      await e2e.events.stop();
      expect(continuationsLost).toHaveLength(1);
    } finally {
      continuationsLost = undefined;
    }
    expect((await merchants()).filter((m) => m === 'Amazon')).toHaveLength(1);

    // The restart, past the claim's lease, reads the stream from the old checkpoint: a new send
    // of unit 0, which takes the claim (not done: the unit's last part never ran) over, skips
    // the page done before, and renames the rest.
    clock.advance(RELAYED_CLAIM_LEASE_SECONDS * 1000 + 1000);
    await e2e.restart({ fromCheckpoint: before });
    await e2e.settled();
    expect(await merchants()).toEqual(['Amazon', 'Amazon']);
    expect(e2e.t.system.jobs.metrics.relayedDuplicatesDropped('expenses-merchant-rename')).toBe(droppedBefore);
    // Not deferred either (the rename's watchdog unit waits on its delay: no part of the rename).
    expect(held.flatMap((h) => h.messages).filter((m) => m.job === 'expenses-merchant-rename')).toHaveLength(0);
  });
});
