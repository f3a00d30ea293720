import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { PROBLEM_TYPE_BASE } from '@budgeting/platform';
import { freePort } from '../../packages/app/src/local/dynamodb-local';
import { stopAndRemove } from '../support/stopped-child';

/**
 * `npm start` (packages/app/src/local/start.ts, run as a process) when Node's HTTP parser refuses a
 * request before the app sees it: the answer is a problem+json like every other error of the API,
 * not Node's bare `400 Bad Request` / `431` without a body. Raw bytes over a socket, since no HTTP
 * client sends such requests.
 */
const root = join(import.meta.dirname, '../..');
const dataDir = mkdtempSync(join(tmpdir(), 'budgeting-malformed-'));
let child: ChildProcess;
let port: number;

interface RawAnswer {
  status: number;
  headers: Map<string, string>;
  body: string;
}

/** Writes `bytes` on a new connection and reads until the server closes it. */
function exchange(bytes: string): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port });
    const chunks: Buffer[] = [];
    socket.setTimeout(10_000, () => socket.destroy(new Error('no answer within 10 s')));
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    // The server may close before it read all we sent (a reset on our side): what it answered counts.
    socket.on('error', (err: NodeJS.ErrnoException) => {
      if (err.code !== 'ECONNRESET' && err.code !== 'EPIPE') reject(err);
    });
    socket.on('close', () => {
      const text = Buffer.concat(chunks).toString('latin1');
      const end = text.indexOf('\r\n\r\n');
      if (end < 0) return reject(new Error(`no complete HTTP answer: ${JSON.stringify(text)}`));
      const [statusLine, ...fields] = text.slice(0, end).split('\r\n');
      const headers = new Map(fields.map((f) => [f.slice(0, f.indexOf(':')).toLowerCase(), f.slice(f.indexOf(':') + 1).trim()]));
      resolve({ status: Number(statusLine!.split(' ')[1]), headers, body: text.slice(end + 4) });
    });
    socket.end(bytes);
  });
}

function expectProblem(answer: RawAnswer, status: number, slug: string) {
  expect(answer.status).toBe(status);
  expect(answer.headers.get('content-type')).toBe('application/problem+json');
  expect(answer.headers.get('connection')).toBe('close');
  expect(Number(answer.headers.get('content-length'))).toBe(Buffer.byteLength(answer.body));
  const problem = JSON.parse(answer.body);
  expect(problem).toMatchObject({ type: `${PROBLEM_TYPE_BASE}${slug}`, status, title: expect.any(String), detail: expect.any(String) });
}

beforeAll(async () => {
  port = await freePort();
  child = spawn(process.execPath, ['--import', 'tsx', 'packages/app/src/local/start.ts'], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(port),
      DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
      TABLE_NAME: `malformed-${Date.now().toString(36)}`,
      DATA_DIR: dataDir,
      LOG_LEVEL: 'SILENT',
    },
    stdio: 'ignore',
  });
  const deadline = Date.now() + 100_000;
  for (;;) {
    expect(child.exitCode, 'npm start exited').toBeNull();
    const up = await fetch(`http://127.0.0.1:${port}/health`).then((r) => r.ok, () => false);
    if (up) break;
    expect(Date.now() < deadline, 'the API did not start').toBe(true);
    await new Promise((r) => setTimeout(r, 500));
  }
}, 120_000);

afterAll(() => stopAndRemove(child, dataDir));

describe('npm start answers a request Node cannot parse with a problem', () => {
  it('a header block over the limit: 431', async () => {
    // Node's limit is 16 KiB (--max-http-header-size); one header of 20,000 bytes is over it.
    const answer = await exchange(`GET /health HTTP/1.1\r\nHost: localhost\r\nX-Big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expectProblem(answer, 431, 'http-error');
  });

  it('a space in the path: 400 bad-request', async () => {
    expectProblem(await exchange('GET /a b HTTP/1.1\r\nHost: localhost\r\n\r\n'), 400, 'bad-request');
  });

  it('a header name with a space: 400 bad-request', async () => {
    expectProblem(await exchange('GET /health HTTP/1.1\r\nHost: localhost\r\nBad Name: x\r\n\r\n'), 400, 'bad-request');
  });

  it('an invalid chunk size: 400 bad-request', async () => {
    const answer = await exchange('POST /health HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n');
    expectProblem(answer, 400, 'bad-request');
  });

  it('Content-Length with Transfer-Encoding: 400 bad-request', async () => {
    const answer = await exchange('POST /health HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n');
    expectProblem(answer, 400, 'bad-request');
  });

  it('still answers a well-formed request afterwards', async () => {
    expect((await fetch(`http://127.0.0.1:${port}/health`)).status).toBe(200);
  });
});
