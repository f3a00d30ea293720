import { lazyJob, loadOnce, newId, queuedUnitPut, type Clock, type ModuleStore, type EmailSender, type HandlerContext, type ModuleRuntime, type PlatformDeps } from '@budgeting/platform';
import type { BudgetsFacade, BudgetWatchersFacade } from '@budgeting/budgets';
import type { UsersFacade } from '@budgeting/users';
import type { DeliveryMessage, DeliveryQueue, KnowledgePort, UrlPolicy } from './contract';
import { DEFAULT_RETRY, type RetryPolicy } from './domain/backoff';
import { DELIVERIES_CLEANUP_JOB, RESEAL_SECRETS_JOB, RESUME_DELIVERIES_JOB } from './jobs/names';
import type { WebhookPoster } from './service/http-poster';
import type { Webhook } from './model';
import type { SecretSealer } from './domain/secret-sealer';
import type { DeliveriesRepository } from './repository/deliveries.repository';
import type { WebhooksRepository } from './repository/webhooks.repository';

import { webhooksSubscriptions } from './subscriptions';

/** What the jobs use of the repositories built on first use (service/deferred.ts). */
interface Repositories {
  webhooks: WebhooksRepository;
  deliveries: DeliveriesRepository;
  sealer: SecretSealer;
}

export interface WebhooksModulePorts {
  budgets: BudgetsFacade;
  /** Lets the fan-out skip a budget nobody watches with one read (see FanOutService). */
  watchers?: BudgetWatchersFacade;
  users: UsersFacade;
  /** The owner is emailed when their webhook is disabled. */
  mail: EmailSender;
  /** The budget's serverKnowledge for a user (expenses' delta sync). */
  knowledge: KnowledgePort;
  /** Where attempts wait (SQS in AWS, the in-process stand-in locally). */
  queue: DeliveryQueue;
}

export interface WebhooksModuleOptions {
  /** Which URLs are allowed (default: AWS's strict `public-https`). */
  urlPolicy?: UrlPolicy;
  /** Retry timing (tests scale the delays down; production passes nothing). */
  retry?: Partial<RetryPolicy>;
  /** The longest delay the queue takes at once (SQS: 900 s). */
  maxQueueDelayMs?: number;
  /** How requests leave (default: Node's http/https with the SSRF-checked lookup). */
  post?: WebhookPoster;
}

/** What the users module's data export reads of webhooks (wired by the app into its export port). */
export interface WebhooksExportFacade {
  /** The user's webhooks, without their signing secrets. */
  webhooksOf(userId: string): Promise<Record<string, unknown>[]>;
}

/** SQS's maximum DelaySeconds. */
export const MAX_QUEUE_DELAY_MS = 900_000;

/**
 * Wires the webhooks module: repositories on its own ModuleStore, the service behind the
 * routes, the fan-out subscriptions and the delivery worker (`deliver`: what the queue's
 * consumer calls for each message, in Lambda and in the local stand-in alike).
 */
