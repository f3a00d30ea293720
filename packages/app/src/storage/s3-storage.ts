import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectsCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
  type S3ServiceException,
} from '@aws-sdk/client-s3';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { Clock, ConcatenateOutcome, ObjectStorage } from '@budgeting/platform';
import { attachmentDisposition, DOWNLOAD_CACHE_CONTROL } from './content-disposition';

/** DeleteObjects and ListObjectsV2 take and give at most this many keys per request. */
export const S3_PAGE = 1_000;
/**
 * A concatenation uploads a part once it holds this much (S3 refuses parts under 5 MiB but the
 * last); it is also about the most the function holds in memory while concatenating.
 */
export const CONCAT_PART_BYTES = 8 * 1024 * 1024;

/**
 * The receipts bucket (AWS SDK v3). Uploads are presigned POSTs whose policy S3 itself enforces:
 * the exact key, the exact Content-Type and `content-length-range` [size, size], so a client can
 * neither send another type nor one byte more or less than it declared, nor reuse the ticket
 * past its expiry. Downloads are presigned GETs. The function never sees a file's bytes; it
 * signs (no request to S3), reads metadata (HeadObject), lists keys (ListObjectsV2) and deletes
 * (DeleteObjects, in pages).
 * Loaded on first use only (storage/on-first-use.ts): no other route's cold start pays for it.
 */
export function s3ObjectStorage(p: { bucket: string; region: string; clock: Clock; client?: S3Client }): ObjectStorage {
  const s3 = p.client ?? new S3Client({ region: p.region });
  const Bucket = p.bucket;
  const expiry = (seconds: number) => new Date(p.clock.now().getTime() + seconds * 1000);

  async function deleteKeys(keys: string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += S3_PAGE) {
      const page = keys.slice(i, i + S3_PAGE);
      const out = await s3.send(new DeleteObjectsCommand({ Bucket, Delete: { Objects: page.map((Key) => ({ Key })), Quiet: true } }));
      // A key that does not exist is no error for S3; anything listed here is (retried by the caller).
      if (out.Errors && out.Errors.length > 0) throw new Error(`DeleteObjects failed for ${out.Errors.length} keys: ${out.Errors[0]!.Code ?? ''} ${out.Errors[0]!.Message ?? ''}`);
    }
  }

  return {
    async presignUpload({ key, contentType, size, expiresInSeconds }) {
      const post = await createPresignedPost(s3, {
        Bucket,
        Key: key,
        Conditions: [['content-length-range', size, size], ['eq', '$Content-Type', contentType]],
        Fields: { 'Content-Type': contentType },
        Expires: expiresInSeconds,
      });
      return { method: 'POST', url: post.url, fields: post.fields, expiresAt: expiry(expiresInSeconds).toISOString() };
    },
    async presignDownload({ key, expiresInSeconds, fileName }) {
      const command = new GetObjectCommand({
        Bucket,
        Key: key,
        ...(fileName ? { ResponseContentDisposition: attachmentDisposition(fileName) } : {}),
        ResponseCacheControl: DOWNLOAD_CACHE_CONTROL,
      });
      return { url: await getSignedUrl(s3, command, { expiresIn: expiresInSeconds }), expiresAt: expiry(expiresInSeconds).toISOString() };
    },
    async head(key) {
      try {
        const out = await s3.send(new HeadObjectCommand({ Bucket, Key: key }));
        return { size: out.ContentLength ?? 0, contentType: out.ContentType };
      } catch (err) {
        const e = err as S3ServiceException;
        if (e.name === 'NotFound' || e.name === 'NoSuchKey' || e.$metadata?.httpStatusCode === 404) return undefined;
        throw err;
      }
    },
    deleteKeys,
    async deletePrefix(prefix, deadline) {
      let deleted = 0;
      // Each round lists one page and deletes it: listing from the start again finds what is left.
      for (;;) {
        const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, MaxKeys: S3_PAGE }));
        const keys = (page.Contents ?? []).map((o) => o.Key!).filter(Boolean);
        if (keys.length > 0) await deleteKeys(keys);
        deleted += keys.length;
        if (!page.IsTruncated) return { deleted, finished: true };
        if (Date.now() > deadline) return { deleted, finished: false };
      }
    },
    async listKeys(prefix, after) {
      // StartAfter rather than a ContinuationToken: the caller carries a key, which it can also
      // carry across invocations (a job unit), and a key it deleted meanwhile changes nothing.
      const page = await s3.send(new ListObjectsV2Command({ Bucket, Prefix: prefix, MaxKeys: S3_PAGE, ...(after === undefined ? {} : { StartAfter: after }) }));
      return { keys: (page.Contents ?? []).map((o) => o.Key!).filter(Boolean), more: page.IsTruncated === true };
    },
    async putObject({ key, body, contentType }) {
      await s3.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }));
    },
    concatenate: (p) => concatenate(s3, Bucket, p),
  };
}

