/** Public entry of the budgets module: the only file other packages may import. */
import type { EmailSender, ModuleRuntime, PlatformDeps } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { BudgetAccess, BudgetsFacade, ExpenseEventContracts, SpendingPort } from './contract';
import { BudgetsRepository } from './repository/budgets.repository';
import { budgetsKeys } from './repository/keys';
import { MembersRepository } from './repository/members.repository';
import { ReportScheduleRepository } from './repository/report-schedule.repository';
import { ReportsRepository } from './repository/reports.repository';
import { ReportJob } from './jobs/report-job';
import { userCleanupJob } from './jobs/user-cleanup-job';
import { UserCleanup } from './subscriptions/user-cleanup';
import { ThresholdsRepository } from './repository/thresholds.repository';
import { budgetView } from './routes/present';
import { budgetsRouter } from './routes/router';
import { AccessService } from './service/access';
import { BudgetsService } from './service/budgets.service';
import { outboxWriter } from './service/events';
import { MembersService } from './service/members.service';
import { ReportsService } from './service/reports.service';
import { SummaryService } from './service/summary.service';
import { budgetsSubscriptions } from './subscriptions';

export type * from './contract';
export {
  budgetCreated,
  budgetUpdated,
  budgetDeleted,
  budgetMemberAdded,
  budgetMemberRemoved,
  budgetThresholdCrossed,
  reportGenerated,
  type BudgetCreatedData,
  type BudgetUpdatedData,
  type BudgetDeletedData,
  type BudgetMemberAddedData,
  type BudgetMemberRemovedData,
  type BudgetThresholdCrossedData,
  type ReportGeneratedData,
} from './events';
export { BudgetSchema, SummarySchema } from './schemas';

export interface BudgetsModulePorts {
  spending: SpendingPort;
  users: UsersFacade;
  /** expense.recorded|updated|deleted, whose thresholds budgets re-checks (see contract.ts). */
  expenseEvents: ExpenseEventContracts;
  /** Outgoing mail (report emails): SES in AWS, files locally. */
  mail: EmailSender;
}

export function createBudgetsModule(
  deps: PlatformDeps,
  ports: BudgetsModulePorts,
): { runtime: ModuleRuntime; facade: BudgetsFacade } {
  const store = deps.storeFor('budgets');
  const keys = budgetsKeys(store);
  const budgets = new BudgetsRepository(store, keys);
  const members = new MembersRepository(store, keys);
  const thresholds = new ThresholdsRepository(store, keys);
  const access = new AccessService(budgets);
  const reports = new ReportsRepository(store, keys);
  const reportSchedule = new ReportScheduleRepository(store, keys);
  const outbox = outboxWriter(store, deps.clock);
  const summary = new SummaryService(access, ports.spending, deps.clock, thresholds);
  const reportsService = new ReportsService({ clock: deps.clock, access, summary, spending: ports.spending, reports, outbox });

  const services = {
    budgets: new BudgetsService({
      clock: deps.clock,
      logger: deps.logger,
      budgets,
      members,
      reportSchedule,
      access,
      outbox,
      users: ports.users,
    }),
    members: new MembersService({ clock: deps.clock, budgets, members, access, outbox, users: ports.users }),
    summary,
    reports: reportsService,
  };

  const facade: BudgetsFacade = {
    // One BatchGetItem (budget + membership), strongly consistent.
    async getAccess(budgetId, userId): Promise<BudgetAccess | null> {
      const found = await access.find(budgetId, userId);
      if (!found) return null;
      const { budget, role } = found;
      return {
        budgetId: budget.id,
        role,
        currency: budget.currency,
        timezone: budget.timezone,
        period: budget.period,
        categories: budget.categories.map((c) => ({ ...c })),
        budget: budgetView(found),
      };
    },
  };

  const subscriptions = budgetsSubscriptions({
    store,
    clock: deps.clock,
    budgets,
    members,
    thresholds,
    reports,
    outbox,
    spending: ports.spending,
    expenseEvents: ports.expenseEvents,
    users: ports.users,
    mail: ports.mail,
    work: deps.work,
  });
  const reportJob = new ReportJob({ budgets, schedule: reportSchedule, reports, service: reportsService });
  return {
    runtime: {
      name: 'budgets',
      routes: budgetsRouter(deps, services),
      subscriptions,
      // Fan-out jobs (platform jobs/fan-out.ts): the scheduled reports and the user.deleted cascade.
      jobs: [reportJob.asFanOutJob(), userCleanupJob(new UserCleanup({ budgets, members, outbox }))],
    },
    facade,
  };
}
