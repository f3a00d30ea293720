import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Webhook } from 'standardwebhooks';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { freePort } from '../../packages/app/src/local/dynamodb-local';
import { startReceiver, type Receiver } from '../integration/webhooks/receiver';
import { stopAndRemove } from '../support/stopped-child';

/**
 * `npm start` as a developer tries webhooks: it says at startup that http and loopback URLs
 * are allowed (AWS refuses them), and a webhook aimed at a receiver on 127.0.0.1 gets a signed
 * event through the local stand-in of the delivery queue.
 */
const dataDir = mkdtempSync(join(tmpdir(), 'budgeting-start-webhooks-'));
let child: ChildProcess | undefined;
let receiver: Receiver | undefined;
afterAll(async () => {
  await stopAndRemove(child, dataDir);
  await receiver?.close();
});

describe('npm start and webhooks', () => {
  it('says loopback URLs are allowed locally, and delivers a signed event to a loopback receiver', { timeout: 150_000 }, async () => {
    receiver = await startReceiver();
    const port = await freePort();
    let stdout = '';
    child = spawn(process.execPath, ['--import', 'tsx', 'packages/app/src/local/start.ts'], {
      env: { ...process.env, PORT: String(port), DYNAMODB_ENDPOINT: inject('dynamoEndpoint'), TABLE_NAME: `start-webhooks-${Date.now().toString(36)}`, DATA_DIR: dataDir, LOG_LEVEL: 'SILENT', HOST: '' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    const deadline = Date.now() + 100_000;
    while (!stdout.includes('Ctrl-C')) {
      expect(child.exitCode, 'npm start exited').toBeNull();
      expect(Date.now() < deadline, 'npm start did not get ready').toBe(true);
      await new Promise((r) => setTimeout(r, 250));
    }
    expect(stdout).toMatch(/Webhooks: http:\/\/ and loopback URLs are allowed here .*AWS refuses them/);

    const base = `http://127.0.0.1:${port}`;
    const send = async (method: string, path: string, body?: unknown, token?: string) => {
      const res = await fetch(base + path, {
        method,
        headers: { ...(body ? { 'content-type': 'application/json' } : {}), ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body: body ? JSON.stringify(body) : undefined,
      });
      return { status: res.status, json: (await res.json()) as any };
    };
    const signup = await send('POST', '/v1/auth/signup', { email: `dev-${Date.now()}@example.com`, password: 'correct horse battery' });
    expect(signup.status).toBe(201);
    const token = signup.json.tokens.accessToken;
    const budget = await send('POST', '/v1/budgets', { name: 'Home', limit: 10_000 }, token);
    expect(budget.status).toBe(201);
    const hook = await send('POST', '/v1/webhooks', { url: receiver.url('/dev'), eventTypes: ['expense.recorded'] }, token);
    expect(hook.status, JSON.stringify(hook.json)).toBe(201);
    const expense = await send('POST', `/v1/budgets/${budget.json.id}/expenses`, { amount: 1234, occurredOn: new Date().toISOString().slice(0, 10) }, token);
    expect(expense.status).toBe(201);

    while (receiver.on('/dev').length === 0) {
      expect(Date.now() < deadline + 30_000, 'no delivery arrived').toBe(true);
      await new Promise((r) => setTimeout(r, 250));
    }
    const [got] = receiver.on('/dev');
    const headers = { 'webhook-id': String(got!.headers['webhook-id']), 'webhook-timestamp': String(got!.headers['webhook-timestamp']), 'webhook-signature': String(got!.headers['webhook-signature']) };
    const payload = new Webhook(hook.json.secret).verify(got!.body, headers) as any;
    expect(payload).toMatchObject({ type: 'expense.recorded', data: { budgetId: budget.json.id, sequence: 1, event: { data: { expenseId: expense.json.id, amount: 1234 } } } });
  });
});
