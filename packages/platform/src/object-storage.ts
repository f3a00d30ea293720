/**
 * Object storage as a port, like mail and push: the expenses module's receipts (attachments)
 * are stored as objects that clients upload and download THEMSELVES through short-lived signed
 * URLs, so no file ever streams through the function. In AWS: an S3 bucket (presigned POST with
 * a policy that S3 enforces, presigned GET); locally and in tests: a folder of files and a small
 * HTTP server whose URLs carry an HMAC and an expiry (packages/app/src/storage).
 */
export interface UploadTicket {
  /** Always a form POST (multipart/form-data): `fields` first, then the file as `file`. */
  method: 'POST';
  url: string;
  fields: Record<string, string>;
  expiresAt: string;
}

export interface StoredObject {
  size: number;
  contentType: string | undefined;
}

export interface ObjectStorage {
  /**
   * A signed upload of exactly `size` bytes of `contentType` to `key`, valid `expiresInSeconds`:
   * the store refuses any other size or type, and any request after the expiry.
   */
  presignUpload(p: { key: string; contentType: string; size: number; expiresInSeconds: number }): Promise<UploadTicket>;
  /** A signed GET of `key`, valid `expiresInSeconds`; `fileName` becomes the download's name. */
  presignDownload(p: { key: string; expiresInSeconds: number; fileName?: string }): Promise<{ url: string; expiresAt: string }>;
  /** The object's size and type, or undefined when there is none. */
  head(key: string): Promise<StoredObject | undefined>;
  /** Deletes these objects (a missing one is no error); S3 takes them 1,000 per request. */
  deleteKeys(keys: string[]): Promise<void>;
  /**
   * Deletes objects under `prefix`, a page (up to 1,000) at a time, while `deadline` (epoch ms)
   * leaves time for another page; `finished` once nothing is left.
   */
  deletePrefix(prefix: string, deadline: number): Promise<{ deleted: number; finished: boolean }>;
  /**
   * One page (up to 1,000; S3's ListObjectsV2 page) of the keys under `prefix`, in key order,
   * only those after `after` when it is given; `more` when keys are left past the page (list
   * again after its last key). For deleting some keys of a prefix and keeping others.
   */
  listKeys(prefix: string, after?: string): Promise<{ keys: string[]; more: boolean }>;
}
