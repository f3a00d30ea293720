import { loadConfig } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';

const KEY = 'k'.repeat(32);

describe('loadConfig', () => {
  it('fills every default from a signing key alone', () => {
    expect(loadConfig({ TOKEN_SIGNING_KEY: KEY })).toEqual({
      stage: 'local',
      region: 'us-east-1',
      tableName: 'budgeting-local',
      eventBusName: 'budgeting-local',
      dynamodbEndpoint: undefined,
      eventBridgeEndpoint: undefined,
      tokenSigningKey: KEY,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 2_592_000,
      logLevel: 'INFO',
      corsOrigins: ['*'],
      mailDir: undefined,
    });
  });

  it('reads every variable', () => {
    const config = loadConfig({
      STAGE: 'prod',
      AWS_REGION: 'eu-west-1',
      TABLE_NAME: 't',
      EVENT_BUS_NAME: 'b',
      DYNAMODB_ENDPOINT: 'http://127.0.0.1:8000',
      EVENTBRIDGE_ENDPOINT: 'https://events.local',
      TOKEN_SIGNING_KEY: KEY,
      ACCESS_TOKEN_TTL_SECONDS: '60',
      REFRESH_TOKEN_TTL_SECONDS: '3600',
      LOG_LEVEL: 'SILENT',
      CORS_ORIGINS: 'https://a.example, https://b.example,',
      MAIL_DIR: '/tmp/mail',
    });
    expect(config).toMatchObject({
      stage: 'prod',
      region: 'eu-west-1',
      tableName: 't',
      eventBusName: 'b',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      eventBridgeEndpoint: 'https://events.local',
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 3600,
      logLevel: 'SILENT',
      corsOrigins: ['https://a.example', 'https://b.example'],
      mailDir: '/tmp/mail',
    });
  });

  it.each([
    [{ TOKEN_SIGNING_KEY: undefined }, 'TOKEN_SIGNING_KEY: TOKEN_SIGNING_KEY must be at least 32 characters'],
    [{ TOKEN_SIGNING_KEY: 'short' }, 'TOKEN_SIGNING_KEY: TOKEN_SIGNING_KEY must be at least 32 characters'],
    [{ TABLE_NAME: '' }, 'TABLE_NAME: must be at least 1 characters'],
    [{ DYNAMODB_ENDPOINT: 'not a url' }, 'DYNAMODB_ENDPOINT: must be an http(s) URL'],
    [{ EVENTBRIDGE_ENDPOINT: 'ftp://x' }, 'EVENTBRIDGE_ENDPOINT: must be an http(s) URL'],
    [{ ACCESS_TOKEN_TTL_SECONDS: '0' }, 'ACCESS_TOKEN_TTL_SECONDS: must be a positive integer'],
    [{ ACCESS_TOKEN_TTL_SECONDS: '1.5' }, 'ACCESS_TOKEN_TTL_SECONDS: must be a positive integer'],
    [{ REFRESH_TOKEN_TTL_SECONDS: 'soon' }, 'REFRESH_TOKEN_TTL_SECONDS: must be a positive integer'],
    [{ REFRESH_TOKEN_TTL_SECONDS: ' ' }, 'REFRESH_TOKEN_TTL_SECONDS: must be a positive integer'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL: must be one of DEBUG, INFO, WARN, ERROR, SILENT'],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => loadConfig({ TOKEN_SIGNING_KEY: KEY, ...env })).toThrow(`Invalid configuration: ${message}`);
  });

  it('reports every problem at once', () => {
    expect(() => loadConfig({ TOKEN_SIGNING_KEY: 'x', LOG_LEVEL: 'LOUD', ACCESS_TOKEN_TTL_SECONDS: '-1' })).toThrow(
      'Invalid configuration: TOKEN_SIGNING_KEY: TOKEN_SIGNING_KEY must be at least 32 characters; ACCESS_TOKEN_TTL_SECONDS: must be a positive integer; LOG_LEVEL: must be one of DEBUG, INFO, WARN, ERROR, SILENT',
    );
  });
});

describe('MAIL_FROM', () => {
  const base = { TOKEN_SIGNING_KEY: 'k'.repeat(32) };
  it.each(['reports@example.com', 'Budgets <reports@example.com>'])('accepts %s', (from) => {
    expect(loadConfig({ ...base, MAIL_FROM: from }).mailFrom).toBe(from);
  });
  it('refuses something that is not an address, naming the variable', () => {
    expect(() => loadConfig({ ...base, MAIL_FROM: 'reports' })).toThrow(/MAIL_FROM/);
  });
});
