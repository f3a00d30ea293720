/**
 * The failures of a job message that the runner has logged already (runner.ts: a unit whose work
 * threw, a relayed unit deferred too often), so that the queue's consumer (sqs-consumer.ts) logs
 * every OTHER failure of a message (a unit its job refuses, a planner's continuation that throws,
 * a claim that cannot be read) and none twice: one error line per failed receive.
 */
const logged = new WeakSet<object>();

/** `err` has its error line already; returns it, to be thrown. */
export function loggedAlready<E>(err: E): E {
  if (typeof err === 'object' && err !== null) logged.add(err);
  return err;
}

export const wasLogged = (err: unknown): boolean => typeof err === 'object' && err !== null && logged.has(err);
