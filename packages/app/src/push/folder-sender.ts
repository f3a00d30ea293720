import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { PushSender } from '@budgeting/platform';
import { fittedPush } from './sns-sender';

/**
 * Locally, pushes are not sent: each becomes one JSON file in a folder (DATA_DIR/push under
 * `npm start`), named after the message id so a redelivered event rewrites the same file, with
 * the text the device would get from SNS (fittedPush: a push over the platform's 4 KB shortened).
 */
export function folderPushSender(options: { dir: string }): PushSender {
  return {
    async register(platform, token) {
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
