import { loadConfig } from '@budgeting/platform';
import { describe, expect, it } from 'vitest';

const KEY = 'k'.repeat(32);
/** 32 bytes in base64, as `openssl rand -base64 32` prints them. */
const SEALING_KEY = Buffer.alloc(32, 1).toString('base64');
const MFA_KEY = Buffer.alloc(32, 2).toString('base64');
const KEYS = { TOKEN_SIGNING_KEY: KEY, WEBHOOK_SECRETS_KEY: SEALING_KEY, MFA_SECRETS_KEY: MFA_KEY };

describe('loadConfig', () => {
  it('fills every default from the three keys alone', () => {
    expect(loadConfig(KEYS)).toEqual({
      stage: 'local',
      region: 'us-east-1',
      tableName: 'budgeting-local',
      eventBusName: 'budgeting-local',
      dynamodbEndpoint: undefined,
      eventBridgeEndpoint: undefined,
      tokenSigningKey: KEY,
      webhookSecretsKey: SEALING_KEY,
      mfaSecretsKey: MFA_KEY,
      accessTokenTtlSeconds: 900,
      refreshTokenTtlSeconds: 2_592_000,
      sessionMaxLifetimeSeconds: 7_776_000,
      logLevel: 'INFO',
      corsOrigins: ['*'],
      mailDir: undefined,
      webhookAllowLocalUrls: false,
      apiRateLimitPerMinute: 1200,
      totalsVerifyBudgetsPerDay: 10_000,
      problemTypeBase: 'https://budgeting.dev/problems/',
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
      ...KEYS,
      ACCESS_TOKEN_TTL_SECONDS: '60',
      REFRESH_TOKEN_TTL_SECONDS: '3600',
      SESSION_MAX_LIFETIME_SECONDS: '86400',
      LOG_LEVEL: 'SILENT',
      CORS_ORIGINS: 'https://a.example, https://b.example,',
      MAIL_DIR: '/tmp/mail',
      WEBHOOK_QUEUE_URL: 'https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks',
      WEBHOOK_ALLOW_LOCAL_URLS: 'true',
      API_RATE_LIMIT_PER_MINUTE: '300',
    });
    expect(config).toMatchObject({
      stage: 'prod',
      region: 'eu-west-1',
      tableName: 't',
      eventBusName: 'b',
      dynamodbEndpoint: 'http://127.0.0.1:8000',
      eventBridgeEndpoint: 'https://events.local',
      webhookSecretsKey: SEALING_KEY,
      accessTokenTtlSeconds: 60,
      refreshTokenTtlSeconds: 3600,
      sessionMaxLifetimeSeconds: 86_400,
      logLevel: 'SILENT',
      corsOrigins: ['https://a.example', 'https://b.example'],
      mailDir: '/tmp/mail',
      webhookQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/webhooks',
      webhookAllowLocalUrls: true,
      apiRateLimitPerMinute: 300,
    });
  });
});

describe('loadConfig refusals', () => {
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
    [{ SESSION_MAX_LIFETIME_SECONDS: '0' }, 'SESSION_MAX_LIFETIME_SECONDS: must be a positive integer'],
    [{ LOG_LEVEL: 'verbose' }, 'LOG_LEVEL: must be one of DEBUG, INFO, WARN, ERROR, SILENT'],
    [{ WEBHOOK_ALLOW_LOCAL_URLS: 'yes' }, 'WEBHOOK_ALLOW_LOCAL_URLS: must be one of true, false'],
  ])('refuses %o naming the variable', (env, message) => {
    expect(() => loadConfig({ ...KEYS, ...env })).toThrow(`Invalid configuration: ${message}`);
  });

  it('reports every problem at once', () => {
    expect(() => loadConfig({ ...KEYS, TOKEN_SIGNING_KEY: 'x', LOG_LEVEL: 'LOUD', ACCESS_TOKEN_TTL_SECONDS: '-1' })).toThrow(
      'Invalid configuration: TOKEN_SIGNING_KEY: TOKEN_SIGNING_KEY must be at least 32 characters; ACCESS_TOKEN_TTL_SECONDS: must be a positive integer; LOG_LEVEL: must be one of DEBUG, INFO, WARN, ERROR, SILENT',
    );
  });
});

describe('INVITATION_URL', () => {
  it('is read as given (the code is appended to it), absent by default; what is not an http(s) URL is refused', () => {
    const url = 'https://app.example.com/join?code=';
    expect(loadConfig({ ...KEYS, INVITATION_URL: url }).invitationUrl).toBe(url);
    expect(loadConfig(KEYS).invitationUrl).toBeUndefined();
    expect(() => loadConfig({ ...KEYS, INVITATION_URL: 'ftp://x' })).toThrow('Invalid configuration: INVITATION_URL: must be an http(s) URL');
  });
});

