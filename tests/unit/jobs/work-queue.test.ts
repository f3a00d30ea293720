import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createLogger } from '@budgeting/platform';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it, vi } from 'vitest';
import { parseWorkMessage, WorkMessagesRefusedError, type WorkMessage } from '../../../packages/app/src/jobs/messages';
import { createSqsConsumer } from '../../../packages/app/src/jobs/sqs-consumer';
import { sqsTransport } from '../../../packages/app/src/jobs/sqs-transport';
import { createLocalDeliveryQueue, type LocalDeliveryQueue } from '../../../packages/app/src/local/delivery-queue';
import { createLocalWorkQueue } from '../../../packages/app/src/local/work-queue';
import { describeDeadLetter, readDeadLetters } from '../../../packages/app/src/local/dead-letters';
import { localJobQueue } from '../../../packages/app/src/local/jobs-runtime';
import { WEBHOOK_QUEUE_MAX_RECEIVES } from '../../../packages/platform/src/jobs/work-queue-limits';

const logger = createLogger('SILENT');
const unit = (n: number): WorkMessage => ({ type: 'unit', job: 'budget-reports', tick: '2026-10-01T01:00:00.000Z', unit: { budgetId: `b${n}` } });

describe('work messages', () => {
  it('parses units and plan checkpoints, and names what is wrong with anything else', () => {
    expect(parseWorkMessage(JSON.stringify(unit(1)))).toEqual(unit(1));
    expect(parseWorkMessage({ type: 'plan', job: 'x', tick: '2026-10-01T01:00:00Z', cursor: 'abc' })).toMatchObject({ cursor: 'abc' });
    expect(() => parseWorkMessage('{')).toThrow(/not an object/);
    expect(() => parseWorkMessage({ type: 'unit', job: 'x', tick: 'yesterday', unit: 1 })).toThrow(/tick/);
    expect(() => parseWorkMessage({ type: 'other', job: 'x', tick: '2026-10-01T01:00:00Z' })).toThrow(/type/);
    // A relayed unit's origin (the item's key and the relay's send) travels through the queue unchanged, or the message is refused.
    const relayed = { type: 'unit', job: 'x', tick: '2026-10-01T01:00:00.000Z', unit: 1, relayed: { key: 'users#unit#u1', send: 's1' } } as const;
    expect(parseWorkMessage(JSON.stringify(relayed))).toEqual(relayed);
    expect(() => parseWorkMessage({ ...relayed, relayed: { key: 'users#unit#u1' } })).toThrow(/relayed/);
    expect(() => parseWorkMessage({ ...relayed, relayed: 'users#unit#u1' })).toThrow(/relayed/);
    // A deferred send's count (runner.ts) travels too; anything but a non-negative integer is refused.
    const deferred = { ...relayed, relayed: { ...relayed.relayed, deferred: 2 } };
    expect(parseWorkMessage(JSON.stringify(deferred))).toEqual(deferred);
    for (const bad of [-1, 1.5, '2', null]) expect(() => parseWorkMessage({ ...relayed, relayed: { ...relayed.relayed, deferred: bad } })).toThrow(/relayed.deferred/);
    // A continuation's `heldBy` (the attempt of the part that sent it, whose claim it takes on) travels too; only a non-empty string.
    const continuation = { ...relayed, relayed: { ...relayed.relayed, heldBy: 'attempt-1' } };
    expect(parseWorkMessage(JSON.stringify(continuation))).toEqual(continuation);
    for (const bad of ['', 7, null]) expect(() => parseWorkMessage({ ...relayed, relayed: { ...relayed.relayed, heldBy: bad } })).toThrow(/relayed.heldBy/);
  });
});

describe('the SQS consumer (partial batch responses)', () => {
  const record = (id: string, body: string) => ({ messageId: id, body }) as never;

  it('reports only the failed messages, and drops a malformed one instead of retrying it forever', async () => {
    const seen: string[] = [];
    const consume = createSqsConsumer({
      logger,
      deliver: async (m) => {
        const id = (m as { unit: { budgetId: string } }).unit.budgetId;
        seen.push(id);
        if (id === 'b2') throw new Error('boom');
      },
    });
    const out = await consume({ Records: [record('m1', JSON.stringify(unit(1))), record('m2', JSON.stringify(unit(2))), record('m3', 'not json')] });
    expect(out).toEqual({ batchItemFailures: [{ itemIdentifier: 'm2' }] });
    expect(seen.sort()).toEqual(['b1', 'b2']);
  });
});

