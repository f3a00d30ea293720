import { PROBLEM_TYPE_BASE } from './http/problem';

/**
 * Runtime configuration, read once from the environment. Locally the launcher sets these
 * variables; in AWS the Lambda entry fills them from SST's linked resources first.
 *
 * Validated by hand on purpose, not with zod: this runs at every Lambda cold start, before
 * the trigger is known, and zod (~90 KB, with class set-up at import) would otherwise be
 * loaded and initialised even for the stream batches and bus events that never need it
 * (`npm run bench` measures this). Every problem is reported at once, by variable name.
 */
export interface AppConfig {
  stage: string;
  region: string;
  tableName: string;
  eventBusName: string;
  dynamodbEndpoint?: string;
  eventBridgeEndpoint?: string;
  tokenSigningKey: string;
  /**
   * The signing key before the last rotation (root README, "Rotating the token signing key"): still
   * accepted, never used to sign, so access tokens, pagination cursors and password-reset
   * codes issued just before a rotation keep working until they expire. Absent: none.
   */
  tokenSigningKeyPrevious?: string;
  /** AES-256 key (base64 of 32 bytes) that seals webhook signing secrets in the table (in AWS: the `WebhookSecretsKey` secret). */
  webhookSecretsKey: string;
  /**
   * AES-256 key (base64 of 32 bytes) the users module derives the sealing key of TOTP secrets
   * from (in AWS: the `MfaSecretsKey` secret). Its own, so neither module's key opens the
   * other's secrets (packages/users/docs/two-factor-sign-in.md, "Two-factor sign-in").
   */
  mfaSecretsKey: string;
  /**
   * MFA_SECRETS_KEY before the last rotation (packages/users/docs/two-factor-sign-in.md, "Rotating
   * MFA_SECRETS_KEY"; in AWS: the `MfaSecretsKeyPrevious` secret): opens the TOTP secrets sealed
   * under it, never seals; each is resealed under the current key by its user's next accepted
   * code. Absent: none.
   */
  mfaSecretsKeyPrevious?: string;
  accessTokenTtlSeconds: number;
  refreshTokenTtlSeconds: number;
  /**
   * A session's absolute lifetime, counted from its sign-in: past it no refresh is accepted,
   * however often the session was refreshed (OWASP ASVS 3.3.2; packages/users/docs/sign-in-and-sessions.md,
   * "Absolute session lifetime").
   */
  sessionMaxLifetimeSeconds: number;
  logLevel: LogLevel;
  corsOrigins: string[];
  /** Locally: the folder outgoing mail is written to (one file per message) instead of sending it. */
  mailDir?: string;
  /** The sender address of outgoing mail (in AWS: an SES-verified identity). */
  mailFrom?: string;
  /** The SQS queue fan-out jobs send their units to (in AWS); absent: worked inline or by the local stand-in. */
  jobQueueUrl?: string;
  /** Locally: the folder mobile pushes are written to (one JSON file per push) instead of sending them. */
  pushDir?: string;
  /** In AWS: the SNS platform applications devices are registered with (APNs and FCM). */
  snsApnsApplicationArn?: string;
  snsFcmApplicationArn?: string;
  /** In AWS: the SQS queue webhook deliveries wait in (retries); absent: the in-process stand-in. */
  webhookQueueUrl?: string;
  /**
   * Webhook URLs may be http and point at loopback/private addresses (npm start sets it, so a
   * receiver on the laptop can be tried); never in AWS, where such URLs are refused (SSRF).
   */
  webhookAllowLocalUrls: boolean;
  /**
   * Authenticated requests one user may make per minute, across all containers (0: no limit;
   * http/rate-limit.ts). 1,200 (20/s sustained) is far above what a household's phones send
   * (about 25 requests a user a day, a few a second when an app opens and syncs) and far below
   * a client stuck in a loop, which would otherwise spend the account's Lambda concurrency and
   * the table's capacity.
   */
  apiRateLimitPerMinute: number;
  /**
   * Budgets the daily `expenses-totals-verify` job checks a day at most (0: none), a random
   * sample each day (packages/expenses/src/jobs/totals-verify-job.ts; its cost per budget and
   * per day: docs/capacity.md). 10,000 a day reads about 2.5 M read units for typical budgets
   * (about $0.31); of a million budgets, each has on average a 1% chance a day (not evenly).
   */
  totalsVerifyBudgetsPerDay: number;
  /**
   * Where a password-reset mail links to, the token appended (e.g.
   * `https://app.example.com/reset-password?token=`); absent: the mail gives the token only.
   */
  passwordResetUrl?: string;
  /**
   * The API's public base URL (`https://api.example.com`), for links a mail carries back to
   * the API: the one-click unsubscribe (RFC 8058) of the optional mails (period reports, budget
   * alerts). Absent: those mails carry no List-Unsubscribe header (the profile switches still work).
   */
  publicApiUrl?: string;
  /**
   * Where an invitation mail links to, the code appended (e.g.
   * `https://app.example.com/join?code=`, a universal link the app opens); absent: the mail
   * gives the code only.
   */
  invitationUrl?: string;
  /** In AWS: the S3 bucket receipts (expense attachments) are stored in (the linked `Attachments` bucket). */
  attachmentsBucket?: string;
  /**
   * Without a bucket: the folder the local stand-in keeps attachments in (`npm start`:
   * .data/attachments; unset: a new temporary folder), served by its own loopback HTTP server.
   */
  attachmentsDir?: string;
  /**
   * The base of every problem `type` URI (a slug is appended): PROBLEM_TYPE_BASE,
   * `https://budgeting.dev/problems/`, unless an operator who owns a domain points it at the
   * deployment's own catalogue (`https://api.example.com/problems/`). Clients match on these
   * URIs: changing it on a running deployment is a breaking change for them.
   */
  problemTypeBase: string;
}

