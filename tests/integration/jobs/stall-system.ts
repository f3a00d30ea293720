import type { fixedClock } from '@budgeting/platform';
import { expect, vi } from 'vitest';
import { as, signUp } from '../../support/actors';
import { call } from '../../support/http';
import type { readBarrier } from './read-barrier';
import { createFanOutSystem } from './support';

/**
 * The set-up the stall and watchdog tests of the two bulk jobs a user starts (CSV import,
 * merchant rename) share: a fan-out system on a fixed clock, its owner, and one DynamoDB client
 * middleware that passes every request through the file's own holds (`beforeSend`), the read
 * barrier, and counts the job's stall failures that landed (`isStallWrite`, sent and answered).
 * What differs between the files (the job, its units, the record, the stall write's shape, the
 * holds) is given; what each test does stays in its file.
 */
export async function startStallSystem(o: {
  ownerName: string;
  system: Parameters<typeof createFanOutSystem>[0];
  reads: ReturnType<typeof readBarrier>;
  /** The job's stall failure as the client sends it (a conditional write on the `updatedAt` seen). */
  isStallWrite: (commandName: string | undefined, input: unknown) => boolean;
  /** Called once a stall failure's request has succeeded. */
  onStallWrite: () => void;
  /** Awaited before a request is sent (a test's one-shot holds); told whether it is a stall write. */
  beforeSend?: (commandName: string | undefined, input: unknown, stallWrite: boolean) => Promise<void>;
}) {
  const s = await createFanOutSystem(o.system);
  const clock = s.t.clock as ReturnType<typeof fixedClock>;
  const owner = await signUp(s.t.app, o.ownerName);
  s.t.doc.middlewareStack.add(
    (next, context) => async (args) => {
      const stallWrite = o.isStallWrite(context.commandName, args.input);
      await o.beforeSend?.(context.commandName, args.input, stallWrite);
      await o.reads.atGetItem(context.commandName, args.input);
      const out = await next(args);
      if (stallWrite) o.onStallWrite();
      return out;
    },
    { step: 'initialize', name: 'stallTestHooks' },
  );

  /** A fresh access token (they last 15 minutes of the clock, which these tests move by hours). */
  let signedInAt = Number.NEGATIVE_INFINITY;
  async function api() {
    if (clock.now().getTime() - signedInAt > 10 * 60_000) {
      const res = await call(s.t.app, 'POST', '/v1/auth/login', { body: { email: owner.email, password: owner.password } });
      expect(res.status, res.text).toBe(200);
      owner.token = res.json.tokens.accessToken;
      signedInAt = clock.now().getTime();
    }
    return as(s.t.app, owner);
  }

  /** GET of a job resource through the API (which applies the stall rule itself). */
  async function read(location: string) {
    const res = await (await api())('GET', location);
    expect(res.status, res.text).toBe(200);
    return res.json;
  }

  /**
   * Hands the held messages over and waits until `runs` more deliveries of the watchdog `job`
   * have ended (units may be held at a gate, so not idle()).
   */
  async function releaseWatchdogs(job: string, runs: number) {
    const watchdogRuns = () => s.deliveries.filter((d) => d.job === job).length;
    const before = watchdogRuns();
    s.queue.releaseDelayed();
    await vi.waitFor(() => expect(watchdogRuns()).toBe(before + runs), { timeout: 10_000, interval: 5 });
  }

  return { s, clock, owner, api, read, releaseWatchdogs };
}

/**
 * A job's stall failure as the DynamoDB client sends it: ONE TransactWriteItems whose record
 * update sets `failure = <param>` under a condition on the `updatedAt` read (`:seen`).
 */
export const isStallFailureWrite = (failureParam: string) => (commandName: string | undefined, input: unknown): boolean => {
  if (commandName !== 'TransactWriteItemsCommand') return false;
  const items = (input as { TransactItems?: { Update?: { UpdateExpression?: string; ConditionExpression?: string } }[] }).TransactItems ?? [];
  return items.some((i) => i.Update?.UpdateExpression?.includes(`failure = ${failureParam}`) === true && i.Update.ConditionExpression?.includes(':seen') === true);
};

export type StallSystem = Awaited<ReturnType<typeof startStallSystem>>;
