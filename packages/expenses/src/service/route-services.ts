import { RateLimiter, WORK_UNIT_STALLED_AFTER_MS, newId, queuedUnitPut, rateLimitCounter, type ModuleStore, type RateLimitPolicy, type ObjectStorage, type PlatformDeps } from '@budgeting/platform';
import { CALENDAR_FEED_RATE_WINDOW_SECONDS, CALENDAR_FEED_READS_PER_HOUR } from '../domain/calendar-feed';
import type { BudgetsFacade } from '@budgeting/budgets';
import type { CredentialNoticePort, ExpensesModuleOptions, MemberLocalePort } from '../create-module';
import type { ExpensesRepository } from '../repository/expenses.repository';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import type { SpendingReads } from '../repository/spending-reads.repository';
import { ImportJobsRepository, type ImportRecord } from '../repository/import-jobs.repository';
import { ImportsRepository } from '../repository/imports.repository';
import { ImportUndoRepository } from '../repository/import-undo.repository';
import { RecurringRepository } from '../repository/recurring.repository';
import { RulesRepository } from '../repository/rules.repository';
import { ImportProfilesRepository } from '../repository/import-profiles.repository';
import { ImportProfilesService } from './import-profiles.service';
import { IncomeRepository } from '../repository/income.repository';
import { TotalsRepository } from '../repository/totals.repository';
import { IncomeService } from './income.service';
import { RecurringIncomeRepository } from '../repository/recurring-income.repository';
import { RecurringIncomeService } from './recurring-income.service';
import { CashForecastService } from './cash-forecast.service';
import type { ExpensesServices } from '../routes';
import { AttachmentsRepository } from '../repository/attachments.repository';
import { MerchantWindow } from '../repository/merchant-window';
import { AttachmentsService } from './attachments.service';
import { CommentsRepository } from '../repository/comments.repository';
import { CommentsService } from './comments.service';
import { BudgetCopyService } from './budget-copy.service';
import { BulkUndoRepository } from '../repository/bulk-undo.repository';
import { BulkUndoService } from './bulk-undo.service';
import { BulkService } from './bulk.service';
import { CategoryReassignService } from './category-reassign.service';
import { CalendarFeedsService } from './calendar-feeds.service';
import { CalendarFeedsRepository } from '../repository/calendar-feeds.repository';
import { ChangesService } from './changes.service';
import { CsvExportService } from './csv-export.service';
import { CsvImportService } from './csv-import.service';
import { ImportUndoService } from './import-undo.service';
import { ImportUndoStall } from './import-undo-stall';
import { DuplicatesService } from './duplicates.service';
import { DuplicateDismissalsRepository } from '../repository/duplicate-dismissals.repository';
import { ExpensesService } from './expenses.service';
import { MerchantsService } from './merchants.service';
import { MerchantRenameService } from './merchant-rename.service';
import { MerchantRenamesRepository } from '../repository/merchant-renames.repository';
import { TagRenameService } from './tag-rename.service';
import { TagRenamesRepository } from '../repository/tag-renames.repository';
import { PushService } from './push.service';
import { RecurringSuggestionsService } from './recurring-suggestions.service';
import { RestoreService } from './restore.service';
import { RecurringService } from './recurring.service';
import { RulesService } from './rules.service';
import type { UndoRecordDeps } from './undo-record';
import { RuleSuggestionsService } from './rule-suggestions.service';
import { ScheduledService } from './scheduled.service';
import { RecurringOutlookService } from './recurring-outlook.service';
import { BillStatusService } from './bill-status.service';
import { IncomeStatusService } from './income-status.service';
import { BillStatusRepository } from '../repository/bill-status.repository';
import { SpendingBreakdownService } from './spending-breakdown.service';
import { SpendingMonthlyService } from './spending-monthly.service';

/** A job unit as an item of a request's transaction under the module's own prefix; the table stream's relay queues it. */
const unitPut = (deps: PlatformDeps, store: ModuleStore) => (job: string, unit: unknown, tick: Date) =>
  queuedUnitPut(store, job, unit, tick, newId(deps.clock.now().getTime()));

/**
 * The services behind the expenses routes (and the CSV import job, which shares the import
 * service). The module imports this file on the first expenses request, import chunk or sync
 * knowledge asked by another module, so a cold start whose request is another module's (a
 * budget summary) does not load them (issue 11). Built once per container (create-module.ts).
 */
