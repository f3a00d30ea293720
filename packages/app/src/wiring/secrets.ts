/**
 * The value of the `TokenSigningKeyPrevious` secret while no rotation is under way: SST needs
 * a value for every secret a function links, so the secret is declared with this placeholder
 * (infra/secrets.ts) and the Lambda entry reads it as "no previous key"
 * (lambda/sst-environment.ts). Shorter than any real key (32+ characters), so it can never be
 * mistaken for one.
 */
export const NO_PREVIOUS_SIGNING_KEY = 'none';
