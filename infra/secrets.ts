import { NO_PREVIOUS_SIGNING_KEY } from '@budgeting/app/wiring';

/**
 * The HS256 signing key of access tokens. Set per stage before the first deploy:
 * `npx sst secret set TokenSigningKey "$(openssl rand -base64 48)" --stage <stage>`.
 * Component name "TokenSigningKey" is what packages/app/src/lambda/sst-environment.ts reads.
 */
export const signingKey = new sst.Secret('TokenSigningKey');

/**
 * The signing key before the last rotation, still accepted (never used to sign) so nobody is
 * signed out and no cursor or reset code breaks when TokenSigningKey changes: README,
 * "Rotating the token signing key". Holds the placeholder NO_PREVIOUS_SIGNING_KEY (no previous
 * key) until an operator sets it; `npx sst secret remove TokenSigningKeyPrevious` ends a rotation.
 * Component name "TokenSigningKeyPrevious" is what packages/app/src/lambda/sst-environment.ts reads.
 */
export const previousSigningKey = new sst.Secret('TokenSigningKeyPrevious', NO_PREVIOUS_SIGNING_KEY);

/**
 * The AES-256 key (32 bytes, base64) that seals webhook signing secrets in the table. Set per
 * stage before the first deploy, and never change it in place (sealed secrets would no longer
 * open; see packages/webhooks/README.md for rotation):
 * `npx sst secret set WebhookSecretsKey "$(openssl rand -base64 32)" --stage <stage>`.
 * Component name "WebhookSecretsKey" is what packages/app/src/lambda/sst-environment.ts reads.
 */
export const webhookSecretsKey = new sst.Secret('WebhookSecretsKey');

/**
 * The AES-256 key (32 bytes, base64) the users module seals TOTP secrets (two-factor sign-in)
 * under: its own, apart from WebhookSecretsKey. Set per stage before deploying, and never
 * change it in place (every enrolled authenticator would stop working): rotate it with
 * MfaSecretsKeyPrevious below (README, "Rotating the TOTP secrets key"):
 * `npx sst secret set MfaSecretsKey "$(openssl rand -base64 32)" --stage <stage>`.
 * Component name "MfaSecretsKey" is what packages/app/src/lambda/sst-environment.ts reads.
 */
export const mfaSecretsKey = new sst.Secret('MfaSecretsKey');

/**
 * MfaSecretsKey before its last rotation, opening (never sealing) the TOTP secrets sealed under
 * it until their users' next accepted codes reseal them: packages/users/docs/two-factor-sign-in.md, "Rotating
 * MFA_SECRETS_KEY". Holds the placeholder NO_PREVIOUS_SIGNING_KEY (no previous key) until an
 * operator sets it; `npx sst secret remove MfaSecretsKeyPrevious` ends a rotation.
 * Component name "MfaSecretsKeyPrevious" is what packages/app/src/lambda/sst-environment.ts reads.
 */
export const previousMfaSecretsKey = new sst.Secret('MfaSecretsKeyPrevious', NO_PREVIOUS_SIGNING_KEY);