export function createRouteServices(
  deps: PlatformDeps,
  parts: { store: ModuleStore; repository: ExpensesRepository; queries: ExpenseQueries; spendingReads: SpendingReads; budgets: BudgetsFacade; storage: ObjectStorage; locales?: MemberLocalePort; notices?: CredentialNoticePort },
  options: ExpensesModuleOptions,
): ExpensesServices & { recurringRepository: RecurringRepository; recurringIncomeRepository: RecurringIncomeRepository; scheduled: ScheduledService; copy: BudgetCopyService } {
  const { store, repository, queries, spendingReads, budgets, storage, locales, notices } = parts;
  // Categorization rules: their routes, and every create that may take a category from them.
  const rules = new RulesRepository(store, options.rules?.maxPerBudget);
  // Saved column mappings: their routes, and the CSV import that reads one (?profile=).
  const importProfiles = new ImportProfilesRepository(store, options.importProfiles?.maxPerBudget);
  const expenses = new ExpensesService({ repository, queries, rules, budgets, clock: deps.clock, cursors: deps.cursors, listMaxExamined: options.list?.maxExamined });
  const recurringRepository = new RecurringRepository(store, repository, queries, options.recurringDefinitions?.maxPerBudget);
  // Income entries, stamped on the expenses' change log (one queue and memory of its counters).
  const income = new IncomeRepository(store, repository.changes);
  // Income on a schedule: its definitions' routes, and the job recording them through the income create's write.
  const recurringIncomeRepository = new RecurringIncomeRepository(store, income, options.recurringIncome?.maxPerBudget);
  const changes = new ChangesService({ repository, queries, income, recurring: recurringRepository, recurringIncome: recurringIncomeRepository, budgets, cursors: deps.cursors });
  const incomeService = new IncomeService({ repository: income, totals: new TotalsRepository(store), store, budgets, clock: deps.clock, cursors: deps.cursors });
  const scheduled = new ScheduledService(recurringRepository);
  const undo = undoRecords(deps, store);
  // The definitions' routes' services, shared with the offline push (each mutation through its kind's route service).
  const recurring = new RecurringService({ repository: recurringRepository, budgets, clock: deps.clock, cursors: deps.cursors });
  const recurringIncome = new RecurringIncomeService({ repository: recurringIncomeRepository, income, store, budgets, clock: deps.clock, cursors: deps.cursors });
  const importUndo = importUndoService(deps, { store, repository, queries, budgets, importRead: (b, i) => csvImport.peek(b, i), ...importUndoStall(deps, store, options) }, expenses);
  const csvImport = csvImportService(deps, { store, repository, income, rules, importProfiles, recurringRepository, budgets }, options, importUndo);
  return {
    expenses,
    recurring,
    rules: new RulesService({ repository: rules, expenses: queries, writer: expenses, budgets, clock: deps.clock, cursors: deps.cursors, undo }, options.spending?.maxExpenses),
    // Rules learnt from how the members categorize: computed on read from the same window and the rules.
    ruleSuggestions: new RuleSuggestionsService({ window: new MerchantWindow(store), rules, budgets, clock: deps.clock }, options.ruleSuggestions),
    importProfiles: new ImportProfilesService({ repository: importProfiles, budgets, clock: deps.clock, cursors: deps.cursors }),
    // Money that came in, and the cash flow read from the running totals next to it.
    income: incomeService,
    recurringIncome,
    attachments: new AttachmentsService({ repository: new AttachmentsRepository(store, options.attachments?.maxPerExpense), expenses: repository, budgets, storage, clock: deps.clock, work: deps.work }),
    comments: new CommentsService({ repository: new CommentsRepository(store, options.comments?.maxPerExpense), store, budgets, clock: deps.clock, cursors: deps.cursors }),
    changes,
    push: new PushService({ expenses, repository, rules, changes, income: incomeService, incomeRepository: income, recurring, recurringRepository, recurringIncome, recurringIncomeRepository, budgets, clock: deps.clock }),
    // Undo of a delete, the bulk edit and the bulk edit's undo (which restores through the first).
    ...undoableServices(deps, { repository, queries, budgets, undos: undo.undos }, expenses),
    // A category's expenses moved to another (after removing it, typically), each through the PATCH write.
    categoryReassign: new CategoryReassignService({ repository: queries, writer: expenses, budgets, cursors: deps.cursors, undo }, options.categoryReassign),
    csvExport: new CsvExportService({ queries, budgets, income: new IncomeRepository(store) }, options.csv?.exportPageSize, options.csv?.exportMaxExamined),
    csvImport,
    importUndo,
    // Payee autocomplete: computed on read from the budget's newest expenses.
    merchants: new MerchantsService({ window: new MerchantWindow(store), budgets, clock: deps.clock }, options.merchants),
    // A merchant renamed across the budget's expenses: a job, each expense through the PATCH write.
    merchantRename: new MerchantRenameService(
      { renames: new MerchantRenamesRepository(store), queries, expenses, budgets, rules, clock: deps.clock, work: deps.work, queueUnit: unitPut(deps, store), logger: deps.logger },
      options.merchantRename,
    ),
    // A tag renamed or removed across the budget's expenses: the same job with the tag kind.
    tagRename: new TagRenameService(
      { renames: new TagRenamesRepository(store), queries, expenses, budgets, clock: deps.clock, work: deps.work, queueUnit: unitPut(deps, store), logger: deps.logger },
      options.tagRename ?? options.merchantRename,
    ),
    // Bill finder: computed on read from the same window (a larger one) and the definitions.
    recurringSuggestions: new RecurringSuggestionsService({ window: new MerchantWindow(store), recurring: recurringRepository, budgets, clock: deps.clock }, options.recurringSuggestions),
    // What the recurring definitions will do: upcoming bills, costs, price changes; with the recurring income, the cash flow forecast.
    ...outlookServices(deps, { budgets, scheduled, queries, recurringRepository, recurringIncomeRepository, totals: new TotalsRepository(store) }, options),
    // Paid / not paid this period: the definitions, each bill's payments (gsi4) and its markers.
    incomeStatus: new IncomeStatusService({ budgets, recurring: recurringIncomeRepository, income, clock: deps.clock }),
    billStatus: new BillStatusService({ budgets, recurring: recurringRepository, reads: new BillStatusRepository(store), expenses: queries, clock: deps.clock }),
    calendarFeeds: new CalendarFeedsService({ repository: new CalendarFeedsRepository(store, options.calendarFeeds?.maxPerMember), budgets, scheduled, locales, notices, clock: deps.clock, readLimit: calendarFeedReadLimit(deps, store, options.calendarFeeds?.readLimit) }),
    // Spending by merchant, tag, member, category or group: computed on read from the range's expenses.
    spending: new SpendingBreakdownService({ repository: spendingReads, budgets, clock: deps.clock }, options.spending?.maxExpenses),
    // One merchant's or tag's spending month by month: the same walk and bound.
    spendingMonthly: new SpendingMonthlyService({ repository: spendingReads, budgets, clock: deps.clock }, options.spending?.maxExpenses),
    duplicates: duplicatesService(deps, { store, queries, budgets }, options),
    budgets,
    recurringRepository,
    recurringIncomeRepository,
    // The forecast's scheduled spending (the budgets module asks through SpendingPort).
    scheduled,
    // A budget copy's rules, recurring expenses and import profiles (the budgets module asks through BudgetContentsPort).
    copy: new BudgetCopyService({ rules, recurring: recurringRepository, importProfiles, recurringIncome: recurringIncomeRepository, clock: deps.clock }),
  };
}