const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR', 'SILENT'] as const;
type LogLevel = (typeof LOG_LEVELS)[number];

export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const problems: string[] = [];
  const read = new EnvReader(env, problems);
  const config: AppConfig = {
    stage: read.text('STAGE', 'local'),
    region: read.text('AWS_REGION', 'us-east-1'),
    tableName: read.text('TABLE_NAME', 'budgeting-local', 1),
    eventBusName: read.text('EVENT_BUS_NAME', 'budgeting-local', 1),
    dynamodbEndpoint: read.url('DYNAMODB_ENDPOINT'),
    eventBridgeEndpoint: read.url('EVENTBRIDGE_ENDPOINT'),
    tokenSigningKey: read.text('TOKEN_SIGNING_KEY', undefined, 32, 'TOKEN_SIGNING_KEY must be at least 32 characters'),
    tokenSigningKeyPrevious: env.TOKEN_SIGNING_KEY_PREVIOUS
      ? read.text('TOKEN_SIGNING_KEY_PREVIOUS', undefined, 32, 'TOKEN_SIGNING_KEY_PREVIOUS must be at least 32 characters')
      : undefined,
    webhookSecretsKey: read.base64Key('WEBHOOK_SECRETS_KEY', 32),
    mfaSecretsKey: read.base64Key('MFA_SECRETS_KEY', 32),
    mfaSecretsKeyPrevious: env.MFA_SECRETS_KEY_PREVIOUS ? read.base64Key('MFA_SECRETS_KEY_PREVIOUS', 32) : undefined,
    accessTokenTtlSeconds: read.positiveInt('ACCESS_TOKEN_TTL_SECONDS', 900),
    refreshTokenTtlSeconds: read.positiveInt('REFRESH_TOKEN_TTL_SECONDS', 60 * 60 * 24 * 30),
    sessionMaxLifetimeSeconds: read.positiveInt('SESSION_MAX_LIFETIME_SECONDS', 60 * 60 * 24 * 90),
    logLevel: read.oneOf('LOG_LEVEL', LOG_LEVELS, 'INFO'),
    corsOrigins: read
      .text('CORS_ORIGINS', '*')
      .split(',')
      .map((s) => s.trim())
      .filter(Boolean),
    mailDir: env.MAIL_DIR,
    mailFrom: read.optionalEmail('MAIL_FROM'),
    jobQueueUrl: read.url('JOB_QUEUE_URL'),
    pushDir: env.PUSH_DIR,
    snsApnsApplicationArn: env.SNS_APNS_APPLICATION_ARN,
    snsFcmApplicationArn: env.SNS_FCM_APPLICATION_ARN,
    webhookQueueUrl: read.url('WEBHOOK_QUEUE_URL'),
    webhookAllowLocalUrls: read.oneOf('WEBHOOK_ALLOW_LOCAL_URLS', ['true', 'false'] as const, 'false') === 'true',
    apiRateLimitPerMinute: read.nonNegativeInt('API_RATE_LIMIT_PER_MINUTE', 1200),
    totalsVerifyBudgetsPerDay: read.nonNegativeInt('TOTALS_VERIFY_BUDGETS_PER_DAY', 10_000),
    passwordResetUrl: read.url('PASSWORD_RESET_URL'),
    publicApiUrl: read.url('PUBLIC_API_URL')?.replace(/\/+$/, ''),
    invitationUrl: read.url('INVITATION_URL'),
    attachmentsBucket: env.ATTACHMENTS_BUCKET || undefined,
    attachmentsDir: env.ATTACHMENTS_DIR || undefined,
    problemTypeBase: read.problemTypeBase('PROBLEM_TYPE_BASE'),
  };
  if (problems.length > 0) throw new Error(`Invalid configuration: ${problems.join('; ')}`);
  return config;
}

