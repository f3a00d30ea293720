import { parseArgs } from 'node:util';
import { openCliSystem } from './cli-system';

/** Operator jobs that seal with WEBHOOK_SECRETS_KEY (packages/webhooks/README.md). */
const SEALING_JOBS = new Set(['webhooks-reseal-secrets']);

/**
 * `npm run job -- <job-name> [--at <ISO-8601 time>]`: one tick of a scheduled job (or of an
 * operator job such as the one-off `budgets-rekey-due-index`), to completion: its planner
 * and every unit it fans out (and their follow-ups), through the
 * local work queue with its retries and dead letters, against the configured table. "Now"
 * for the whole tick is `--at` (default: the current time), as a Scheduled Event's `time`.
 * Progress on a TTY is one updating line, otherwise a plain line per second; then a summary.
 * Exit status 1 when any unit failed every attempt (it is in the dead-letter folder).
 */
async function main(): Promise<number> {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { at: { type: 'string' } } });
  const name = positionals[0];
  const at = values.at ? new Date(values.at) : new Date();
  if (Number.isNaN(at.getTime())) return fail(`--at must be an ISO-8601 time, got "${values.at}"`);

  // A job that seals must seal with the table's key, never the CLI's dev default (cli-system.ts).
  if (SEALING_JOBS.has(name ?? '') && !process.env.WEBHOOK_SECRETS_KEY) {
    return fail(`${name} seals webhook secrets: set WEBHOOK_SECRETS_KEY to the key the table's webhooks are sealed with (the deployment's WebhookSecretsKey; under npm start the dev key of packages/app/src/local/dev-webhook-secrets-key.ts)`);
  }
  const { system, queue, logger } = openCliSystem();
  const planned = system.jobs.plannable();
  if (!name || !planned.includes(name)) return fail(`usage: npm run job -- <${planned.join('|')}> [--at <ISO-8601 time>]`);

  const started = Date.now();
  const totals = () => system.jobs.metrics.totals(name);
  const tty = process.stdout.isTTY;
  const line = () => {
    const t = totals();
    const secs = (Date.now() - started) / 1000;
    return `${name} @ ${at.toISOString()}: ${t.DueUnits} due, ${t.UnitsProcessed} done, ${t.UnitsContinued} continued, ${t.UnitsFailed} failed attempts, ${queue.deadLettered} dead-lettered (${secs.toFixed(0)} s, ${(t.UnitsProcessed / Math.max(secs, 0.001)).toFixed(1)}/s)`;
  };
  const progress = setInterval(() => (tty ? process.stdout.write(`\r${bar(totals())} ${line()}`) : console.log(line())), tty ? 250 : 1000);

  let planError: Error | undefined;
  try {
    await system.jobs.plan(name, at, { logger });
  } catch (err) {
    planError = err as Error;
  }
  await queue.idle();
  clearInterval(progress);
  if (tty) process.stdout.write('\n');

  const t = totals();
  console.log(
    JSON.stringify({
      job: name,
      at: at.toISOString(),
      dueUnits: t.DueUnits,
      processed: t.UnitsProcessed,
      continued: t.UnitsContinued,
      failedAttempts: t.UnitsFailed,
      deadLettered: queue.deadLettered,
      notDueReads: t.NotDueReads,
      plannerPages: t.PlannerPages,
      oldestDueAgeSeconds: t.OldestDueAgeSeconds,
      seconds: (Date.now() - started) / 1000,
      ...(planError ? { planError: planError.message } : {}),
    }),
  );
  system.doc.destroy();
  return planError || queue.deadLettered > 0 ? 1 : 0;
}

function bar(t: { DueUnits: number; UnitsProcessed: number }): string {
  const width = 20;
  const filled = t.DueUnits === 0 ? 0 : Math.round((Math.min(t.UnitsProcessed, t.DueUnits) / t.DueUnits) * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}]`;
}

function fail(message: string): number {
  console.error(message);
  return 2;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
