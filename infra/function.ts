import { ASYNC_INVOCATION_RETRIES, FUNCTION_TIMEOUT_SECONDS } from '@budgeting/platform/work-queue';
import { attachments } from './attachments';
import { bus, deadLetters } from './bus';
import { jobQueue } from './jobs';
import { lambdaNodejsOptions } from './bundle';
import { mfaSecretsKey, previousMfaSecretsKey, previousSigningKey, signingKey, webhookSecretsKey } from './secrets';
import { table } from './table';
import { webhookDeliveries } from './webhooks';

/**
 * The sender of report emails (report.generated subscriber) and password-reset mail: an address or domain verified in
 * SES in the deployment's region, e.g. `MAIL_FROM="Budgets <reports@example.com>" npx sst deploy`.
 * Without it the function cannot mail: each send fails, is retried, then lands in the DLQ.
 */
const mailFrom = process.env.MAIL_FROM;
if (!mailFrom) console.warn('MAIL_FROM is not set: report emails will fail until it is (see README, Configuration).');

/**
 * The ARN prefix of this stack's account and region (`arn:aws:<service>:eu-west-1:123456789012:`):
 * mail and push go through SES and SNS clients of the function's own region (config.region),
 * from this account's identities and platform applications, so the role names none elsewhere.
 */
const here = (service: string) =>
  $interpolate`arn:${aws.getPartitionOutput({}).partition}:${service}:${aws.getRegionOutput({}).region}:${aws.getCallerIdentityOutput({}).accountId}:`;

const lambdaTrustPolicy = {
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Action: 'sts:AssumeRole', Principal: { Service: 'lambda.amazonaws.com' } }],
};

/**
 * Mobile push (budget alerts): SNS platform applications for APNs and FCM, created once per
 * account with the Apple/Google credentials (outside this app), passed in like MAIL_FROM.
 */
const pushApplications = {
  ...(process.env.SNS_APNS_APPLICATION_ARN ? { SNS_APNS_APPLICATION_ARN: process.env.SNS_APNS_APPLICATION_ARN } : {}),
  ...(process.env.SNS_FCM_APPLICATION_ARN ? { SNS_FCM_APPLICATION_ARN: process.env.SNS_FCM_APPLICATION_ARN } : {}),
};

/**
 * The per-caller API rate limit (README "Rate limits"): unset, the app's default (1,200 requests
 * per user a minute); set it at deploy like MAIL_FROM, e.g. `API_RATE_LIMIT_PER_MINUTE=600 npx sst
 * deploy` (0: off). Checked here, so a typo fails the deploy rather than every cold start.
 */
const apiRateLimit = process.env.API_RATE_LIMIT_PER_MINUTE;
if (apiRateLimit !== undefined && !/^\d+$/.test(apiRateLimit)) throw new Error(`API_RATE_LIMIT_PER_MINUTE must be a whole number (0: off), got ${JSON.stringify(apiRateLimit)}`);
// Budgets the daily totals verification checks a day (README "Configuration"; unset: the app's default).
const totalsVerifyPerDay = process.env.TOTALS_VERIFY_BUDGETS_PER_DAY;
if (totalsVerifyPerDay !== undefined && !/^\d+$/.test(totalsVerifyPerDay)) throw new Error(`TOTALS_VERIFY_BUDGETS_PER_DAY must be a whole number (0: off), got ${JSON.stringify(totalsVerifyPerDay)}`);

/**
 * Where a password-reset mail links to, the token appended (packages/users/docs/passwords.md, "Forgot
 * password"), e.g. `PASSWORD_RESET_URL="https://app.example.com/reset-password?token=" npx sst
 * deploy`; unset, the mail carries the code only. Checked here, like the rate limit.
 */
