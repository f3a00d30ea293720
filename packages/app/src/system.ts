import {
  AccessTokens,
  type AccessTokenOptions,
  createCursorCodec,
  idempotency,
  idempotentWrite,
  createDynamoClients,
  createLogger,
  ModuleStore,
  RateLimiter,
  rateLimitCounter,
  systemClock,
  useProblemTypeBase,
  type AppConfig,
  type Clock,
  type EmailSender,
  type Logger,
  type ModuleRuntime,
  type ObjectStorage,
  type PushSender,
  type PlatformDeps,
  type RateLimitPolicy,
} from '@budgeting/platform';
import { createActivityModule } from '@budgeting/activity';
import { createBudgetsModule, type ArchiveParticipantPort, type BudgetContentsPort, type ReviewCountPort, type BudgetsExportFacade, type SpendingPort } from '@budgeting/budgets';
import { createNotificationsModule, type NotificationsExportFacade } from '@budgeting/notifications';
import { createExpensesModule, expenseDeleted, expenseRecorded, expenseUpdated, type ExpensesExportFacade, type ExpensesModuleOptions, type MemberLocalePort, type CredentialNoticePort } from '@budgeting/expenses';
import { createUsersModule, type ExportSourcesPort, type UsersModuleOptions, type UsersFacade } from '@budgeting/users';
import { createWebhooksModule, type DeliveryQueue, type WebhooksExportFacade, type WebhooksModuleOptions } from '@budgeting/webhooks';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createApp } from './http/create-app';
import type { DocsScript } from './http/docs-page';
import { createJobSystem, type JobSystemOptions } from './jobs/job-system';
import { emailSenderOnFirstUse } from './mail/on-first-use';
import { pushSenderOnFirstUse } from './push/on-first-use';
import { objectStorageOnFirstUse } from './storage/on-first-use';
import { createLocalDeliveryQueue, type LocalDeliveryQueue } from './local/delivery-queue';
import { sqsDeliveryQueue } from './webhooks/sqs-queue';

export interface SystemOptions {
  config: AppConfig;
  clock?: Clock;
  logger?: Logger;
  /** Inject a DocumentClient (tests count its requests or mock it). */
  doc?: DynamoDBDocumentClient;
  /** Module tuning (tests lower the password-hash cost; production never passes this). */
  users?: UsersModuleOptions;
  /** How mail leaves (tests record it); default from the configuration (emailSenderFor). */
  mail?: EmailSender;
  /** Where /docs loads its script from (served locally, pinned CDN + integrity in Lambda). */
  docs?: DocsScript;
  /** Fan-out jobs: how work travels (the local stand-in, tests) and their time budgets. */
  jobs?: Pick<JobSystemOptions, 'transport' | 'metrics' | 'planBudgetMs' | 'unitBudgetMs'>;
  /** How mobile pushes leave (tests may record them); default from the configuration (pushSenderFor). */
  push?: PushSender;
  /** Where attachments' files are (tests may pass a mocked S3 or the local stand-in); default from the configuration (objectStorageFor). */
  storage?: ObjectStorage;
  /** Webhook tuning (tests scale the retry delays down; production passes nothing). */
  webhooks?: WebhooksModuleOptions;
  /**
   * Where the in-process webhook delivery queue (no WEBHOOK_QUEUE_URL) keeps its waiting
   * messages across restarts (npm start: `<DATA_DIR>/webhook-deliveries`, local/delivery-queue.ts);
   * omitted: in memory (tests).
   */
  webhookQueueDir?: string;
  /** Where that queue keeps a message its worker failed on every receive (npm start: `<DATA_DIR>/dead-letters`); omitted: logged only. */
  webhookDeadLetterDir?: string;
  /** Expenses tuning (tests lower page sizes and caps; production passes nothing). */
  expenses?: ExpensesModuleOptions;
  /**
   * Rate-limit tuning: the HTTP bench runs at a limit it never reaches and shares counts as
   * often as production's default does; production passes nothing (flushEvery from the limit).
   */
  rateLimit?: Pick<RateLimitPolicy, 'flushEvery'>;
}

/**
 * The composition root: builds the shared platform pieces once, hands each module its
 * dependencies (and the other modules' facades it may use), and assembles the HTTP app.
 * Lambda, the local server and the tests all start the system through here.
 */
