import type { SQSClient } from '@aws-sdk/client-sqs';
import { AWS_ATTEMPT_HANDLER } from '../aws-attempts';
import { WorkMessagesRefusedError, type SendOptions, type WorkMessage, type WorkTransport } from './messages';
import { sqsMessageBody } from './sqs-body';

/**
 * The work queue in AWS: SendMessageBatch, ten messages per request (the SQS maximum). The
 * SDK client is loaded on the first send, so only invocations that fan out pay for it.
 * Entries SQS refuses are sent again (a few times), then the send fails with
 * WorkMessagesRefusedError naming the messages not queued: the planner's or the worker's
 * invocation fails and is retried (the units it sent already are idempotent), and the stream
 * relay reports only the records of those (outbox-relay.ts).
 */
const BATCH = 10;
const ATTEMPTS = 4;
const PARALLEL = 10;

export function sqsTransport(options: { queueUrl: string; region: string; client?: SQSClient }): WorkTransport {
  let client: Promise<{ sqs: SQSClient; SendMessageBatchCommand: typeof import('@aws-sdk/client-sqs').SendMessageBatchCommand }> | undefined;
  const load = () =>
    (client ??= import('@aws-sdk/client-sqs').then((m) => ({
      sqs: options.client ?? new m.SQSClient({ region: options.region, requestHandler: AWS_ATTEMPT_HANDLER }),
      SendMessageBatchCommand: m.SendMessageBatchCommand,
    })));

  return {
    async send(messages: WorkMessage[], sendOptions?: SendOptions) {
      const { sqs, SendMessageBatchCommand } = await load();
      // Per message: the job queue is a standard queue, whose messages each take their own delay.
      const delay = sendOptions?.delaySeconds ? { DelaySeconds: sendOptions.delaySeconds } : {};
      // The indexes (into `messages`) of one request's entries SQS still refused after ATTEMPTS.
      const sendBatch = async (batch: WorkMessage[], offset: number): Promise<{ refused: number[]; codes: string[] }> => {
        let pending = batch.map((m, n) => ({ Id: String(offset + n), MessageBody: sqsMessageBody(m), ...delay }));
        for (let attempt = 1; ; attempt++) {
          let out;
          try {
            out = await sqs.send(new SendMessageBatchCommand({ QueueUrl: options.queueUrl, Entries: pending }));
          } catch (err) {
            // A retry that throws (network): SQS took the others in an earlier attempt, so only
            // those still pending are not queued (the first attempt's throw stays the caller's).
            if (attempt === 1) throw err;
            return { refused: pending.map((e) => Number(e.Id)), codes: [(err as Error).name] };
          }
          const failed = new Set((out.Failed ?? []).map((f) => f.Id));
          pending = pending.filter((e) => failed.has(e.Id));
          if (pending.length === 0) return { refused: [], codes: [] };
          if (attempt >= ATTEMPTS) return { refused: pending.map((e) => Number(e.Id)), codes: (out.Failed ?? []).map((f) => f.Code ?? 'unknown') };
          await new Promise((r) => setTimeout(r, 50 * 2 ** attempt));
        }
      };
      // A planner page (100 units) goes out as 10 requests at once: planning 1,000,000 due
      // units is then bound by the index Queries, not by round trips to SQS (docs/capacity.md).
      for (let i = 0; i < messages.length; i += BATCH * PARALLEL) {
        const end = Math.min(messages.length, i + BATCH * PARALLEL);
        const group: Promise<{ refused: number[]; codes: string[] }>[] = [];
        for (let j = i; j < end; j += BATCH) group.push(sendBatch(messages.slice(j, j + BATCH), j));
        const outcomes = await Promise.all(group);
        const refused = outcomes.flatMap((o) => o.refused);
        if (refused.length > 0) {
          // Which entries SQS did not take, and every message not sent after them: the caller
          // knows exactly which are queued (the stream relay reports only the others).
          const notSent = Array.from({ length: messages.length - end }, (_, n) => end + n);
          throw new WorkMessagesRefusedError([...refused.sort((a, b) => a - b), ...notSent], outcomes.flatMap((o) => o.codes));
        }
      }
    },
  };
}
