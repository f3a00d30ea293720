import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmailMessage, EmailSender } from '@budgeting/platform';

/**
 * Locally, outgoing mail is not sent: each message becomes one file in a folder (DATA_DIR/mail
 * under `npm start`), a MIME message (.eml) that any mail client opens, named after the
 * message id so a redelivered event rewrites the same file instead of adding one.
 */
export function folderEmailSender(options: { dir: string; from: string; now?: () => Date }): EmailSender {
  return {
    async send(message: EmailMessage) {
      await mkdir(options.dir, { recursive: true });
      const file = join(options.dir, `${safeId(message.id)}.eml`);
      await writeFile(file, await toMime(message, options.from, options.now?.() ?? new Date()));
    },
  };
}

/**
 * The message as RFC 5322 + MIME, built by nodemailer's MailComposer (headers encoded,
 * multipart/alternative text and HTML, Date and a Message-ID whose domain is the sender's).
 */
export async function toMime(message: EmailMessage, from: string, date: Date): Promise<Buffer> {
  const domain = /@([^>\s]+)/.exec(from)?.[1] ?? 'localhost';
  // Imported on the first message, not at start: nodemailer is a large part of the bundle and
  // the API's first response (a cold start) has no mail to write.
  const { default: MailComposer } = await import('nodemailer/lib/mail-composer');
  return new MailComposer({
    from,
    to: message.to,
    subject: message.subject,
    text: message.text,
    html: message.html,
    date,
    messageId: `<${safeId(message.id)}@${domain}>`,
    // The one-click unsubscribe headers, as SES sends them (ses-sender.ts oneClickUnsubscribe).
    ...(message.unsubscribeUrl ? { headers: { 'List-Unsubscribe': `<${message.unsubscribeUrl}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' } } : {}),
  })
    .compile()
    .build();
}

const safeId = (id: string) => id.replace(/[^A-Za-z0-9_-]/g, '_');
