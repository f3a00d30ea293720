// The receipts' S3 adapter and the S3 client, bundled with the Lambda's own esbuild options by
// tests/lambda/s3-bundle.test.ts: the bundle resolves the S3 packages to their own CommonJS
// SDK core (packages/app/scripts/lazy-clients-own-sdk-core.mjs), so the client must come from the same
// bundle as the adapter that uses it.
export { S3Client } from '@aws-sdk/client-s3';
export { s3ObjectStorage } from '../../../packages/app/src/storage/s3-storage';
