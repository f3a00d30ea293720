import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sqsTransport } from '../../../packages/app/src/jobs/sqs-transport';
import { sqsDeliveryQueue } from '../../../packages/app/src/webhooks/sqs-queue';
import { silentEndpoint } from '../../support/silent-endpoint';

/**
 * The job queue's transport and the webhook delivery queue as built in AWS (no client given),
 * against an SQS that never answers. The SDK's service default for SQS waits 900 s of silence:
 * an import's start (its chunks queued in the request), a redelivery asked for, a planner's page
 * held the request past API Gateway's 29 s (a 504) or the invocation until it was killed.
 */
let endpoint: Awaited<ReturnType<typeof silentEndpoint>>;
beforeAll(async () => {
  endpoint = await silentEndpoint('SQS');
});
afterAll(() => endpoint.close());

const unit = { type: 'unit' as const, job: 'j', tick: '2026-12-01T00:00:00.000Z', unit: { n: 1 } };

/** How the call ended, and when. */
async function outcomeOf(call: () => Promise<unknown>) {
  const started = Date.now();
  const outcome = await call().then(
    () => 'answered',
    (err: unknown) => `${(err as Error).name}${(err as Error).name === 'TimeoutError' ? '' : `: ${(err as Error).message}`}`,
  );
  return { outcome, ms: Date.now() - started };
}

describe('SQS that does not answer', () => {
  it('the job queue transport fails its send well inside 29 s, after the SDK retried the attempts it gave up', { timeout: 60_000 }, async () => {
    const before = endpoint.connections();
    const { outcome, ms } = await outcomeOf(() => sqsTransport({ queueUrl: `${endpoint.url}/123456789012/jobs`, region: 'eu-west-1' }).send([unit]));
    expect(outcome).toBe('TimeoutError');
    expect(endpoint.connections() - before).toBeGreaterThanOrEqual(2);
    expect(ms).toBeLessThan(20_000);
  });

  it('the webhook delivery queue likewise', { timeout: 60_000 }, async () => {
    const { outcome, ms } = await outcomeOf(() =>
      sqsDeliveryQueue({ queueUrl: `${endpoint.url}/123456789012/deliveries`, region: 'eu-west-1' }).send({ webhookId: 'w', ownerId: 'u', deliveryId: 'msg_1' }, 0),
    );
    expect(outcome).toBe('TimeoutError');
    expect(ms).toBeLessThan(20_000);
  });
});
