import { Webhook } from 'standardwebhooks';

// New secrets live in secret.ts: creating a webhook must not load the signing library.
export { SECRET_PREFIX, newSecret } from './secret';

/**
 * Standard Webhooks signing (https://www.standardwebhooks.com), with its reference library:
 * HMAC-SHA256 over `<webhook-id>.<webhook-timestamp>.<body>`, keyed by the base64 secret
 * after its `whsec_` prefix. During a rotation the body is signed with the new AND the
 * previous secret (space-separated `v1,...` signatures, as the spec allows), so a receiver
 * still holding the old secret keeps verifying until it switches.
 */
export interface SignedHeaders {
  'webhook-id': string;
  'webhook-timestamp': string;
  'webhook-signature': string;
}

export function signedHeaders(messageId: string, at: Date, body: string, secrets: string[]): SignedHeaders {
  const signatures = secrets.map((secret) => new Webhook(secret).sign(messageId, at, body));
  return {
    'webhook-id': messageId,
    'webhook-timestamp': String(Math.floor(at.getTime() / 1000)),
    'webhook-signature': signatures.join(' '),
  };
}
