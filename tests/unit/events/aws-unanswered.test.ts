import { afterEach, describe, expect, it } from 'vitest';
import { eventBridgeSender } from '../../../packages/app/src/events/eventbridge-sender';
import { sesEmailSender } from '../../../packages/app/src/mail/ses-sender';
import { snsPushSender } from '../../../packages/app/src/push/sns-sender';
import { silentEndpoint } from '../../support/silent-endpoint';

/**
 * The mail (SES), push (SNS) and event (EventBridge) senders as built in AWS (no client given),
 * against a service that never answers. The SDK's service default waits 300 s of silence:
 * a device registration (SNS CreatePlatformEndpoint, in the request) passed API Gateway's 29 s
 * (a 504), and a mail job unit, a push subscriber or a stream batch of the outbox relay was
 * killed at the function's 30 s, its failure handling never run. Each attempt now has a
 * deadline and the call fails as an error well inside 29 s.
 */
let endpoint: Awaited<ReturnType<typeof silentEndpoint>> | undefined;
afterEach(async () => {
  await endpoint?.close();
  endpoint = undefined;
});

/** How the call ended, and when. */
async function outcomeOf(call: () => Promise<unknown>) {
  const started = Date.now();
  const outcome = await call().then(
    () => 'answered',
    () => 'failed',
  );
  return { outcome, ms: Date.now() - started };
}

describe('AWS services that do not answer', () => {
  it('SES: a mail send fails well inside 29 s', { timeout: 40_000 }, async () => {
    endpoint = await silentEndpoint('SESV2');
    const mail = sesEmailSender({ from: 'Budgets <reports@example.com>', region: 'eu-west-1' });
    const { outcome, ms } = await outcomeOf(() => mail.send({ id: 'm1', to: 'ada@example.com', subject: 's', text: 't', html: '<p>t</p>' }));
    expect(outcome).toBe('failed');
    expect(ms).toBeLessThan(20_000);
    // The SDK's retries of the attempts given up: one connection each.
    expect(endpoint.connections()).toBeGreaterThanOrEqual(2);
  });

  it('SNS: a device registration (in the request) fails well inside 29 s', { timeout: 40_000 }, async () => {
    endpoint = await silentEndpoint('SNS');
    const push = snsPushSender({ region: 'eu-west-1', applications: { apns: 'arn:aws:sns:eu-west-1:123456789012:app/APNS/budgets' } });
    const { outcome, ms } = await outcomeOf(() => push.register('apns', 'a'.repeat(64)));
    expect(outcome).toBe('failed');
    expect(ms).toBeLessThan(20_000);
  });

  it('EventBridge: one PutEvents attempt is given up, not waited on for minutes', { timeout: 40_000 }, async () => {
    endpoint = await silentEndpoint('EVENTBRIDGE');
    const send = eventBridgeSender({ region: 'eu-west-1' });
    const { outcome, ms } = await outcomeOf(() => send([{ Source: 'budgeting.test', DetailType: 'test', Detail: '{}', EventBusName: 'bus' }]));
    expect(outcome).toBe('failed');
    expect(ms).toBeLessThan(10_000);
  });
});