/**
 * The access tokens every protected route verifies, with the account check, the personal access
 * tokens (the users module resolves them) and the caller rate limit.
 */
function accessTokens(
  options: SystemOptions,
  runtime: { clock: Clock; logger: Logger; doc: DynamoDBDocumentClient },
  users: Pick<AccessTokenOptions, 'accountExists' | 'personalTokens'>,
): AccessTokens {
  const { config } = options;
  return new AccessTokens(config.tokenSigningKey, config.accessTokenTtlSeconds, runtime.clock, {
    ...users,
    rateLimiter: callerRateLimiter({ config, ...runtime, tuning: options.rateLimit }),
    previousSigningKey: config.tokenSigningKeyPrevious,
  });
}

/**
 * Applies what the configuration sets for the whole process: the base of every problem `type`
 * answered (PROBLEM_TYPE_BASE; root README "Configuration"), which bodies built far from any request use.
 */
function applyProcessSettings(config: AppConfig): AppConfig {
  useProblemTypeBase(config.problemTypeBase);
  return config;
}

export function createSystem(options: SystemOptions) {
  const config = applyProcessSettings(options.config);
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? createLogger(config.logLevel);
  const doc = options.doc ?? createDynamoClients({ region: config.region, endpoint: config.dynamodbEndpoint }).doc;
  const jobs = createJobSystem({ config, logger, clock: () => clock.now().getTime(), relayedUnitStore: relayedUnitStoreOf(doc, config), ...options.jobs });
  // `users` is built below; the account check asks it only when a request comes.
  const tokens = accessTokens(options, { clock, logger, doc }, {
    accountExists: (userId, sessionEpoch, sessionId) => users.facade.accountExists(userId, sessionEpoch, sessionId),
    personalTokens: (token) => users.facade.personalToken(token),
  });
  const deps = platformDeps({ config, clock, logger, tokens, doc, work: jobs.runner.queue });

  const mail = options.mail ?? emailSenderOnFirstUse(config);
  const storage = options.storage ?? objectStorageOnFirstUse(config, clock);
  // The data export reads the other modules' export facades (built below) when a unit runs.
  const exportSources = exportSourcesOf(() => ({ budgets: budgets.exports, expenses: expenses.exports, notifications: notifications.exports, webhooks: webhooks.exports }));
  const users = createUsersModule(deps, { mail, storage, exportSources }, options.users);
  // budgets asks expenses for spending totals, expenses asks budgets for the caller's role: the port
  // below calls expenses lazily, so the package graph stays acyclic (expenses -> budgets only).
  const budgets = createBudgetsModule(deps, {
    spending: spendingOf(() => expenses.spending),
    contents: contentsOf(() => expenses.contents),
    users: users.facade,
    expenseEvents: [expenseRecorded, expenseUpdated, expenseDeleted],
    mail,
    // Both built below (they need the budgets facade): asked only when an overview request comes.
    notifications: { unreadCount: (userId) => notifications.unread.unreadCount(userId) },
    ...reviewAndArchiveOf(() => expenses),
  });
  const expenses = createExpensesModule(deps, { budgets: budgets.facade, storage, locales: memberLocales(users.facade), notices: credentialNotices(users.facade) }, options.expenses);
  const activity = createActivityModule(deps, { budgets: budgets.facade, expenses: expenses.activity });
  const notifications = createNotificationsModule(deps, {
    budgets: budgets.facade,
    users: users.facade,
    mail,
    push: options.push ?? pushSenderOnFirstUse(config),
  });
  // Webhook attempts wait in SQS in AWS; without a queue URL (npm start, tests) in the
  // in-process stand-in, which runs the same worker.
  let localQueue: LocalDeliveryQueue | undefined;
  const deliveryQueue: DeliveryQueue = config.webhookQueueUrl
    ? sqsDeliveryQueue({ queueUrl: config.webhookQueueUrl, region: config.region })
    : (localQueue = createLocalDeliveryQueue({ deliver: (m, ctx) => webhooks.deliver(m, ctx), logger, delayedDir: options.webhookQueueDir, deadLetterDir: options.webhookDeadLetterDir }));
  const webhooks = createWebhooksModule(
    deps,
    {
      budgets: budgets.facade,
      watchers: budgets.watchers,
      users: users.facade,
      mail,
      queue: deliveryQueue,
      knowledge: knowledgeOf(expenses.sync),
    },
    { urlPolicy: { mode: config.webhookAllowLocalUrls ? 'local' : 'public-https' }, ...options.webhooks },
  );
  const modules: ModuleRuntime[] = [users.runtime, budgets.runtime, expenses.runtime, activity.runtime, notifications.runtime, webhooks.runtime];
  jobs.register(modules.flatMap((m) => m.jobs ?? []));

  const app = createApp({ logger, modules, corsOrigins: config.corsOrigins, docs: options.docs });
  return {
    config,
    deps,
    /** The raw client, for the app's own plumbing (the outbox relay marks items relayed); never handed to a module. */
    doc,
    app,
    modules,
    /** Attachments' files (tests look at them). */
    storage,
    subscriptions: modules.flatMap((m) => m.subscriptions ?? []),
    // A fan-out job's schedule tick runs its planner (jobs/runner.ts).
    schedules: [...modules.flatMap((m) => m.schedules ?? []), ...jobs.runner.scheduled()],
    jobs: jobs.runner,
    /** Operator operations with arguments (`npm run job -- <name> --<option> ...`, local/job-cli.ts). */
    operations: modules.flatMap((m) => m.operations ?? []),
    facades: { users: users.facade, budgets: budgets.facade, spending: expenses.spending },
    /** The webhook delivery worker (the queue consumer calls it) and, without SQS, the local queue. */
    webhooks: { deliver: webhooks.deliver, localQueue },
  };
}

