import { lazyJob, loadOnce, type Clock, type Logger, type ModuleRuntime, type ModuleStore, type ObjectStorage, type OperatorOperation, type PlatformDeps, type RateLimitPolicy } from '@budgeting/platform';
import type { ArchiveParticipantPort, BudgetContentsPort, BudgetsFacade, ReviewCountPort } from '@budgeting/budgets';
import { BudgetDataRepository } from './repository/budget-data.repository';
import { TotalsRepository } from './repository/totals.repository';
import type { ImportOptions } from './service/csv-import.service';
import type { RenameOptions } from './service/rename-job.service';
import type { ChangesService } from './service/changes.service';
import type { WindowOptions } from './repository/merchant-window';
import type { RecurringJobOptions } from './jobs/recurring-job';
import { ATTACHMENTS_RESWEEP, BUDGET_DATA_CLEANUP, CSV_IMPORT_JOB, IMPORT_UNDO_JOB, IMPORT_UNDO_WATCHDOG_JOB, FOLD_DAY_TOTALS_JOB, IMPORT_WATCHDOG_JOB, MERCHANT_RENAME_JOB, REVIEW_INDEX_BACKFILL_JOB, PAYMENTS_INDEX_BACKFILL_JOB, MERCHANT_RENAME_WATCHDOG_JOB, TAG_RENAME_JOB, TAG_RENAME_WATCHDOG_JOB, RECURRING_JOB, RECURRING_INCOME_JOB, RECURRING_REMINDERS_JOB, RECURRING_SCHEDULE, TOTALS_CHECK_OPERATION, TOTALS_VERIFY_JOB, TOTALS_VERIFY_SCHEDULE } from './jobs/names';
import { createSpending, type ExpensesSpending } from './service/spending.service';
import { createExpenseActivitySource, type ExpenseActivitySource } from './service/activity-source';
import { expensesSubscriptions } from './subscriptions';
import type { ExpensesExportFacade } from './contract';
import { unreviewedCount } from './repository/review-count';
import { TO_REVIEW_WINDOW, toReviewOf } from './domain/review';

export interface ExpensesModulePorts {
  budgets: BudgetsFacade;
  /** Where attachments' files are (S3, or the local stand-in): the app loads it on first use. */
  storage: ObjectStorage;
  /** A member's account (the users module's, wired by the app): the calendar feed's owner still active, and its words' locale. Absent: every owner active, English. */
  locales?: MemberLocalePort;
  /** The account's security notice of a new calendar feed (the users module's, wired by the app). Absent: none mailed. */
  notices?: CredentialNoticePort;
}

/**
 * The security notice of a new calendar feed (its secret URL reads a budget's bills and
 * paychecks: a stolen session could make one): the users module's mail unit as an item of the
 * feed's own transaction, so it exists exactly when the feed committed (the users module's
 * UsersFacade.credentialNotice; this module may not import it).
 */
export interface CredentialNoticePort {
  calendarFeedCreated(userId: string, budgetId: string, feedId: string, at: Date): Parameters<ModuleStore['transactWrite']>[0][number];
}

/**
 * A member's account as a calendar feed needs it (the users module's: this module may not import
 * it): its profile `locale` (undefined for none), or null when the account may not act (deleted,
 * or suspended by support): its feeds then answer 404. Read as a key read of the request
 * (platform deferReads), so the calendar feed's poll takes it along in the access check's
 * BatchGetItem: no request more.
 */
export interface MemberLocalePort {
  accountOf(userId: string): Promise<{ locale: string | undefined } | null>;
}

