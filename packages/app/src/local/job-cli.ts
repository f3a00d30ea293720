import { userInfo } from 'node:os';
import { parseArgs } from 'node:util';
import type { Logger, OperatorOperation } from '@budgeting/platform';
import { CliInputError, cliJobConcurrency, cliTarget } from './cli-environment';
import type { openCliSystem } from './cli-system';
import { JOB_CATALOGUE } from './job-catalogue/catalogue';
import type { JobCatalogue } from './job-catalogue/derive';
import { JOB_OPTIONS, OPERATION_COMMON_OPTIONS, parseTickTime } from './job-cli-options';

/** Operator jobs that seal with WEBHOOK_SECRETS_KEY (packages/webhooks/README.md). */
const SEALING_JOBS = new Set(['webhooks-reseal-secrets']);
/** Operator jobs that seal with MFA_SECRETS_KEY (packages/users/docs/two-factor-sign-in.md, "Rotating MFA_SECRETS_KEY"). */
const MFA_SEALING_JOBS = new Set(['users-mfa-reseal']);

/**
 * `npm run job -- <job-name> [--at <ISO-8601 time>]`: one tick of a scheduled job (or of an
 * operator job such as the one-off `budgets-rekey-due-index`), to completion: its planner
 * and every unit it fans out (and their follow-ups), through the
 * local work queue with its retries and dead letters, against the configured table. "Now"
 * for the whole tick is `--at` (default: the current time), as a Scheduled Event's `time`.
 * Progress on a TTY is one updating line, otherwise a plain line per second; then a summary.
 * Exit status 1 when any unit failed every attempt (it is in the dead-letter folder); 2 when
 * the input is refused and nothing ran: an unknown job (named first, with or without a table),
 * an unknown option or an argument after the job's name, a bad --at, a bad JOB_CONCURRENCY or other variable, no table named (cli-system.ts).
 *
 * `npm run job -- <operation> --<option> <value> ...`: an operator operation with arguments
 * instead (ModuleRuntime.operations, e.g. `users-mfa-reset`): run once, here; see runOperation.
 *
 * The app (cli-system.ts, about 1 s of CPU to import) is imported only once the input is
 * accepted: the usage, an unknown name, a bad option or --at, and a refused table or
 * JOB_CONCURRENCY are answered from the generated catalogue (job-catalogue/) without it.
 */
async function main(): Promise<number> {
  const first = process.argv[2];
  // The usage lists the jobs, which an operator wants before knowing which table to name.
  if (first === undefined) return fail(usage());
  if (first === '--help' || first === '-h') {
    console.log(usage());
    return 0;
  }
  // Which jobs and operations exist needs no table: a name that is neither is refused as such,
  // before the table variables are asked for (it was "set DYNAMODB_ENDPOINT", naming no job).
  const known = JOB_CATALOGUE;
  if (known.operations.some((o) => o.name === first)) {
    const { system, queue, logger } = await openSystem();
    return runOperation(system, queue, system.operations.find((o) => o.name === first)!, logger);
  }
  const tick = acceptedTick(known);
  if (typeof tick === 'string') return fail(tick);
  const { name, at } = tick;

  // A job that seals must seal with the table's key, never the CLI's dev default (cli-system.ts).
  if (SEALING_JOBS.has(name) && !process.env.WEBHOOK_SECRETS_KEY) {
    return fail(`${name} seals webhook secrets: set WEBHOOK_SECRETS_KEY to the key the table's webhooks are sealed with (the deployment's WebhookSecretsKey; under npm start the dev key of packages/app/src/local/dev-webhook-secrets-key.ts)`);
  }
  // Likewise MFA_SECRETS_KEY: resealed under the dev default, a stale secret would open nowhere else.
  if (MFA_SEALING_JOBS.has(name) && !process.env.MFA_SECRETS_KEY) {
    return fail(`${name} reseals TOTP secrets under MFA_SECRETS_KEY: set it (and MFA_SECRETS_KEY_PREVIOUS during a rotation) to the deployment's keys, with WEBHOOK_SECRETS_KEY for the v1 seals`);
  }
  const { system, queue, logger } = await openSystem();

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
  const report = system.jobs.metrics.reportOf(name);
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
      // The job's own figures summed over its units (e.g. users-mfa-reseal's resealed, unopenable).
      ...(Object.keys(report).length > 0 ? { report } : {}),
      ...(planError ? { planError: planError.message } : {}),
    }),
  );
  system.doc.destroy();
  return planError || queue.deadLettered > 0 ? 1 : 0;
}

