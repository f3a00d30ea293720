/**
 * The HS256 signing key of access tokens. Set per stage before the first deploy:
 * `npx sst secret set TokenSigningKey "$(openssl rand -base64 48)" --stage <stage>`.
 * Component name "TokenSigningKey" is what packages/app/src/lambda/sst-environment.ts reads.
 */
export const signingKey = new sst.Secret('TokenSigningKey');
