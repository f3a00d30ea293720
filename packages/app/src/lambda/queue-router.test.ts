import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { routeQueueBatches } from './queue-router';

const record = (messageId: string, body: unknown): SQSRecord =>
  ({ messageId, body: typeof body === 'string' ? body : JSON.stringify(body), eventSource: 'aws:sqs' }) as SQSRecord;

/** A consumer that records the message ids it was given and fails the ones listed. */
function consumer(failing: string[] = []) {
  const seen: string[][] = [];
  const consume = async (event: SQSEvent) => {
    seen.push(event.Records.map((r) => r.messageId));
    return { batchItemFailures: event.Records.filter((r) => failing.includes(r.messageId)).map((r) => ({ itemIdentifier: r.messageId })) };
  };
  return { consume, seen };
}

describe('the SQS batch router', () => {
  it('hands webhook deliveries to the webhook consumer and everything else to the jobs, once each', async () => {
    const webhooks = consumer();
    const jobs = consumer();
    const route = routeQueueBatches({ webhooks: webhooks.consume, jobs: jobs.consume });
    await route({
      Records: [
        record('w1', { kind: 'webhook-delivery', webhookId: 'w', ownerId: 'o', deliveryId: 'd' }),
        record('j1', { type: 'unit', job: 'budget-reports', tick: '2026-11-30T00:00:00Z', unit: {} }),
        record('x1', 'not json'),
        record('w2', { kind: 'webhook-delivery', webhookId: 'w', ownerId: 'o', deliveryId: 'e' }),
      ],
    });
    expect(webhooks.seen).toEqual([['w1', 'w2']]);
    // A malformed body goes to the jobs' consumer, which logs and drops what it cannot parse.
    expect(jobs.seen).toEqual([['j1', 'x1']]);
  });

  it('reports the failures of both consumers, and calls neither for an empty share', async () => {
    const webhooks = consumer(['w1']);
    const jobs = consumer(['j2']);
    const route = routeQueueBatches({ webhooks: webhooks.consume, jobs: jobs.consume });
    const answer = await route({
      Records: [record('w1', { kind: 'webhook-delivery' }), record('j1', { type: 'plan' }), record('j2', { type: 'unit' })],
    });
    expect(answer.batchItemFailures.map((f) => f.itemIdentifier).sort()).toEqual(['j2', 'w1']);

    const onlyJobs = consumer();
    const untouched = consumer();
    await routeQueueBatches({ webhooks: untouched.consume, jobs: onlyJobs.consume })({ Records: [record('j3', { type: 'unit' })] });
    expect(untouched.seen).toEqual([]);
    expect(onlyJobs.seen).toEqual([['j3']]);
  });
});