export function createWebhooksModule(
  deps: PlatformDeps,
  ports: WebhooksModulePorts,
  options: WebhooksModuleOptions = {},
): { runtime: ModuleRuntime; deliver: (message: DeliveryMessage, ctx: HandlerContext) => Promise<void>; exports: WebhooksExportFacade } {
  const store = deps.storeFor('webhooks');
  const urlPolicy = options.urlPolicy ?? { mode: 'public-https' };
  // Everything comes from service/deferred.ts, imported on first use: every cold start builds
  // this module, and only an event, a delivery or a webhooks request needs its repositories,
  // the fan-out, the delivery worker (and its HTTP client) or the routes' service (issue 11).
  const deferred = loadOnce(() => import('./service/deferred'));
  const repositories = loadOnce(async () => {
    const { WebhooksRepository, DeliveriesRepository, sealerFromBase64, answerSealer } = await deferred();
    // Signing secrets are sealed at rest with WEBHOOK_SECRETS_KEY (domain/secret-sealer.ts).
    const sealer = sealerFromBase64(deps.config.webhookSecretsKey);
    // The creation's and rotation's Idempotency-Key answers carry the secret: sealed too.
    return { webhooks: new WebhooksRepository(store, sealer), deliveries: new DeliveriesRepository(store), answers: answerSealer(sealer), sealer };
  });
  // The deliveries of webhooks that are gone (an account's at its deletion, one its owner
  // deleted), one job unit each (jobs/deliveries-cleanup-job.ts): they hold event bodies.
  const cleanUpDeliveries = (webhooks: Pick<Webhook, 'ownerId' | 'id'>[]) =>
    webhooks.length === 0 ? Promise.resolve() : deps.work.enqueue(DELIVERIES_CLEANUP_JOB, webhooks.map((w) => ({ ownerId: w.ownerId, webhookId: w.id })), deps.clock.now());
  const resumeUnit = resumeUnitOf(store, deps.clock);
  const fanOut = loadOnce(async () => {
    const [{ FanOutService }, { webhooks, deliveries }] = await Promise.all([deferred(), repositories()]);
    return new FanOutService({ webhooks, deliveries, budgets: ports.budgets, watchers: ports.watchers, knowledge: ports.knowledge, queue: ports.queue, clock: deps.clock, maxQueueDelayMs: options.maxQueueDelayMs ?? MAX_QUEUE_DELAY_MS });
  });
  const worker = loadOnce(async () => {
    const [{ DeliveryService, createPoster }, { webhooks, deliveries }] = await Promise.all([deferred(), repositories()]);
    return new DeliveryService({
      webhooks,
      deliveries,
      budgets: ports.budgets,
      users: ports.users,
      mail: ports.mail,
      queue: ports.queue,
      post: options.post ?? createPoster(urlPolicy),
      clock: deps.clock,
      retry: { ...DEFAULT_RETRY, ...options.retry },
      maxQueueDelayMs: options.maxQueueDelayMs ?? MAX_QUEUE_DELAY_MS,
    });
  });
  return {
    runtime: {
      name: 'webhooks',
      routes: async () => {
        const [{ createWebhooksRouter }, { WebhooksService, PingService, PingCounter }, { webhooks, deliveries, answers }] = await Promise.all([import('./routes'), deferred(), repositories()]);
        const service = new WebhooksService({ webhooks, deliveries, budgets: ports.budgets, watchers: ports.watchers, queue: ports.queue, clock: deps.clock, urlPolicy, users: ports.users, cleanUpDeliveries, resumeUnit });
        const ping = new PingService({ webhooks, deliveries, pings: new PingCounter(store), queue: ports.queue, clock: deps.clock });
        return createWebhooksRouter(deps, service, ping, answers);
      },
      subscriptions: webhooksSubscriptions({
        fanOut,
        webhooks: async () => (await repositories()).webhooks,
        cleanUpDeliveries,
      }),
      jobs: webhooksJobs(store, repositories, ports.queue),
    },
    deliver: async (message, ctx) => (await worker()).handle(message, ctx.logger),
    // The data export's read: the user's webhooks (at most a few dozen) in the API's own view,
    // which names its fields one by one, so no signing secret can ever reach an export.
    exports: {
      async webhooksOf(userId) {
        const [{ webhookView }, { webhooks }] = await Promise.all([deferred(), repositories()]);
        return (await webhooks.list(userId)).map(webhookView);
      },
    },
  };
}

/**
 * A re-enabled webhook's waiting deliveries are resumed by one job unit written in the enabling
 * PATCH's transaction (jobs/resume-deliveries-job.ts); the table stream's relay queues it.
 */
function resumeUnitOf(store: ModuleStore, clock: Clock) {
  return (webhook: Pick<Webhook, 'ownerId' | 'id' | 'version'>) => {
    const now = clock.now();
    return queuedUnitPut(store, RESUME_DELIVERIES_JOB, { ownerId: webhook.ownerId, webhookId: webhook.id, version: webhook.version }, now, newId(now.getTime()));
  };
}

/**
 * The module's jobs, each loaded on its first use: the user.deleted cascade of a deleted
 * account's webhooks' deliveries, the resume of a re-enabled webhook's waiting deliveries, and
 * the one-off operator job that seals the secrets of items written before they were sealed.
 */
function webhooksJobs(store: ModuleStore, repositories: () => Promise<Repositories>, queue: DeliveryQueue) {
  return [
    lazyJob({ name: RESUME_DELIVERIES_JOB }, async () => {
      const [{ resumeDeliveriesJob }, { webhooks, deliveries }] = await Promise.all([import('./jobs/resume-deliveries-job'), repositories()]);
      return resumeDeliveriesJob({ webhooks, deliveries, queue });
    }),
    lazyJob({ name: DELIVERIES_CLEANUP_JOB }, async () => {
      const [{ deliveriesCleanupJob }, { webhooks, deliveries }] = await Promise.all([import('./jobs/deliveries-cleanup-job'), repositories()]);
      return deliveriesCleanupJob({ store, webhooks, deliveries });
    }),
    lazyJob({ name: RESEAL_SECRETS_JOB, planned: true }, async () => {
      const [{ resealSecretsJob, LegacySecrets }, { sealer }] = await Promise.all([import('./jobs/reseal-secrets-job'), repositories()]);
      return resealSecretsJob({ legacy: new LegacySecrets(store, sealer) });
    }),
  ];
}
