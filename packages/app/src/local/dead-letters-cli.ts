import { parseArgs } from 'node:util';
import { createBusDelivery } from '../events/bus-delivery';
import { openCliSystem } from './cli-system';
import { readDeadLetters, removeDeadLetter } from './dead-letters';
import { deadLetterDir } from './jobs-runtime';

/**
 * `npm run dead-letters -- list|replay`: what landed in the local dead-letter folder
 * (`$DATA_DIR/dead-letters`, default .data): bus events whose delivery failed every attempt
 * and job units (work-queue messages) that did. `replay` delivers each again through the same
 * code (bus delivery for events, the job worker through the local work queue for units, their
 * follow-ups included) and removes the file once that succeeded; what fails again stays.
 * In AWS the dead letters are SQS queues: see README "How to operate".
 */
async function main(): Promise<number> {
  const { positionals } = parseArgs({ allowPositionals: true });
  const command = positionals[0];
  if (command !== 'list' && command !== 'replay') {
    console.error('usage: npm run dead-letters -- list|replay');
    return 2;
  }
  const { system, queue, dataDir, logger } = openCliSystem();
  const letters = readDeadLetters(deadLetterDir(dataDir));
  if (command === 'list') {
    for (const l of letters) {
      const what = l.kind === 'event' ? `event ${l.event['detail-type']} (${l.event.id}) for rule ${l.rule}` : `job ${l.message.job} ${l.message.type} ${JSON.stringify(l.message.type === 'unit' ? l.message.unit : l.message.cursor ?? null)} tick ${l.message.tick}`;
      console.log(`${l.file}\n  ${what}\n  after ${l.attempts} attempts: ${l.error}`);
    }
    console.log(`${letters.length} dead letters`);
    system.doc.destroy();
    return 0;
  }

  const deliverEvent = createBusDelivery(system);
  let replayed = 0;
  let failed = 0;
  for (const l of letters) {
    try {
      if (l.kind === 'event') await deliverEvent(l.event);
      else await system.jobs.deliver(l.message, { logger });
      removeDeadLetter(l);
      replayed++;
    } catch (err) {
      failed++;
      console.error(`${l.file}: failed again: ${(err as Error).message}`);
    }
  }
  await queue.idle(); // follow-ups of replayed units (with their own retries and dead letters)
  console.log(JSON.stringify({ replayed, failed, newDeadLetters: queue.deadLettered }));
  system.doc.destroy();
  return failed > 0 || queue.deadLettered > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err: Error) => {
    console.error(err.message);
    process.exit(1);
  },
);
