import { fixedClock, type ObjectStorage } from '@budgeting/platform';
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
}

/** Keys the stand-in holds: listed by ListObjectsV2 in pages of two (from after `start-after`), removed by DeleteObjects. */
const objects = new Map<string, { size: number; type: string }>();
const seen: SeenRequest[] = [];
let server: Server;
let endpoint: string;
let outdir: string;
let metafile: Metafile;
let storage: ObjectStorage;

function answer(req: SeenRequest): { status: number; headers?: Record<string, string>; body?: string } {
  const url = new URL(req.url, 'http://s3.local');
  const key = decodeURIComponent(url.pathname.slice(`/${BUCKET}/`.length));
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
  return { status: 400, body: 'unexpected request' };
}

beforeAll(async () => {
  server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const r: SeenRequest = { method: req.method!, url: req.url!, headers: req.headers, body: Buffer.concat(chunks).toString('utf8') };
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
