import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../../packages/app/src/local/dynamodb-local';

/**
 * `npm start` (packages/app/src/local/start.ts, run as a process) when a port it needs is
 * taken: one clear line naming the port and the variable that changes it, exit code 1, and
 * no DynamoDB Local left behind (nothing was started: the check comes first).
 */
const root = join(import.meta.dirname, '../../..');
let busy: Server;
let busyPort: number;
let dataDir: string;

beforeAll(async () => {
  busy = createServer();
  busyPort = await new Promise<number>((resolve) => busy.listen(0, () => resolve((busy.address() as { port: number }).port)));
  dataDir = await mkdtemp(join(tmpdir(), 'start-'));
});
afterAll(async () => {
  busy.close();
  await rm(dataDir, { recursive: true, force: true });
});

function start(env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/app/src/local/start.ts'], {
      cwd: root,
      env: { ...process.env, DATA_DIR: dataDir, LOG_LEVEL: 'INFO', DYNAMODB_ENDPOINT: '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

describe('npm start with a busy port', () => {
  it('refuses a busy PORT in one line, before starting anything', async () => {
    const res = await start({ PORT: String(busyPort), DYNAMODB_LOCAL_PORT: '1' });
    expect(res.code).toBe(1);
    const lines = res.stderr.trim().split('\n').filter((l) => !/NodeVersionSupportWarning|^\s*$/.test(l));
    expect(lines).toEqual([expect.stringContaining(`port ${busyPort} is already in use`)]);
    expect(lines[0]).toContain('PORT=');
    expect(res.stdout).not.toContain('ready');
  }, 60_000);

  it('refuses a busy DYNAMODB_LOCAL_PORT instead of using the other instance', async () => {
    const res = await start({ PORT: String(await freePort()), DYNAMODB_LOCAL_PORT: String(busyPort) });
    expect(res.code).toBe(1);
    const lines = res.stderr.trim().split('\n').filter((l) => !/NodeVersionSupportWarning|^\s*$/.test(l));
    expect(lines).toEqual([expect.stringContaining(`port ${busyPort} for DynamoDB Local is already in use`)]);
    expect(lines[0]).toContain('DYNAMODB_LOCAL_PORT');
    expect(lines[0]).toContain(`DYNAMODB_ENDPOINT=http://127.0.0.1:${busyPort}`);
    expect(res.stdout).not.toContain('ready');
  }, 60_000);
});
