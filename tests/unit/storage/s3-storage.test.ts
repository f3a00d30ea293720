import { DeleteObjectsCommand, HeadObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { fixedClock } from '@budgeting/platform';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { s3ObjectStorage } from '../../../packages/app/src/storage/s3-storage';

/**
 * The S3 implementation of the storage port, where no emulator shows it: the presigned POST's
 * policy (what S3 will enforce), the presigned GET, the ListObjectsV2 and DeleteObjects pages. The service
 * code on top runs against the local stand-in (tests/integration/expenses/attachments.test.ts).
 */
const clock = fixedClock('2026-11-24T12:00:00Z');
const client = new S3Client({ region: 'eu-west-1', credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' } });
const s3 = mockClient(client);
const storage = s3ObjectStorage({ bucket: 'receipts', region: 'eu-west-1', clock, client });
afterEach(() => s3.reset());

describe('S3 object storage', () => {
  it('signs a POST whose policy pins the key, the exact size (content-length-range) and the exact Content-Type, for 15 minutes', async () => {
    const ticket = await storage.presignUpload({ key: 'budgets/b/expenses/e/a', contentType: 'image/heic', size: 1234, expiresInSeconds: 900 });
    expect(ticket.method).toBe('POST');
    expect(ticket.url).toContain('receipts');
    expect(ticket.expiresAt).toBe('2026-11-24T12:15:00.000Z');
    expect(ticket.fields).toMatchObject({ key: 'budgets/b/expenses/e/a', 'Content-Type': 'image/heic', bucket: 'receipts', 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256' });
    const policy = JSON.parse(Buffer.from(ticket.fields.Policy!, 'base64').toString('utf8')) as { expiration: string; conditions: unknown[] };
    expect(policy.conditions).toContainEqual(['content-length-range', 1234, 1234]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'image/heic']);
    expect(policy.conditions).toContainEqual({ key: 'budgets/b/expenses/e/a' });
    expect(policy.conditions).toContainEqual({ bucket: 'receipts' });
    // The policy's expiry is the signer's clock + 15 minutes (the SDK's own clock: real time).
    expect(Date.parse(policy.expiration) - Date.now()).toBeGreaterThan(14 * 60 * 1000);
    expect(Date.parse(policy.expiration) - Date.now()).toBeLessThanOrEqual(15 * 60 * 1000);
  });

  it('signs a GET valid 5 minutes, naming the download', async () => {
    const download = await storage.presignDownload({ key: 'budgets/b/expenses/e/a', expiresInSeconds: 300, fileName: 'reçu.pdf' });
    const url = new URL(download.url);
    expect(url.pathname).toContain('budgets/b/expenses/e/a');
    expect(url.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(url.searchParams.get('response-content-disposition')).toBe("attachment; filename=\"recu.pdf\"; filename*=UTF-8''re%C3%A7u.pdf");
    expect(download.expiresAt).toBe('2026-11-24T12:05:00.000Z');
    // A receipt or a data export is the user's finances, fetched with no Authorization: S3 is told
    // to answer it with no-store (S3 sends Last-Modified, so a browser's cache would otherwise keep it on disk).
    expect(url.searchParams.get('response-cache-control')).toBe('no-store');
    // RFC 8187 allows no ' ( ) * unencoded (encodeURIComponent keeps them).
    const odd = new URL((await storage.presignDownload({ key: 'k', expiresInSeconds: 300, fileName: "it's (1).pdf" })).url);
    expect(odd.searchParams.get('response-content-disposition')).toBe("attachment; filename=\"it's (1).pdf\"; filename*=UTF-8''it%27s%20%281%29.pdf");
  });

  it('deletes keys 1,000 per DeleteObjects request', async () => {
    s3.on(DeleteObjectsCommand).resolves({});
    const keys = Array.from({ length: 2_345 }, (_, i) => `budgets/b/expenses/e/${i}`);
    await storage.deleteKeys(keys);
    const calls = s3.commandCalls(DeleteObjectsCommand).map((c) => c.args[0].input);
    expect(calls.map((c) => c.Delete!.Objects!.length)).toEqual([1_000, 1_000, 345]);
    expect(calls.flatMap((c) => c.Delete!.Objects!.map((o) => o.Key))).toEqual(keys);
    expect(calls.every((c) => c.Bucket === 'receipts' && c.Delete!.Quiet === true)).toBe(true);
  });

  it('fails when S3 reports keys it could not delete (so the cascade is retried)', async () => {
    s3.on(DeleteObjectsCommand).resolves({ Errors: [{ Key: 'k', Code: 'AccessDenied', Message: 'no' }] });
    await expect(storage.deleteKeys(['k'])).rejects.toThrow(/AccessDenied/);
  });

  it('deletes a prefix a listed page at a time, and stops at the deadline with finished: false', async () => {
    const page = (n: number, from: number) => Array.from({ length: n }, (_, i) => ({ Key: `budgets/b/x/${from + i}` }));
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: page(1_000, 0), IsTruncated: true })
      .resolvesOnce({ Contents: page(1_000, 1_000), IsTruncated: true })
      .resolvesOnce({ Contents: page(3, 2_000), IsTruncated: false });
    s3.on(DeleteObjectsCommand).resolves({});
    expect(await storage.deletePrefix('budgets/b/', Number.POSITIVE_INFINITY)).toEqual({ deleted: 2_003, finished: true });
    expect(s3.commandCalls(ListObjectsV2Command).every((c) => c.args[0].input.Prefix === 'budgets/b/' && c.args[0].input.MaxKeys === 1_000)).toBe(true);
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(3);

    s3.reset();
    s3.on(ListObjectsV2Command).resolves({ Contents: page(1_000, 0), IsTruncated: true });
    s3.on(DeleteObjectsCommand).resolves({});
    expect(await storage.deletePrefix('budgets/b/', 0)).toEqual({ deleted: 1_000, finished: false });
  });

  it('lists one page of keys under a prefix (ListObjectsV2, 1,000 a page), from after a key when given', async () => {
    s3.on(ListObjectsV2Command)
      .resolvesOnce({ Contents: [{ Key: 'budgets/b/expenses/e/1' }, { Key: 'budgets/b/expenses/e/2' }], IsTruncated: true })
      .resolvesOnce({ Contents: [{ Key: 'budgets/b/expenses/e/3' }], IsTruncated: false })
      .resolvesOnce({});
    expect(await storage.listKeys('budgets/b/expenses/e/')).toEqual({ keys: ['budgets/b/expenses/e/1', 'budgets/b/expenses/e/2'], more: true });
    expect(await storage.listKeys('budgets/b/expenses/e/', 'budgets/b/expenses/e/2')).toEqual({ keys: ['budgets/b/expenses/e/3'], more: false });
    expect(await storage.listKeys('budgets/b/expenses/x/')).toEqual({ keys: [], more: false });
    const inputs = s3.commandCalls(ListObjectsV2Command).map((c) => c.args[0].input);
    expect(inputs[0]).toEqual({ Bucket: 'receipts', Prefix: 'budgets/b/expenses/e/', MaxKeys: 1_000 });
    expect(inputs[1]).toEqual({ Bucket: 'receipts', Prefix: 'budgets/b/expenses/e/', MaxKeys: 1_000, StartAfter: 'budgets/b/expenses/e/2' });
    expect(s3.commandCalls(DeleteObjectsCommand)).toHaveLength(0);
  });

  it('reads size and type with HeadObject; a missing object is undefined', async () => {
    s3.on(HeadObjectCommand, { Key: 'there' }).resolves({ ContentLength: 42, ContentType: 'image/png' });
    s3.on(HeadObjectCommand, { Key: 'gone' }).rejects(Object.assign(new Error('NotFound'), { name: 'NotFound', $metadata: { httpStatusCode: 404 } }));
    expect(await storage.head('there')).toEqual({ size: 42, contentType: 'image/png' });
    expect(await storage.head('gone')).toBeUndefined();
  });
});
