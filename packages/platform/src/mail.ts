/**
 * Outgoing email as a port: modules compose messages, the app decides how they leave (SES in
 * AWS, a folder of files locally, a recorder in tests).
 */
export interface EmailMessage {
  /** Stable per message (e.g. the event it answers), so a local copy is written once. */
  id: string;
  to: string;
  subject: string;
  text: string;
  html: string;
  /**
   * An optional mail's one-click unsubscribe URL (RFC 8058): sent as `List-Unsubscribe: <url>`
   * with `List-Unsubscribe-Post: List-Unsubscribe=One-Click`, which mailbox providers show as an
   * "Unsubscribe" button and POST to (Gmail and Yahoo require it of bulk senders). Absent on the
   * account's own mails (codes, security notices), which nobody may turn off.
   */
  unsubscribeUrl?: string;
}

export interface EmailSender {
  /** Resolves once the message is accepted for delivery; throws otherwise (the caller retries). */
  send(message: EmailMessage): Promise<void>;
}