export type System = ReturnType<typeof createSystem>;

/**
 * The budgets module's SpendingPort, forwarding to the expenses module's spending, which is
 * built after budgets (it needs the budgets facade): asked only when a call comes.
 */
function spendingOf(expenses: () => ReturnType<typeof createExpensesModule>['spending']): SpendingPort {
  return {
    totalsBetween: (...args) => expenses().totalsBetween(...args),
    totalsOfRanges: (...args) => expenses().totalsOfRanges(...args),
    monthTotalsByKey: (...args) => expenses().monthTotalsByKey(...args),
    totalsAndDays: (...args) => expenses().totalsAndDays(...args),
    topMerchants: (...args) => expenses().topMerchants(...args),
    scheduledBetween: (...args) => expenses().scheduledBetween(...args),
    paidByMember: (...args) => expenses().paidByMember(...args),
    merchantsRanked: (...args) => expenses().merchantsRanked(...args),
    totalsAndCashFlow: (...args) => expenses().totalsAndCashFlow(...args),
  };
}

/** The webhooks module's view of a member's sync knowledge: null when the budget is gone or no longer visible to them. */
function knowledgeOf(sync: ReturnType<typeof createExpensesModule>['sync']) {
  return {
    knowledge: (budgetId: string, userId: string) =>
      sync.knowledge(budgetId, userId).catch((err: unknown) => {
        if ((err as { status?: number }).status === 404) return null;
        throw err;
      }),
  };
}

/**
 * The budgets module's ReviewCountPort (the overview's badge) and ArchiveParticipantPort (the
 * expenses module's change counters join the archive transaction: packages/budgets/docs/budget-lifecycle.md "Archiving a
 * budget"), forwarding to expenses as spendingOf does.
 */
function reviewAndArchiveOf(expenses: () => Pick<ReturnType<typeof createExpensesModule>, 'review' | 'archive'>): { review: ReviewCountPort; archive: ArchiveParticipantPort } {
  return {
    review: { toReview: (budgetId) => expenses().review.toReview(budgetId) },
    archive: { archiveItems: (budgetId, archivedAt) => expenses().archive.archiveItems(budgetId, archivedAt) },
  };
}

/** The budgets module's BudgetContentsPort (a budget's copy), forwarding to expenses as spendingOf does. */
function contentsOf(expenses: () => BudgetContentsPort): BudgetContentsPort {
  return {
    copyable: (...args) => expenses().copyable(...args),
    copy: (...args) => expenses().copy(...args),
  };
}

/**
 * The users module's ExportSourcesPort, forwarding to the other modules' export facades (built
 * after users, which they depend on): asked only when an export unit runs.
 */
