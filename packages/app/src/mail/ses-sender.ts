import type { EmailMessage, EmailSender } from '@budgeting/platform';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { AWS_ATTEMPT_HANDLER } from '../aws-attempts';

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
      client: options.client ?? new sdk.SESv2Client({ region: options.region, requestHandler: AWS_ATTEMPT_HANDLER }),
      SendEmailCommand: sdk.SendEmailCommand,
    })));
  const from = sesFromAddress(options.from);
  return {
    async send(message: EmailMessage) {
      const { client: ses, SendEmailCommand } = await load();
      await sendWithoutAddressesInErrors(() => ses.send(
        new SendEmailCommand({
          FromEmailAddress: from,
          Destination: { ToAddresses: [message.to] },
          Content: {
            Simple: {
              Subject: { Data: message.subject, Charset: 'UTF-8' },
              Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
              ...(message.unsubscribeUrl ? { Headers: oneClickUnsubscribe(message.unsubscribeUrl) } : {}),
            },
          },
        }),
      ));
    },
  };
}

/**
 * MAIL_FROM as SES takes it: SES refuses a display name with non-ASCII characters unless it is in
 * RFC 2047 encoded-word syntax ("Haushaltsbücher <reports@example.com>" failed every send, while
 * the local folder's nodemailer encoded it), so such a name becomes UTF-8 "B" encoded words, each
 * within RFC 2047's 75 characters and cut between characters, never inside one. An ASCII name or
 * a bare address is passed as configured.
 */
export function sesFromAddress(from: string): string {
  const parts = /^(.*?)\s*<([^<>]+)>$/.exec(from.trim());
  if (!parts || /^[\x20-\x7e]*$/.test(parts[1]!)) return from;
  const name = parts[1]!.replace(/^"(.*)"$/, '$1').replace(/\\(.)/g, '$1');
  return `${encodedWords(name).join(' ')} <${parts[2]}>`;
}

/**
 * RFC 8058's two headers: the URL the mailbox provider POSTs `List-Unsubscribe=One-Click` to,
 * and the marker that it may (without it, a provider would GET the URL or ignore it). SES signs
 * them with the domain's DKIM, as RFC 8058 section 4 requires.
 */
export function oneClickUnsubscribe(url: string): { Name: string; Value: string }[] {
  return [
    { Name: 'List-Unsubscribe', Value: `<${url}>` },
    { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
  ];
}

/** 45 bytes of UTF-8 are 60 of base64: "=?UTF-8?B?" + 60 + "?=" is 72 characters, within 75. */
const WORD_BYTES = 45;

function encodedWords(text: string): string[] {
  const words: string[] = [];
  let chunk = '';
  for (const char of text) {
    if (Buffer.byteLength(chunk + char, 'utf8') > WORD_BYTES) {
      words.push(chunk);
      chunk = '';
    }
    chunk += char;
  }
  if (chunk) words.push(chunk);
  return words.map((word) => `=?UTF-8?B?${Buffer.from(word, 'utf8').toString('base64')}?=`);
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
