import type { FanOutJob } from './fan-out';

/** What the wiring and the job runner must know of a job before its code is loaded. */
export interface JobDeclaration {
  name: string;
  /** EventBridge schedule expression (scheduled jobs only). */
  schedule?: string;
  /** The job has a planner (scheduled jobs, and operator jobs a tick starts). */
  planned?: boolean;
}

/** A job loaded on first use; `load()` gives the job itself (tests call its extras, e.g. runOnce). */
export type LazyJob<U> = FanOutJob<U> & { load(): Promise<FanOutJob<U>> };

/**
 * A fan-out job whose code is loaded on its first use (a unit to work, a tick to plan): its
 * module's `create-module.ts` passes `() => import('./jobs/x').then(...)`, so esbuild puts the
 * job (and what only it uses) in a chunk of its own, and a cold HTTP request never evaluates
 * it (issue 11). The name and schedule are declared here because the wiring manifest and the
 * runner read them without running the job; the loaded job must agree (checked on load).
 */
export function lazyJob<U>(declared: JobDeclaration, load: () => Promise<FanOutJob<U>>): LazyJob<U> {
  let pending: Promise<FanOutJob<U>> | undefined;
  const job = () =>
    (pending ??= load().then(
      (loaded) => {
        if (loaded.name !== declared.name || loaded.schedule !== declared.schedule || Boolean(loaded.plan) !== Boolean(declared.planned)) {
          throw new Error(`job "${declared.name}" was declared as ${JSON.stringify(declared)} but loaded as ${JSON.stringify({ name: loaded.name, schedule: loaded.schedule, planned: Boolean(loaded.plan) })}`);
        }
        return loaded;
      },
      (err: unknown) => {
        pending = undefined; // a failed chunk load is retried by the next use
        throw err;
      },
    ));
  return {
    name: declared.name,
    ...(declared.schedule ? { schedule: declared.schedule } : {}),
    ...(declared.planned ? { plan: async (now, cursor, ctx) => (await job()).plan!(now, cursor, ctx) } : {}),
    work: async (unit, now, ctx) => (await job()).work(unit, now, ctx),
    parseUnit: async (raw) => (await job()).parseUnit(raw),
    load: job,
  };
}
