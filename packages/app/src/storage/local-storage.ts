import { createHmac, timingSafeEqual } from 'node:crypto';
import { mkdtempSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { serve, type ServerType } from '@hono/node-server';
import { Hono } from 'hono';
import { loadOnce, type Clock, type ObjectStorage, type StoredObject } from '@budgeting/platform';
import { attachmentDisposition, DOWNLOAD_CACHE_CONTROL } from './content-disposition';

/**
 * The local stand-in of the S3 bucket (npm start, tests): objects are files under `dir` (each
 * with a `.meta.json` beside it holding its Content-Type), and the signed URLs point at a small
 * HTTP server of its own on loopback, started on first use (the way S3 is another host than the
 * API). It enforces what S3 enforces for the presigned POST the S3 implementation issues: the
 * URL's HMAC (over key, type, size and expiry: nothing can be changed or forged), the expiry,
 * the exact Content-Type field and the exact size (S3: the policy's content-length-range). The
 * same service code runs on both (packages/expenses attachments).
 */
export interface LocalObjectStorage extends ObjectStorage {
  /** Where the files are. */
  readonly dir: string;
  /** Stops the HTTP server (if it was started). */
  close(): Promise<void>;
}

/** A form POST's overhead over the file: refused before it is parsed beyond this. */
const FORM_OVERHEAD = 64 * 1024;
const META = '.meta.json';

export function localObjectStorage(p: {
  dir?: string;
  secret: string;
  clock: Clock;
  port?: number;
  /** Keys per listKeys page: S3's 1,000 unless a test lowers it to see the paging. */
  listPage?: number;
}): LocalObjectStorage {
  const dir = resolve(p.dir ?? mkdtempSync(join(tmpdir(), 'attachments-')));
  const sign = (...parts: string[]) => createHmac('sha256', `local-object-storage\n${p.secret}`).update(parts.join('\n')).digest('base64url');
  const fileOf = (key: string) => {
    const file = resolve(dir, key);
    if (!file.startsWith(dir + sep) || key.includes('..')) throw new Error(`bad object key ${key}`);
    return file;
  };
  let server: ServerType | undefined;
  const base = loadOnce(async () => {
    server = serve({ fetch: localStorageApp({ dir, sign, fileOf, clock: p.clock }).fetch, port: p.port ?? 0, hostname: '127.0.0.1' });
    await new Promise<void>((ok) => server!.once('listening', () => ok()));
    // Never keeps a process (a test run) alive on its own.
    if ('unref' in server && typeof server.unref === 'function') server.unref();
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  const expiry = (seconds: number) => new Date(p.clock.now().getTime() + seconds * 1000);

  return {
    dir,
    async presignUpload({ key, contentType, size, expiresInSeconds }) {
      const expires = expiry(expiresInSeconds);
      const exp = String(expires.getTime());
      return {
        method: 'POST',
        url: `${await base()}/upload`,
        fields: { key, 'Content-Type': contentType, 'x-size': String(size), 'x-expires': exp, 'x-signature': sign('upload', key, contentType, String(size), exp) },
        expiresAt: expires.toISOString(),
      };
    },
    async presignDownload({ key, expiresInSeconds, fileName }) {
      const expires = expiry(expiresInSeconds);
      const exp = String(expires.getTime());
      const query = new URLSearchParams({ expires: exp, ...(fileName ? { fileName } : {}), signature: sign('download', key, exp, fileName ?? '') });
      return { url: `${await base()}/objects/${key.split('/').map(encodeURIComponent).join('/')}?${query}`, expiresAt: expires.toISOString() };
    },
    async head(key) {
      return readMeta(fileOf(key));
    },
    async deleteKeys(keys) {
      await Promise.all(keys.map((k) => Promise.all([rm(fileOf(k), { force: true }), rm(fileOf(k) + META, { force: true })])));
    },
    async deletePrefix(prefix) {
      const under = resolve(dir, prefix);
      const files = await listFiles(under);
      await rm(under, { recursive: true, force: true });
      return { deleted: files.filter((f) => !f.endsWith(META)).length, finished: true };
    },
    async listKeys(prefix, after) {
      // The folder the prefix is in, then the keys that start with it (S3's prefix is a string's, not a folder's).
      const folder = prefix.slice(0, prefix.lastIndexOf('/') + 1);
      const keys = (await listFiles(resolve(dir, folder)))
        .filter((f) => !f.endsWith(META))
        .map((f) => folder + f.split(sep).join('/'))
        .filter((k) => k.startsWith(prefix) && (after === undefined || k > after))
        .sort();
      const page = p.listPage ?? 1_000;
      return { keys: keys.slice(0, page), more: keys.length > page };
    },
    ...localWrites(fileOf),
    async close() {
      if (server) await new Promise<void>((ok) => server!.close(() => ok()));
    },
  };
}

/**
 * The objects the function writes itself (a data export's parts and their concatenation).
 * concatenate appends source after source; a call that resumes cuts the file back to the size
 * it had reached first (a redelivered unit may have appended past it), as S3 overwrites a part.
 */
function localWrites(fileOf: (key: string) => string): Pick<ObjectStorage, 'putObject' | 'concatenate'> {
  return {
    async putObject({ key, body, contentType }) {
      const target = fileOf(key);
      await mkdir(dirname(target), { recursive: true });
      await writeFile(target, body);
      await writeFile(target + META, JSON.stringify({ contentType }));
    },
    async concatenate({ sources, target, contentType, deadline, resume }) {
      const file = fileOf(target);
      await mkdir(dirname(file), { recursive: true });
      let size = resume?.size ?? 0;
      let next = resume?.next ?? 0;
      if (next === 0) await writeFile(file, '');
      else await truncate(file, size);
      await writeFile(file + META, JSON.stringify({ contentType }));
      // At least one source per call, however late it starts: every call makes progress.
      for (let step = 0; next < sources.length; step++) {
        if (step > 0 && Date.now() > deadline) return { finished: false, resume: { next, size } };
        const bytes = await readFile(fileOf(sources[next]!));
        await appendFile(file, bytes);
        size += bytes.byteLength;
        next++;
      }
      return { finished: true, size };
    },
  };
}

function localStorageApp(p: { dir: string; sign: (...parts: string[]) => string; fileOf: (key: string) => string; clock: Clock }) {
  const valid = (expected: string, given: string | undefined) =>
    given !== undefined && given.length === expected.length && timingSafeEqual(Buffer.from(expected), Buffer.from(given));
  const refuse = (code: string, status: 400 | 403 | 404) => new Response(`<Error><Code>${code}</Code></Error>`, { status, headers: { 'content-type': 'application/xml' } });
  const app = new Hono();
  app.post('/upload', async (c) => {
    const declared = Number(c.req.header('content-length') ?? NaN);
    if (Number.isFinite(declared) && declared > 10 * 1024 * 1024 + FORM_OVERHEAD) return refuse('EntityTooLarge', 400);
    const form = await c.req.parseBody();
    const text = (name: string) => (typeof form[name] === 'string' ? (form[name] as string) : undefined);
    const [key, type, size, exp] = [text('key'), text('Content-Type'), text('x-size'), text('x-expires')];
    if (key === undefined || type === undefined || size === undefined || exp === undefined) return refuse('InvalidArgument', 400);
    if (!valid(p.sign('upload', key, type, size, exp), text('x-signature'))) return refuse('SignatureDoesNotMatch', 403);
    if (p.clock.now().getTime() > Number(exp)) return refuse('AccessDenied', 403); // S3: "Invalid according to Policy: Policy expired"
    const file = form.file;
    if (!(file instanceof File)) return refuse('InvalidArgument', 400);
    if (file.size > Number(size)) return refuse('EntityTooLarge', 400);
    if (file.size < Number(size)) return refuse('EntityTooSmall', 400);
    const target = p.fileOf(key);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, Buffer.from(await file.arrayBuffer()));
    await writeFile(target + META, JSON.stringify({ contentType: type }));
    return c.body(null, 204);
  });
  app.get('/objects/*', async (c) => {
    const url = new URL(c.req.url);
    const key = decodeURIComponent(url.pathname.slice('/objects/'.length));
    const exp = url.searchParams.get('expires') ?? '';
    const fileName = url.searchParams.get('fileName') ?? '';
    if (!valid(p.sign('download', key, exp, fileName), url.searchParams.get('signature') ?? undefined)) return refuse('SignatureDoesNotMatch', 403);
    if (p.clock.now().getTime() > Number(exp)) return refuse('AccessDenied', 403);
    const file = p.fileOf(key);
    const meta = await readMeta(file);
    if (!meta) return refuse('NoSuchKey', 404);
    return new Response(await readFile(file), {
      headers: {
        'content-type': meta.contentType ?? 'application/octet-stream',
        ...(fileName ? { 'content-disposition': attachmentDisposition(fileName) } : {}),
        // As S3 answers the S3 implementation's signed GET (its response-cache-control).
        'cache-control': DOWNLOAD_CACHE_CONTROL,
      },
    });
  });
  return app;
}

async function readMeta(file: string): Promise<StoredObject | undefined> {
  try {
    const [info, meta] = await Promise.all([stat(file), readFile(file + META, 'utf8')]);
    return { size: info.size, contentType: (JSON.parse(meta) as { contentType?: string }).contentType };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

async function listFiles(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => relative(dir, join(e.parentPath, e.name)));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}
