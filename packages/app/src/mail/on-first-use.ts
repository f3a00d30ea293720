import { loadOnce, type AppConfig, type EmailSender } from '@budgeting/platform';

/**
 * The configured mail transport (./index.ts), imported on the first send: every cold start
 * builds the modules that send mail, and an HTTP request almost never sends any (issue 11).
 */
export function emailSenderOnFirstUse(config: AppConfig): EmailSender {
  const sender = loadOnce(async () => (await import('./index')).emailSenderFor(config));
  return { send: async (message) => (await sender()).send(message) };
}
