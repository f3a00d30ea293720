import type { AppConfig, EmailSender } from '@budgeting/platform';
import { folderEmailSender } from './folder-sender';
import { sesEmailSender } from './ses-sender';

/** Locally (and in the e2e runtime) mail goes to files; in AWS it goes through SES. */
const LOCAL_FROM = 'budgets@localhost';

/**
 * How outgoing mail leaves, from the configuration: MAIL_DIR set (npm start sets it) writes
 * files there; otherwise SES from MAIL_FROM. With neither, sending fails loudly (and the
 * subscriber is retried) rather than dropping mail.
 */
export function emailSenderFor(config: AppConfig): EmailSender {
  if (config.mailDir) return folderEmailSender({ dir: config.mailDir, from: config.mailFrom ?? LOCAL_FROM });
  if (config.mailFrom) return sesEmailSender({ from: config.mailFrom, region: config.region });
  return {
    async send() {
      throw new Error('No mail transport: set MAIL_FROM (SES sender address) or MAIL_DIR (local folder)');
    },
  };
}