describe('the SQS transport', () => {
  it('sends ten messages per SendMessageBatch and sends again what SQS refused', async () => {
    const sqs = mockClient(SQSClient);
    let calls = 0;
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string }[] }) => {
      calls++;
      // The first request loses its third entry once.
      return calls === 1 ? { Successful: [], Failed: [{ Id: input.Entries[2]!.Id, Code: 'InternalError', SenderFault: false }] } : { Successful: [], Failed: [] };
    });
    const transport = sqsTransport({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', region: 'us-east-1', client: new SQSClient({ region: 'us-east-1' }) });
    await transport.send(Array.from({ length: 23 }, (_, i) => unit(i)));
    const sent = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!.map((e) => JSON.parse(e.MessageBody!).unit.budgetId));
    // 23 messages: batches of 10, 10 and 3 (sent at once), then the refused entry again.
    expect(sent.map((s) => s.length)).toEqual([10, 10, 3, 1]);
    expect(sent[3]).toEqual(['b2']);
    expect(sent.flat().sort()).toEqual([...Array.from({ length: 23 }, (_, i) => `b${i}`), 'b2'].sort());
    sqs.restore();
  });

  it('names the messages SQS kept refusing (its Failed list, after the attempts), by their index in the send', async () => {
    const sqs = mockClient(SQSClient);
    // The 13th message (b12, in the second request of ten) is refused every time; every other one is taken.
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string; MessageBody: string }[] }) => ({
      Successful: input.Entries.filter((e) => !e.MessageBody.includes('"b12"')).map((e) => ({ Id: e.Id, MessageId: 'm', MD5OfMessageBody: 'x' })),
      Failed: input.Entries.filter((e) => e.MessageBody.includes('"b12"')).map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false })),
    }));
    try {
      const transport = sqsTransport({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', region: 'us-east-1', client: new SQSClient({ region: 'us-east-1' }) });
      const error = await transport.send(Array.from({ length: 23 }, (_, i) => unit(i))).then(() => undefined, (err: unknown) => err);
      expect(error).toBeInstanceOf(WorkMessagesRefusedError);
      expect((error as WorkMessagesRefusedError).refused).toEqual([12]);
      expect((error as Error).message).toMatch(/SQS refused 1 work messages: InternalError/);
    } finally {
      sqs.restore();
    }
  });

  it('a retry that throws (network) after SQS took part of the request names only the entries still pending, not the whole request', async () => {
    const sqs = mockClient(SQSClient);
    let calls = 0;
    // The first request: SQS takes all but the 8th entry (b7); sending b7 again then fails on the network.
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string; MessageBody: string }[] }) => {
      calls++;
      if (calls > 1) throw Object.assign(new Error('socket hang up'), { name: 'TimeoutError' });
      return {
        Successful: input.Entries.filter((e) => !e.MessageBody.includes('"b7"')).map((e) => ({ Id: e.Id, MessageId: 'm', MD5OfMessageBody: 'x' })),
        Failed: input.Entries.filter((e) => e.MessageBody.includes('"b7"')).map((e) => ({ Id: e.Id, Code: 'InternalError', SenderFault: false })),
      };
    });
    try {
      const transport = sqsTransport({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', region: 'us-east-1', client: new SQSClient({ region: 'us-east-1', maxAttempts: 1 }) });
      const error = await transport.send(Array.from({ length: 10 }, (_, i) => unit(i))).then(() => undefined, (err: unknown) => err);
      // b0..b6 and b8, b9 are queued: a caller that reports from index 0 on (the stream relay) would queue them twice.
      expect(error).toBeInstanceOf(WorkMessagesRefusedError);
      expect((error as WorkMessagesRefusedError).refused).toEqual([7]);
    } finally {
      sqs.restore();
    }
  });
  it("sends a unit whose text holds U+FFFE or U+FFFF, which SQS refuses in a message body, with those as JSON escapes: SQS takes it and it reads back the same", async () => {
    // SQS takes only #x9 | #xA | #xD | #x20-#xD7FF | #xE000-#xFFFD | #x10000-#x10FFFF in a body
    // (SendMessage, "MessageBody"; anything else is InvalidMessageContents, the entry Failed with
    // SenderFault). JSON.stringify escapes the C0 controls and lone surrogates, not the two
    // noncharacters, which the API's text accepts (a personal access token named "Sync\uFFFF": its
    // security notice's unit carries the name). Refused on every attempt, the unit was never
    // queued: the stream relay reported it again and again, the shard held behind it, and the
    // notice of a new token never went (a stolen session could name a token so to go unnoticed).
    const SQS_BODY = /^[\t\n\r\x20-\ud7ff\ue000-\ufffd\u{10000}-\u{10ffff}]*$/u;
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).callsFake((input: { Entries: { Id: string; MessageBody: string }[] }) => ({
      Successful: input.Entries.filter((e) => SQS_BODY.test(e.MessageBody)).map((e) => ({ Id: e.Id, MessageId: 'm', MD5OfMessageBody: 'x' })),
      Failed: input.Entries.filter((e) => !SQS_BODY.test(e.MessageBody)).map((e) => ({ Id: e.Id, Code: 'InvalidMessageContents', SenderFault: true })),
    }));
    try {
      const notice: WorkMessage = {
        type: 'unit',
        job: 'users-security-notice-mail',
        tick: '2026-10-01T01:00:00.000Z',
        unit: { userId: 'u1', noticeId: 'n1', change: 'personal-token-created', at: '2026-10-01T01:00:00.000Z', tokenName: 'Sync\uffff \ufffe\u0001 \ud83d\ude00 \ufffd' },
      };
      const transport = sqsTransport({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', region: 'us-east-1', client: new SQSClient({ region: 'us-east-1' }) });
      await transport.send([notice, unit(1)]);
      const bodies = sqs.commandCalls(SendMessageBatchCommand).flatMap((c) => c.args[0].input.Entries!.map((e) => e.MessageBody!));
      expect(bodies).toHaveLength(2);
      expect(bodies.filter((body) => !SQS_BODY.test(body))).toEqual([]);
      expect(bodies.map((body) => parseWorkMessage(body))).toEqual([notice, unit(1)]);
    } finally {
      sqs.restore();
    }
  });
});

