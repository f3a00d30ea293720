/**
 * Receipts (packages/expenses, "Attachments"): photos and PDFs attached to expenses. Clients
 * upload with a presigned POST (its policy pins key, exact size and type) and download with a
 * presigned GET, straight to and from S3: no file passes through the function. Component name
 * "Attachments" is what packages/app/src/lambda/sst-environment.ts reads (ATTACHMENTS_BUCKET).
 *
 * - Private: SST blocks every public access (BucketPublicAccessBlock) and, with enforceHttps,
 *   refuses plain-HTTP requests; only presigned requests signed by the function's role work.
 * - CORS: POST (the upload form) and GET (the download) from any origin, for a web client; the
 *   signature, not the origin, is what authorizes (the mobile app needs no CORS at all).
 * - Lifecycle: receipts live as long as their expense (no expiry: deleting the expense or the
 *   budget deletes them, by prefix, in the expenses module's cascades). One hygiene rule aborts
 *   multipart uploads left incomplete after a day (none are started today: uploads are single
 *   POSTs of at most 10 MB; the rule keeps a future multipart client from leaving billed parts).
 *   An upload that was signed but never sent leaves no object at all; its pending item is removed
 *   when next read after its ticket expired (no TTL: see AttachmentsRepository).
 * - Data exports (packages/users, "Data export") share the bucket under `exports/{userId}/`:
 *   the function writes them (PutObject, and multipart uploads for a large document, both
 *   authorized as PutObject) and hands out presigned GETs. A second rule expires everything
 *   under `exports/` after 7 days, the export item's TTL (EXPORT_RETENTION_DAYS), so a document
 *   and the parts a failed export left behind go without any job; the multipart rule above
 *   removes an assembly abandoned half-way.
 * - Production keeps the bucket on `sst remove` (the app's removal: 'retain').
 */
export const attachments = new sst.aws.Bucket('Attachments', {
  enforceHttps: true,
  cors: { allowMethods: ['POST', 'GET'], allowOrigins: ['*'], allowHeaders: ['*'], maxAge: '1 hour' },
  transform: {
    bucket: (args) => {
      args.forceDestroy = $app.stage !== 'production';
    },
  },
});

export const attachmentsLifecycle = new aws.s3.BucketLifecycleConfiguration('AttachmentsLifecycle', {
  bucket: attachments.name,
  rules: [
    { id: 'abort-incomplete-multipart-uploads', status: 'Enabled', filter: {}, abortIncompleteMultipartUpload: { daysAfterInitiation: 1 } },
    // EXPORT_RETENTION_DAYS in packages/users/src/domain/data-export.ts.
    { id: 'expire-data-exports', status: 'Enabled', filter: { prefix: 'exports/' }, expiration: { days: 7 } },
  ],
});
