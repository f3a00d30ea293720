import { CompleteMultipartUploadCommand, CreateMultipartUploadCommand, GetObjectCommand, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { fixedClock } from '@budgeting/platform';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CONCAT_PART_BYTES, s3ObjectStorage } from '../../../packages/app/src/storage/s3-storage';

/**
 * ObjectStorage.concatenate on S3 (the data export's assembly), where no emulator shows it:
 * sources joined into parts of at least CONCAT_PART_BYTES (S3 refuses smaller parts but the
 * last), a call that stops at its deadline resumed with the same upload, small documents as one
 * PutObject.
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const s3 = mockClient(client);
const storage = s3ObjectStorage({ bucket: 'receipts', region: 'eu-west-1', clock, client });
afterEach(() => s3.reset());

const MB = 1024 * 1024;
/** Source `key` holds `bytes` bytes of its last character. */
function serve(sizes: Record<string, number>) {
  for (const [key, bytes] of Object.entries(sizes)) {
    // The SDK's body stream, as far as concatenate reads it.
    s3.on(GetObjectCommand, { Key: key }).callsFake(() => ({ Body: { transformToByteArray: async () => new Uint8Array(Buffer.alloc(bytes, key.at(-1)!)) } }));
  }
}

describe('S3 concatenate', () => {
  it('writes a small document with one PutObject', async () => {
    serve({ a: 10, b: 20 });
    s3.on(PutObjectCommand).resolves({});
    const out = await storage.concatenate({ sources: ['a', 'b'], target: 'doc', contentType: 'application/x-ndjson', deadline: Date.now() + 60_000 });
    expect(out).toEqual({ finished: true, size: 30 });
    const put = s3.commandCalls(PutObjectCommand)[0]!.args[0].input;
    expect(put.Key).toBe('doc');
    expect(Buffer.from(put.Body as Uint8Array).toString()).toBe(`${'a'.repeat(10)}${'b'.repeat(20)}`);
    expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(0);
  });

  it('uploads parts of at least 8 MB, the rest as the last part, and resumes a call stopped at its deadline', async () => {
    serve({ s1: 5 * MB, s2: 5 * MB, s3: 5 * MB, s4: 5 * MB, s5: 1 * MB });
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-1' });
    s3.on(UploadPartCommand).callsFake((input: { PartNumber: number }) => ({ ETag: `"etag-${input.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const sources = ['s1', 's2', 's3', 's4', 's5'];
    // Past its deadline: still one part (two sources) of progress, then it stops.
    const first = await storage.concatenate({ sources, target: 'doc', contentType: 'application/x-ndjson', deadline: 0 });
    expect(first).toEqual({ finished: false, resume: { next: 2, size: 10 * MB, uploadId: 'up-1', parts: [{ n: 1, etag: '"etag-1"' }] } });
    if (first.finished) throw new Error('unreachable');
    const second = await storage.concatenate({ sources, target: 'doc', contentType: 'application/x-ndjson', deadline: Date.now() + 60_000, resume: first.resume });
    expect(second).toEqual({ finished: true, size: 21 * MB });
    const parts = s3.commandCalls(UploadPartCommand).map((c) => [c.args[0].input.PartNumber, (c.args[0].input.Body as Buffer).byteLength]);
    expect(parts).toEqual([
      [1, 10 * MB],
      [2, 10 * MB],
      [3, 1 * MB],
    ]);
    expect(s3.commandCalls(CreateMultipartUploadCommand)).toHaveLength(1);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input.MultipartUpload!.Parts).toEqual([
      { PartNumber: 1, ETag: '"etag-1"' },
      { PartNumber: 2, ETag: '"etag-2"' },
      { PartNumber: 3, ETag: '"etag-3"' },
    ]);
    expect(10 * MB).toBeGreaterThanOrEqual(CONCAT_PART_BYTES);
  });

  it('starts over with a new upload when S3 no longer knows the resumed one (NoSuchUpload)', async () => {
    serve({ s1: 5 * MB, s2: 5 * MB, s3: 1 * MB });
    s3.on(CreateMultipartUploadCommand).resolves({ UploadId: 'up-2' });
    s3.on(UploadPartCommand, { UploadId: 'up-1' }).rejects(Object.assign(new Error('The specified upload does not exist.'), { name: 'NoSuchUpload' }));
    s3.on(UploadPartCommand, { UploadId: 'up-2' }).callsFake((input: { PartNumber: number }) => ({ ETag: `"etag-${input.PartNumber}"` }));
    s3.on(CompleteMultipartUploadCommand).resolves({});
    // A resume delivered again after the upload it names was completed.
    const resume = { next: 2, size: 10 * MB, uploadId: 'up-1', parts: [{ n: 1, etag: '"etag-1"' }] };
    const out = await storage.concatenate({ sources: ['s1', 's2', 's3'], target: 'doc', contentType: 'application/x-ndjson', deadline: Date.now() + 60_000, resume });
    expect(out).toEqual({ finished: true, size: 11 * MB });
    expect(s3.commandCalls(UploadPartCommand, { UploadId: 'up-2' }).map((c) => [c.args[0].input.PartNumber, (c.args[0].input.Body as Buffer).byteLength])).toEqual([
      [1, 10 * MB],
      [2, 1 * MB],
    ]);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)[0]!.args[0].input.UploadId).toBe('up-2');
  });
});
