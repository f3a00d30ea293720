/**
 * The value of the `TokenSigningKeyPrevious` and `MfaSecretsKeyPrevious` secrets while no
 * rotation of their key is under way: SST needs a value for every secret a function links, so
 * each is declared with this placeholder (infra/secrets.ts) and the Lambda entry reads it as
 * "no previous key" (lambda/sst-environment.ts). Shorter than any real key (32+ characters), so it can never be
 * mistaken for one (nor for MFA_SECRETS_KEY's 32 bytes of base64).
 */
export const NO_PREVIOUS_SIGNING_KEY = 'none';
