import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

/** One DynamoDB command as the client sent it, e.g. `TransactWriteItemsCommand` and its input. */
export interface SentCommand {
  name: string;
  /** lib-dynamodb's input (before marshalling), e.g. `{ TransactItems: [...] }`. */
  input: Record<string, unknown>;
}

/**
 * Runs `work` and records every command `doc` sends meanwhile (a middleware at the initialize
 * step, removed again afterwards), so a test can count a request's round trips and read what
 * they asked for. Calls must not overlap on one client: each records all the client sends.
 */
export async function commandsSentDuring<T>(
  doc: DynamoDBDocumentClient,
  work: () => Promise<T>,
): Promise<{ result: T; commands: string[]; sent: SentCommand[] }> {
  const sent: SentCommand[] = [];
  const name = 'recordSentCommands';
  doc.middlewareStack.add(
    (next, context) => async (args) => {
      sent.push({ name: String(context.commandName), input: args.input as Record<string, unknown> });
      return next(args);
    },
    { step: 'initialize', name },
  );
  try {
    const result = await work();
    return { result, commands: sent.map((c) => c.name), sent };
  } finally {
    doc.middlewareStack.remove(name);
  }
}
