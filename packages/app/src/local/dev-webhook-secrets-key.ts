/**
 * The key that seals webhook secrets on a laptop (`npm start`, the operator CLIs): fixed, so
 * webhooks in `.data/` keep opening across restarts. Not a secret; never used in AWS, where the
 * Lambda reads the `WebhookSecretsKey` SST secret (lambda/sst-environment.ts).
 */
export const DEV_WEBHOOK_SECRETS_KEY = Buffer.from('local-dev-webhook-secrets-key-32').toString('base64');