/**
 * ObjectStorage.concatenate on S3: whole sources are copied into one part buffer until it holds
 * CONCAT_PART_BYTES, then uploaded as one part of a multipart upload; a call that stops (only
 * at a part boundary) hands back the upload and its parts, and the next call goes on from there.
 * Everything that fits one part is a plain PutObject.
 * A resume whose upload S3 no longer knows (NoSuchUpload: an earlier delivery of the same job
 * unit already completed it, or the lifecycle rule aborted it) starts over with a new upload
 * from the first source: re-reading is the only way to a byte-exact object.
 */
async function concatenate(s3: S3Client, Bucket: string, p: Parameters<ObjectStorage['concatenate']>[0]): Promise<ConcatenateOutcome> {
  if (!p.resume?.uploadId) return concatenateFrom(s3, Bucket, p);
  try {
    return await concatenateFrom(s3, Bucket, p);
  } catch (err) {
    if (!isNoSuchUpload(err)) throw err;
    const { resume: _gone, ...fresh } = p;
    return concatenateFrom(s3, Bucket, fresh);
  }
}

function isNoSuchUpload(err: unknown): boolean {
  const e = err as S3ServiceException;
  return e?.name === 'NoSuchUpload' || (e as { Code?: string })?.Code === 'NoSuchUpload';
}

/**
 * The part being filled: one buffer of CONCAT_PART_BYTES plus room for a source, reused for every
 * part of the call (an upload is awaited before the next part overwrites it), so the function
 * holds about one part plus the source it has just read, never a copy of the part.
 */
function partBuffer() {
  let buf = Buffer.allocUnsafe(CONCAT_PART_BYTES + 1024 * 1024);
  let length = 0;
  return {
    get length() {
      return length;
    },
    append(bytes: Uint8Array) {
      // A source larger than the slack: grow once to what this part needs.
      if (length + bytes.byteLength > buf.byteLength) {
        const bigger = Buffer.allocUnsafe(length + bytes.byteLength);
        buf.copy(bigger, 0, 0, length);
        buf = bigger;
      }
      buf.set(bytes, length);
      length += bytes.byteLength;
    },
    /** A view of the bytes held (no copy); valid until the next append after clear. */
    view: () => buf.subarray(0, length),
    clear() {
      length = 0;
    },
  };
}

async function concatenateFrom(s3: S3Client, Bucket: string, { sources, target, contentType, deadline, resume }: Parameters<ObjectStorage['concatenate']>[0]): Promise<ConcatenateOutcome> {
  let next = resume?.next ?? 0;
  let size = resume?.size ?? 0;
  let uploadId = resume?.uploadId;
  // Part numbers follow from the parts of the resume: a redelivered resume uploads the same
  // numbers again, which S3 overwrites, and never adds a part after them.
  const parts = [...(resume?.parts ?? [])];
  const held = partBuffer();
  const read = async (key: string) => {
    const out = await s3.send(new GetObjectCommand({ Bucket, Key: key }));
    return out.Body!.transformToByteArray();
  };
  const uploadHeld = async () => {
    uploadId ??= (await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: target, ContentType: contentType }))).UploadId!;
    const n = parts.length + 1;
    const out = await s3.send(new UploadPartCommand({ Bucket, Key: target, UploadId: uploadId, PartNumber: n, Body: held.view() }));
    parts.push({ n, etag: out.ETag! });
    size += held.length;
    held.clear();
  };
  const first = next;
  while (next < sources.length) {
    // Stops only at a part boundary (what was read and not uploaded would be lost), and
    // never before the first part of the call: every call makes progress.
    if (held.length === 0 && next > first && Date.now() > deadline) return { finished: false, resume: { next, size, ...(uploadId ? { uploadId, parts } : {}) } };
    held.append(await read(sources[next]!));
    next++;
    if (held.length >= CONCAT_PART_BYTES) await uploadHeld();
  }
  if (!uploadId) {
    // All of it fits one part: a plain PutObject.
    await s3.send(new PutObjectCommand({ Bucket, Key: target, Body: held.view(), ContentType: contentType }));
    return { finished: true, size: size + held.length };
  }
  if (held.length > 0) await uploadHeld();
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket,
      Key: target,
      UploadId: uploadId,
      MultipartUpload: { Parts: parts.map((p) => ({ PartNumber: p.n, ETag: p.etag })) },
    }),
  );
  return { finished: true, size };
}
