import { CreatePlatformEndpointCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { mockClient } from 'aws-sdk-client-mock';

/** The platform application the push tests register devices with (SNS_APNS_APPLICATION_ARN). */
export const APNS_APP = 'arn:aws:sns:us-east-1:123456789012:app/APNS/budgets';

/**
 * Amazon SNS mocked for the push tests (no emulator shows SNS): `reset()`, in a beforeEach,
 * makes every registration an endpoint named after its token and every publish succeed (a test
 * then overrides what its case needs, e.g. a failing PublishCommand); `publishedTo()` lists the
 * endpoints pushed to, sorted; `restore()` in afterAll.
 */
export function snsPush() {
  const sns = mockClient(SNSClient);
  return {
    sns,
    reset(): void {
      sns.reset();
      sns.on(CreatePlatformEndpointCommand).callsFake(async (input: { Token: string; PlatformApplicationArn: string }) => ({
        EndpointArn: `${input.PlatformApplicationArn}/endpoint-${input.Token}`,
      }));
      sns.on(PublishCommand).resolves({ MessageId: 'm-1' });
    },
    publishedTo: (): string[] => sns.commandCalls(PublishCommand).map((c) => String(c.args[0].input.TargetArn)).sort(),
    restore: (): void => sns.restore(),
  };
}