describe('the local work queue (stand-in for SQS + the function)', () => {
  it('retries a failing message, then dead-letters it to the folder; the others are delivered once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'work-queue-'));
    const attempts = new Map<string, number>();
    const queue = createLocalWorkQueue({
      logger,
      deadLetterDir: dir,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      deliver: async (m) => {
        const id = (m as { unit: { budgetId: string } }).unit.budgetId;
        attempts.set(id, (attempts.get(id) ?? 0) + 1);
        if (id === 'b3') throw new Error('always fails');
        if (id === 'b4' && attempts.get(id) === 1) throw new Error('fails once');
      },
    });
    await queue.send([1, 2, 3, 4, 5].map(unit));
    await queue.idle();
    expect(Object.fromEntries(attempts)).toEqual({ b1: 1, b2: 1, b3: 3, b4: 2, b5: 1 });
    expect(queue.deadLettered).toBe(1);
    const files = readdirSync(dir);
    expect(files).toHaveLength(1);
    expect(JSON.parse(readFileSync(join(dir, files[0]!), 'utf8'))).toMatchObject({ queue: 'jobs', attempts: 3, error: 'always fails', message: unit(3) });
    expect(readDeadLetters(dir)).toMatchObject([{ kind: 'work', message: unit(3) }]);
  });

  it("lists a dead-lettered unit as the runner's log line keeps it: its ids, never the addresses it carries", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'work-queue-'));
    // The email change's notice to the old address carries both addresses (users jobs/email-change-mail-job.ts).
    const notice: WorkMessage = {
      type: 'unit',
      job: 'users-email-change-mail',
      tick: '2026-10-01T01:00:00.000Z',
      unit: { kind: 'changed', userId: 'u1', eventId: 'e1', previousEmail: 'old.address@example.com', email: 'new.address@example.com', locale: 'de-DE' },
    };
    const queue = createLocalWorkQueue({ logger, deadLetterDir: dir, retry: { maxAttempts: 1, baseDelayMs: 1, maxDelayMs: 2 }, deliver: async () => Promise.reject(new Error('mail transport down')) });
    await queue.send([notice]);
    await queue.idle();
    const [letter] = readDeadLetters(dir);
    // What `npm run dead-letters -- list` (and drop, and a failed replay) prints of it.
    const listed = describeDeadLetter(letter!);
    expect(listed).not.toContain('@');
    expect(listed).toBe('job users-email-change-mail unit {"kind":"changed","userId":"u1","eventId":"e1","previousEmail":"<redacted>","email":"<redacted>","locale":"de-DE"} tick 2026-10-01T01:00:00.000Z');
    // The file itself keeps the unit whole: a replay needs it.
    expect(letter).toMatchObject({ kind: 'work', message: notice });
  });

  it("resolves the stream relay's sendWorked once its units ended, worked or dead-lettered, and works them before units waiting", async () => {
    const order: string[] = [];
    const queue = createLocalWorkQueue({
      logger,
      concurrency: 1,
      retry: { maxAttempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
      deliver: async (m) => {
        const id = (m as { unit: { budgetId: string } }).unit.budgetId;
        order.push(id);
        if (id === 'b3') throw new Error('always fails');
      },
    });
    await queue.send([unit(1), unit(2)]);
    await queue.sendWorked([unit(3), unit(4)]);
    // The relay's units first (b3 dead-lettered after its two attempts), the waiting ones after.
    expect(order).toEqual(['b3', 'b3', 'b4']);
    expect(queue.deadLettered).toBe(1);
    await queue.idle();
    expect(order).toEqual(['b3', 'b3', 'b4', 'b1', 'b2']);
  });
});