describe('PASSWORD_RESET_URL', () => {
  it('is read as given (the token is appended to it), absent by default', () => {
    const url = 'https://app.example.com/reset-password?token=';
    expect(loadConfig({ ...KEYS, PASSWORD_RESET_URL: url }).passwordResetUrl).toBe(url);
    expect(loadConfig(KEYS).passwordResetUrl).toBeUndefined();
  });
  it('refuses what is not an http(s) URL, naming the variable', () => {
    expect(() => loadConfig({ ...KEYS, PASSWORD_RESET_URL: 'javascript:alert(1)' })).toThrow('Invalid configuration: PASSWORD_RESET_URL: must be an http(s) URL');
  });
});

describe('API_RATE_LIMIT_PER_MINUTE', () => {
  it('takes 0 as "no limit"', () => {
    expect(loadConfig({ ...KEYS, API_RATE_LIMIT_PER_MINUTE: '0' }).apiRateLimitPerMinute).toBe(0);
  });
  it.each(['-1', 'lots', '1.5', ' '])('refuses %o naming the variable', (value) => {
    expect(() => loadConfig({ ...KEYS, API_RATE_LIMIT_PER_MINUTE: value })).toThrow('Invalid configuration: API_RATE_LIMIT_PER_MINUTE: must be a whole number, 0 or more');
  });
});

describe('TOTALS_VERIFY_BUDGETS_PER_DAY', () => {
  it('takes 0 as "check none" and a count as given', () => {
    expect(loadConfig({ ...KEYS, TOTALS_VERIFY_BUDGETS_PER_DAY: '0' }).totalsVerifyBudgetsPerDay).toBe(0);
    expect(loadConfig({ ...KEYS, TOTALS_VERIFY_BUDGETS_PER_DAY: '250' }).totalsVerifyBudgetsPerDay).toBe(250);
  });
  it.each(['-1', 'lots', '1.5'])('refuses %o naming the variable', (value) => {
    expect(() => loadConfig({ ...KEYS, TOTALS_VERIFY_BUDGETS_PER_DAY: value })).toThrow('Invalid configuration: TOTALS_VERIFY_BUDGETS_PER_DAY: must be a whole number, 0 or more');
  });
});

describe.each(['WEBHOOK_SECRETS_KEY', 'MFA_SECRETS_KEY'])('%s', (name) => {
  it.each([
    [undefined, ''],
    ['k'.repeat(32), ', got 24'],
    [Buffer.alloc(16).toString('base64'), ', got 16'],
    ['not base64!', ''],
  ])('refuses %o, saying what it must be', (key, got) => {
    expect(() => loadConfig({ ...KEYS, [name]: key })).toThrow(
      `Invalid configuration: ${name}: must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`)${got}`,
    );
  });
});

describe('MFA_SECRETS_KEY_PREVIOUS', () => {
  const PREVIOUS = Buffer.alloc(32, 3).toString('base64');
  it('is optional: absent or empty, no previous key', () => {
    expect(loadConfig(KEYS).mfaSecretsKeyPrevious).toBeUndefined();
    expect(loadConfig({ ...KEYS, MFA_SECRETS_KEY_PREVIOUS: '' }).mfaSecretsKeyPrevious).toBeUndefined();
  });
  it('reads 32 bytes of base64', () => {
    expect(loadConfig({ ...KEYS, MFA_SECRETS_KEY_PREVIOUS: PREVIOUS }).mfaSecretsKeyPrevious).toBe(PREVIOUS);
  });
  it.each([
    ['k'.repeat(32), ', got 24'],
    [Buffer.alloc(16).toString('base64'), ', got 16'],
    ['not base64!', ''],
  ])('refuses %o, naming the variable and saying what it must be', (key, got) => {
    expect(() => loadConfig({ ...KEYS, MFA_SECRETS_KEY_PREVIOUS: key })).toThrow(
      `Invalid configuration: MFA_SECRETS_KEY_PREVIOUS: must be 32 bytes in base64 (e.g. \`openssl rand -base64 32\`)${got}`,
    );
  });
});

describe('MAIL_FROM', () => {
  const base = KEYS;
  it.each(['reports@example.com', 'Budgets <reports@example.com>'])('accepts %s', (from) => {
    expect(loadConfig({ ...base, MAIL_FROM: from }).mailFrom).toBe(from);
  });
  it('refuses something that is not an address, naming the variable', () => {
    expect(() => loadConfig({ ...base, MAIL_FROM: 'reports' })).toThrow(/MAIL_FROM/);
  });
  // The value becomes the From header: a line break in its display name would start a header of its own (Bcc: ...).
  it.each(['Budgets\r\nBcc: all@example.net <reports@example.com>', 'Budgets\nX-Injected: 1 <reports@example.com>', 'Bud\u0000gets <reports@example.com>'])(
    'refuses a display name with a line break or control character (%j), naming the variable',
    (from) => {
      expect(() => loadConfig({ ...base, MAIL_FROM: from })).toThrow(/MAIL_FROM/);
    },
  );
});