export interface ExpensesModuleOptions {
  /** Tuning of the recurring-expenses job (tests lower its caps; production passes nothing). */
  recurring?: RecurringJobOptions;
  /** Tuning of the CSV routes (tests lower the page size and a filtered export's read bound; production passes nothing). */
  csv?: ImportOptions & { exportPageSize?: number; exportMaxExamined?: number };
  /** Tuning of the expense list (tests lower a search's bound on stored expenses examined; production passes nothing). */
  list?: { maxExamined?: number };
  /** The cap on recurring expenses per budget (tests lower it; production passes nothing: MAX_RECURRING_PER_BUDGET). */
  recurringDefinitions?: { maxPerBudget?: number };
  /** The cap on recurring income per budget (tests lower it; production passes nothing: MAX_RECURRING_INCOME_PER_BUDGET). */
  recurringIncome?: { maxPerBudget?: number };
  /** The cap on categorization rules per budget (tests lower it; production passes nothing: MAX_RULES_PER_BUDGET). */
  rules?: { maxPerBudget?: number };
  /** The cap on import profiles per budget (tests lower it; production passes nothing: MAX_IMPORT_PROFILES_PER_BUDGET). */
  importProfiles?: { maxPerBudget?: number };
  /** The merchant suggestions' window (tests lower its bound on expenses read; production passes nothing: MERCHANT_WINDOW_MAX_EXPENSES, MERCHANT_WINDOW_DAYS). */
  merchants?: WindowOptions;
  /** Expenses per unit of a merchant rename's job (tests lower it to see paging with a few expenses; production passes nothing: RENAME_PAGE_SIZE). */
  merchantRename?: RenameOptions;
  /** The same for a tag rename's job (without it: `merchantRename`'s). */
  tagRename?: RenameOptions;
  /** The bill finder's window (tests lower its bounds; production passes nothing: BILL_WINDOW_MAX_EXPENSES, BILL_WINDOW_DAYS). */
  recurringSuggestions?: WindowOptions;
  /** The rule suggestions' window (tests lower its bounds; production passes nothing: RULE_WINDOW_MAX_EXPENSES, RULE_WINDOW_DAYS). */
  ruleSuggestions?: WindowOptions;
  /** The cap on attachments per expense (tests lower it; production passes nothing: MAX_ATTACHMENTS_PER_EXPENSE). */
  attachments?: { maxPerExpense?: number };
  /**
   * The cap on calendar feeds per member and budget, and the per-feed read limit (tests lower
   * them; production passes nothing: MAX_CALENDAR_FEEDS_PER_MEMBER, CALENDAR_FEED_READS_PER_HOUR
   * and the limiter's own flushEvery).
   */
  calendarFeeds?: { maxPerMember?: number; readLimit?: Pick<RateLimitPolicy, 'limit' | 'flushEvery'> };
  /** The cap on comments per expense (tests lower it; production passes nothing: MAX_COMMENTS_PER_EXPENSE). */
  comments?: { maxPerExpense?: number };
  /** The spending breakdown's (and the rule preview's and the possible duplicates') bound on expenses examined (tests lower it to reach the 422; production passes nothing: SPENDING_MAX_EXPENSES). */
  spending?: { maxExpenses?: number };
  /** The cap on a budget's dismissed pairs of possible duplicates and on the expenses one list answers (tests lower them to reach the 422s; production passes nothing: MAX_DISMISSED_PAIRS, DUPLICATES_MAX_LISTED). */
  duplicates?: { maxDismissedPairs?: number; maxListed?: number };
  /** A category reassign's bounds per call (tests lower them to reach `more` and the cursor with few expenses; production passes nothing: REASSIGN_MAX_WRITES, REASSIGN_MAX_EXAMINED). */
  categoryReassign?: { maxWrites?: number; maxExamined?: number };
  /** Expenses per data-export page (tests lower it to see paging with few expenses; production passes nothing: EXPORT_EXPENSES_PAGE). */
  dataExport?: { pageSize?: number };
}

/** What the app gets from the module: its runtime, and what other modules ask of it through ports. */
export interface ExpensesModule {
  runtime: ModuleRuntime;
  spending: ExpensesSpending;
  sync: Pick<ChangesService, 'knowledge'>;
  activity: ExpenseActivitySource;
  contents: BudgetContentsPort;
  exports: ExpensesExportFacade;
  /** Each budget's count of expenses that need review (the budgets module's overview, through ReviewCountPort). */
  review: ReviewCountPort;
  /** The change counters' part of a budget's archive and unarchive (the budgets module's, through ArchiveParticipantPort). */
  archive: ArchiveParticipantPort;
}

/**
 * Wires the expenses module: repositories on its own ModuleStore, services, routes,
 * subscriptions, jobs. Built at every cold start, so only what other modules call at once
 * (spending, read from the totals) is built here; the expenses repository, the routes'
 * services and the jobs come from service/deferred.ts, imported on first use (issue 11).
 */
