import type { PushMessage, PushPlatform, PushSender } from '@budgeting/platform';
import type { SNSClient } from '@aws-sdk/client-sns';

type Sdk = typeof import('@aws-sdk/client-sns');

/**
 * Mobile push through Amazon SNS: a device token becomes a platform endpoint of the APNs or
 * FCM platform application (CreatePlatformEndpoint, idempotent for the same token), and a push
 * is a Publish to that endpoint with a per-platform payload. The SDK is imported on first use,
 * so the HTTP path never loads it. A failure is thrown as is: the subscriber fails and the
 * event is redelivered.
 */
export function snsPushSender(options: { region: string; applications: Partial<Record<PushPlatform, string>>; client?: SNSClient }): PushSender {
  let loaded: Promise<{ sns: SNSClient; sdk: Sdk }> | undefined;
  const load = () =>
    (loaded ??= import('@aws-sdk/client-sns').then((sdk) => ({ sdk, sns: options.client ?? new sdk.SNSClient({ region: options.region }) })));
  return {
    async register(platform, token) {
      const application = options.applications[platform];
      if (!application) throw new Error(`No SNS platform application configured for ${platform}`);
      const { sns, sdk } = await load();
      const out = await sns.send(new sdk.CreatePlatformEndpointCommand({ PlatformApplicationArn: application, Token: token }));
      if (!out.EndpointArn) throw new Error('SNS returned no endpoint ARN');
      return out.EndpointArn;
    },
    async send(address, platform, message) {
      const { sns, sdk } = await load();
      await sns.send(new sdk.PublishCommand({ TargetArn: address, MessageStructure: 'json', Message: snsPayload(platform, message) }));
    },
    async unregister(address) {
      const { sns, sdk } = await load();
      await sns.send(new sdk.DeleteEndpointCommand({ EndpointArn: address }));
    },
  };
}

/** SNS's JSON message structure: a default text and the platform's own payload as a string. */
export function snsPayload(platform: PushPlatform, m: PushMessage): string {
  const apns = JSON.stringify({ aps: { alert: { title: m.title, body: m.body } }, ...m.data });
  const fcm = JSON.stringify({ notification: { title: m.title, body: m.body }, data: m.data });
  return JSON.stringify(platform === 'apns' ? { default: m.body, APNS: apns, APNS_SANDBOX: apns } : { default: m.body, GCM: fcm });
}