describe('the local webhook delivery queue', () => {
  it("receives a message its worker fails on as often as the deployed queue does before it dead-letters it (WebhookDeliveries' maxReceiveCount)", async () => {
    let receives = 0;
    const queue = createLocalDeliveryQueue({
      logger,
      deliver: async () => {
        receives++;
        throw new Error('the table is unavailable');
      },
    });
    await queue.send({ webhookId: 'wh_1', ownerId: 'u1', deliveryId: 'msg_1' }, 0);
    await queue.idle();
    // infra/webhooks.ts redrives to WebhookDeadLetters after 5 receives (the rehearsal checks it).
    expect(WEBHOOK_QUEUE_MAX_RECEIVES).toBe(5);
    expect(receives).toBe(WEBHOOK_QUEUE_MAX_RECEIVES);
  });

  it('keeps a message its worker failed on every receive in the dead-letter folder (WebhookDeadLetters in AWS), where npm run dead-letters lists it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-dead-letters-'));
    const message = { webhookId: 'wh_1', ownerId: 'u1', deliveryId: 'msg_1' };
    const queue = createLocalDeliveryQueue({ logger, deadLetterDir: dir, deliver: async () => Promise.reject(new Error('the table is unavailable')) });
    await queue.send(message, 0);
    await queue.idle();
    expect(readDeadLetters(dir)).toMatchObject([{ kind: 'webhook', message, error: 'the table is unavailable', attempts: WEBHOOK_QUEUE_MAX_RECEIVES }]);
  });

  it("keeps an attempt waiting out its retry delay in its folder, so the next queue on it (npm start's restart) makes it", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'webhook-deliveries-'));
    const message = { webhookId: 'wh_1', ownerId: 'u1', deliveryId: 'msg_1' };
    const retried = { webhookId: 'wh_1', ownerId: 'u1', deliveryId: 'msg_2' };
    let stopping!: () => void;
    const stopped = new Promise<void>((resolve) => (stopping = resolve));
    const first: LocalDeliveryQueue = createLocalDeliveryQueue({
      logger,
      delayedDir: dir,
      // An attempt under way when the process stops queues its retry meanwhile.
      deliver: async () => {
        await stopped;
        await first.send(retried, 50);
      },
    });
    await first.send(message, 0);
    await first.send(message, 50);
    await new Promise((resolve) => setTimeout(resolve, 10));
    const stop = first.stop(); // the process stops while the retry waits: a stream's head, every later delivery waits on it
    stopping();
    await stop;

    const delivered: unknown[] = [];
    const next = createLocalDeliveryQueue({ logger, delayedDir: dir, deliver: async (m) => void delivered.push(m) });
    await next.idle();
    expect(delivered).toEqual(expect.arrayContaining([message, retried]));
    expect(delivered).toHaveLength(2);
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('the local work queue\'s delayed messages (SQS DelaySeconds)', () => {
  const budgetIdOf = (m: WorkMessage) => (m as { unit: { budgetId: string } }).unit.budgetId;

  it('outlive the queue that held them: the next queue on the folder delivers them, once, and the folder empties', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'delayed-work-'));
    const early: string[] = [];
    const first = createLocalWorkQueue({ logger, delayedDir: dir, deliver: async (m) => void early.push(budgetIdOf(m)) });
    await first.send([unit(1), unit(2)], { delaySeconds: 600 });
    await first.send([unit(3)], { delaySeconds: 900 });
    expect(first.delayed).toBe(3);
    await first.stop();

    const delivered: string[] = [];
    const next = createLocalWorkQueue({ logger, delayedDir: dir, deliver: async (m) => void delivered.push(budgetIdOf(m)) });
    expect(next.delayed).toBe(3);
    expect(next.releaseDelayed()).toBe(3);
    await next.idle();
    expect(delivered.sort()).toEqual(['b1', 'b2', 'b3']);
    expect(readdirSync(dir)).toEqual([]);

    const after = createLocalWorkQueue({ logger, delayedDir: dir, deliver: async (m) => void early.push(budgetIdOf(m)) });
    expect(after.delayed).toBe(0);
    expect(early).toEqual([]);
  });

  it('wait under DATA_DIR/delayed-work in the queue npm start and npm run job use (localJobQueue)', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'data-dir-'));
    const delivered: string[] = [];
    const first = localJobQueue({ dataDir, logger }).transport(async (m) => void delivered.push(budgetIdOf(m)));
    await first.send([unit(4)], { delaySeconds: 600 });
    await first.stop();
    expect(readdirSync(join(dataDir, 'delayed-work'))).toHaveLength(1);
    const next = localJobQueue({ dataDir, logger }).transport(async (m) => void delivered.push(budgetIdOf(m)));
    expect(next.releaseDelayed()).toBe(1);
    await next.idle();
    expect(delivered).toEqual(['b4']);
  });

  it('taken up by two queues on one folder (npm start and npm run job), are delivered by the first to release them only', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'delayed-work-'));
    const first = createLocalWorkQueue({ logger, delayedDir: dir, deliver: async () => undefined });
    await first.send([unit(5), unit(6)], { delaySeconds: 600 });
    await first.stop();

    const delivered: string[] = [];
    const server = createLocalWorkQueue({ logger, delayedDir: dir, deliver: async (m) => void delivered.push(`server ${budgetIdOf(m)}`) });
    const job = createLocalWorkQueue({ logger, delayedDir: dir, deliver: async (m) => void delivered.push(`job ${budgetIdOf(m)}`) });
    expect([server.delayed, job.delayed]).toEqual([2, 2]);
    expect(job.releaseDelayed()).toBe(2);
    expect(server.releaseDelayed()).toBe(0);
    await Promise.all([server.idle(), job.idle()]);
    expect(delivered.sort()).toEqual(['job b5', 'job b6']);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('are delivered at their instant by the queue that takes them up, at once when it has passed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'delayed-work-'));
    writeFileSync(join(dir, '1000-due.json'), JSON.stringify({ notBefore: 1000, messages: [unit(7)] }));
    writeFileSync(join(dir, 'cut-short.json'), '{"notBefore": 10');
    const delivered: string[] = [];
    const queue = createLocalWorkQueue({ logger, delayedDir: dir, deliver: async (m) => void delivered.push(budgetIdOf(m)) });
    await vi.waitFor(() => expect(delivered).toEqual(['b7']));
    // A file cut short (a crash mid-write) is set aside, not delivered and not lost.
    expect(readdirSync(dir)).toEqual(['cut-short.json.unreadable']);
    expect(queue.delayed).toBe(0);
  });
});

