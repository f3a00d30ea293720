import { bus, deadLetters } from './bus';
import { jobQueue } from './jobs';
import { lambdaNodejsOptions } from './bundle';
import { signingKey } from './secrets';
import { table } from './table';

/**
 * The sender of report emails (report.generated subscriber): an address or domain verified in
 * SES in the deployment's region, e.g. `MAIL_FROM="Budgets <reports@example.com>" npx sst deploy`.
 * Without it the function cannot mail: each send fails, is retried, then lands in the DLQ.
 */
const mailFrom = process.env.MAIL_FROM;
if (!mailFrom) console.warn('MAIL_FROM is not set: report emails will fail until it is (see README, Configuration).');

/**
 * THE one Lambda function: HTTP (API Gateway v2), bus events, schedules and the table's
 * stream all arrive here and packages/app/src/lambda/dispatch.ts tells them apart.
 *
 * Permissions come mostly from `link`: the table (dynamodb:* on the table, its indexes and
 * its stream), the bus (events:PutEvents for the outbox relay), the secret (its value in the
 * function), the dead-letter queue (Lambda writes failed async invocations and failed
 * stream batches there with the function's role) and the job queue (sqs:SendMessage for the
 * planners and cascades; infra/job-triggers.ts makes the function its consumer).
 */
export const fn = new sst.aws.Function('Handler', {
  handler: 'packages/app/src/lambda/handler.handler',
  runtime: 'nodejs22.x',
  architecture: 'arm64',
  memory: '1024 MB',
  // API Gateway gives up after 30 s anyway; stream batches and report jobs fit in it.
  timeout: '30 seconds',
  link: [table, bus, signingKey, deadLetters, jobQueue],
  environment: {
    STAGE: $app.stage,
    LOG_LEVEL: $app.stage === 'production' ? 'INFO' : 'DEBUG',
    ...(mailFrom ? { MAIL_FROM: mailFrom } : {}),
  },
  permissions: [
    {
      // Budget reports are mailed with SES v2 SendEmail (report.generated subscriber), from
      // MAIL_FROM's verified identity.
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: ['arn:aws:ses:*:*:identity/*', 'arn:aws:ses:*:*:configuration-set/*'],
    },
  ],
  logging: { retention: '1 month', format: 'json' },
  // The same esbuild settings as packages/app/scripts/build.mjs (see infra/bundle.ts).
  nodejs: lambdaNodejsOptions,
  // Asynchronous invocations (bus rules, schedules): two Lambda retries, then the DLQ.
  retries: 2,
  transform: {
    eventInvokeConfig: {
      maximumEventAgeInSeconds: 6 * 60 * 60,
      destinationConfig: { onFailure: { destination: deadLetters.arn } },
    },
  },
});