/**
 * Read-only views of the recurring definitions: the forecast's occurrences as upcoming bills
 * (and as calendar feeds, below), the definitions' costs of the year ahead and price changes;
 * and the cash flow forecast, the recurring income and bills still to come day by day (the two
 * upcoming routes' definition reads, in parallel; with its everyday spending estimate, the day totals too).
 */
function outlookServices(
  deps: PlatformDeps,
  {
    budgets,
    scheduled,
    queries,
    recurringRepository,
    recurringIncomeRepository,
    totals,
  }: { budgets: BudgetsFacade; scheduled: ScheduledService; queries: ExpenseQueries; recurringRepository: RecurringRepository; recurringIncomeRepository: RecurringIncomeRepository; totals: TotalsRepository },
  options: ExpensesModuleOptions,
): Pick<ExpensesServices, 'recurringOutlook' | 'cashForecast'> {
  return {
    recurringOutlook: new RecurringOutlookService({ budgets, scheduled, recurring: recurringRepository, expenses: queries, clock: deps.clock }, options.spending?.maxExpenses),
    cashForecast: new CashForecastService({ budgets, recurring: recurringRepository, recurringIncome: recurringIncomeRepository, totals, clock: deps.clock }),
  };
}

/**
 * The import: rows recorded by a job, each as POST /expenses records one. `importUndo` takes back
 * rows a late delivery of a chunk recorded behind the import's undo (`undoLanded`).
 */
function csvImportService(
  deps: PlatformDeps,
  parts: { store: ModuleStore; repository: ExpensesRepository; income: IncomeRepository; rules: RulesRepository; importProfiles: ImportProfilesRepository; recurringRepository: RecurringRepository; budgets: BudgetsFacade },
  options: ExpensesModuleOptions,
  importUndo: ImportUndoService,
): CsvImportService {
  const { store, repository, income, rules, importProfiles, recurringRepository, budgets } = parts;
  return new CsvImportService(
    {
      imports: new ImportsRepository(store, repository, income),
      jobs: new ImportJobsRepository(store),
      rules,
      profiles: importProfiles,
      recurring: recurringRepository,
      budgets,
      clock: deps.clock,
      work: deps.work,
      logger: deps.logger,
      undoStall: importUndoStall(deps, store, options).stall,
      undoLanded: (budgetId, importId, chunk, rows) => importUndo.removeLanded(budgetId, importId, chunk, rows),
    },
    options.csv,
  );
}

