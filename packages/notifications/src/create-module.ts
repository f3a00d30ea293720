import { lazyJob, loadOnce, type EmailSender, type ModuleRuntime, type PlatformDeps, type PushSender } from '@budgeting/platform';
import type { BudgetsFacade, UnreadNotificationsPort } from '@budgeting/budgets';
import type { UsersFacade } from '@budgeting/users';
import { QUIET_SUMMARY_JOB, QUIET_SUMMARY_SCHEDULE, USER_CLEANUP_JOB } from './jobs/names';
import { notificationsSubscriptions } from './subscriptions';

export interface NotificationsModulePorts {
  budgets: BudgetsFacade;
  users: UsersFacade;
  mail: EmailSender;
  /** Mobile push: SNS in AWS, files locally. */
  push: PushSender;
}

/**
 * Wires the notifications module. Built at every cold start, yet nothing else calls it at
 * once: the repositories, the routes' service and the subscribers' work come from
 * service/deferred.ts, imported on first use (a request, an event), so a request to another
 * module does not load them (issue 11).
 */
/** What the users module's data export reads of notifications (wired by the app into its export port). */
export interface NotificationsExportFacade {
  /**
   * One page of the user's notifications (newest first), or all their devices (few; without
   * the push address, an SNS endpoint of ours). `cursor` opaque, absent after the last page.
   */
  page(section: 'notifications' | 'devices', userId: string, cursor: string | undefined): Promise<{ records: unknown[]; cursor?: string }>;
}

/** Notifications per export page. */
const EXPORT_PAGE = 200;

export function createNotificationsModule(
  deps: PlatformDeps,
  ports: NotificationsModulePorts,
): { runtime: ModuleRuntime; exports: NotificationsExportFacade; unread: UnreadNotificationsPort } {
  const store = deps.storeFor('notifications');
  const deferred = loadOnce(() => import('./service/deferred'));
  const repository = loadOnce(async () => new (await deferred()).NotificationsRepository(store));
  const devices = loadOnce(async () => new (await deferred()).DevicesRepository(store));
  const summaries = loadOnce(async () => new (await deferred()).SummariesRepository(store));
  // A deleted account's partition, emptied by one job unit in bounded steps (jobs/user-cleanup-job.ts).
  const cleanUpAccount = (userId: string) => deps.work.enqueue(USER_CLEANUP_JOB, [{ userId }], deps.clock.now());
  return {
    runtime: {
      name: 'notifications',
      routes: async () => {
        const [{ createNotificationsRouter }, { NotificationsService }, repo, devicesRepo] = await Promise.all([import('./routes'), deferred(), repository(), devices()]);
        return createNotificationsRouter(deps, new NotificationsService({ repository: repo, devices: devicesRepo, push: ports.push, clock: deps.clock, cursors: deps.cursors, users: ports.users }));
      },
      subscriptions: notificationsSubscriptions({ repository, devices, summaries, clock: deps.clock, logger: deps.logger, cleanUpAccount, ...ports }),
      // The user.deleted cascade of the account's partition, and the quiet-hours summary: a
      // scheduled tick reads the summaries whose occurrence has ended (reserved, with their due
      // index keys, by the subscriber that held a push) and fans out one unit per user.
      jobs: [
        lazyJob({ name: USER_CLEANUP_JOB }, async () => {
          const [{ userCleanupJob }, repo] = await Promise.all([import('./jobs/user-cleanup-job'), repository()]);
          return userCleanupJob({ store, repository: repo });
        }),
        lazyJob({ name: QUIET_SUMMARY_JOB, schedule: QUIET_SUMMARY_SCHEDULE, planned: true }, async () => {
          const [{ quietSummaryJob }, repo, devicesRepo, summariesRepo] = await Promise.all([import('./jobs/quiet-summary-job'), repository(), devices(), summaries()]);
          return quietSummaryJob({ repository: repo, devices: devicesRepo, summaries: summariesRepo, users: ports.users, push: ports.push, clock: deps.clock });
        }),
      ],
    },
    // The budgets module's home overview asks this (wired by the app): one Query and the read-all mark's read (README "Unread count").
    unread: {
      async unreadCount(userId) {
        const [{ UNREAD_WINDOW, unreadAmong }, repo] = await Promise.all([deferred(), repository()]);
        const { newest, mark } = await repo.newestWithMark(userId, UNREAD_WINDOW);
        return unreadAmong(newest, mark);
      },
    },
    exports: {
      async page(section, userId, cursor) {
        if (section === 'devices') {
          return { records: (await (await devices()).devices(userId)).map((d) => ({ id: d.id, platform: d.platform, createdAt: d.createdAt })) };
        }
        const [{ notificationView }, repo] = await Promise.all([deferred(), repository()]);
        const start = cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined;
        // As GET /v1/notifications shows them: those "mark all read" covered read (its mark is
        // one item, not a readAt on each), without the fields kept for the message only.
        const [page, mark] = await Promise.all([repo.page(userId, EXPORT_PAGE, start), repo.readAllMark(userId)]);
        return {
          records: page.items.map((n) => notificationView(n, mark)),
          ...(page.lastKey ? { cursor: Buffer.from(JSON.stringify(page.lastKey)).toString('base64url') } : {}),
        };
      },
    },
  };
}