const passwordResetUrl = process.env.PASSWORD_RESET_URL;
if (passwordResetUrl !== undefined && !/^https?:\/\//.test(passwordResetUrl)) throw new Error(`PASSWORD_RESET_URL must be an http(s) URL, got ${JSON.stringify(passwordResetUrl)}`);
/** The same for the invitation mail's link (packages/budgets/docs/members.md, "Invitations"), e.g. `INVITATION_URL="https://app.example.com/join?code="`. */
const invitationUrl = process.env.INVITATION_URL;
if (invitationUrl !== undefined && !/^https?:\/\//.test(invitationUrl)) throw new Error(`INVITATION_URL must be an http(s) URL, got ${JSON.stringify(invitationUrl)}`);
/**
 * The API's public base URL (its custom domain, e.g. `PUBLIC_API_URL="https://api.example.com"`),
 * for the optional mails' one-click unsubscribe (packages/users/docs/profile-and-preferences.md,
 * "One-click unsubscribe"). From the deployer's environment, not from the Api's own URL: the
 * function is the Api's handler, so its environment cannot depend on the Api (a cycle).
 */
const publicApiUrl = process.env.PUBLIC_API_URL;
if (publicApiUrl !== undefined && !/^https:\/\//.test(publicApiUrl)) throw new Error(`PUBLIC_API_URL must be an https URL, got ${JSON.stringify(publicApiUrl)}`);
/**
 * The base of every problem `type` URI (README "Configuration"), for an operator who owns a
 * domain and points it at this deployment's catalogue, e.g.
 * `PROBLEM_TYPE_BASE="https://api.example.com/problems/"`; unset, the default clients match on.
 */
const problemTypeBase = process.env.PROBLEM_TYPE_BASE;
// As loadConfig reads it (platform config.ts): the URL as written, no query or fragment.
const problemTypeBaseWritten = (value: string) => URL.canParse(value) && new URL(value).href === value && !/[?#]/.test(value);
if (problemTypeBase !== undefined && !(/^https?:\/\/.+\/$/.test(problemTypeBase) && problemTypeBaseWritten(problemTypeBase))) throw new Error(`PROBLEM_TYPE_BASE must be an http(s) URL ending in "/", as the URL parser gives it back, without query or fragment, got ${JSON.stringify(problemTypeBase)}`);

/**
 * THE one Lambda function: HTTP (API Gateway v2), bus events, schedules and the table's
 * stream all arrive here and packages/app/src/lambda/dispatch.ts tells them apart.
 *
 * Permissions come from `link`, narrowed to the actions the function needs (infra/links.ts):
 * the table (its item calls, Query on its indexes, the stream reads of the relay's mapping),
 * the bus (events:PutEvents for the outbox relay), the secrets (their values in the function), the
 * job queue (planners and cascades send, and so does the outbox relay for the job units written
 * in a change's transaction, e.g. an invitation's mail: the stream's consumer is this same
 * function, so the one link covers it; infra/job-triggers.ts makes the function its
 * consumer), the webhook delivery queue (attempts; infra/webhook-triggers.ts likewise) and the
 * receipts bucket (object get/put/delete and list, for signing and the cascades). The
 * dead-letter queue is not linked (the code never reads it): Lambda writes failed async
 * invocations and failed stream batches there with the role, granted below.
 */
export const fn = new sst.aws.Function('Handler', {
  handler: 'packages/app/src/lambda/handler.handler',
  runtime: 'nodejs22.x',
  architecture: 'arm64',
  memory: '1024 MB',
  // API Gateway gives up after 30 s anyway; stream batches and report jobs fit in it. Both
  // queues' visibility timeouts are derived from it (platform jobs/work-queue-limits.ts).
  timeout: `${FUNCTION_TIMEOUT_SECONDS} seconds`,
  link: [table, bus, signingKey, previousSigningKey, webhookSecretsKey, mfaSecretsKey, previousMfaSecretsKey, jobQueue, webhookDeliveries, attachments],
  environment: {
    STAGE: $app.stage,
    LOG_LEVEL: $app.stage === 'production' ? 'INFO' : 'DEBUG',
    ...(mailFrom ? { MAIL_FROM: mailFrom } : {}),
    ...pushApplications,
    ...(apiRateLimit !== undefined ? { API_RATE_LIMIT_PER_MINUTE: apiRateLimit } : {}),
    ...(totalsVerifyPerDay !== undefined ? { TOTALS_VERIFY_BUDGETS_PER_DAY: totalsVerifyPerDay } : {}),
    ...(passwordResetUrl !== undefined ? { PASSWORD_RESET_URL: passwordResetUrl } : {}),
    ...(invitationUrl !== undefined ? { INVITATION_URL: invitationUrl } : {}),
    ...(publicApiUrl !== undefined ? { PUBLIC_API_URL: publicApiUrl } : {}),
    ...(problemTypeBase !== undefined ? { PROBLEM_TYPE_BASE: problemTypeBase } : {}),
  },
  permissions: [
    { actions: ['sqs:SendMessage'], resources: [deadLetters.arn] },
    {
      // Budget reports are mailed with SES v2 SendEmail (report.generated subscriber), from
      // MAIL_FROM's verified identity (in this account and region).
      actions: ['ses:SendEmail'],
      resources: [$interpolate`${here('ses')}identity/*`, $interpolate`${here('ses')}configuration-set/*`],
    },
    {
      // Budget alerts pushed to devices: endpoints of the SNS platform applications (this account and region's).
      actions: ['sns:CreatePlatformEndpoint', 'sns:GetEndpointAttributes', 'sns:SetEndpointAttributes', 'sns:Publish', 'sns:DeleteEndpoint'],
      resources: [$interpolate`${here('sns')}app/*`, $interpolate`${here('sns')}endpoint/*`],
    },
  ],
  logging: { retention: '1 month', format: 'json' },
  // The same esbuild settings as packages/app/scripts/build.mjs (see infra/bundle.ts).
  nodejs: lambdaNodejsOptions,
  // Asynchronous invocations (bus rules, schedules): two Lambda retries, then the DLQ (the local
  // bus makes as many attempts: platform jobs/work-queue-limits.ts).
  retries: ASYNC_INVOCATION_RETRIES,
  transform: {
    // Only Lambda may assume the role. SST 4.17.1 also trusts the account root outside `sst dev`
    // (its check `!dev` tests an Output, which is always truthy); `sst dev` still needs that.
    role: (args) => {
      if (!$dev) args.assumeRolePolicy = JSON.stringify(lambdaTrustPolicy);
    },
    eventInvokeConfig: {
      maximumEventAgeInSeconds: 6 * 60 * 60,
      destinationConfig: { onFailure: { destination: deadLetters.arn } },
    },
  },
});
