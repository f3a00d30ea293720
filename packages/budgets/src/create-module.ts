import { lazyJob, loadOnce, type EmailSender, type ModuleRuntime, type PlatformDeps } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { BudgetsFacade, BudgetWatchersFacade, ExpenseEventContracts, SpendingPort } from './contract';
import { REKEY_DUE_INDEX, REPORT_JOB, REPORT_JOB_SCHEDULE, USER_CLEANUP } from './jobs/names';
import { BudgetsRepository } from './repository/budgets.repository';
import { budgetsKeys } from './repository/keys';
import { MembersRepository } from './repository/members.repository';
import { ThresholdsRepository } from './repository/thresholds.repository';
import { WatchersRepository } from './repository/watchers.repository';
import { AccessService } from './service/access';
import { createBudgetsFacade, createWatchersFacade } from './service/facade';
import { outboxWriter } from './service/events';
import { SummaryService } from './service/summary.service';
import { budgetsSubscriptions } from './subscriptions';

export interface BudgetsModulePorts {
  spending: SpendingPort;
  users: UsersFacade;
  /** expense.recorded|updated|deleted, whose thresholds budgets re-checks (see contract.ts). */
  expenseEvents: ExpenseEventContracts;
  /** Outgoing mail (report emails): SES in AWS, files locally. */
  mail: EmailSender;
}

/**
 * Wires the budgets module: repositories on its own ModuleStore, services, reports, routes,
 * subscriptions, jobs, facade. Built at every cold start: what the facades and the summary use
 * is built here; the reports feature, the routes' services (service/route-services.ts), each
 * job and the subscriptions' work are imported and built on first use (issue 11).
 */
export function createBudgetsModule(
  deps: PlatformDeps,
  ports: BudgetsModulePorts,
): { runtime: ModuleRuntime; facade: BudgetsFacade; watchers: BudgetWatchersFacade } {
  const store = deps.storeFor('budgets');
  const keys = budgetsKeys(store);
  const budgets = new BudgetsRepository(store, keys);
  const members = new MembersRepository(store, keys);
  const watchers = new WatchersRepository(store, keys);
  const thresholds = new ThresholdsRepository(store, keys);
  const access = new AccessService(budgets);
  const outbox = outboxWriter(store, deps.clock);
  const summary = new SummaryService(access, ports.spending, deps.clock, thresholds);

  // The reports feature (its entry, src/reports/index.ts): the routes, the report job and the
  // report mail share one set of its parts.
  const reports = loadOnce(async () => {
    const feature = await import('./reports');
    const repository = new feature.ReportsRepository(store, keys);
    const schedule = new feature.ReportScheduleRepository(store, keys);
    const service = new feature.ReportsService({ clock: deps.clock, access, summary, spending: ports.spending, reports: repository, outbox });
    return { feature, repository, schedule, service };
  });
  const services = loadOnce(async () => {
    const [{ createRouteServices }, r] = await Promise.all([import('./service/route-services'), reports()]);
    return createRouteServices(deps, { budgets, members, watchers, reportSchedule: r.schedule, reports: r.service, access, summary, outbox, users: ports.users });
  });

  const subscriptions = budgetsSubscriptions({
    store,
    watchers,
    clock: deps.clock,
    budgets,
    members,
    thresholds,
    reports: loadOnce(async () => {
      const r = await reports();
      const { ReportMail } = await r.feature.loadReportMail();
      return { repository: r.repository, mail: new ReportMail({ reports: r.repository, users: ports.users, mail: ports.mail }) };
    }),
    outbox,
    spending: ports.spending,
    expenseEvents: ports.expenseEvents,
    users: ports.users,
    work: deps.work,
  });
  return {
    runtime: {
      name: 'budgets',
      routes: async () => {
        const [{ createBudgetsRouter }, built] = await Promise.all([import('./routes'), services()]);
        return createBudgetsRouter(deps, built);
      },
      subscriptions,
      // Fan-out jobs (platform jobs/fan-out.ts): the scheduled reports, the user.deleted
      // cascade, and the one-off re-key of the pre-issue-10 due index (run by an operator).
      jobs: [
        lazyJob({ name: REPORT_JOB, schedule: REPORT_JOB_SCHEDULE, planned: true }, async () => {
          const r = await reports();
          const { ReportJob } = await r.feature.loadReportJob();
          return new ReportJob({ budgets, schedule: r.schedule, reports: r.repository, service: r.service }).asFanOutJob();
        }),
        lazyJob({ name: USER_CLEANUP }, async () => {
          const [{ userCleanupJob }, { UserCleanup }] = await Promise.all([import('./jobs/user-cleanup-job'), import('./subscriptions/user-cleanup')]);
          return userCleanupJob(new UserCleanup({ budgets, members, outbox }));
        }),
        lazyJob({ name: REKEY_DUE_INDEX, planned: true }, async () => {
          const r = await reports();
          const { rekeyDueIndexJob } = await r.feature.loadRekeyDueIndexJob();
          return rekeyDueIndexJob({ store, keys, schedule: r.schedule });
        }),
      ],
    },
    facade: createBudgetsFacade(access, members, budgets),
    watchers: createWatchersFacade(members, watchers, deps.clock),
  };
}
