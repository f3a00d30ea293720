/**
 * Mobile push as a port, like mail: modules compose messages, the app decides how they leave
 * (Amazon SNS mobile push in AWS, a folder of files locally, a recorder or a mocked SNS in tests).
 */
export const PUSH_PLATFORMS = ['apns', 'fcm'] as const;
export type PushPlatform = (typeof PUSH_PLATFORMS)[number];

export interface PushMessage {
  /** Stable per message and device, so a local copy is written once. */
  id: string;
  title: string;
  body: string;
  /** Small key/value data for the app (e.g. the notification id). */
  data: Record<string, string>;
}

/**
 * What became of one push: `sent` (accepted), or `gone`: the address will never take a push
 * again (the app was uninstalled, the token is invalid: SNS disabled the endpoint), so the
 * caller forgets the device instead of retrying. Any other failure is thrown.
 */
export type PushOutcome = 'sent' | 'gone';

/**
 * Thrown by `register` when the push service refuses the token itself (in AWS: SNS's
 * InvalidParameter on `Token`, e.g. an FCM token sent as an APNs one, which SNS checks is
 * hexadecimal): the client's bad input, answered 400 naming `token`, not a failure of ours.
 */
export class PushTokenRefusedError extends Error {
  override readonly name = 'PushTokenRefusedError';
}

export interface PushSender {
  /** Registers a device token; returns the address to send to (in AWS: the SNS endpoint ARN, enabled). PushTokenRefusedError: the token is refused. */
  register(platform: PushPlatform, token: string): Promise<string>;
  /** `sent` once the message is accepted, `gone` for a dead address; throws otherwise (the caller retries). */
  send(address: string, platform: PushPlatform, message: PushMessage): Promise<PushOutcome>;
  /** Forgets a registered address (best effort). */
  unregister(address: string): Promise<void>;
}