/** An undo that stopped moving reads failed, on the import's GET and the undo's own reads alike, on the import's stall window (stateless: one per user is fine). */
function importUndoStall(deps: PlatformDeps, store: ModuleStore, options: ExpensesModuleOptions): { stall: ImportUndoStall; stalledAfterMs: number } {
  const stalledAfterMs = options.csv?.stalledAfterMs ?? WORK_UNIT_STALLED_AFTER_MS;
  return { stall: new ImportUndoStall({ undo: new ImportUndoRepository(store), jobs: new ImportJobsRepository(store), clock: deps.clock }, stalledAfterMs), stalledAfterMs };
}

/**
 * "I imported the wrong file": the import's expenses deleted by a job, each through the DELETE write.
 * `importRead`: the import's GET read (its stall rules applied), bound late: the import service, built after, hands this one the rows landed after an undo.
 */
function importUndoService(
  deps: PlatformDeps,
  { store, repository, queries, budgets, importRead, stall, stalledAfterMs }: { store: ModuleStore; repository: ExpensesRepository; queries: ExpenseQueries; budgets: BudgetsFacade; importRead: (budgetId: string, importId: string) => Promise<ImportRecord | undefined>; stall: ImportUndoStall; stalledAfterMs: number },
  expenses: ExpensesService,
): ImportUndoService {
  return new ImportUndoService({ undo: new ImportUndoRepository(store), jobs: new ImportJobsRepository(store), importRead, repository: queries, expenses, income: new IncomeRepository(store, repository.changes), budgets, store, clock: deps.clock, work: deps.work, stall, stalledAfterMs, logger: deps.logger });
}

/** Possible duplicates: computed on read from the range's expenses (the spending breakdown's read and bound), less the dismissed pairs. */
function duplicatesService(deps: PlatformDeps, { store, queries, budgets }: { store: ModuleStore; queries: ExpenseQueries; budgets: BudgetsFacade }, options: ExpensesModuleOptions): DuplicatesService {
  const dismissals = new DuplicateDismissalsRepository(store);
  return new DuplicatesService({ repository: queries, dismissals, budgets, clock: deps.clock }, options.spending?.maxExpenses, options.duplicates);
}

/**
 * The public feed's per-feed read limit: the platform's per-caller RateLimiter keyed by the feed,
 * its window counters in the module's own store (`expenses#user#calendar-feed:<feedId>`, expiring
 * with their window). Built with the routes' services, so off the cold path; a counter that fails
 * admits the read and is logged, as the account limit's does.
 */
function calendarFeedReadLimit(deps: PlatformDeps, store: ModuleStore, tuning?: Pick<RateLimitPolicy, 'limit' | 'flushEvery'>): RateLimiter {
  return new RateLimiter(
    { limit: CALENDAR_FEED_READS_PER_HOUR, windowSeconds: CALENDAR_FEED_RATE_WINDOW_SECONDS, ...tuning },
    rateLimitCounter(store),
    deps.clock,
    (err, key) => deps.logger.warn('calendar feed rate limit counter failed; read admitted', { key, error: err as Error }),
  );
}

/** Where the bulk edit, the category reassign and the rule apply leave their undo records (one kind, one undo route). */
function undoRecords(deps: PlatformDeps, store: ModuleStore): UndoRecordDeps {
  return { undos: new BulkUndoRepository(store), clock: deps.clock, logger: deps.logger };
}

/**
 * The restore, the bulk edit and its undo: the undo restores a bulk's deletes through the
 * restore's write, and shares the undo records with the bulk edit, the category reassign and
 * the rule apply (written by them, read and settled by the undo).
 */
function undoableServices(
  deps: PlatformDeps,
  parts: { repository: ExpensesRepository; queries: ExpenseQueries; budgets: BudgetsFacade; undos: BulkUndoRepository },
  expenses: ExpensesService,
): Pick<ExpensesServices, 'restore' | 'bulk' | 'bulkUndo'> {
  const { repository, queries, budgets, undos } = parts;
  const restore = new RestoreService({ repository, budgets, clock: deps.clock, cursors: deps.cursors });
  return {
    restore,
    bulk: new BulkService({ expenses, queries, budgets, undos, clock: deps.clock, logger: deps.logger }),
    bulkUndo: new BulkUndoService({ expenses, restore, repository, queries, undos, budgets, clock: deps.clock }),
  };
}