export function createExpensesModule(
  deps: PlatformDeps,
  ports: ExpensesModulePorts,
  options: ExpensesModuleOptions = {},
): ExpensesModule {
  const store = deps.storeFor('expenses');
  const totals = new TotalsRepository(store);
  const deferred = loadOnce(async () => {
    const parts = await import('./service/deferred');
    const repository = new parts.ExpensesRepository(store, totals);
    // The reads of the expenses: pages and ids (on the writes' change log), and the reports' spending rows.
    const queries = new parts.ExpenseQueries(store, repository.changes);
    const spendingReads = new parts.SpendingReads(store);
    const services = parts.createRouteServices(deps, { store, repository, queries, spendingReads, budgets: ports.budgets, storage: ports.storage, locales: ports.locales, notices: ports.notices }, options);
    return { parts, repository, queries, spendingReads, services };
  });
  const exportPage = loadOnce(async () => {
    const { parts, queries, services, repository } = await deferred();
    const income = new parts.IncomeRepository(store);
    return parts.exportPages(
      {
        expenses: queries,
        recurring: services.recurringRepository,
        rules: new parts.RulesRepository(store, options.rules?.maxPerBudget),
        importProfiles: new parts.ImportProfilesRepository(store, options.importProfiles?.maxPerBudget),
        income,
        recurringIncome: services.recurringIncomeRepository,
        attachments: services.attachments,
        deletedExpenses: repository.deleted,
        deletedIncome: income.deleted,
        now: () => deps.clock.now(),
      },
      options.dataExport?.pageSize,
    );
  });
  const spending = createSpending(
    store,
    async () => (await deferred()).repository,
    async () => (await deferred()).spendingReads,
    totals,
    deps.clock,
    async () => (await deferred()).services.scheduled,
  );
  return {
    runtime: {
      name: 'expenses',
      routes: async () => {
        const [{ createExpensesRouter }, { services }] = await Promise.all([import('./routes'), deferred()]);
        return createExpensesRouter(deps, services);
      },
      subscriptions: expensesSubscriptions({
        store,
        clock: deps.clock,
        work: deps.work,
        attachments: async () => (await deferred()).services.attachments,
        calendarFeeds: async () => (await deferred()).services.calendarFeeds,
        comments: async () => (await deferred()).services.comments,
      }),
      // (And every day, a bounded random sample of the budgets' running totals checked, never repaired.)
      jobs: [...expensesJobs(deferred, { store, deps, ports, options }), totalsVerifyJobOf(store, deps, ports.budgets)],
      // An operator's check (and repair) of a budget's running totals against its expenses (by hand only).
      operations: [totalsCheckOperation(store, ports.budgets, deps.clock)],
    },
    spending,
    // The budget's serverKnowledge for a user, for other modules (webhook payloads).
    sync: { knowledge: async (budgetId, userId) => (await deferred()).services.changes.knowledge(budgetId, userId) },
    activity: createExpenseActivitySource(async () => (await deferred()).repository.changes, deps.clock),
    // A budget copy's rules and recurring expenses, for the budgets module (built on first use).
    contents: {
      copyable: async (...args) => (await deferred()).services.copy.copyable(...args),
      copy: async (...args) => (await deferred()).services.copy.copy(...args),
    },
    // The data export's reads of a budget (the users module's export job, through the app's port).
    exports: exportFacade(exportPage, async () => (await deferred()).parts, store),
    // One Query of the review index per budget (repository/review-count.ts), without the deferred code.
    review: { toReview: async (budgetId) => toReviewOf(await unreviewedCount(store, budgetId, TO_REVIEW_WINDOW)) },
    // The 16 change counters marked archived in the budget's archive transaction (ChangeLog.archiveItems): rare, built on first use.
    archive: { archiveItems: async (budgetId, archivedAt) => (await deferred()).repository.changes.archiveItems(budgetId, archivedAt) },
  };
}

type Deferred = () => Promise<{
  parts: typeof import('./service/deferred');
  repository: import('./repository/expenses.repository').ExpensesRepository;
  queries: import('./repository/expense-queries.repository').ExpenseQueries;
  spendingReads: import('./repository/spending-reads.repository').SpendingReads;
  services: ReturnType<typeof import('./service/deferred').createRouteServices>;
}>;

