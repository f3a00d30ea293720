import { lazyJob, loadOnce, newId, queuedUnitPut, type EmailSender, type ModuleRuntime, type ModuleStore, type PlatformDeps } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { ArchiveParticipantPort, BudgetContentsPort, BudgetsExportFacade, BudgetsFacade, BudgetWatchersFacade, ExpenseEventContracts, ReviewCountPort, SpendingPort, UnreadNotificationsPort } from './contract';
import { BudgetsRepository } from './repository/budgets.repository';
import { budgetsKeys, type BudgetsKeys } from './repository/keys';
import { MembersRepository } from './repository/members.repository';
import { rekeyDueIndexJob, ReportJob, ReportScheduleRepository, ReportsRepository, ReportsService } from './reports';
import { ThresholdsRepository } from './repository/thresholds.repository';
import { WatchersRepository } from './repository/watchers.repository';
import { AccessService } from './service/access';
import type { ArchiveServiceDeps } from './service/archive.service';
import { BudgetsService } from './service/budgets.service';
import { createBudgetsFacade, createWatchersFacade } from './service/facade';
import { createBudgetsExportFacade } from './service/export-facade';
import { outboxWriter, type OutboxWriter } from './service/events';
import { MembersService } from './service/members.service';
import { SummaryService } from './service/summary.service';
import { summaryShortcut } from './routes/summary.shortcut';
import { budgetsSubscriptions } from './subscriptions';
import { UserCleanup } from './subscriptions/user-cleanup';
import { userCleanupJob } from './jobs/user-cleanup-job';
import { budgetCleanupJob } from './jobs/budget-cleanup-job';
import { BudgetLeftovers } from './repository/budget-leftovers.repository';
import { memberDetailsJob } from './jobs/member-details-job';
import { MemberDetailsRefresh } from './subscriptions/member-details';
import { INVITATION_MAIL_JOB } from './jobs/invitation-mail-names';
import { CATEGORY_IDS_BACKFILL_JOB } from './jobs/names';

export interface BudgetsModulePorts {
  spending: SpendingPort;
  /** Rules, recurring expenses, import profiles and recurring income, for a budget's copy (the expenses module's). */
  contents: BudgetContentsPort;
  users: UsersFacade;
  /** expense.recorded|updated|deleted, whose thresholds budgets re-checks (see contract.ts). */
  expenseEvents: ExpenseEventContracts;
  /** Outgoing mail (report emails, invitation mails): SES in AWS, files locally. */
  mail: EmailSender;
  /** The caller's unread notifications count, for the home overview (the notifications module's). */
  notifications: UnreadNotificationsPort;
  /** Each budget's count of expenses that need review, for the home overview (the expenses module's). */
  review: ReviewCountPort;
  /** What the archive and unarchive transaction also writes (the expenses module's change counters). */
  archive: ArchiveParticipantPort;
}

