import type { AppConfig, Clock, ObjectStorage } from '@budgeting/platform';

/**
 * Where receipts are stored, from the configuration: ATTACHMENTS_BUCKET set (in AWS, the linked
 * bucket) is S3; otherwise the local stand-in, files under ATTACHMENTS_DIR (npm start:
 * .data/attachments) or a temporary folder (tests), URLs served on loopback.
 */
export async function objectStorageFor(config: AppConfig, clock: Clock): Promise<ObjectStorage> {
  if (config.attachmentsBucket) {
    const { s3ObjectStorage } = await import('./s3-storage');
    return s3ObjectStorage({ bucket: config.attachmentsBucket, region: config.region, clock });
  }
  const { localObjectStorage } = await import('./local-storage');
  return localObjectStorage({ dir: config.attachmentsDir, secret: config.tokenSigningKey, clock });
}
