import type { EmailMessage, EmailSender } from '@budgeting/platform';
import type { SESv2Client } from '@aws-sdk/client-sesv2';

/**
 * Outgoing mail through Amazon SES (API v2 SendEmail). The SDK is imported on the first
 * message, so the HTTP path and the stream relay never load it. A failure is thrown as is:
 * the report.generated subscriber then fails, its inbox stays unwritten, and EventBridge
 * redelivers the event (retry policy, then the dead-letter queue), so a mail is never lost
 * silently. (At least once: a crash between SES accepting and the inbox write sends it twice.)
 */
export function sesEmailSender(options: { from: string; region: string; client?: SESv2Client }): EmailSender {
  let client: Promise<{ client: SESv2Client; SendEmailCommand: typeof import('@aws-sdk/client-sesv2').SendEmailCommand }> | undefined;
  const load = () =>
    (client ??= import('@aws-sdk/client-sesv2').then((sdk) => ({
      client: options.client ?? new sdk.SESv2Client({ region: options.region }),
      SendEmailCommand: sdk.SendEmailCommand,
    })));
  return {
    async send(message: EmailMessage) {
      const { client: ses, SendEmailCommand } = await load();
      await ses.send(
        new SendEmailCommand({
          FromEmailAddress: options.from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
            },
          },
        }),
      );
    },
  };
}