/** Wires the budgets module: repositories on its own ModuleStore, services, reports, routes, subscriptions, job, facade. */
export function createBudgetsModule(
  deps: PlatformDeps,
  ports: BudgetsModulePorts,
): { runtime: ModuleRuntime; facade: BudgetsFacade; watchers: BudgetWatchersFacade; exports: BudgetsExportFacade } {
  const store = deps.storeFor('budgets');
  const keys = budgetsKeys(store);
  const budgets = new BudgetsRepository(store, keys);
  const members = new MembersRepository(store, keys);
  const watchers = new WatchersRepository(store, keys);
  const thresholds = new ThresholdsRepository(store, keys);
  const access = new AccessService(budgets);
  const reports = new ReportsRepository(store, keys);
  const reportSchedule = new ReportScheduleRepository(store, keys);
  const outbox = outboxWriter(store, deps.clock);
  const summary = new SummaryService(access, ports.spending, deps.clock, thresholds);
  const reportsService = new ReportsService({ clock: deps.clock, access, summary, spending: ports.spending, reports, outbox, users: ports.users });
  const budgetsService = new BudgetsService({ clock: deps.clock, logger: deps.logger, budgets, members, reportSchedule, access, outbox, users: ports.users });
  const invitations = invitationsOnFirstUse(deps, ports, { store, keys, budgets, members, watchers, access, outbox });
  // Settle-up payments: read by the balances, written by their routes (budget.deleted's cleanup job empties their partition).
  const settlements = loadOnce(async () => new (await import('./repository/settlements.repository')).SettlementsRepository(store, keys));
  const services = {
    budgets: budgetsService,
    // Built on first use, as the forecast below: a copy is rare and off every cold path.
    copy: loadOnce(
      async () =>
        new (await import('./service/copy.service')).CopyService({ clock: deps.clock, access, budgets: budgetsService, members, watchers, outbox, users: ports.users, contents: ports.contents }),
    ),
    archive: archiveOnFirstUse(store, keys, { clock: deps.clock, access, budgets, members, outbox, participant: ports.archive }),
    members: new MembersService({ clock: deps.clock, budgets, members, watchers, access, outbox, users: ports.users }),
    invitations: invitations.service,
    summary,
    ...summaryFiguresOnFirstUse(access, summary, ports.spending, deps.clock),
    balances: loadOnce(async () => new (await import('./service/balances.service')).BalancesService(access, members, ports.spending, await settlements(), deps.clock)),
    settlements: loadOnce(async () => new (await import('./service/settlements.service')).SettlementsService({ clock: deps.clock, access, settlements: await settlements(), outbox })),
    overview: loadOnce(async () => new (await import('./service/overview.service')).OverviewService({ members, budgets, summary, notifications: ports.notifications, review: ports.review, clock: deps.clock })),
    reports: reportsService,
    access,
  };

  const subscriptions = budgetsSubscriptions({
    store,
    watchers,
    clock: deps.clock,
    budgets,
    members,
    thresholds,
    reports,
    outbox,
    spending: ports.spending,
    summary,
    expenseEvents: ports.expenseEvents,
    users: ports.users,
    mail: ports.mail,
    work: deps.work,
  });
  const facade = createBudgetsFacade(access, members, budgets, reportSchedule);
  return {
    runtime: {
      name: 'budgets',
      routes: async () => (await import('./routes')).createBudgetsRouter(deps, services),
      shortcuts: { 'GET /v1/budgets/:budgetId/summary': summaryShortcut(deps, summary) },
      subscriptions,
      // Fan-out jobs (platform jobs/fan-out.ts): the scheduled reports, the user.deleted cascade, the budget.deleted cascade of the module's markers, reports, invitations and settlements, the user.email_changed / user.name_changed refresh of the memberships' name and email snapshots, the invitation mails, and the one-off operator jobs (the re-key of the pre-issue-10 due index, the back-fill of `categoryIds`).
      jobs: [
        new ReportJob({ budgets, schedule: reportSchedule, reports, service: reportsService }).asFanOutJob(),
        userCleanupJob(new UserCleanup({ budgets, members, outbox }), deps.work),
        budgetCleanupJob({ store, leftovers: new BudgetLeftovers(store) }),
        memberDetailsJob(new MemberDetailsRefresh({ members, users: ports.users }), deps.work),
        rekeyDueIndexJob({ store, keys, schedule: reportSchedule }),
        invitations.mailJob,
        categoryIdsBackfillOnFirstUse(store, keys, facade),
      ],
    },
    facade,
    watchers: createWatchersFacade(members, watchers, deps.clock),
    // The data export's reads (the users module's export job, through the app's port).
    exports: createBudgetsExportFacade(access, members, reports, settlements),
  };
}

/** The one-off operator job `budgets-category-ids-backfill` (`categoryIds` on budget items written before it), its code loaded when it runs. */
function categoryIdsBackfillOnFirstUse(store: ModuleStore, keys: BudgetsKeys, budgets: Pick<BudgetsFacade, 'allBudgetIds'>) {
  return lazyJob({ name: CATEGORY_IDS_BACKFILL_JOB, planned: true }, async () => {
    const [{ categoryIdsBackfillJob }, { CategoryIdsBackfill }] = await Promise.all([import('./jobs/category-ids-backfill-job'), import('./repository/category-ids-backfill')]);
    return categoryIdsBackfillJob({ budgets, backfill: new CategoryIdsBackfill(store, keys) });
  });
}

