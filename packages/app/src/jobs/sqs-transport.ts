import type { SQSClient } from '@aws-sdk/client-sqs';
import type { SendOptions, WorkMessage, WorkTransport } from './messages';

/**
 * The work queue in AWS: SendMessageBatch, ten messages per request (the SQS maximum). The
 * SDK client is loaded on the first send, so only invocations that fan out pay for it.
 * Entries SQS refuses are sent again (a few times), then the send fails: the planner's or
 * the worker's invocation fails and is retried, and the units it sent already are
 * idempotent.
 */
const BATCH = 10;
const ATTEMPTS = 4;
const PARALLEL = 10;

export function sqsTransport(options: { queueUrl: string; region: string; client?: SQSClient }): WorkTransport {
  let client: Promise<{ sqs: SQSClient; SendMessageBatchCommand: typeof import('@aws-sdk/client-sqs').SendMessageBatchCommand }> | undefined;
  const load = () =>
    (client ??= import('@aws-sdk/client-sqs').then((m) => ({
      sqs: options.client ?? new m.SQSClient({ region: options.region }),
      SendMessageBatchCommand: m.SendMessageBatchCommand,
    })));

  return {
    async send(messages: WorkMessage[], sendOptions?: SendOptions) {
      const { sqs, SendMessageBatchCommand } = await load();
      // Per message: the job queue is a standard queue, whose messages each take their own delay.
      const delay = sendOptions?.delaySeconds ? { DelaySeconds: sendOptions.delaySeconds } : {};
      const sendBatch = async (batch: WorkMessage[]) => {
        let pending = batch.map((m, n) => ({ Id: String(n), MessageBody: JSON.stringify(m), ...delay }));
        for (let attempt = 1; pending.length > 0; attempt++) {
          const out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: pending }));
          const failed = new Set((out.Failed ?? []).map((f) => f.Id));
          if (failed.size > 0 && attempt >= ATTEMPTS) {
            throw new Error(`SQS refused ${failed.size} work messages: ${(out.Failed ?? []).map((f) => f.Code).join(', ')}`);
          }
          pending = pending.filter((e) => failed.has(e.Id));
          if (pending.length > 0) await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        }
      };
      // A planner page (100 units) goes out as 10 requests at once: planning 1,000,000 due
      // units is then bound by the index Queries, not by round trips to SQS (docs/capacity.md).
      for (let i = 0; i < messages.length; i += BATCH * PARALLEL) {
        const group: WorkMessage[][] = [];
        for (let j = i; j < Math.min(messages.length, i + BATCH * PARALLEL); j += BATCH) group.push(messages.slice(j, j + BATCH));
        await Promise.all(group.map(sendBatch));
      }
    },
  };
}
