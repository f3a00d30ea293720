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
  /**
   * A signed GET of `key`, valid `expiresInSeconds`; `fileName` becomes the download's name. The
   * file is answered with `Cache-Control: no-store` (the user's finances, fetched with no Authorization).
   */
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
  /**
   * Writes an object the function itself made (a part of a data export: at most a few hundred
   * KB, built in memory), replacing any object at `key`.
   */
  putObject(p: { key: string; body: string; contentType: string }): Promise<void>;
  /**
   * Joins `sources` (objects written by putObject), in order, into ONE object at `target`,
   * holding at most a few MB in memory, until `deadline` (epoch ms): `finished`, or the
   * `resume` to pass to the next call (JSON: it travels in a job unit). In S3 a multipart upload
   * whose parts are whole runs of sources of at least 5 MB (S3's minimum part size), so a call
   * that stops keeps only uploaded parts and the next one re-reads what it had not uploaded.
   * An abandoned upload is removed by the bucket's lifecycle rule (AbortIncompleteMultipartUpload).
   */
  concatenate(p: { sources: string[]; target: string; contentType: string; deadline: number; resume?: ConcatenateResume }): Promise<ConcatenateOutcome>;
}

/** Where a concatenation stopped: the next source to read and, in S3, the open multipart upload. */
export interface ConcatenateResume {
  next: number;
  /** Bytes of the target written so far (the sources before `next`). */
  size: number;
  uploadId?: string;
  /** The parts uploaded so far (S3 part numbers 1..n and their ETags). */
  parts?: { n: number; etag: string }[];
}

export type ConcatenateOutcome = { finished: true; size: number } | { finished: false; resume: ConcatenateResume };
