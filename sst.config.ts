/// <reference path="./.sst/platform/config.d.ts" />

/**
 * The AWS deployment of the budgeting backend: one table, one bus, one function behind one
 * HTTP API, plus the wiring that feeds the function its other triggers. Each piece lives in
 * infra/*.ts; they are imported inside run() because SST evaluates app() before the
 * `sst`/`aws` globals exist (module-scope code in infra/ may use them).
 *
 * Deploy: `npx sst secret set TokenSigningKey <64 random chars> --stage <stage>` and
 * `npx sst secret set WebhookSecretsKey "$(openssl rand -base64 32)" --stage <stage>` and
 * `npx sst secret set MfaSecretsKey "$(openssl rand -base64 32)" --stage <stage>` once, then
 * `npx sst deploy --stage <stage>` (`TokenSigningKeyPrevious` and `MfaSecretsKeyPrevious` need a
 * value only during a rotation: README, "How to operate"). CI type-checks this file and infra/ with
 * `node infra/typecheck.mjs` and runs them offline under Pulumi's mocks in
 * tests/infra/rehearsal.test.ts (no AWS needed).
 */
export default $config({
  app(input) {
    return {
      name: 'budgeting',
      home: 'aws',
      // Production data outlives `sst remove`; other stages are disposable.
      removal: input?.stage === 'production' ? 'retain' : 'remove',
      protect: input?.stage === 'production',
      // Pinned so `sst install` (and therefore the CI type-check) is reproducible.
      providers: { aws: '7.20.0' },
    };
  },
  async run() {
    // First: every link made below grants only the actions the function needs (infra/links.ts).
    await import('./infra/links');
    const { table } = await import('./infra/table');
    const { attachments } = await import('./infra/attachments');
    await import('./infra/secrets');
    const { bus, deadLetters } = await import('./infra/bus');
    const { jobQueue, jobDeadLetters } = await import('./infra/jobs');
    const { fn } = await import('./infra/function');
    const { api } = await import('./infra/api');
    await import('./infra/triggers');
    const { webhookDeliveries, webhookDeadLetters } = await import('./infra/webhooks');
    await import('./infra/webhook-triggers');
    await import('./infra/job-triggers');
    await import('./infra/alarms');
    // The guards' refusals (429) counted from the access log, and their one alarm.
    await import('./infra/guard-metrics');
    const { alarmTopic } = await import('./infra/alarm');
    // Last: it lists every alarm created above.
    const { dashboard } = await import('./infra/dashboard');
    return {
      api: api.url,
      function: fn.name,
      table: table.name,
      attachmentsBucket: attachments.name,
      bus: bus.name,
      deadLetterQueue: deadLetters.url,
      webhookQueue: webhookDeliveries.url,
      webhookDeadLetterQueue: webhookDeadLetters.url,
      jobQueue: jobQueue.url,
      jobDeadLetterQueue: jobDeadLetters.url,
      // Every alarm notifies this topic: subscribe to it after deploying (README, Alarms).
      alarmTopic: alarmTopic.arn,
      dashboard: dashboard.dashboardName,
    };
  },
});
