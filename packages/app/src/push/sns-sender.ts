import { PushTokenRefusedError, type PushMessage, type PushPlatform, type PushSender } from '@budgeting/platform';
import type { SNSClient } from '@aws-sdk/client-sns';
import { AWS_ATTEMPT_HANDLER } from '../aws-attempts';

type Sdk = typeof import('@aws-sdk/client-sns');

/**
 * Mobile push through Amazon SNS: a device token becomes a platform endpoint of the APNs or
 * FCM platform application (CreatePlatformEndpoint, idempotent for the same token), and a push
 * is a Publish to that endpoint with a per-platform payload. The SDK is imported on first use,
 * so the HTTP path never loads it.
 *
 * Dead endpoints, as the SNS mobile push docs describe them: when APNs or FCM tells SNS that a
 * token is invalid (app uninstalled, token rotated), SNS sets the endpoint's `Enabled`
 * attribute to false, asynchronously, after a Publish that itself succeeded; from then on every
 * Publish to it is refused with EndpointDisabled. So a push answers `gone` for EndpointDisabled
 * (and NotFound: the endpoint was deleted), and the caller forgets the device: the push after
 * the one that revealed the dead token removes it. Any other failure (throttling, 5xx, access)
 * is thrown as is: the subscriber fails and the event is redelivered.
 */
export function snsPushSender(options: { region: string; applications: Partial<Record<PushPlatform, string>>; client?: SNSClient }): PushSender {
  let loaded: Promise<{ sns: SNSClient; sdk: Sdk }> | undefined;
  const load = () =>
    (loaded ??= import('@aws-sdk/client-sns').then((sdk) => ({ sdk, sns: options.client ?? new sdk.SNSClient({ region: options.region, requestHandler: AWS_ATTEMPT_HANDLER }) })));
  return {
    async register(platform, token) {
      const application = options.applications[platform];
      if (!application) throw new Error(`No SNS platform application configured for ${platform}`);
      const { sns, sdk } = await load();
      const out = await sns.send(new sdk.CreatePlatformEndpointCommand({ PlatformApplicationArn: application, Token: token })).catch((err: unknown) => {
        throw isRefusedToken(err) ? new PushTokenRefusedError((err as Error).message) : err;
      });
      if (!out.EndpointArn) throw new Error('SNS returned no endpoint ARN');
      // CreatePlatformEndpoint returns an existing endpoint of the same token as it is, even when
      // SNS disabled it (the app was reinstalled on the same device): the registration the SNS
      // docs recommend reads its attributes and re-enables it with the current token.
      const attributes = (await sns.send(new sdk.GetEndpointAttributesCommand({ EndpointArn: out.EndpointArn })))?.Attributes ?? {};
      if (attributes.Enabled !== 'true' || !sameToken(platform, attributes.Token, token)) {
        await sns.send(new sdk.SetEndpointAttributesCommand({ EndpointArn: out.EndpointArn, Attributes: { Token: token, Enabled: 'true' } }));
      }
      return out.EndpointArn;
    },
    async send(address, platform, message) {
      const { sns, sdk } = await load();
      try {
        await sns.send(new sdk.PublishCommand({ TargetArn: address, MessageStructure: 'json', Message: snsPayload(platform, fittedPush(platform, message)) }));
        return 'sent';
      } catch (err) {
        if (isGoneEndpoint(err)) return 'gone';
        throw err;
      }
    },
    async unregister(address) {
      const { sns, sdk } = await load();
      await sns.send(new sdk.DeleteEndpointCommand({ EndpointArn: address }));
    },
  };
}

/** EndpointDisabled (the SDK's EndpointDisabledException) or NotFound: the endpoint will never take a push. */
export function isGoneEndpoint(err: unknown): boolean {
  const name = (err as { name?: string } | undefined)?.name;
  return name === 'EndpointDisabledException' || name === 'EndpointDisabled' || name === 'NotFoundException' || name === 'NotFound';
}