describe('continuations and the last attempt (issue 11, the import job)', () => {
  it('the local queue works the rest of an overrunning unit before units not started, and tells a delivery its last attempt', async () => {
    const order: string[] = [];
    const attempts: boolean[] = [];
    const queue = createLocalWorkQueue({
      logger,
      concurrency: 1,
      retry: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 },
      deliver: async (message, ctx) => {
        const id = String((message as { unit: { budgetId: string } }).unit.budgetId);
        if (id === 'b9') {
          attempts.push(ctx.lastAttempt === true);
          throw new Error('always fails');
        }
        order.push(id);
        if (id === 'b1') await queue.send([unit(11)], { continuation: true });
      },
    });
    await queue.send([unit(1), unit(2), unit(3)]);
    await queue.idle();
    expect(order).toEqual(['b1', 'b11', 'b2', 'b3']);

    await queue.send([unit(9)]);
    await queue.idle();
    expect(attempts).toEqual([false, false, true]);
  });

  it('the SQS consumer marks the receive that is a message last attempt (ApproximateReceiveCount)', async () => {
    const seen: (boolean | undefined)[] = [];
    const consume = createSqsConsumer({ logger, maxReceives: 5, deliver: async (_m, ctx) => void seen.push(ctx.lastAttempt) });
    const record = (id: string, receives: string) => ({ messageId: id, body: JSON.stringify(unit(1)), attributes: { ApproximateReceiveCount: receives } }) as never;
    await consume({ Records: [record('a', '1'), record('b', '4'), record('c', '5')] });
    expect(seen).toEqual([undefined, undefined, true]);
  });
});
