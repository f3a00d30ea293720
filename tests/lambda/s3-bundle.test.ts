import { fixedClock, type ObjectStorage } from '@budgeting/platform';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildLambda } from '../../packages/app/scripts/build.mjs';

/**
 * The receipts' S3 adapter as the Lambda bundle runs it. The build gives the S3 packages their
 * own CommonJS copy of the SDK core (packages/app/scripts/lazy-clients-own-sdk-core.mjs: it keeps the
 * XML protocol off every other request's cold path), so what tests/unit/storage/s3-storage.test.ts
 * proves from the sources is proved here again from the bundle, over HTTP against a stand-in
 * S3 endpoint that answers as S3's REST API does (XML bodies, HEAD without one): a request that
 * the bundled client cannot serialize, or an answer it cannot parse, fails here.
 */
const repoRoot = join(import.meta.dirname, '../..');
const BUCKET = 'receipts';

interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
  bytes: Buffer;
}

/**
 * Keys the stand-in holds: listed by ListObjectsV2 in pages of two (from after `start-after`),
 * removed by DeleteObjects; `bytes` for those written through it (PutObject, a completed
 * multipart upload), which GetObject serves.
 */
const objects = new Map<string, { size: number; type: string; bytes?: Buffer }>();
/** Open multipart uploads by UploadId: S3 forgets one once it is completed or aborted (NoSuchUpload). */
const uploads = new Map<string, { key: string; type: string; parts: Map<number, { bytes: Buffer; etag: string }> }>();
let uploadCount = 0;
/** S3's minimum size of every part but the last, checked (as S3 does) when the upload is completed. */
const MIN_PART = 5 * 1024 * 1024;
const seen: SeenRequest[] = [];
let server: Server;
let endpoint: string;
let outdir: string;
let metafile: Metafile;
let storage: ObjectStorage;

type Answer = { status: number; headers?: Record<string, string>; body?: string | Buffer };

const XML = { 'content-type': 'application/xml' };
/** An S3 error answer: the status and an XML `<Error>` with S3's code, as the client parses it. */
function s3Error(status: number, code: string, message: string): Answer {
  return { status, headers: XML, body: `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${message}</Message></Error>` };
}
const unescapeXml = (s: string) => s.replace(/&quot;/g, '"').replace(/&apos;/g, "'").replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
/** S3 compares part ETags with or without their quotes. */
const bareEtag = (etag: string) => etag.replace(/^"|"$/g, '');

/** CreateMultipartUpload, UploadPart, CompleteMultipartUpload and AbortMultipartUpload, with S3's rules. */
function multipart(req: SeenRequest, url: URL, key: string): Answer | undefined {
  const uploadId = url.searchParams.get('uploadId');
  if (req.method === 'POST' && url.searchParams.has('uploads')) {
    const id = `upload-${++uploadCount}`;
    uploads.set(id, { key, type: req.headers['content-type'] ?? 'binary/octet-stream', parts: new Map() });
    return { status: 200, headers: XML, body: `<?xml version="1.0" encoding="UTF-8"?><InitiateMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Bucket>${BUCKET}</Bucket><Key>${key}</Key><UploadId>${id}</UploadId></InitiateMultipartUploadResult>` };
  }
  if (uploadId === null) return undefined;
  const upload = uploads.get(uploadId);
  if (!upload || upload.key !== key) return s3Error(404, 'NoSuchUpload', 'The specified upload does not exist.');
  if (req.method === 'PUT' && url.searchParams.has('partNumber')) {
    const n = Number(url.searchParams.get('partNumber'));
    if (!Number.isInteger(n) || n < 1 || n > 10_000) return s3Error(400, 'InvalidArgument', 'Part number must be an integer between 1 and 10000, inclusive');
    const etag = `"${createHash('md5').update(req.bytes).digest('hex')}"`;
    // The same part number again replaces the part (S3 keeps the last one uploaded).
    upload.parts.set(n, { bytes: req.bytes, etag });
    return { status: 200, headers: { etag } };
  }
  if (req.method === 'POST') {
    const listed = [...req.body.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
      n: Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1]!)?.[1]),
      etag: unescapeXml(/<ETag>([^<]*)<\/ETag>/.exec(m[1]!)?.[1] ?? ''),
    }));
    if (listed.length === 0) return s3Error(400, 'MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema.');
    for (let i = 1; i < listed.length; i++) {
      if (listed[i]!.n <= listed[i - 1]!.n) return s3Error(400, 'InvalidPartOrder', 'The list of parts was not in ascending order. Parts must be ordered by part number.');
    }
    for (const [i, p] of listed.entries()) {
      const part = upload.parts.get(p.n);
      if (!part || bareEtag(part.etag) !== bareEtag(p.etag)) return s3Error(400, 'InvalidPart', 'One or more of the specified parts could not be found. The part may not have been uploaded, or the specified entity tag may not match the part\'s entity tag.');
      if (i < listed.length - 1 && part.bytes.byteLength < MIN_PART) return s3Error(400, 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size');
    }
    const bytes = Buffer.concat(listed.map((p) => upload.parts.get(p.n)!.bytes));
    objects.set(key, { size: bytes.byteLength, type: upload.type, bytes });
    uploads.delete(uploadId);
    const etag = `"${createHash('md5').update(Buffer.concat(listed.map((p) => Buffer.from(bareEtag(p.etag), 'hex')))).digest('hex')}-${listed.length}"`;
    return { status: 200, headers: XML, body: `<?xml version="1.0" encoding="UTF-8"?><CompleteMultipartUploadResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Location>${endpoint}/${BUCKET}/${key}</Location><Bucket>${BUCKET}</Bucket><Key>${key}</Key><ETag>${etag.replace(/"/g, '&quot;')}</ETag></CompleteMultipartUploadResult>` };
  }
  if (req.method === 'DELETE') {
    uploads.delete(uploadId);
    return { status: 204 };
  }
  return undefined;
}