/**
 * SNS refused the token itself: InvalidParameter whose message names `Token` ("Invalid parameter:
 * Token Reason: iOS device tokens must be no more than 400 hexadecimal characters"). Not one that
 * names the platform application or anything else of ours: that stays a failure (a 5xx).
 */
export function isRefusedToken(err: unknown): boolean {
  const { name, message } = (err ?? {}) as { name?: string; message?: string };
  return (name === 'InvalidParameterException' || name === 'InvalidParameter') && /\bToken\b/.test(message ?? '');
}

/** SNS returns an iOS device token in lowercase (GetEndpointAttributes), so APNs tokens compare without case. */
const sameToken = (platform: PushPlatform, stored: string | undefined, token: string) =>
  stored !== undefined && (platform === 'apns' ? stored.toLowerCase() === token.toLowerCase() : stored === token);

/** SNS's JSON message structure: a default text and the platform's own payload as a string. */
export function snsPayload(platform: PushPlatform, m: PushMessage): string {
  const own = platformPayload(platform, m);
  return JSON.stringify(platform === 'apns' ? { default: m.body, APNS: own, APNS_SANDBOX: own } : { default: m.body, GCM: own });
}

/** What APNs or FCM receives for a push. */
function platformPayload(platform: PushPlatform, m: Pick<PushMessage, 'title' | 'body' | 'data'>): string {
  return platform === 'apns'
    ? JSON.stringify({ aps: { alert: { title: m.title, body: m.body } }, ...m.data })
    : JSON.stringify({ notification: { title: m.title, body: m.body }, data: m.data });
}

/**
 * The most either platform takes: APNs refuses a notification payload over 4,096 bytes, FCM a
 * message over 4,096 bytes, and SNS refuses the Publish ("Invalid notification for protocol
 * APNS: Notification is too long"), every retry alike: the push was dead-lettered.
 */
export const PUSH_PAYLOAD_MAX_BYTES = 4096;

/**
 * The push as the platform takes it: as written when its payload fits, otherwise its body (and,
 * if that is not enough, its title) cut between characters (grapheme clusters) and ended with "…", as long as the
 * payload fits. A member's text decides the length (a bill named by a 500-character description,
 * twice: in the title and the body). The data (the ids the app opens) is never cut. The local
 * folder writes the same (folder-sender.ts): what `npm start` shows is what a device gets.
 */
export function fittedPush(platform: PushPlatform, m: PushMessage): PushMessage {
  const fits = (title: string, body: string) => Buffer.byteLength(platformPayload(platform, { title, body, data: m.data }), 'utf8') <= PUSH_PAYLOAD_MAX_BYTES;
  if (fits(m.title, m.body)) return m;
  const body = longestFitting(m.body, (cut) => fits(m.title, cut));
  if (body !== undefined) return { ...m, body };
  const title = longestFitting(m.title, (cut) => fits(cut, '…')) ?? '…';
  return { ...m, title, body: '…' };
}

// Made on first use, never at module load (cold start), as the report's text-width.ts's.
let segmenter: Intl.Segmenter | undefined;

/**
 * `text` cut to its longest start that, with "…" after it, `fits`; undefined when not even "…"
 * does. Cut between characters as a reader sees them (grapheme clusters: Intl.Segmenter), not
 * code points: a family emoji (three people joined by ZWJs), a flag (two regional indicators)
 * or an "é" written with a combining accent is kept whole or left out, never shown half.
 */
function longestFitting(text: string, fits: (cut: string) => boolean): string | undefined {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  const characters = Array.from(segmenter.segment(text), (s) => s.segment);
  const cut = (n: number) => `${characters.slice(0, n).join('').trimEnd()}…`;
  if (!fits(cut(0))) return undefined;
  let low = 0;
  let high = characters.length - 1;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(cut(mid))) low = mid;
    else high = mid - 1;
  }
  return cut(low);
}
