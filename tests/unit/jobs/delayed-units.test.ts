import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createLogger, type FanOutJob } from '@budgeting/platform';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { parseWorkMessage, type SendOptions, type WorkMessage } from '../../../packages/app/src/jobs/messages';
import { createJobMetrics } from '../../../packages/app/src/jobs/metrics';
import { createJobRunner } from '../../../packages/app/src/jobs/runner';
import { sqsTransport } from '../../../packages/app/src/jobs/sqs-transport';

/**
 * Units held until an instant (WorkQueue.enqueue's `notBefore`): the envelope carries it, the
 * runner turns it into queue delays of at most 15 minutes (SQS's DelaySeconds limit) and sends
 * back, unworked, a unit delivered before it; the SQS transport delays each message.
 * End to end (the receipts' re-sweep on the local queue): tests/integration/expenses/attachments-resweep.test.ts.
 */
const logger = createLogger('SILENT');
const T0 = Date.parse('2026-11-24T12:00:00Z');

function runnerWith(now: { ms: number }) {
  const sent: { messages: WorkMessage[]; options?: SendOptions }[] = [];
  const worked: unknown[] = [];
  const job: FanOutJob<{ id: string }> = {
    name: 'sweep',
    async work(unit) {
      worked.push(unit);
    },
    parseUnit: (raw) => raw as { id: string },
  };
  const runner = createJobRunner({
    jobs: [job as FanOutJob],
    transport: () => ({ send: async (messages, options) => void sent.push({ messages, ...(options ? { options } : {}) }) }),
    logger,
    metrics: createJobMetrics({ emit: false, stage: 'test' }),
    clock: () => now.ms,
  });
  return { runner, sent, worked };
}

describe('units held until an instant', () => {
  it('travel with their notBefore; a notBefore that is no time is refused', () => {
    const message = { type: 'unit', job: 'sweep', tick: '2026-11-24T12:00:00.000Z', unit: { id: 'a' }, notBefore: '2026-11-24T12:21:00.000Z' };
    expect(parseWorkMessage(JSON.stringify(message))).toEqual(message);
    expect(() => parseWorkMessage({ ...message, notBefore: 'soon' })).toThrow(/notBefore/);
  });

  it('are sent delayed by at most 15 minutes, delivered early are sent back with the rest of the wait, and are worked once due', async () => {
    const now = { ms: T0 };
    const { runner, sent, worked } = runnerWith(now);
    const notBefore = new Date(T0 + 21 * 60_000);
    await runner.queue.enqueue('sweep', [{ id: 'a' }], new Date(T0), { notBefore });
    expect(sent).toHaveLength(1);
    expect(sent[0]!.options).toEqual({ delaySeconds: 900 });
    expect(sent[0]!.messages).toEqual([{ type: 'unit', job: 'sweep', tick: new Date(T0).toISOString(), unit: { id: 'a' }, notBefore: notBefore.toISOString() }]);

    // The queue hands it over after its 15 minutes: 6 more to wait, unworked.
    now.ms = T0 + 15 * 60_000;
    await runner.deliver(sent[0]!.messages[0]!, { logger });
    expect(worked).toEqual([]);
    expect(sent[1]).toEqual({ messages: sent[0]!.messages, options: { delaySeconds: 360 } });

    // A second early (a queue may deliver a little early or twice): the wait is rounded up, never 0.
    now.ms = notBefore.getTime() - 1;
    await runner.deliver(sent[0]!.messages[0]!, { logger });
    expect(sent[2]!.options).toEqual({ delaySeconds: 1 });
    expect(worked).toEqual([]);

    now.ms = notBefore.getTime();
    await runner.deliver(sent[0]!.messages[0]!, { logger });
    expect(worked).toEqual([{ id: 'a' }]);
    expect(sent).toHaveLength(3);
  });

  it('are sent without a delay when already due, and units without notBefore are sent as before', async () => {
    const now = { ms: T0 };
    const { runner, sent } = runnerWith(now);
    await runner.queue.enqueue('sweep', [{ id: 'a' }], new Date(T0), { notBefore: new Date(T0 - 1) });
    await runner.queue.enqueue('sweep', [{ id: 'b' }], new Date(T0));
    expect(sent.map((s) => s.options)).toEqual([undefined, undefined]);
    expect(sent[1]!.messages[0]).not.toHaveProperty('notBefore');
  });

  it('the SQS transport gives every entry of a delayed send its DelaySeconds, and none otherwise', async () => {
    const sqs = mockClient(SQSClient);
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const transport = sqsTransport({ queueUrl: 'https://sqs.us-east-1.amazonaws.com/1/q', region: 'us-east-1', client: new SQSClient({ region: 'us-east-1' }) });
    const unit = (n: number): WorkMessage => ({ type: 'unit', job: 'sweep', tick: new Date(T0).toISOString(), unit: { id: n } });
    await transport.send(Array.from({ length: 12 }, (_, i) => unit(i)), { delaySeconds: 900 });
    await transport.send([unit(99)]);
    const entries = sqs.commandCalls(SendMessageBatchCommand).map((c) => c.args[0].input.Entries!);
    expect(entries.slice(0, 2).flat().map((e) => e.DelaySeconds)).toEqual(Array(12).fill(900));
    expect(entries[2]![0]).not.toHaveProperty('DelaySeconds');
    sqs.restore();
  });
});