/** Reads one variable at a time, recording "NAME: what is wrong" instead of throwing. */
class EnvReader {
  constructor(
    private readonly env: NodeJS.ProcessEnv,
    private readonly problems: string[],
  ) {}

  text(name: string, fallback: string | undefined, minLength = 0, tooShort?: string): string {
    const value = this.env[name] ?? fallback;
    if (value === undefined) return this.problem(name, tooShort ?? 'required', '');
    if (value.length < minLength) return this.problem(name, tooShort ?? `must be at least ${minLength} characters`, value);
    return value;
  }

  /** A key given as base64 that must decode to exactly `bytes` bytes (e.g. `openssl rand -base64 32`). */
  base64Key(name: string, bytes: number): string {
    const value = this.env[name];
    const message = `must be ${bytes} bytes in base64 (e.g. \`openssl rand -base64 ${bytes}\`)`;
    if (value === undefined || !/^[A-Za-z0-9+/]+={0,2}$/.test(value)) return this.problem(name, message, '');
    const length = Buffer.from(value, 'base64').length;
    return length === bytes ? value : this.problem(name, `${message}, got ${length}`, '');
  }

  url(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined) return undefined;
    let protocol: string | undefined;
    try {
      protocol = new URL(value).protocol;
    } catch {
      protocol = undefined;
    }
    return protocol === 'http:' || protocol === 'https:' ? value : this.problem(name, 'must be an http(s) URL', undefined);
  }

  /**
   * An http(s) URL ending in `/` (a slug is appended to it); unset: the default base. Used as
   * written, so it must be the URL's own form (what `new URL` gives back: no space around it, a
   * lower-case host...) without a query or fragment, which the slug would be appended to.
   */
  problemTypeBase(name: string): string {
    const value = this.env[name];
    if (value === undefined || value === '') return PROBLEM_TYPE_BASE;
    const url = this.url(name);
    if (url === undefined) return PROBLEM_TYPE_BASE;
    const parsed = new URL(url);
    if (parsed.search !== '' || parsed.hash !== '') return this.problem(name, 'must have no query or fragment (the slug is appended)', PROBLEM_TYPE_BASE);
    if (parsed.href !== url) return this.problem(name, `must be written as the URL it is (${JSON.stringify(parsed.href)})`, PROBLEM_TYPE_BASE);
    return url.endsWith('/') ? url : this.problem(name, 'must end with "/" (the slug is appended)', PROBLEM_TYPE_BASE);
  }

  optionalEmail(name: string): string | undefined {
    const value = this.env[name];
    if (value === undefined || value === '') return undefined;
    // "reports@example.com" or "Budgets <reports@example.com>", as SES takes it. The display name
    // goes into the From header: no line break or other control character (a line break in it
    // started a header of its own, "Bcc: ...", in every mail).
    // eslint-disable-next-line no-control-regex
    const address = /^(?:[^<>\u0000-\u001f\u007f-\u009f\u2028\u2029]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;
    return address.test(value) ? value : this.problem(name, 'must be an email address (or "Name <address>")', undefined);
  }

  positiveInt(name: string, fallback: number): number {
    const raw = this.env[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    return raw.trim() !== '' && Number.isInteger(value) && value > 0 ? value : this.problem(name, 'must be a positive integer', fallback);
  }

  nonNegativeInt(name: string, fallback: number): number {
    const raw = this.env[name];
    if (raw === undefined) return fallback;
    const value = Number(raw);
    return raw.trim() !== '' && Number.isInteger(value) && value >= 0 ? value : this.problem(name, 'must be a whole number, 0 or more', fallback);
  }

  oneOf<T extends string>(name: string, allowed: readonly T[], fallback: T): T {
    const value = this.env[name] ?? fallback;
    return (allowed as readonly string[]).includes(value) ? (value as T) : this.problem(name, `must be one of ${allowed.join(', ')}`, fallback);
  }

  private problem<T>(name: string, message: string, placeholder: T): T {
    this.problems.push(`${name}: ${message}`);
    return placeholder;
  }
}
