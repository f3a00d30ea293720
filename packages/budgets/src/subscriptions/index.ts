import { withClaimedInbox, withInbox, type Clock, type EmailSender, type ModuleStore, type Subscription, type WorkQueue } from '@budgeting/platform';
import { userDeleted, userEmailChanged, userNameChanged, type UsersFacade } from '@budgeting/users';
import type { ExpenseEventContracts, ExpenseFacts, SummarySpendingPort } from '../contract';
import { budgetDeleted, reportGenerated, type BudgetDeletedData } from '../events';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { MembersRepository } from '../repository/members.repository';
import type { ThresholdsRepository } from '../repository/thresholds.repository';
import type { WatchersRepository } from '../repository/watchers.repository';
import type { OutboxWriter } from '../service/events';
import { ReportMail, type ReportsRepository } from '../reports';
import { ThresholdCheck } from './threshold-check';
import type { SummaryService } from '../service/summary.service';
import { USER_CLEANUP } from '../jobs/user-cleanup-job';
import { BUDGET_CLEANUP, type BudgetCleanupUnit } from '../jobs/budget-cleanup-job';
import { MEMBER_DETAILS } from '../jobs/member-details-job';

/**
 * The budgets module's reactions to events, one Subscription per publisher (each is one row
 * of the app's subscription table, i.e. one bus rule). Each keeps an inbox, so a redelivered
 * event changes nothing.
 */
export const BUDGETS_ON_EXPENSES = 'budgets-on-expenses';
export const BUDGETS_ON_USERS = 'budgets-on-users';
export const BUDGETS_ON_BUDGETS = 'budgets-on-budgets';
export const BUDGETS_REPORT_MAIL = 'budgets-report-mail';

export interface BudgetsSubscriptionDeps {
  store: ModuleStore;
  clock: Clock;
  budgets: BudgetsRepository;
  members: MembersRepository;
  thresholds: ThresholdsRepository;
  watchers: WatchersRepository;
  reports: ReportsRepository;
  outbox: OutboxWriter;
  spending: SummarySpendingPort;
  /** The summary's plan, for pace alerts (ThresholdCheck). */
  summary: Pick<SummaryService, 'plan' | 'totalsOf'>;
  expenseEvents: ExpenseEventContracts;
  users: UsersFacade;
  mail: EmailSender;
  work: WorkQueue;
}

export function budgetsSubscriptions(d: BudgetsSubscriptionDeps): Subscription[] {
  const thresholds = new ThresholdCheck(d);
  const reportMail = new ReportMail(d);
  return [
    {
      // expense.recorded|updated|deleted: re-check the thresholds of the expense's period (and, when opted in, its pace alerts).
      // The inbox item is written in the announcing transaction, when there is one (see ThresholdCheck).
      name: BUDGETS_ON_EXPENSES,
      events: d.expenseEvents,
      handle: async (event) => {
        const { budgetId, occurredOn, previous } = event.data as ExpenseFacts;
        // A refund spends -amount: moved to another day, it RAISES the spending of the period it
        // left, which may reach a threshold there (a purchase moved away only lowers it).
        const left = previous?.refund === true && previous.occurredOn !== occurredOn ? [previous.occurredOn] : [];
        await thresholds.afterExpenseEvent(BUDGETS_ON_EXPENSES, event, budgetId, [occurredOn, ...left]);
      },
    },
    {
      // user.deleted queues the cascade (jobs/user-cleanup-job.ts: one transaction per budget,
      // across as many invocations as it takes); user.email_changed and user.name_changed queue
      // the refresh of the memberships' name and email snapshots (jobs/member-details-job.ts).
      // Queueing twice is harmless: both jobs are idempotent.
      name: BUDGETS_ON_USERS,
      events: [userDeleted, userEmailChanged, userNameChanged],
      handle: withInbox(d.store, BUDGETS_ON_USERS, d.clock, async (event) => {
        const job = event.type === userDeleted.type ? USER_CLEANUP : MEMBER_DETAILS;
        await d.work.enqueue(job, [{ userId: (event.data as { userId: string }).userId }], d.clock.now());
      }),
    },
    {
      // A deleted budget's event watchers (one recounted after this expires: TTL), and the
      // cleanup of its threshold markers, reports, invitations and settle-up payments queued
      // (jobs/budget-cleanup-job.ts: bounded steps across invocations, however many the budget's
      // years gathered; none can be added after the deletion, see BudgetLeftovers). Queueing
      // twice (a redelivery) is harmless: the cleanup is idempotent.
      name: BUDGETS_ON_BUDGETS,
      events: [budgetDeleted],
      handle: withInbox(d.store, BUDGETS_ON_BUDGETS, d.clock, async (event) => {
        const { budgetId } = event.data as BudgetDeletedData;
        await d.watchers.delete(budgetId);
        await d.work.enqueue(BUDGET_CLEANUP, [{ budgetId } satisfies BudgetCleanupUnit], d.clock.now());
      }),
    },
    {
      // The owner gets each generated report by email, once (a claimed inbox: two deliveries at
      // once send one mail; a failed send is retried).
      name: BUDGETS_REPORT_MAIL,
      events: [reportGenerated],
      handle: withClaimedInbox(d.store, BUDGETS_REPORT_MAIL, d.clock, (event, ctx) => reportMail.afterReportGenerated(event, ctx)),
    },
  ];
}
