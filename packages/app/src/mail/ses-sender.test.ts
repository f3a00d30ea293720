import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { toMime } from './folder-sender';
import { sesEmailSender } from './ses-sender';

/**
 * What SES is handed. SES v2 SendEmail takes the sender's display name only in RFC 2047
 * encoded-word syntax when it has non-ASCII characters (the SES developer guide, "Sending
 * email": "the sender name ... must be encoded using MIME encoded-word syntax"); a raw one is
 * refused, so every mail failed where the local folder (nodemailer, which encodes) wrote it.
 */
const ses = mockClient(SESv2Client);
afterAll(() => ses.restore());
beforeEach(() => {
  ses.reset();
  ses.on(SendEmailCommand).resolves({ MessageId: 'ses-1' });
});

const message = { id: 'm-1', to: 'ada@example.com', subject: 'Café', text: 'Hi', html: '<p>Hi</p>' };
const fromSent = () => ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.FromEmailAddress);

/** The display name of an RFC 2047 From value, decoded by hand (B encoding, UTF-8, words joined). */
function decodedName(from: string): string {
  const name = from.slice(0, from.lastIndexOf('<')).trim();
  return name
    .split(/\s+/)
    .map((word) => {
      const m = /^=\?UTF-8\?B\?([A-Za-z0-9+/=]+)\?=$/i.exec(word);
      if (!m) throw new Error(`not an encoded word: ${word}`);
      return Buffer.from(m[1]!, 'base64');
    })
    .reduce((all, bytes) => Buffer.concat([all, bytes]), Buffer.alloc(0))
    .toString('utf8');
}

describe('sesEmailSender: the From address', () => {
  it('passes a plain address and an ASCII display name as configured', async () => {
    await sesEmailSender({ from: 'reports@example.com', region: 'eu-west-1', client: new SESv2Client({ region: 'eu-west-1' }) }).send(message);
    await sesEmailSender({ from: 'Budgets <reports@example.com>', region: 'eu-west-1', client: new SESv2Client({ region: 'eu-west-1' }) }).send(message);
    expect(fromSent()).toEqual(['reports@example.com', 'Budgets <reports@example.com>']);
  });

  it('encodes a non-ASCII display name as RFC 2047 encoded words (ASCII only, each at most 75 characters), the address as it is', async () => {
    const name = 'Haushaltsbücher Müller & Söhne – Ausgaben, Berichte und Warnungen für die ganze Familie 🏠';
    await sesEmailSender({ from: `${name} <reports@example.com>`, region: 'eu-west-1', client: new SESv2Client({ region: 'eu-west-1' }) }).send(message);
    const [from] = fromSent();
    expect(from).toMatch(/^[\x20-\x7e]+$/);
    expect(from!.endsWith(' <reports@example.com>')).toBe(true);
    for (const word of from!.slice(0, from!.lastIndexOf('<')).trim().split(/\s+/)) expect(word.length).toBeLessThanOrEqual(75);
    expect(decodedName(from!)).toBe(name);
  });
});

describe('sesEmailSender and the local folder: the one-click unsubscribe (RFC 8058)', () => {
  const url = 'https://api.example.com/v1/unsubscribe/U1.reports.abc';
  const headersSent = () => ses.commandCalls(SendEmailCommand).map((c) => c.args[0].input.Content?.Simple?.Headers);

  it('sends List-Unsubscribe and List-Unsubscribe-Post with a URL, and no header without one', async () => {
    const sender = sesEmailSender({ from: 'reports@example.com', region: 'eu-west-1', client: new SESv2Client({ region: 'eu-west-1' }) });
    await sender.send({ ...message, unsubscribeUrl: url });
    await sender.send(message);
    expect(headersSent()).toEqual([
      [
        { Name: 'List-Unsubscribe', Value: `<${url}>` },
        { Name: 'List-Unsubscribe-Post', Value: 'List-Unsubscribe=One-Click' },
      ],
      undefined,
    ]);
  });

  it('writes the same two headers into the local .eml', async () => {
    const mime = (await toMime({ ...message, unsubscribeUrl: url }, 'reports@example.com', new Date('2026-12-07T12:00:00Z'))).toString('utf8');
    const headerLines = mime.slice(0, mime.indexOf('\r\n\r\n')).split('\r\n');
    expect(headerLines).toContain(`List-Unsubscribe: <${url}>`);
    expect(headerLines).toContain('List-Unsubscribe-Post: List-Unsubscribe=One-Click');
    expect((await toMime(message, 'reports@example.com', new Date('2026-12-07T12:00:00Z'))).toString('utf8')).not.toContain('List-Unsubscribe');
  });
});
