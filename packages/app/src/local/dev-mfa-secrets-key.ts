/**
 * The key that seals TOTP secrets on a laptop (`npm start`, the operator CLIs): fixed, so
 * enrolled authenticators in `.data/` keep working across restarts. Not a secret; never used in
 * AWS, where the Lambda reads the `MfaSecretsKey` SST secret (lambda/sst-environment.ts).
 */
export const DEV_MFA_SECRETS_KEY = Buffer.from('local-dev-mfa-totp-secrets-key32').toString('base64');