/**
 * The module's fan-out jobs (platform jobs/fan-out.ts), each loaded on first use: the scheduled
 * recurring expenses and their reminders, the recurring income (its own due index, on the same
 * schedule), the budget.deleted cascade the subscriber queues, the
 * CSV import's chunks and its watchdog, and a merchant rename's and a tag rename's pages and
 * their watchdogs (one job, rename-job.ts, with each kind).
 */
function expensesJobs(
  deferred: Deferred,
  { store, deps, ports, options }: { store: ReturnType<PlatformDeps['storeFor']>; deps: PlatformDeps; ports: ExpensesModulePorts; options: ExpensesModuleOptions },
) {
  return [
    lazyJob({ name: CSV_IMPORT_JOB }, async () => {
      const { parts, services } = await deferred();
      return parts.csvImportJob(services.csvImport);
    }),
    // An import's undo: one unit per stored chunk of the import.
    lazyJob({ name: IMPORT_UNDO_JOB }, async () => {
      const { parts, services } = await deferred();
      return parts.importUndoJob(services.importUndo);
    }),
    // A started undo's watchdog: fails it once stalled though nobody reads it (delayed units).
    lazyJob({ name: IMPORT_UNDO_WATCHDOG_JOB }, async () => {
      const { parts, services } = await deferred();
      return parts.importUndoWatchdogJob(services.importUndo);
    }),
    // A started import's watchdog: fails it once stalled though nobody reads it (delayed units).
    lazyJob({ name: IMPORT_WATCHDOG_JOB }, async () => {
      const { parts, services } = await deferred();
      return parts.importWatchdogJob(services.csvImport);
    }),
    lazyJob({ name: MERCHANT_RENAME_JOB }, async () => {
      const { parts, services } = await deferred();
      return parts.merchantRenameJob(services.merchantRename);
    }),
    // A started rename's watchdog: fails it once stalled though nobody reads it (delayed units).
    lazyJob({ name: MERCHANT_RENAME_WATCHDOG_JOB }, async () => {
      const { parts, services } = await deferred();
      return parts.merchantRenameWatchdogJob(services.merchantRename);
    }),
    lazyJob({ name: TAG_RENAME_JOB }, async () => {
      const { parts, services } = await deferred();
      return parts.tagRenameJob(services.tagRename);
    }),
    lazyJob({ name: TAG_RENAME_WATCHDOG_JOB }, async () => {
      const { parts, services } = await deferred();
      return parts.tagRenameWatchdogJob(services.tagRename);
    }),
    lazyJob({ name: RECURRING_JOB, schedule: RECURRING_SCHEDULE, planned: true }, async () => {
      const { parts, services } = await deferred();
      return parts.recurringJob({ repository: services.recurringRepository, budgets: ports.budgets, clock: deps.clock }, options.recurring);
    }),
    lazyJob({ name: RECURRING_INCOME_JOB, schedule: RECURRING_SCHEDULE, planned: true }, async () => {
      const { parts, services } = await deferred();
      return parts.recurringIncomeJob({ repository: services.recurringIncomeRepository, budgets: ports.budgets, store, clock: deps.clock });
    }),
    // Bill reminders (expense.recurring_due_soon) from the same due index, on the same schedule.
    lazyJob({ name: RECURRING_REMINDERS_JOB, schedule: RECURRING_SCHEDULE, planned: true }, async () => {
      const { parts, services } = await deferred();
      return parts.recurringRemindersJob({ reminders: new parts.RecurringRemindersRepository(store), recurring: services.recurringRepository, budgets: ports.budgets, clock: deps.clock });
    }),
    lazyJob({ name: BUDGET_DATA_CLEANUP }, async () => {
      const { parts, repository } = await deferred();
      return parts.budgetDataCleanup({ store, expenses: repository, data: new BudgetDataRepository(store), clock: deps.clock, storage: ports.storage });
    }),
    // The second pass over a deleted expense's or budget's receipts, queued by the subscribers.
    lazyJob({ name: ATTACHMENTS_RESWEEP }, async () => {
      const { parts } = await deferred();
      return parts.attachmentsResweep({ storage: ports.storage, attachments: new parts.AttachmentsRepository(store) });
    }),
    // One-off operator job: the running totals' day items folded into their month items.
    lazyJob({ name: FOLD_DAY_TOTALS_JOB, planned: true }, async () => {
      const { parts } = await deferred();
      return parts.foldDayTotalsJob({ budgets: ports.budgets, fold: new parts.DayTotalsFold(store) });
    }),
    // One-off operator job: the review index entry (gsi3) on unreviewed expenses written before it.
    lazyJob({ name: REVIEW_INDEX_BACKFILL_JOB, planned: true }, async () => {
      const { parts } = await deferred();
      return parts.reviewIndexBackfillJob({ budgets: ports.budgets, backfill: new parts.ReviewIndexBackfill(store) });
    }),
    // One-off operator job: the payments index entry (gsi4) on expenses recurring expenses recorded before it.
    lazyJob({ name: PAYMENTS_INDEX_BACKFILL_JOB, planned: true }, async () => {
      const { parts } = await deferred();
      return parts.paymentsIndexBackfillJob({ budgets: ports.budgets, backfill: new parts.PaymentsIndexBackfill(store) });
    }),
  ];
}

