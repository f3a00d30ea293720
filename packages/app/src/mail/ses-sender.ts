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
      await sendWithoutAddressesInErrors(() => ses.send(
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
      ));
    },
  };
}

/** Anything shaped like an address, in an error's text. */
const ADDRESS = /[^\s@<>()[\],;:"']+@[^\s@<>()[\],;:"']+/g;

/**
 * A refused send's error can name the recipient (SES's MessageRejected in a sandboxed account:
 * "... failed the check in region EU-WEST-1: someone@example.com"), and that text reaches the
 * logs (the failed subscriber's or job unit's line, Lambda's own line of the thrown error, a dead
 * letter). The same error is thrown on (its name and metadata tell a throttle from a refusal),
 * its message (and stack) with every address replaced.
 */
async function sendWithoutAddressesInErrors(send: () => Promise<unknown>): Promise<void> {
  try {
    await send();
  } catch (err) {
    if (err instanceof Error) {
      err.message = err.message.replace(ADDRESS, '<address>');
      // The stack starts with the message as it was: logged with the error, it would keep it.
      if (err.stack) err.stack = err.stack.replace(ADDRESS, '<address>');
    }
    throw err;
  }
}
