import { loadOnce, type AppConfig, type FanOutJob, type HandlerContext, type Logger, type ModuleStore, type WorkQueue } from '@budgeting/platform';
import { inlineTransport } from './inline-transport';
import type { WorkMessage, WorkTransport } from './messages';
import { createJobMetrics, type JobMetrics } from './metrics';
import type { JobRunner } from './runner';
import { sqsTransport } from './sqs-transport';

export type Deliver = (message: WorkMessage, ctx: HandlerContext) => Promise<void>;

export interface JobSystemOptions {
  config: Pick<AppConfig, 'jobQueueUrl' | 'region' | 'stage'>;
  logger: Logger;
  /** How work travels; default: SQS when JOB_QUEUE_URL is set (AWS), else inline. */
  transport?: (deliver: Deliver) => WorkTransport;
  metrics?: JobMetrics;
  planBudgetMs?: number;
  unitBudgetMs?: number;
  /** The system's clock (epoch ms): what units' `notBefore` is measured on (runner.ts). */
  clock?: () => number;
  /**
   * Where relayed units are claimed so each runs once (relayed-units.ts): the composition root
   * passes the kernel's `jobs#` store. The guard is built with the runner, on first use.
   */
  relayedUnitStore?: ModuleStore;
}

/**
 * The composition root's part for fan-out jobs: the runner exists before the modules (they
 * get its queue as `deps.work`), the jobs are registered once the modules are built, and the
 * transport is chosen last (the local stand-in needs the runner's worker).
 *
 * The runner and the relayed-unit guard (runner.ts, relayed-units.ts) are imported on first
 * use, as the modules' jobs are (platform lazyJob): a cold HTTP request builds the system but
 * works no unit, so it does not evaluate them (tests/lambda/cold-http-imports.test.ts). What
 * the system hands out at start answers without them: the queue (its enqueue loads them), the
 * schedules and job names (from the registered jobs), the metrics.
 */
export function createJobSystem(options: JobSystemOptions) {
  const jobs: FanOutJob[] = [];
  let transport: WorkTransport | undefined;
  const clock = options.clock ?? Date.now;
  // EMF only inside Lambda: elsewhere the lines would be noise on stdout.
  const metrics = options.metrics ?? createJobMetrics({ emit: Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME), stage: options.config.stage });
  const loaded = loadOnce(async () => {
    const [{ createJobRunner }, { relayedUnitGuard }] = await Promise.all([import('./runner'), import('./relayed-units')]);
    return createJobRunner({
      jobs,
      transport: () => {
        if (!transport) throw new Error('the work transport is not set up yet (createSystem registers it after the modules)');
        return transport;
      },
      logger: options.logger,
      metrics,
      planBudgetMs: options.planBudgetMs,
      unitBudgetMs: options.unitBudgetMs,
      clock: options.clock,
      ...(options.relayedUnitStore ? { relayedUnits: relayedUnitGuard(options.relayedUnitStore, clock) } : {}),
    });
  });
  const runner: JobRunner = {
    plan: async (...args) => (await loaded()).plan(...args),
    deliver: async (...args) => (await loaded()).deliver(...args),
    send: async (messages) => (await loaded()).send(messages),
    queue: { enqueue: async (...args: Parameters<WorkQueue['enqueue']>) => (await loaded()).queue.enqueue(...args) },
    // The scheduled face of a planned job: its schedule tick runs the planner.
    scheduled: () =>
      jobs.filter((j) => j.schedule && j.plan).map((job) => ({ name: job.name, schedule: job.schedule!, run: async (time, ctx) => (await loaded()).plan(job.name, time, ctx) })),
    metrics,
    // Jobs a tick can start: the scheduled ones, and operator jobs (a planner, no schedule).
    plannable: () => jobs.filter((j) => j.plan).map((j) => j.name),
    jobNames: () => jobs.map((j) => j.name),
  };
  const deliver: Deliver = (message, ctx) => runner.deliver(message, ctx);
  return {
    runner,
    register(moduleJobs: FanOutJob[]) {
      jobs.push(...moduleJobs);
      transport =
        options.transport?.(deliver) ??
        (options.config.jobQueueUrl
          ? sqsTransport({ queueUrl: options.config.jobQueueUrl, region: options.config.region })
          : inlineTransport(deliver, { logger: options.logger }));
    },
  };
}