/** The operator operation `expenses-totals-check` (service/totals-check.ts), its code loaded when it runs. */
function totalsCheckOperation(store: ModuleStore, budgets: BudgetsFacade, clock: Clock): OperatorOperation {
  return {
    name: TOTALS_CHECK_OPERATION,
    options: {
      budget: 'the id of the budget whose running totals to check (required)',
      month: 'only this month, YYYY-MM (default: every month)',
      repair: '"yes" to set each differing figure to the recounted one (default: check only, nothing written)',
      reason: 'why: the support ticket (required with --repair yes; kept in the repair\'s audit record)',
    },
    run: async (args, ctx) => {
      const summary = await (await totalsCheckOf(store, budgets, clock, ctx.logger)).run(args);
      return { ok: summary.ok, summary: { operation: TOTALS_CHECK_OPERATION, ...summary } };
    },
  };
}

/** The daily totals verification (jobs/totals-verify-job.ts), loaded on first use: the check's code with it. */
function totalsVerifyJobOf(store: ModuleStore, deps: PlatformDeps, budgets: BudgetsFacade) {
  return lazyJob({ name: TOTALS_VERIFY_JOB, schedule: TOTALS_VERIFY_SCHEDULE, planned: true }, async () => {
    const { totalsVerifyJob } = await import('./jobs/totals-verify-job');
    return totalsVerifyJob({
      budgets,
      check: await totalsCheckOf(store, budgets, deps.clock, deps.logger),
      budgetsPerDay: deps.config.totalsVerifyBudgetsPerDay,
      // Where each shard's sample starts: a fresh random point every run (tests build the job with their own).
      random: Math.random,
    });
  });
}

/** The totals check (service/totals-check.ts), its code loaded on first use: the operator's operation's and the daily verification's. */
async function totalsCheckOf(store: ModuleStore, budgets: BudgetsFacade, clock: Clock, logger: Logger) {
  const [{ TotalsCheck }, { TotalsCheckRepository }] = await Promise.all([import('./service/totals-check'), import('./repository/totals-check.repository')]);
  return new TotalsCheck({
    repository: new TotalsCheckRepository(store, clock),
    budgetExists: async (budgetId) => (await budgets.memberIds(budgetId)).length > 0,
    logger,
  });
}

/** The data export's reads (the users module's export job, through the app's port), built on first use. */
function exportFacade(
  exportPage: () => Promise<ExpensesExportFacade['page']>,
  parts: () => Promise<typeof import('./service/deferred')>,
  store: ReturnType<PlatformDeps['storeFor']>,
): ExpensesExportFacade {
  return {
    page: async (section, budgetId, cursor) => (await exportPage())(section, budgetId, cursor),
    // The comments the exporting user wrote in the budget (any role: their own words).
    commentsPage: async (budgetId, userId, cursor) => {
      const { exportComments, CommentsRepository } = await parts();
      return exportComments(new CommentsRepository(store), budgetId, userId, cursor);
    },
    // The calendar feeds the exporting user made of the budget (any role: theirs), as GET .../calendar-feeds lists them.
    calendarFeedsPage: async (budgetId, userId) => {
      const { exportCalendarFeeds, CalendarFeedsRepository } = await parts();
      return exportCalendarFeeds(new CalendarFeedsRepository(store), budgetId, userId);
    },
  };
}