/** Archiving (service and repository), built on first use: rare, and off every cold path. */
function archiveOnFirstUse(store: ModuleStore, keys: BudgetsKeys, parts: Omit<ArchiveServiceDeps, 'archive'>) {
  return loadOnce(async () => {
    const { ArchiveRepository } = await import('./repository/archive.repository');
    const { ArchiveService } = await import('./service/archive.service');
    return new ArchiveService({ ...parts, archive: new ArchiveRepository(store, keys) });
  });
}

/**
 * Invitations, all built on first use (rare, and off every cold path: tests/lambda/
 * cold-http-imports.test.ts): the repository (routes, mail job), the
 * service, and the mail job (one unit per invitation sent: makes its secret and mails it).
 */
function invitationsOnFirstUse(
  deps: PlatformDeps,
  ports: BudgetsModulePorts,
  parts: { store: ModuleStore; keys: BudgetsKeys; budgets: BudgetsRepository; members: MembersRepository; watchers: WatchersRepository; access: AccessService; outbox: OutboxWriter },
) {
  const repository = loadOnce(async () => new (await import('./repository/invitations.repository')).InvitationsRepository(parts.store, parts.keys));
  const service = loadOnce(async () => {
    const [{ InvitationsService }, invitations] = await Promise.all([import('./service/invitations.service'), repository()]);
    const { members, watchers, access, outbox } = parts;
    // The mail's unit goes into the invite's transaction under the module's own prefix; the stream relay queues it.
    const queueUnit = (job: string, unit: unknown, tick: Date) => queuedUnitPut(parts.store, job, unit, tick, newId(deps.clock.now().getTime()));
    return new InvitationsService({ clock: deps.clock, logger: deps.logger, invitations, members, budgets: parts.budgets, watchers, access, outbox, users: ports.users, queueUnit });
  });
  const mailJob = lazyJob({ name: INVITATION_MAIL_JOB }, async () => {
    const [{ invitationMailJob }, invitations] = await Promise.all([import('./jobs/invitation-mail-job'), repository()]);
    return invitationMailJob({ budgets: parts.budgets, invitations, users: ports.users, mail: ports.mail, acceptUrl: deps.config.invitationUrl, signingKey: deps.config.tokenSigningKey, clock: deps.clock });
  });
  return { repository, service, mailJob };
}

/**
 * The services of figures built on the summary's (forecast, safe to spend, trends, quick budget, year in review) or on its
 * running totals (spending by day, spending insights, ready to assign), each built on first use: none is on a summary's cold path
 * (tests/lambda/cold-http-imports.test.ts).
 */
function summaryFiguresOnFirstUse(access: AccessService, summary: SummaryService, spending: BudgetsModulePorts['spending'], clock: PlatformDeps['clock']) {
  return {
    forecast: loadOnce(async () => new (await import('./service/forecast.service')).ForecastService(access, summary, spending, clock)),
    safeToSpend: loadOnce(async () => new (await import('./service/safe-to-spend.service')).SafeToSpendService(access, summary, spending, clock)),
    trends: loadOnce(async () => new (await import('./service/trends.service')).TrendsService(access, summary, clock)),
    limitSuggestions: loadOnce(async () => new (await import('./service/limit-suggestions.service')).LimitSuggestionsService(access, summary, clock)),
    dailySpending: loadOnce(async () => new (await import('./service/daily-spending.service')).DailySpendingService(access, spending, clock)),
    spendingInsights: loadOnce(async () => new (await import('./service/spending-insights.service')).SpendingInsightsService(access, summary, clock)),
    yearReview: loadOnce(async () => new (await import('./service/year-review.service')).YearReviewService(access, summary, spending, clock)),
    assignable: loadOnce(async () => new (await import('./service/assignable.service')).AssignableService(access, spending, clock)),
  };
}
