import { problems } from '@budgeting/platform';

/**
 * Without If-Match, a PATCH/DELETE that loses a race re-reads and tries again (the caller
 * asked for "whatever is current"); after this many lost races it gives up with a 409.
 */
const MAX_OPTIMISTIC_ATTEMPTS = 5;

export interface OptimisticWrite<R extends { version: number }, T> {
  /** The current state; throws (404) when it is gone. */
  read: () => Promise<R>;
  /** The versions the client's If-Match accepts, or undefined without the header. */
  ifMatch: ReadonlySet<number> | undefined;
  /** The write, conditioned on the version it was given. */
  write: (current: R) => Promise<T>;
  /** Whether a write's error means "changed since read" (another write won the race). */
  lostRace: (err: unknown) => boolean;
  /** The 409's detail after MAX_OPTIMISTIC_ATTEMPTS lost races. */
  busyDetail: string;
}

/**
 * Read, check If-Match, write conditioned on the version read. A lost race is a 412 when the
 * client named a version (it is stale now: the next read fails the check), otherwise a fresh
 * attempt; a resource deleted meanwhile is whatever `read` throws (404).
 */
export async function optimistically<R extends { version: number }, T>(op: OptimisticWrite<R, T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const current = await op.read();
    if (op.ifMatch !== undefined && !op.ifMatch.has(current.version)) throw problems.preconditionFailed();
    try {
      return await op.write(current);
    } catch (err) {
      if (!op.lostRace(err)) throw err;
      if (attempt >= MAX_OPTIMISTIC_ATTEMPTS) throw problems.conflict(op.busyDetail);
    }
  }
}
