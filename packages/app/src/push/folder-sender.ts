import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { PushTokenRefusedError, type PushSender } from '@budgeting/platform';
import { fittedPush } from './sns-sender';

/**
 * Locally, pushes are not sent: each becomes one JSON file in a folder (DATA_DIR/push under
 * `npm start`), named after the message id so a redelivered event rewrites the same file, with
 * the text the device would get from SNS (fittedPush: a push over the platform's 4 KB shortened).
 * A registration SNS would refuse (an APNs token that is not hexadecimal) is refused alike.
 */
/**
 * An APNs device token as SNS takes it: hexadecimal, at most 400 characters (SNS's refusal says
 * so: "iOS device tokens must be no more than 400 hexadecimal characters"). Locally any token was
 * registered, so a client that sent its FCM token as `apns` got a 201 under `npm start` and a 400 in AWS.
 */
const APNS_TOKEN = /^[0-9A-Fa-f]{1,400}$/;

export function folderPushSender(options: { dir: string }): PushSender {
  return {
    async register(platform, token) {
      // What SNS's CreatePlatformEndpoint refuses (InvalidParameter on Token, a 400 naming token in AWS), refused here too.
      if (platform === 'apns' && !APNS_TOKEN.test(token)) throw new PushTokenRefusedError('Invalid parameter: Token Reason: iOS device tokens must be no more than 400 hexadecimal characters');
      return `local:${platform}:${token}`;
    },
    async send(address, platform, message) {
      await mkdir(options.dir, { recursive: true });
      const file = join(options.dir, `${message.id.replace(/[^A-Za-z0-9_-]/g, '_')}.json`);
      await writeFile(file, JSON.stringify({ to: address, platform, ...fittedPush(platform, message) }, null, 2), 'utf8');
      return 'sent';
    },
    async unregister() {},
  };
}