function answer(req: SeenRequest): Answer {
  const url = new URL(req.url, 'http://s3.local');
  const key = decodeURIComponent(url.pathname.slice(`/${BUCKET}/`.length));
  // The stand-in reads bodies as they are sent: a streamed (aws-chunked) one would need decoding.
  if (req.headers['content-encoding']?.includes('aws-chunked')) return s3Error(400, 'NotImplemented', 'aws-chunked bodies are not served by the stand-in');
  // The SDK names the operation in `x-id` (PutObject, GetObject, UploadPart...); S3 ignores it.
  url.searchParams.delete('x-id');
  const mp = multipart(req, url, key);
  if (mp) return mp;
  if (req.method === 'PUT' && !url.search) {
    objects.set(key, { size: req.bytes.byteLength, type: req.headers['content-type'] ?? 'binary/octet-stream', bytes: req.bytes });
    return { status: 200, headers: { etag: `"${createHash('md5').update(req.bytes).digest('hex')}"` } };
  }
  if (req.method === 'GET' && !url.search) {
    const o = objects.get(key);
    if (!o?.bytes) return s3Error(404, 'NoSuchKey', 'The specified key does not exist.');
    return { status: 200, headers: { 'content-length': String(o.size), 'content-type': o.type }, body: o.bytes };
  }
  if (req.method === 'HEAD') {
    const o = objects.get(key);
    return o ? { status: 200, headers: { 'content-length': String(o.size), 'content-type': o.type } } : { status: 404 };
  }
  if (req.method === 'GET' && url.searchParams.get('list-type') === '2') {
    const prefix = url.searchParams.get('prefix') ?? '';
    const max = Number(url.searchParams.get('max-keys') ?? 1000);
    const after = url.searchParams.get('start-after');
    const matching = [...objects.keys()].filter((k) => k.startsWith(prefix) && (after === null || k > after)).sort();
    const page = matching.slice(0, Math.min(max, 2));
    const contents = page.map((k) => `<Contents><Key>${k}</Key><Size>${objects.get(k)!.size}</Size></Contents>`).join('');
    return {
      status: 200,
      headers: { 'content-type': 'application/xml' },
      body: `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"><Name>${BUCKET}</Name><Prefix>${prefix}</Prefix><KeyCount>${page.length}</KeyCount><MaxKeys>${max}</MaxKeys><IsTruncated>${matching.length > page.length}</IsTruncated>${contents}</ListBucketResult>`,
    };
  }
  if (req.method === 'POST' && url.searchParams.has('delete')) {
    const keys = [...req.body.matchAll(/<Key>([^<]*)<\/Key>/g)].map((m) => m[1]!);
    for (const k of keys) objects.delete(k);
    return { status: 200, headers: { 'content-type': 'application/xml' }, body: '<?xml version="1.0" encoding="UTF-8"?><DeleteResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/"></DeleteResult>' };
  }
  return s3Error(400, 'UnexpectedRequest', `the stand-in does not serve ${req.method} ${req.url}`);
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const bytes = Buffer.concat(chunks);
      const r: SeenRequest = { method: req.method!, url: req.url!, headers: req.headers, body: bytes.toString('utf8'), bytes };
      seen.push(r);
      const out = answer(r);
      res.writeHead(out.status, out.headers);
      res.end(out.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  outdir = mkdtempSync(join(tmpdir(), 's3-bundle-'));
  const built = await buildLambda({ entryPoint: join(repoRoot, 'tests/lambda/support/s3-bundle-entry.ts'), outdir, entryName: 's3' });
  metafile = built.metafile;
  const bundled = (await import(pathToFileURL(built.entry).href)) as typeof import('./support/s3-bundle-entry');
  const client = new bundled.S3Client({
    region: 'eu-west-1',
    endpoint,
    forcePathStyle: true,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'secret' },
  });
  storage = bundled.s3ObjectStorage({ bucket: BUCKET, region: 'eu-west-1', clock: fixedClock('2026-11-24T12:00:00Z'), client });
}, 120_000);

