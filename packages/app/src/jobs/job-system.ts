import type { AppConfig, FanOutJob, HandlerContext, Logger } from '@budgeting/platform';
import { inlineTransport } from './inline-transport';
import type { WorkMessage, WorkTransport } from './messages';
import { createJobMetrics, type JobMetrics } from './metrics';
import type { RelayedUnitGuard } from './relayed-units';
import { createJobRunner } from './runner';
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
  /** Runs each relayed unit once (relayed-units.ts; the composition root builds it on the kernel's `jobs#` prefix). */
  relayedUnits?: RelayedUnitGuard;
}

/**
 * The composition root's part for fan-out jobs: the runner exists before the modules (they
 * get its queue as `deps.work`), the jobs are registered once the modules are built, and the
 * transport is chosen last (the local stand-in needs the runner's worker).
 */
export function createJobSystem(options: JobSystemOptions) {
  const jobs: FanOutJob[] = [];
  let transport: WorkTransport | undefined;
  const runner = createJobRunner({
    jobs,
    transport: () => {
      if (!transport) throw new Error('the work transport is not set up yet (createSystem registers it after the modules)');
      return transport;
    },
    logger: options.logger,
    // EMF only inside Lambda: elsewhere the lines would be noise on stdout.
    metrics: options.metrics ?? createJobMetrics({ emit: Boolean(process.env.AWS_LAMBDA_FUNCTION_NAME), stage: options.config.stage }),
    planBudgetMs: options.planBudgetMs,
    unitBudgetMs: options.unitBudgetMs,
    clock: options.clock,
    relayedUnits: options.relayedUnits,
  });
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
