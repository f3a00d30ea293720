import { parseArgs } from 'node:util';
import type { HandlerContext, Logger, ScheduledJob } from '@budgeting/platform';
import type { DeliveryMessage } from '@budgeting/webhooks';
import type { EventBridgeEvent } from 'aws-lambda';
import { classifyEvent, jobForRule, type Refused } from '../lambda/dispatch';
import { CliInputError, cliDataDir, cliJobConcurrency, cliTarget } from './cli-environment';
import { describeDeadLetter, findDeadLetters, readDeadLetters, removeDeadLetter } from './dead-letters';
import { deadLetterDir } from './jobs-runtime';

/**
 * `npm run dead-letters -- list|replay|drop <file>...`: what landed in the local dead-letter folder
 * (`$DATA_DIR/dead-letters`, default .data): bus events whose delivery failed every attempt,
 * job units (work-queue messages) that did, and webhook delivery messages the worker failed on
 * every receive. `replay` delivers each again through the same code (bus delivery for events,
 * the job worker through the local work queue for units, their follow-ups included, the webhook
 * worker for deliveries, whose next attempts wait in `$DATA_DIR/webhook-deliveries` for `npm start`) and removes the file once that succeeded; what fails again stays.
 * `drop` removes the named ones unreplayed (e.g. a watchdog unit, harmless to drop; root
 * README "How to operate"), all or none.
 *
 * With `--queue-url <stack output deadLetterQueue> --function <stack output function>` (and
 * AWS_REGION plus credentials) it works on the deployed stack's dead-letter queue instead:
 * each bus event, failed invocation or stream batch is handed to the deployed function again
 * (operate/aws-dead-letters.ts). The job and webhook dead letters go back to their own queues
 * with SQS's redrive (root README "How to operate").
 *
 * Only `replay` imports the app (cli-system.ts, about 1 s of CPU): `list` and `drop` read and
 * remove files, and a refused input is answered before the import.
 */
const USAGE = 'usage: npm run dead-letters -- list|replay [--queue-url <deadLetterQueue> --function <function> [--max N]]\n       npm run dead-letters -- drop <file as list prints it>...';

async function main(): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      allowPositionals: true,
      options: { 'queue-url': { type: 'string' }, function: { type: 'string' }, max: { type: 'string' } },
    });
  } catch (err) {
    // An unknown option, or one without its value: refused input (2), as the job CLI's, not a failed replay (1).
    console.error(`${(err as Error).message}\n${USAGE}`);
    return 2;
  }
  const { positionals, values } = parsed;
  const command = positionals[0];
  if (command !== 'list' && command !== 'replay' && command !== 'drop') {
    console.error(USAGE);
    return 2;
  }
  if (command === 'drop') return drop(positionals.slice(1), values['queue-url'] !== undefined || values.function !== undefined);
  // `replay <file>`, by analogy with drop, replayed every letter in the folder: names are refused, nothing done.
  if (positionals.length > 1) {
    console.error(`${command} takes no file names (it ${command === 'replay' ? 'replays' : 'lists'} every dead letter; drop takes names): got "${positionals[1]}"\n${USAGE}`);
    return 2;
  }
  if (values['queue-url'] || values.function) return deployed(command, values['queue-url'], values.function, values.max);
  // Listing only reads the folder, so it names no table (README: `npm run dead-letters -- list`);
  // only a replay delivers, against the table DYNAMODB_ENDPOINT (or a deployed one) names.
  if (command === 'list') {
    const letters = readDeadLetters(deadLetterDir(cliDataDir()));
    for (const l of letters) console.log(`${l.file}\n  ${describeDeadLetter(l)}${l.kind === 'unreadable' ? '' : `\n  after ${l.attempts} attempts: ${l.error}`}`);
    console.log(`${letters.length} dead letters`);
    return 0;
  }

  // Refused without a table (or with a bad JOB_CONCURRENCY) before the app is imported, as openCliSystem would.
  cliTarget(process.env);
  cliJobConcurrency(process.env);
  const { openCliSystem } = await import('./cli-system');
  const { createBusDelivery } = await import('../events/bus-delivery');
  const { system, queue, dataDir, logger } = openCliSystem(process.env, { webhookDeliveries: true });
  const deliverWebhook = await webhookReplay(system.webhooks.deliver, logger);
  const letters = readDeadLetters(deadLetterDir(dataDir));
  const deliverEvent = scheduleOrBusReplay(createBusDelivery(system), system.schedules, logger);
  let replayed = 0;
  let failed = 0;
  for (const l of letters) {
    // Nothing to deliver: it stays for the operator to look at and drop (it counts as failed).
    if (l.kind === 'unreadable') {
      failed++;
      console.error(`${l.file}: ${describeDeadLetter(l)}`);
      continue;
    }
    try {
      if (l.kind === 'event') {
        // A refusal is an answer, not a throw (no subscription for it any more, a detail its
        // subscriber no longer accepts, a schedule whose job is gone): nothing ran, so the letter
        // stays, as one that failed. A Scheduled Event runs its job, as the function dispatches it.
        const refused = await deliverEvent(l.event);
        if (refused) {
          failed++;
          console.error(`${l.file}: refused: ${refused.reason}`);
          continue;
        }
      } else if (l.kind === 'webhook') await deliverWebhook(l.message);
      else await system.jobs.deliver(l.message, { logger });
      removeDeadLetter(l);
      replayed++;
    } catch (err) {
      failed++;
      console.error(`${l.file}: failed again: ${(err as Error).message}`);
    }
  }
  await queue.idle(); // follow-ups of replayed units (with their own retries and dead letters)
  // A replayed delivery's next attempt (its retry, the stream's next delivery) waits in the folder npm start takes up.
  await system.webhooks.localQueue?.stop();
  console.log(JSON.stringify({ replayed, failed, newDeadLetters: queue.deadLettered }));
  system.doc.destroy();
  return failed > 0 || queue.deadLettered > 0 ? 1 : 0;
}

