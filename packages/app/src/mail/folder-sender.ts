import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { EmailMessage, EmailSender } from '@budgeting/platform';

/**
 * Locally, outgoing mail is not sent: each message becomes one file in a folder (DATA_DIR/mail
 * under `npm start`), a MIME message (.eml) that any mail client opens, named after the
 * message id so a redelivered event rewrites the same file instead of adding one.
 */
export function folderEmailSender(options: { dir: string; from: string }): EmailSender {
  return {
    async send(message: EmailMessage) {
      await mkdir(options.dir, { recursive: true });
      const file = join(options.dir, `${message.id.replace(/[^A-Za-z0-9_-]/g, '_')}.eml`);
      await writeFile(file, toMime(message, options.from), 'utf8');
    },
  };
}

/** A multipart/alternative message (text and HTML), headers encoded for non-ASCII subjects. */
export function toMime(message: EmailMessage, from: string): string {
  const boundary = `=_${message.id.replace(/[^A-Za-z0-9]/g, '')}`;
  const subject = `=?UTF-8?B?${Buffer.from(message.subject, 'utf8').toString('base64')}?=`;
  const part = (type: string, body: string) =>
    `--${boundary}\r\nContent-Type: ${type}; charset=UTF-8\r\nContent-Transfer-Encoding: base64\r\n\r\n` +
    `${Buffer.from(body, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n')}\r\n`;
  return (
    `From: ${from}\r\nTo: ${message.to}\r\nSubject: ${subject}\r\nMIME-Version: 1.0\r\n` +
    `Content-Type: multipart/alternative; boundary="${boundary}"\r\n\r\n` +
    part('text/plain', message.text) +
    part('text/html', message.html) +
    `--${boundary}--\r\n`
  );
}