function exportSourcesOf(
  modules: () => {
    budgets: BudgetsExportFacade;
    expenses: ExpensesExportFacade;
    notifications: NotificationsExportFacade;
    webhooks: WebhooksExportFacade;
  },
): ExportSourcesPort {
  return {
    memberships: (userId, cursor) => modules().budgets.membershipsOf(userId, cursor),
    async accountPage(source, userId, cursor) {
      if (source === 'webhooks') return { records: await modules().webhooks.webhooksOf(userId) };
      return modules().notifications.page(source, userId, cursor);
    },
    budget: (budgetId, userId) => modules().budgets.budgetOf(budgetId, userId),
    budgetPage(source, budgetId, cursor, userId) {
      if (source === 'reports') return modules().budgets.reportsPage(budgetId, cursor);
      if (source === 'settlements') return modules().budgets.settlementsPage(budgetId, cursor);
      if (source === 'comments') return modules().expenses.commentsPage(budgetId, userId, cursor);
      if (source === 'calendarFeeds') return modules().expenses.calendarFeedsPage(budgetId, userId);
      return modules().expenses.page(source, budgetId, cursor);
    },
  };
}

/** Where the claims that run a relayed job unit once live (jobs/relayed-units.ts): the kernel's own `jobs#` prefix, they belong to no module. */
function relayedUnitStoreOf(doc: DynamoDBDocumentClient, config: AppConfig) {
  return new ModuleStore('jobs', doc, config.tableName);
}

/**
 * The per-caller API rate limit (API_RATE_LIMIT_PER_MINUTE; 0: none), applied by requireAuth.
 * Its window counters live under the kernel's own `ratelimit#` prefix, like the idempotency
 * records: they belong to no module. A counter that fails admits the request and is logged.
 */
function callerRateLimiter(p: { config: AppConfig; clock: Clock; logger: Logger; doc: DynamoDBDocumentClient; tuning?: SystemOptions['rateLimit'] }): RateLimiter | undefined {
  if (p.config.apiRateLimitPerMinute === 0) return undefined;
  return new RateLimiter(
    { limit: p.config.apiRateLimitPerMinute, windowSeconds: 60, ...p.tuning },
    rateLimitCounter(new ModuleStore('ratelimit', p.doc, p.config.tableName)),
    p.clock,
    (err, userId) => p.logger.warn('rate limit counter failed; request admitted', { userId, error: err as Error }),
  );
}

/** What every module receives from the kernel: each gets its own ModuleStore, never the client. */
function platformDeps(p: Pick<PlatformDeps, 'config' | 'clock' | 'logger' | 'tokens' | 'work'> & { doc: DynamoDBDocumentClient }): PlatformDeps {
  const { config, clock, doc } = p;
  return {
    config,
    clock,
    logger: p.logger,
    tokens: p.tokens,
    storeFor: (module) => new ModuleStore(module, doc, config.tableName),
    // The kernel's own prefix: idempotency records belong to no module.
    idempotent: (mayReplay, options) => idempotency(new ModuleStore('idempotency', doc, config.tableName), clock, mayReplay, options),
    idempotentWrite: idempotentWrite(new ModuleStore('idempotency', doc, config.tableName), clock),
    cursors: createCursorCodec(config.tokenSigningKey, config.tokenSigningKeyPrevious),
    work: p.work,
  };
}

/**
 * A member's account from the users module for the expenses module's calendar feed: null when it
 * is deleted or suspended (the feed then answers 404), else the locale its words are written in.
 */
/** The users module's security notice of a new calendar feed, for the expenses module's create transaction. */
function credentialNotices(users: Pick<UsersFacade, 'credentialNotice'>): CredentialNoticePort {
  return {
    calendarFeedCreated: (userId, budgetId, feedId, at) => users.credentialNotice(userId, { change: 'calendar-feed-created', removePath: `/v1/budgets/${budgetId}/calendar-feeds/${feedId}` }, at),
  };
}

function memberLocales(users: Pick<UsersFacade, 'activeById'>): MemberLocalePort {
  return {
    accountOf: async (userId) => {
      const user = await users.activeById(userId);
      return user ? { locale: user.locale ?? undefined } : null;
    },
  };
}