afterAll(() => {
  server?.close();
  if (outdir) rmSync(outdir, { recursive: true, force: true });
});

describe('the bundled S3 adapter', () => {
  it('is built from the CommonJS SDK core, not the ES-module one the DynamoDB client shares', () => {
    const inputs = Object.keys(metafile.inputs);
    expect(inputs.some((f) => /@aws-sdk\/core\/dist-cjs\//.test(f))).toBe(true);
    expect(inputs.filter((f) => /@aws-sdk\/(core|client-s3)\/dist-es\//.test(f))).toEqual([]);
  });

  it('signs an upload POST and a download GET for the configured endpoint', async () => {
    const ticket = await storage.presignUpload({ key: 'budgets/b/expenses/e/a', contentType: 'image/png', size: 42, expiresInSeconds: 900 });
    expect(ticket.url).toBe(`${endpoint}/${BUCKET}`);
    const policy = JSON.parse(Buffer.from(ticket.fields.Policy!, 'base64').toString('utf8')) as { conditions: unknown[] };
    expect(policy.conditions).toContainEqual(['content-length-range', 42, 42]);
    expect(policy.conditions).toContainEqual(['eq', '$Content-Type', 'image/png']);
    expect(ticket.fields['X-Amz-Signature']).toMatch(/^[0-9a-f]{64}$/);

    const download = new URL((await storage.presignDownload({ key: 'budgets/b/expenses/e/a', expiresInSeconds: 300, fileName: 'r.pdf' })).url);
    expect(download.origin + download.pathname).toBe(`${endpoint}/${BUCKET}/budgets/b/expenses/e/a`);
    expect(download.searchParams.get('X-Amz-Expires')).toBe('300');
    expect(download.searchParams.get('X-Amz-Signature')).toMatch(/^[0-9a-f]{64}$/);
  });

  it('reads an object\'s size and type with a signed HEAD, and answers undefined for a missing one', async () => {
    objects.set('budgets/b/expenses/e/present', { size: 1234, type: 'application/pdf' });
    expect(await storage.head('budgets/b/expenses/e/present')).toEqual({ size: 1234, contentType: 'application/pdf' });
    expect(await storage.head('budgets/b/expenses/e/missing')).toBeUndefined();
    const head = seen.find((r) => r.method === 'HEAD')!;
    expect(head.headers.authorization).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\/\d{8}\/eu-west-1\/s3\/aws4_request/);
  });

  it('deletes a prefix page by page: XML listings parsed, XML delete requests sent', async () => {
    for (const n of [1, 2, 3, 4, 5]) objects.set(`budgets/gone/expenses/e${n}/a`, { size: 1, type: 'image/png' });
    objects.set('budgets/kept/expenses/e/a', { size: 1, type: 'image/png' });
    seen.length = 0;

    expect(await storage.deletePrefix('budgets/gone/', Date.now() + 60_000)).toEqual({ deleted: 5, finished: true });

    expect([...objects.keys()].filter((k) => k.startsWith('budgets/gone/'))).toEqual([]);
    expect(objects.has('budgets/kept/expenses/e/a')).toBe(true);
    // Pages of two (the stand-in's page): three listings, three DeleteObjects with XML bodies.
    expect(seen.filter((r) => r.method === 'GET')).toHaveLength(3);
    const deletes = seen.filter((r) => r.method === 'POST');
    expect(deletes).toHaveLength(3);
    expect(deletes[0]!.body).toMatch(/^<\?xml|^<Delete/);
    expect(deletes[0]!.body).toContain('<Quiet>true</Quiet>');
  });

  it('lists keys page by page, each after the last key of the one before (StartAfter), deleting nothing', async () => {
    for (const n of [1, 2, 3]) objects.set(`budgets/listed/expenses/e/${n}`, { size: 1, type: 'image/png' });
    objects.set('budgets/listed/expenses/other/1', { size: 1, type: 'image/png' });
    seen.length = 0;

    const first = await storage.listKeys('budgets/listed/expenses/e/');
    expect(first).toEqual({ keys: ['budgets/listed/expenses/e/1', 'budgets/listed/expenses/e/2'], more: true });
    const second = await storage.listKeys('budgets/listed/expenses/e/', first.keys.at(-1));
    expect(second).toEqual({ keys: ['budgets/listed/expenses/e/3'], more: false });

    const lists = seen.map((r) => new URL(r.url, 'http://s3.local').searchParams);
    expect(lists.map((q) => [q.get('list-type'), q.get('prefix'), q.get('max-keys'), q.get('start-after')])).toEqual([
      ['2', 'budgets/listed/expenses/e/', '1000', null],
      ['2', 'budgets/listed/expenses/e/', '1000', 'budgets/listed/expenses/e/2'],
    ]);
    expect(seen.every((r) => r.method === 'GET')).toBe(true);
    expect(objects.has('budgets/listed/expenses/e/1')).toBe(true);
  });
});

/** `count` sources of `bytes` bytes each (JSON lines, as the export's parts are), each line naming its source. */
function exportSources(prefix: string, count: number, bytes: number): { keys: string[]; bodies: string[] } {
  const keys: string[] = [];
  const bodies: string[] = [];
  for (let s = 0; s < count; s++) {
    const lines: string[] = [];
    let length = 0;
    for (let j = 0; length < bytes; j++) {
      const line = `{"source":${s},"line":${j},"pad":"${'x'.repeat(j % 17)}"}\n`;
      lines.push(line);
      length += line.length;
    }
    keys.push(`${prefix}part-${String(s).padStart(3, '0')}.jsonl`);
    bodies.push(lines.join('').slice(0, bytes));
  }
  return { keys, bodies };
}

const NDJSON = 'application/x-ndjson';
/** ~1.6 MB: six sources make a part (S3 refuses non-last parts under 5 MiB; the adapter fills ~8 MiB). */
const SOURCE_BYTES = 1_600_000;

describe('the bundled S3 adapter assembling a data export', () => {
  const requests = (method: string, param: string) => seen.filter((r) => r.method === method && new URL(r.url, 'http://s3.local').searchParams.has(param));
  const partNumbers = () => requests('PUT', 'partNumber').map((r) => Number(new URL(r.url, 'http://s3.local').searchParams.get('partNumber')));
  const sourceGets = () => seen.filter((r) => r.method === 'GET' && !new URL(r.url, 'http://s3.local').searchParams.has('list-type')).map((r) => decodeURIComponent(new URL(r.url, 'http://s3.local').pathname));

  async function putSources(prefix: string, count: number) {
    const sources = exportSources(prefix, count, SOURCE_BYTES);
    for (const [i, key] of sources.keys.entries()) await storage.putObject({ key, body: sources.bodies[i]!, contentType: NDJSON });
    seen.length = 0;
    return { keys: sources.keys, joined: Buffer.from(sources.bodies.join(''), 'utf8') };
  }

  it('writes an object with PutObject and its Content-Type, which HEAD then sees', async () => {
    seen.length = 0;
    await storage.putObject({ key: 'exports/u/x/parts/header.jsonl', body: '{"export":{"format":1}}\n', contentType: NDJSON });
    const put = seen.find((r) => r.method === 'PUT')!;
    expect(new URL(put.url, 'http://s3.local').pathname).toBe(`/${BUCKET}/exports/u/x/parts/header.jsonl`);
    expect(put.headers['content-type']).toBe(NDJSON);
    expect(put.body).toBe('{"export":{"format":1}}\n');
    expect(await storage.head('exports/u/x/parts/header.jsonl')).toEqual({ size: 24, contentType: NDJSON });
  });

  it('joins sources of more than 10 MiB in one call: parts of at least 5 MiB in order, the document byte-exact', async () => {
    const { keys, joined } = await putSources('exports/u/one/parts/', 7);
    expect(joined.byteLength).toBeGreaterThan(10 * 1024 * 1024);

    const out = await storage.concatenate({ sources: keys, target: 'exports/u/one/export.jsonl', contentType: NDJSON, deadline: Date.now() + 60_000 });

    expect(out).toEqual({ finished: true, size: joined.byteLength });
    const doc = objects.get('exports/u/one/export.jsonl')!;
    expect(doc.bytes!.equals(joined)).toBe(true);
    expect(await storage.head('exports/u/one/export.jsonl')).toEqual({ size: joined.byteLength, contentType: NDJSON });
    expect(requests('POST', 'uploads')).toHaveLength(1);
    expect(partNumbers()).toEqual([1, 2]);
    // Every part but the last holds at least S3's minimum (the stand-in would refuse the Complete otherwise).
    expect(requests('PUT', 'partNumber')[0]!.bytes.byteLength).toBeGreaterThanOrEqual(MIN_PART);
    // The Complete lists the parts in ascending order with the ETags (quoted) UploadPart answered.
    const etags = requests('PUT', 'partNumber').map((r) => `"${createHash('md5').update(r.bytes).digest('hex')}"`);
    const complete = requests('POST', 'uploadId');
    expect(complete).toHaveLength(1);
    const listed = [...complete[0]!.body.matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => [
      Number(/<PartNumber>(\d+)<\/PartNumber>/.exec(m[1]!)![1]),
      unescapeXml(/<ETag>([^<]*)<\/ETag>/.exec(m[1]!)![1]!),
    ]);
    expect(listed).toEqual([
      [1, etags[0]],
      [2, etags[1]],
    ]);
    // Each source read once, in order.
    expect(sourceGets()).toEqual(keys.map((k) => `/${BUCKET}/${k}`));
    expect(uploads.size).toBe(0);
  });

  it('stops after one part at a past deadline and finishes from the JSON resume, uploading no part twice', async () => {
    const { keys, joined } = await putSources('exports/u/two/parts/', 7);
    const target = 'exports/u/two/export.jsonl';

    const first = await storage.concatenate({ sources: keys, target, contentType: NDJSON, deadline: 0 });
    if (first.finished) throw new Error('a past deadline still stops after the first part');
    expect(first.resume).toMatchObject({ next: 6, size: 6 * SOURCE_BYTES, parts: [{ n: 1 }] });
    expect(objects.has(target)).toBe(false);
    // As a job unit carries it.
    const resume = JSON.parse(JSON.stringify(first.resume)) as typeof first.resume;

    const second = await storage.concatenate({ sources: keys, target, contentType: NDJSON, deadline: Date.now() + 60_000, resume });

    expect(second).toEqual({ finished: true, size: joined.byteLength });
    expect(objects.get(target)!.bytes!.equals(joined)).toBe(true);
    expect(requests('POST', 'uploads')).toHaveLength(1);
    expect(partNumbers()).toEqual([1, 2]);
    expect(sourceGets()).toEqual(keys.map((k) => `/${BUCKET}/${k}`));
  });

  it('gives the exact bytes when the same resume is delivered twice, before and after the upload completed', async () => {
    const { keys, joined } = await putSources('exports/u/three/parts/', 13);
    const target = 'exports/u/three/export.jsonl';
    const roundTrip = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

    const first = await storage.concatenate({ sources: keys, target, contentType: NDJSON, deadline: 0 });
    if (first.finished) throw new Error('expected a resume');
    const r1 = roundTrip(first.resume);
    // Part 2 uploaded, then the unit is delivered again with the same resume: part 2 again (replaced), not a part 3.
    const second = await storage.concatenate({ sources: keys, target, contentType: NDJSON, deadline: 0, resume: r1 });
    const again = await storage.concatenate({ sources: keys, target, contentType: NDJSON, deadline: 0, resume: roundTrip(r1) });
    if (second.finished || again.finished) throw new Error('expected resumes');
    expect(again.resume).toEqual(second.resume);
    expect(partNumbers()).toEqual([1, 2, 2]);

    const r2 = roundTrip(again.resume);
    expect(await storage.concatenate({ sources: keys, target, contentType: NDJSON, deadline: Date.now() + 60_000, resume: r2 })).toEqual({ finished: true, size: joined.byteLength });
    expect(objects.get(target)!.bytes!.equals(joined)).toBe(true);
    expect(partNumbers()).toEqual([1, 2, 2, 3]);

    // The last unit delivered again: S3 has forgotten the completed upload (NoSuchUpload), so it starts over.
    objects.delete(target);
    expect(await storage.concatenate({ sources: keys, target, contentType: NDJSON, deadline: Date.now() + 60_000, resume: roundTrip(r2) })).toEqual({ finished: true, size: joined.byteLength });
    expect(objects.get(target)!.bytes!.equals(joined)).toBe(true);
    expect(requests('POST', 'uploads')).toHaveLength(2);
  });
});
