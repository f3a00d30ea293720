import { createServer, type Server, type Socket } from 'node:net';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDynamoClients } from './client';

/**
 * The deployed client (no `endpoint`: AWS) against a DynamoDB that accepts the connection and
 * never answers (a lost packet, a stuck connection). The SDK's service default waits 300 s of
 * silence before giving up, far past API Gateway's 29 s and the function's 30 s: the request
 * got a 504, a job unit was killed between two writes without its failure handler. The endpoint
 * comes from AWS_ENDPOINT_URL_DYNAMODB, which the SDK reads like any deployed configuration.
 */
let server: Server;
const held: Socket[] = [];
const saved = { ...process.env };

beforeAll(async () => {
  server = createServer((socket) => void held.push(socket));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  process.env.AWS_ENDPOINT_URL_DYNAMODB = `http://127.0.0.1:${port}`;
  process.env.AWS_ACCESS_KEY_ID = 'test';
  process.env.AWS_SECRET_ACCESS_KEY = 'test';
  delete process.env.AWS_PROFILE;
});
afterAll(async () => {
  // Key by key: a plain object put in place of process.env would end TZ's hold on the process's time zone.
  for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
  Object.assign(process.env, saved);
  for (const socket of held) socket.destroy();
  await new Promise((resolve) => server.close(resolve));
});

describe('the DynamoDB client in AWS', () => {
  it('gives up on an attempt that gets no answer and retries, so a call fails well inside 29 s instead of hanging', { timeout: 60_000 }, async () => {
    const { doc } = createDynamoClients({ region: 'eu-west-1' });
    const started = Date.now();
    const outcome = await doc.send(new GetCommand({ TableName: 'budgeting', Key: { pk: 'a', sk: 'a' } })).then(
      () => 'answered',
      (err: unknown) => err as Error,
    );
    const elapsed = Date.now() - started;
    expect(outcome).toBeInstanceOf(Error);
    expect((outcome as Error).name).toBe('TimeoutError');
    // Every attempt was made (the SDK's retries of a timeout): one connection each.
    expect(held.length).toBeGreaterThanOrEqual(2);
    expect(elapsed).toBeLessThan(20_000);
  });
});
