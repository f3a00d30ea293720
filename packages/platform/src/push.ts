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

export interface PushSender {
  /** Registers a device token; returns the address to send to (in AWS: the SNS endpoint ARN). */
  register(platform: PushPlatform, token: string): Promise<string>;
  /** Resolves once the message is accepted; throws otherwise (the caller retries). */
  send(address: string, platform: PushPlatform, message: PushMessage): Promise<void>;
  /** Forgets a registered address (best effort). */
  unregister(address: string): Promise<void>;
}
