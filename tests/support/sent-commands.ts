import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AsyncLocalStorage } from 'node:async_hooks';

/** One DynamoDB command as the client sent it, e.g. `TransactWriteItemsCommand` and its input. */
export interface SentCommand {
  name: string;
  /** lib-dynamodb's input (before marshalling), e.g. `{ TransactItems: [...] }`. */
  input: Record<string, unknown>;
}

/** Which recording (if any) the running code belongs to. */
const recording = new AsyncLocalStorage<SentCommand[]>();

/**
 * Runs `work` and records every command `doc` sends on its behalf (a middleware at the
 * initialize step, removed again afterwards), so a test can count a request's round trips and
 * read what they asked for. Only commands sent from `work`'s own async context count: the test
 * system's background work (the event runtime relaying earlier writes) may use the same client
 * at the same moment, and counting its commands made the counts flaky.
 */
export async function commandsSentDuring<T>(
  doc: DynamoDBDocumentClient,
  work: () => Promise<T>,
): Promise<{ result: T; commands: string[]; sent: SentCommand[] }> {
  const sent: SentCommand[] = [];
  const name = 'recordSentCommands';
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      if (recording.getStore() === sent) sent.push({ name: String(context.commandName), input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    const result = await recording.run(sent, work);
    return { result, commands: sent.map((c) => c.name), sent };
  } finally {
    doc.middlewareStack.remove(name);
  }
}
