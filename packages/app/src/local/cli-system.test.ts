import { describe, expect, it } from 'vitest';
import { CliInputError, cliJobConcurrency, cliTarget, openCliSystem } from './cli-system';

const KEY = Buffer.alloc(32, 7).toString('base64');

describe('cliTarget: which table the operator tools work on', () => {
  it('is the local table when DYNAMODB_ENDPOINT is set, whatever else is', () => {
    expect(cliTarget({ DYNAMODB_ENDPOINT: 'http://localhost:8000' })).toBe('local');
    expect(cliTarget({ DYNAMODB_ENDPOINT: 'http://localhost:8000', TABLE_NAME: 't', AWS_REGION: 'eu-west-1' })).toBe('local');
  });

  it('is a deployed table only with TABLE_NAME, AWS_REGION and WEBHOOK_SECRETS_KEY all given', () => {
    expect(cliTarget({ TABLE_NAME: 'prod-table', AWS_REGION: 'eu-west-1', WEBHOOK_SECRETS_KEY: KEY })).toBe('aws');
  });

  it.each([
    [{}, 'TABLE_NAME, AWS_REGION, WEBHOOK_SECRETS_KEY'],
    [{ TABLE_NAME: 'prod-table' }, 'AWS_REGION, WEBHOOK_SECRETS_KEY'],
    [{ TABLE_NAME: 'prod-table', AWS_REGION: 'eu-west-1' }, 'WEBHOOK_SECRETS_KEY'],
    [{ AWS_REGION: 'eu-west-1', WEBHOOK_SECRETS_KEY: KEY }, 'TABLE_NAME'],
  ])('refuses %j, naming what is missing', (env, missing) => {
    expect(() => cliTarget(env)).toThrow(`with AWS credentials (missing: ${missing})`);
    expect(refusal(() => cliTarget(env))).toBeInstanceOf(CliInputError); // the CLI's bad input: exit 2
  });
});

describe('cliJobConcurrency: how many units the operator tools run at once', () => {
  it('is 8 unset, else the whole number given', () => {
    expect(cliJobConcurrency({})).toBe(8);
    expect(cliJobConcurrency({ JOB_CONCURRENCY: '2' })).toBe(2);
  });

  // Each of these made `npm run job` wait forever with its units due and none running.
  it.each(['abc', '0', '-1', '1.5', ''])('refuses JOB_CONCURRENCY=%j, naming the variable', (value) => {
    expect(() => cliJobConcurrency({ JOB_CONCURRENCY: value })).toThrow(`JOB_CONCURRENCY must be a whole number of units, at least 1, got "${value}"`);
    // Bad input, which the job CLI refuses with exit 2 as its other refusals (it was a plain Error: exit 1, a failed run's).
    expect(refusal(() => cliJobConcurrency({ JOB_CONCURRENCY: value }))).toBeInstanceOf(CliInputError);
  });
});

describe('openCliSystem: the environment the operator tools run in', () => {
  // An invalid variable is the operator's input as JOB_CONCURRENCY is: refused before anything
  // runs, exit 2 (it was loadConfig's plain Error: exit 1, a failed run's).
  it.each([{ LOG_LEVEL: 'LOUD' }, { TOKEN_SIGNING_KEY: 'short' }, { WEBHOOK_SECRETS_KEY: 'not-a-key' }])('refuses %j as bad input, naming the variable', (bad) => {
    const err = refusal(() => openCliSystem({ DYNAMODB_ENDPOINT: 'http://127.0.0.1:9', DATA_DIR: '/nonexistent/cli-system-test', ...bad }));
    expect(err).toBeInstanceOf(CliInputError);
    expect((err as Error).message).toContain(Object.keys(bad)[0]);
  });
});

function refusal(run: () => unknown): unknown {
  try {
    run();
  } catch (err) {
    return err;
  }
  throw new Error('not refused');
}