/**
 * An operator operation (ModuleRuntime.operations): its options parsed strictly, `--operator`
 * defaulting to $OPERATOR, else the OS user (every operation's audit names who ran it), run
 * once; prints its JSON summary. Exit status 2 for refused input (nothing changed), 1 when a
 * step after the change failed (the summary says which), else 0.
 *
 * Before it exits it waits for the local work queue to be idle, as a job's tick does: the queue
 * takes up the delayed sends DATA_DIR holds whose instant has passed (delayed-hold.ts: a file is
 * removed once taken), so exiting with one still being delivered lost it, even on a read-only
 * `users-show`.
 */
async function runOperation(
  system: ReturnType<typeof openCliSystem>['system'],
  queue: ReturnType<typeof openCliSystem>['queue'],
  operation: OperatorOperation,
  logger: Logger,
): Promise<number> {
  const options = Object.fromEntries([...Object.keys(operation.options), ...OPERATION_COMMON_OPTIONS].map((k) => [k, { type: 'string' as const }]));
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({ args: process.argv.slice(3), options, allowPositionals: false }));
  } catch (err) {
    return fail(`${(err as Error).message}\nusage: npm run job -- ${operation.name} ${Object.entries(operation.options).map(([k, what]) => `--${k} <${what}>`).join(' ')} [--operator <who runs it; default $OPERATOR, else the OS user>]`);
  }
  const args = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, typeof v === 'string' ? v : undefined]));
  args.operator ??= process.env.OPERATOR || userInfo().username;
  try {
    const { ok, summary } = await operation.run(args, { logger });
    console.log(JSON.stringify(summary));
    return ok ? 0 : 1;
  } catch (err) {
    const { OperatorInputError } = await import('@budgeting/platform');
    if (err instanceof OperatorInputError) return fail(err.message);
    throw err;
  } finally {
    await queue.idle();
    system.doc.destroy();
  }
}

/** The job and the tick's time `npm run job -- <job> [--at <time>]` names; a string: why it is refused (exit 2). */
function acceptedTick(known: JobCatalogue): { name: string; at: Date } | string {
  let parsed;
  try {
    parsed = parseArgs({ allowPositionals: true, options: JOB_OPTIONS });
  } catch (err) {
    return `${(err as Error).message}\n${usage(known)}`;
  }
  const { positionals, values } = parsed;
  const name = positionals[0];
  if (name === undefined || !known.jobs.includes(name)) return `${name === undefined ? 'no job named' : `unknown job "${name}"`}\n${usage(known)}`;
  // A job takes one name: anything after it was dropped, and a time typed without its --at ran the tick now.
  if (positionals.length > 1) return `unexpected argument "${positionals[1]}": the tick's time is --at <ISO-8601 time>\n${usage(known)}`;
  const at = values.at === undefined ? new Date() : parseTickTime(values.at);
  if (!at) return `--at must be an ISO-8601 time with its offset (e.g. 2026-10-01T01:00:00Z), got "${values.at}"`;
  return { name, at };
}

/**
 * The system, imported now that the input is accepted. The environment's refusals that need no
 * app (no table named, a bad JOB_CONCURRENCY) come first, as openCliSystem would give them.
 */
async function openSystem(): Promise<ReturnType<typeof openCliSystem>> {
  cliTarget(process.env);
  cliJobConcurrency(process.env);
  const { openCliSystem } = await import('./cli-system');
  return openCliSystem();
}

function usage(known: JobCatalogue = JOB_CATALOGUE): string {
  const operations = known.operations.map((o) => `       npm run job -- ${o.name} ${o.options.map((k) => `--${k} <${k}>`).join(' ')} [--operator <who; default $OPERATOR, else the OS user>]`);
  return [`usage: npm run job -- <${known.jobs.join('|')}> [--at <ISO-8601 time>]`, ...operations].join('\n');
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
    process.exit(err instanceof CliInputError ? 2 : 1);
  },
);
