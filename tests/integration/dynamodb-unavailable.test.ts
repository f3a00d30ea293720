import {
  InternalServerError,
  ProvisionedThroughputExceededException,
  ThrottlingException,
  TransactionCanceledException,
  TransactionConflictException,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoClients, loadConfig } from '@budgeting/platform';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createSystem } from '../../packages/app/src/system';
import { PASSWORD, uniqueEmail } from '../support/actors';
import { call } from '../support/http';
import { TEST_MFA_SECRETS_KEY, TEST_SIGNING_KEY, TEST_WEBHOOK_SECRETS_KEY } from '../support/test-system';

/**
 * What DynamoDB Local cannot show: the service throttling or failing. After the SDK's own
 * retries give up, the client must get 503 + Retry-After (its request was fine), never a 500.
 */
const ddb = mockClient(DynamoDBDocumentClient);
afterEach(() => ddb.reset());
// The client's `send` back as it was: no mock outlives this file.
afterAll(() => ddb.restore());

function system() {
  const config = loadConfig({ TOKEN_SIGNING_KEY: TEST_SIGNING_KEY, WEBHOOK_SECRETS_KEY: TEST_WEBHOOK_SECRETS_KEY, MFA_SECRETS_KEY: TEST_MFA_SECRETS_KEY, LOG_LEVEL: 'SILENT', DYNAMODB_ENDPOINT: 'http://127.0.0.1:1' });
  return createSystem({ config, doc: createDynamoClients({ region: 'us-east-1', endpoint: config.dynamodbEndpoint }).doc });
}

const signup = (app: ReturnType<typeof system>['app']) =>
  call(app, 'POST', '/v1/auth/signup', { body: { email: uniqueEmail('ada'), password: PASSWORD } });

const meta = { $metadata: {} };

describe('DynamoDB throttling and service errors', () => {
  it.each([
    ['ProvisionedThroughputExceededException', new ProvisionedThroughputExceededException({ message: 'slow down', ...meta })],
    ['ThrottlingException', new ThrottlingException({ message: 'Rate exceeded', ...meta })],
    ['InternalServerError', new InternalServerError({ message: 'oops', ...meta })],
    // A plain write to an item an ongoing transaction holds (review 53: a step-up's code spent
    // while a sign-in's transaction spends one on the same users#mfa item); the SDK does not retry it.
    ['TransactionConflictException', new TransactionConflictException({ message: 'Transaction is ongoing for the item', ...meta })],
    [
      'TransactionCanceledException (ThrottlingError)',
      new TransactionCanceledException({
        message: 'Transaction cancelled, please refer cancellation reasons for specific reasons [ThrottlingError, None]',
        CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'None' }],
        ...meta,
      }),
    ],
  ])('%s becomes 503 problem+json with Retry-After', async (_name, error) => {
    ddb.onAnyCommand().rejects(error);
    const { app } = system();
    const res = await signup(app);
    expect(res.status).toBe(503);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(Number(res.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(res.json).toMatchObject({ status: 503, title: 'Service unavailable' });
    expect(ddb.calls().length).toBeGreaterThan(0);
  });

  it('an unexpected error is a 500 problem that leaks nothing', async () => {
    ddb.onAnyCommand().rejects(new Error('secret internal detail'));
    const { app } = system();
    const res = await signup(app);
    expect(res.status).toBe(500);
    expect(res.headers.get('content-type')).toBe('application/problem+json');
    expect(res.text).not.toContain('secret internal detail');
  });
});
