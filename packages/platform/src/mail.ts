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
}

export interface EmailSender {
  /** Resolves once the message is accepted for delivery; throws otherwise (the caller retries). */
  send(message: EmailMessage): Promise<void>;
}
