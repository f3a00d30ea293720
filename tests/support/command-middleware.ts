import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

type Stack = DynamoDBDocumentClient['middlewareStack'];
/** A middleware as `middlewareStack.add` takes it: `(next, context) => async (args) => ...` (its last overload's type, which every step's shares). */
export type CommandMiddleware = Parameters<Stack['add']>[0];
/** Where it sits (its `name` is given apart): the SDK's steps, in the order a command passes them. */
export interface CommandMiddlewareStep {
  step: 'initialize' | 'serialize' | 'build' | 'finalizeRequest' | 'deserialize';
  priority?: 'high' | 'normal' | 'low';
}

/**
 * Runs `work` with `middleware` on `doc`'s stack under `name`, removed again whatever `work` does:
 * the test system's client is shared by every test of a file (and, in the main project, by the
 * files of a worker), so a middleware left on it would hold, throttle or count another test's
 * commands. At the initialize step (before the SDK's retries) unless `step` says otherwise.
 */
export async function withCommandMiddleware<T>(
  doc: DynamoDBDocumentClient,
  name: string,
  middleware: CommandMiddleware,
  work: () => Promise<T>,
  step: CommandMiddlewareStep = { step: 'initialize' },
): Promise<T> {
  doc.middlewareStack.add(middleware, { ...step, name } as Parameters<Stack['add']>[1]);
  try {
    return await work();
  } finally {
    doc.middlewareStack.remove(name);
  }
}
