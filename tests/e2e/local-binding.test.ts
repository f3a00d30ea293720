import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../packages/app/src/local/dynamodb-local';
import { stopAndRemove } from '../support/stopped-child';

/**
 * The local stack listens on the loopback address only: DynamoDB Local has no authentication
 * and holds password hashes, and the API is a developer's. Checked from this machine's own
 * non-loopback address, which must be refused, while 127.0.0.1 answers.
 */
const external = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && i.family === 'IPv4' && !i.internal)?.address;

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.setTimeout(3_000);
    socket.once('connect', () => { socket.destroy(); resolve(true); });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => { socket.destroy(); resolve(false); });
  });
}

const dataDir = mkdtempSync(join(tmpdir(), 'budgeting-binding-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe.skipIf(!external)('local stack binding (needs a non-loopback interface)', () => {
  it('DynamoDB Local answers on 127.0.0.1 only', async () => {
    const port = Number(new URL(inject('dynamoEndpoint')).port);
    expect(await reachable('127.0.0.1', port)).toBe(true);
    expect(await reachable(external!, port)).toBe(false);
  });

  it('npm start serves the API on 127.0.0.1 only by default (HOST widens it)', { timeout: 120_000 }, async () => {
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'packages/app/src/local/start.ts'], {
      env: {
        ...process.env,
        PORT: String(port),
        DYNAMODB_ENDPOINT: inject('dynamoEndpoint'),
        TABLE_NAME: `binding-${Date.now().toString(36)}`,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'SILENT',
        HOST: '',
      },
      stdio: 'ignore',
    });
    try {
      const deadline = Date.now() + 100_000;
      while (!(await reachable('127.0.0.1', port))) {
        expect(child.exitCode, 'npm start exited').toBeNull();
        expect(Date.now() < deadline, 'the API did not start').toBe(true);
        await new Promise((r) => setTimeout(r, 500));
      }
      const health = await fetch(`http://127.0.0.1:${port}/health`);
      expect(health.status).toBe(200);
      expect(await reachable(external!, port)).toBe(false);
    } finally {
      await stopAndRemove(child, dataDir);
    }
  });
});
