import type { AppConfig, PushSender } from '@budgeting/platform';
import { folderPushSender } from './folder-sender';
import { snsPushSender } from './sns-sender';

/**
 * How pushes leave, from the configuration: PUSH_DIR set (npm start sets it) writes files;
 * otherwise SNS with the platform applications of SNS_APNS_APPLICATION_ARN /
 * SNS_FCM_APPLICATION_ARN (registering a token of a platform without one fails with its name).
 */
export function pushSenderFor(config: AppConfig): PushSender {
  if (config.pushDir) return folderPushSender({ dir: config.pushDir });
  return snsPushSender({
    region: config.region,
    applications: { apns: config.snsApnsApplicationArn, fcm: config.snsFcmApplicationArn },
  });
}