/**
 * A dead-lettered event delivered again as the function dispatches it (lambda/dispatch.ts): a
 * Scheduled Event (a run the local scheduler dead-lettered) runs its job as of its time, any
 * other event goes through bus delivery.
 */
function scheduleOrBusReplay(deliverBusEvent: (e: EventBridgeEvent<string, unknown>) => Promise<void | Refused>, schedules: ScheduledJob[], logger: Logger) {
  return async (event: EventBridgeEvent<string, unknown>): Promise<void | Refused> => {
    if (classifyEvent(event) !== 'schedule') return deliverBusEvent(event);
    const job = jobForRule(schedules, event.resources);
    if (!job) return { refused: true, reason: `no scheduled job for rule ${event.resources?.join(', ')}` };
    const time = new Date(event.time);
    await job.run(Number.isNaN(time.getTime()) ? new Date() : time, { logger: logger.createChild({ persistentKeys: { job: job.name, eventId: event.id } }) });
  };
}

/**
 * A webhook delivery's dead letter delivered again by the worker, after the check the queue's
 * consumer makes (parseDeliveryMessage: the worker itself checks nothing). The module is
 * imported here, by `replay` only.
 */
async function webhookReplay(deliver: (m: DeliveryMessage, ctx: HandlerContext) => Promise<void>, logger: Logger) {
  const { parseDeliveryMessage } = await import('@budgeting/webhooks');
  return async (body: unknown) => {
    const message = parseDeliveryMessage(body);
    if (!message) throw new Error('not a webhook delivery message');
    await deliver(message, { logger });
  };
}

/** Removes the named local dead letters unreplayed; refuses (exit 2, nothing removed) if one names none. */
function drop(names: string[], deployedFlags: boolean): number {
  if (deployedFlags) {
    // SQS has its own: a deployed dead letter is dropped with `aws sqs delete-message` (root README).
    console.error('drop works on the local folder only; a deployed dead letter is deleted with aws sqs delete-message (README "How to operate")');
    return 2;
  }
  if (names.length === 0) {
    console.error('usage: npm run dead-letters -- drop <file as list prints it>...');
    return 2;
  }
  const dir = deadLetterDir(cliDataDir());
  const { found, unknown } = findDeadLetters(dir, names);
  if (unknown.length > 0) {
    console.error(`no dead letter in ${dir} is named ${unknown.join(', ')} (nothing dropped; npm run dead-letters -- list shows them)`);
    return 2;
  }
  for (const l of found) {
    removeDeadLetter(l);
    console.log(`dropped ${l.file}\n  ${describeDeadLetter(l)}`);
  }
  return 0;
}

async function deployed(command: 'list' | 'replay', queueUrl: string | undefined, functionName: string | undefined, max: string | undefined): Promise<number> {
  const region = process.env.AWS_REGION;
  const missing = [!queueUrl && '--queue-url', !functionName && '--function', !region && 'AWS_REGION'].filter(Boolean);
  if (missing.length > 0 || !queueUrl || !functionName || !region) {
    console.error(`the deployed dead letters need ${missing.join(', ')} (stack outputs deadLetterQueue and function)`);
    return 2;
  }
  const limit = max === undefined ? 1000 : Number(max);
  if (!Number.isInteger(limit) || limit < 1) {
    console.error('--max must be a whole number of messages, at least 1');
    return 2;
  }
  const { DynamoDBStreamsClient } = await import('@aws-sdk/client-dynamodb-streams');
  const { LambdaClient } = await import('@aws-sdk/client-lambda');
  const { SQSClient } = await import('@aws-sdk/client-sqs');
  const { replayAwsDeadLetters } = await import('../operate/aws-dead-letters');
  const clients = { sqs: new SQSClient({ region }), lambda: new LambdaClient({ region }), streams: new DynamoDBStreamsClient({ region }) };
  const summary = await replayAwsDeadLetters(clients, { queueUrl, functionName, listOnly: command === 'list', max: limit, report: (line) => console.log(line) });
  console.log(JSON.stringify(summary));
  return summary.failed > 0 || summary.unknown > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    // A refused input (no table to replay into, a bad JOB_CONCURRENCY) exits 2, as every other refusal of these tools.
    process.exit(err instanceof CliInputError ? 2 : 1);
  },
);
