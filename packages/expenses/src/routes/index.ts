import type { BudgetsFacade } from '@budgeting/budgets';
import { requireAuth, type PlatformDeps, type Router } from '@budgeting/platform';
import { createRouter } from '@budgeting/platform/routes';
import type { AttachmentsService } from '../service/attachments.service';
import type { BulkUndoService } from '../service/bulk-undo.service';
import type { BulkService } from '../service/bulk.service';
import type { CategoryReassignService } from '../service/category-reassign.service';
import type { CalendarFeedsService } from '../service/calendar-feeds.service';
import type { ChangesService } from '../service/changes.service';
import type { CommentsService } from '../service/comments.service';
import type { CsvExportService } from '../service/csv-export.service';
import type { CsvImportService } from '../service/csv-import.service';
import type { ImportUndoService } from '../service/import-undo.service';
import type { DuplicatesService } from '../service/duplicates.service';
import type { ExpensesService } from '../service/expenses.service';
import type { MerchantsService } from '../service/merchants.service';
import type { MerchantRenameService } from '../service/merchant-rename.service';
import type { TagRenameService } from '../service/tag-rename.service';
import type { PushService } from '../service/push.service';
import type { RecurringSuggestionsService } from '../service/recurring-suggestions.service';
import type { RecurringOutlookService } from '../service/recurring-outlook.service';
import type { BillStatusService } from '../service/bill-status.service';
import type { IncomeStatusService } from '../service/income-status.service';
import type { RestoreService } from '../service/restore.service';
import type { RecurringService } from '../service/recurring.service';
import type { RulesService } from '../service/rules.service';
import type { RuleSuggestionsService } from '../service/rule-suggestions.service';
import type { SpendingBreakdownService } from '../service/spending-breakdown.service';
import type { SpendingMonthlyService } from '../service/spending-monthly.service';
import type { ImportProfilesService } from '../service/import-profiles.service';
import type { IncomeService } from '../service/income.service';
import type { RecurringIncomeService } from '../service/recurring-income.service';
import type { CashForecastService } from '../service/cash-forecast.service';
import { attachmentsHandlers } from './attachments.handlers';
import { bulkHandlers } from './bulk.handlers';
import { categoryReassignHandlers } from './category-reassign.handlers';
import { reassignCategoryExpenses } from './category-reassign.routes';
import { calendarFeedsHandlers } from './calendar-feeds.handlers';
import * as calendarFeedRoutes from './calendar-feeds.routes';
import * as bulkRoutes from './bulk.routes';
import * as attachmentRoutes from './attachments.routes';
import { changesHandlers } from './changes.handlers';
import * as changesRoutes from './changes.routes';
import { commentsHandlers } from './comments.handlers';
import * as commentRoutes from './comments.routes';
import { csvHandlers } from './csv.handlers';
import { importUndoHandlers } from './import-undo.handlers';
import * as importUndoRoutes from './import-undo.routes';
import { duplicatesHandlers } from './duplicates.handlers';
import { dismissDuplicateExpenses, listDuplicateExpenses } from './duplicates.routes';
import * as csvRoutes from './csv.routes';
import { expensesHandlers } from './expenses.handlers';
import { expenseRoutes } from './expenses.routes';
import { merchantsHandlers } from './merchants.handlers';
import * as merchantRoutes from './merchants.routes';
import { merchantRenameHandlers } from './merchant-rename.handlers';
import { tagRenameHandlers } from './tag-rename.handlers';
import * as merchantRenameRoutes from './merchant-rename.routes';
import * as tagRenameRoutes from './tag-rename.routes';
import { decodeImportBody } from './import-body';
import { pushHandlers } from './push.handlers';
import * as pushRoutes from './push.routes';
import { restoreHandlers } from './restore.handlers';
import * as restoreRoutes from './restore.routes';
import { recurringHandlers } from './recurring.handlers';
import { recurringSuggestionsHandlers } from './recurring-suggestions.handlers';
import { listRecurringSuggestions } from './recurring-suggestions.routes';
import { recurringOutlookHandlers } from './recurring-outlook.handlers';
import { billStatusHandler } from './bill-status.handlers';
import { incomeStatusHandler } from './income-status.handlers';
import { getIncomeStatus } from './income-status.routes';
import { getBillStatus } from './bill-status.routes';
import { getRecurringCosts, listRecurringPriceChanges, listUpcomingBills } from './recurring-outlook.routes';
import { categoriesManagerOfBudget, writerOfBudget } from './replay-guards';
import { recordNextRecurringExpense, recurringRoutes, skipRecurringExpense } from './recurring.routes';
import { rulesHandlers } from './rules.handlers';
import { ruleSuggestionsHandlers } from './rule-suggestions.handlers';
import { listRuleSuggestions } from './rule-suggestions.routes';
import { spendingHandlers } from './spending.handlers';
import * as spendingRoutes from './spending.routes';
import { applyCategorizationRule, previewCategorizationRule, ruleRoutes } from './rules.routes';
import { importProfilesHandlers } from './import-profiles.handlers';
import { importProfileRoutes } from './import-profiles.routes';
import { importPresetsHandler } from './import-presets.handlers';
import { cashForecastHandler } from './cash-forecast.handlers';
import { getCashFlowForecast } from './cash-forecast.routes';
import { incomeHandlers } from './income.handlers';
import { exportIncome, getAgeOfMoney, getCashFlow, incomeRoutes, listDeletedIncome, restoreIncome } from './income.routes';
import { recurringIncomeHandlers } from './recurring-income.handlers';
import { listUpcomingIncome, recordNextRecurringIncome, recurringIncomeRoutes, skipRecurringIncome } from './recurring-income.routes';
import { listImportPresets } from './import-presets.routes';

export interface ExpensesServices {
  expenses: ExpensesService;
  restore: RestoreService;
  recurring: RecurringService;
  rules: RulesService;
  ruleSuggestions: RuleSuggestionsService;
  importProfiles: ImportProfilesService;
  income: IncomeService;
  recurringIncome: RecurringIncomeService;
  cashForecast: CashForecastService;
  attachments: AttachmentsService;
  comments: CommentsService;
  changes: ChangesService;
  push: PushService;
  bulk: BulkService;
  bulkUndo: BulkUndoService;
  categoryReassign: CategoryReassignService;
  csvExport: CsvExportService;
  csvImport: CsvImportService;
  importUndo: ImportUndoService;
  merchants: MerchantsService;
  merchantRename: MerchantRenameService;
  tagRename: TagRenameService;
  recurringSuggestions: RecurringSuggestionsService;
  recurringOutlook: RecurringOutlookService;
  billStatus: BillStatusService;
  incomeStatus: IncomeStatusService;
  calendarFeeds: CalendarFeedsService;
  spending: SpendingBreakdownService;
  spendingMonthly: SpendingMonthlyService;
  duplicates: DuplicatesService;
  /** Membership, for Idempotency-Key replays (see replay-guards.ts). */
  budgets: BudgetsFacade;
}

/** What every route group attaches: authentication and the Idempotency-Key middlewares. */
interface Guards {
  auth: ReturnType<typeof requireAuth>;
  /** Creating POSTs of members who may write (keys are scoped per caller). */
  idempotent: ReturnType<PlatformDeps['idempotent']>;
  /** A replayed rule create or apply passes the rules' own access check (the owner's). */
  idempotentRules: ReturnType<PlatformDeps['idempotent']>;
  /** The expense create's: the key's record commits in the expense's own transaction (see ExpensesService.create). */
  idempotentWrite: PlatformDeps['idempotentWrite'];
}

/**
 * The module's routes, and the one place their middleware is attached. Per route, never with
 * a wildcard: these routes live under /v1/budgets/{budgetId}/ like the budgets module's, so a
 * `use('/v1/budgets/*')` would also run on theirs. Creating POSTs: authentication, then
 * Idempotency-Key. Three groups, mounted in this order; within each, a literal path goes before
 * the `{param}` path that would take it for an id (no group's path shadows another group's).
 */
export function createExpensesRouter(deps: PlatformDeps, services: ExpensesServices): Router {
  const guards: Guards = {
    auth: requireAuth(deps.tokens),
    idempotent: deps.idempotent(writerOfBudget(services.budgets)),
    idempotentRules: deps.idempotent(categoriesManagerOfBudget(services.budgets)),
    idempotentWrite: deps.idempotentWrite,
  };
  const withExpenses = expenseRoutesOf(createRouter(), services, guards);
  return budgetInsightRoutesOf(automationRoutesOf(withExpenses, services, guards), services, guards);
}

/** Expenses themselves: CSV, the item routes and what hangs off an expense, possible duplicates, sync. */
function expenseRoutesOf(router: Router, services: ExpensesServices, { auth, idempotent, idempotentWrite }: Guards): Router {
  const csv = csvHandlers(services.csvExport, services.csvImport);
  const expenses = expensesHandlers(services.expenses);
  const restore = restoreHandlers(services.restore);
  const attachments = attachmentsHandlers(services.attachments);
  const comments = commentsHandlers(services.comments);
  const changes = changesHandlers(services.changes);
  const push = pushHandlers(services.push);
  const duplicates = duplicatesHandlers(services.duplicates);
  return router
    // First: /expenses/export would otherwise match /expenses/{expenseId}.
    .openapi({ ...csvRoutes.exportExpenses, middleware: [auth] }, csv.exportExpenses)
    // The body is decoded by its charset (OFX: declared; CSV: the Content-Type's, or guessed) before the key's fingerprint reads it (import-body.ts).
    .openapi({ ...csvRoutes.importExpenses, middleware: [auth, decodeImportBody, idempotent] }, csv.importExpenses)
    .openapi({ ...csvRoutes.getImport, middleware: [auth] }, csv.getImport)
    .openapi({ ...importUndoRoutes.undoImport, middleware: [auth, idempotent] }, importUndoHandlers(services.importUndo).undoImport)
    .openapi({ ...expenseRoutes.create, middleware: [auth, idempotentWrite] }, expenses.create)
    .openapi({ ...expenseRoutes.list, middleware: [auth] }, expenses.list)
    // Before /expenses/{expenseId}, which would take `deleted` for an id.
    .openapi({ ...restoreRoutes.listDeletedExpenses, middleware: [auth] }, restore.listDeleted)
    .openapi({ ...restoreRoutes.restoreExpense, middleware: [auth, idempotent] }, restore.restore)
    .openapi({ ...bulkRoutes.bulkEditExpenses, middleware: [auth, idempotent] }, bulkHandlers(services.bulk, services.bulkUndo).bulkEditExpenses)
    // Idempotent by itself (its outcome is stored on the bulk edit's record): no Idempotency-Key.
    .openapi({ ...bulkRoutes.undoBulkEdit, middleware: [auth] }, bulkHandlers(services.bulk, services.bulkUndo).undoBulkEdit)
    // Before /expenses/{expenseId}, which would take `duplicates` for an id. The dismissal is idempotent (a PUT's kind): no Idempotency-Key.
    .openapi({ ...listDuplicateExpenses, middleware: [auth] }, duplicates.list)
    .openapi({ ...dismissDuplicateExpenses, middleware: [auth] }, duplicates.dismiss)
    // Before /expenses/{expenseId}: more specific paths first, as the CSV routes.
    .openapi({ ...attachmentRoutes.createAttachment, middleware: [auth, idempotent] }, attachments.create)
    .openapi({ ...attachmentRoutes.listAttachments, middleware: [auth] }, attachments.list)
    .openapi({ ...attachmentRoutes.getAttachment, middleware: [auth] }, attachments.get)
    .openapi({ ...attachmentRoutes.deleteAttachment, middleware: [auth] }, attachments.remove)
    .openapi({ ...commentRoutes.createComment, middleware: [auth, idempotent] }, comments.create)
    .openapi({ ...commentRoutes.listComments, middleware: [auth] }, comments.list)
    .openapi({ ...commentRoutes.getComment, middleware: [auth] }, comments.get)
    .openapi({ ...commentRoutes.deleteComment, middleware: [auth] }, comments.remove)
    .openapi({ ...expenseRoutes.get, middleware: [auth] }, expenses.get)
    .openapi({ ...expenseRoutes.update, middleware: [auth] }, expenses.update)
    .openapi({ ...expenseRoutes.remove, middleware: [auth] }, expenses.remove)
    .openapi({ ...changesRoutes.getChanges, middleware: [auth] }, changes.getChanges)
    .openapi({ ...pushRoutes.pushChanges, middleware: [auth, idempotent] }, push.pushChanges);
}

/** What writes expenses for the user: recurring expenses, rules, import profiles, a category's reassignment. */
function automationRoutesOf(router: Router, services: ExpensesServices, { auth, idempotent, idempotentRules }: Guards): Router {
  const recurring = recurringHandlers(services.recurring);
  const rules = rulesHandlers(services.rules);
  const importProfiles = importProfilesHandlers(services.importProfiles);
  const outlook = recurringOutlookHandlers(services.recurringOutlook);
  return router
    .openapi({ ...recurringRoutes.create, middleware: [auth, idempotent] }, recurring.create)
    .openapi({ ...recurringRoutes.list, middleware: [auth] }, recurring.list)
    // Before /recurring-expenses/{recurringExpenseId}, which would take `suggestions` for an id.
    .openapi({ ...listRecurringSuggestions, middleware: [auth] }, recurringSuggestionsHandlers(services.recurringSuggestions).list)
    // Before /recurring-expenses/{recurringExpenseId} too (`upcoming`, `costs`, `price-changes`, `status`).
    .openapi({ ...listUpcomingBills, middleware: [auth] }, outlook.upcoming)
    .openapi({ ...getRecurringCosts, middleware: [auth] }, outlook.costs)
    .openapi({ ...listRecurringPriceChanges, middleware: [auth] }, outlook.priceChanges)
    .openapi({ ...getBillStatus, middleware: [auth] }, billStatusHandler(services.billStatus))
    // Idempotency-Key as the other POSTs: a retried skip or record-next answers the first, never skips or records a second occurrence.
    .openapi({ ...skipRecurringExpense, middleware: [auth, idempotent] }, recurring.skip)
    .openapi({ ...recordNextRecurringExpense, middleware: [auth, idempotent] }, recurring.recordNext)
    .openapi({ ...recurringRoutes.get, middleware: [auth] }, recurring.get)
    .openapi({ ...recurringRoutes.update, middleware: [auth] }, recurring.update)
    .openapi({ ...recurringRoutes.remove, middleware: [auth] }, recurring.remove)
    .openapi({ ...ruleRoutes.create, middleware: [auth, idempotentRules] }, rules.create)
    .openapi({ ...ruleRoutes.list, middleware: [auth] }, rules.list)
    // Before /rules/{ruleId} (which has no POST, but the literal path first).
    .openapi({ ...previewCategorizationRule, middleware: [auth] }, rules.preview)
    .openapi({ ...applyCategorizationRule, middleware: [auth, idempotentRules] }, rules.apply)
    // Before /rules/{ruleId}, which would take `suggestions` for an id.
    .openapi({ ...listRuleSuggestions, middleware: [auth] }, ruleSuggestionsHandlers(services.ruleSuggestions).list)
    .openapi({ ...ruleRoutes.get, middleware: [auth] }, rules.get)
    .openapi({ ...ruleRoutes.update, middleware: [auth] }, rules.update)
    .openapi({ ...ruleRoutes.remove, middleware: [auth] }, rules.remove)
    // Saved column mappings of the CSV import (?profile=): written by those who may import.
    .openapi({ ...importProfileRoutes.create, middleware: [auth, idempotent] }, importProfiles.create)
    .openapi({ ...importProfileRoutes.list, middleware: [auth] }, importProfiles.list)
    .openapi({ ...listImportPresets, middleware: [auth] }, importPresetsHandler(services.importProfiles))
    .openapi({ ...importProfileRoutes.get, middleware: [auth] }, importProfiles.get)
    .openapi({ ...importProfileRoutes.update, middleware: [auth] }, importProfiles.update)
    .openapi({ ...importProfileRoutes.remove, middleware: [auth] }, importProfiles.remove)
    .openapi({ ...reassignCategoryExpenses, middleware: [auth, idempotent] }, categoryReassignHandlers(services.categoryReassign).reassign);
}

/** Reading across a budget's expenses and acting on what it shows: merchants and tags (and renaming them), spending, income and cash flow, calendar feeds. */
function budgetInsightRoutesOf(router: Router, services: ExpensesServices, { auth, idempotent }: Guards): Router {
  const merchants = merchantsHandlers(services.merchants);
  const merchantRename = merchantRenameHandlers(services.merchantRename);
  const tagRename = tagRenameHandlers(services.tagRename);
  const calendarFeeds = calendarFeedsHandlers(services.calendarFeeds);
  const income = incomeHandlers(services.income, services.csvExport);
  const recurringIncome = recurringIncomeHandlers(services.recurringIncome);
  return router
    .openapi({ ...merchantRoutes.listMerchants, middleware: [auth] }, merchants.list)
    .openapi({ ...merchantRoutes.listTags, middleware: [auth] }, merchants.listTags)
    .openapi({ ...merchantRenameRoutes.renameMerchant, middleware: [auth, idempotent] }, merchantRename.renameMerchant)
    .openapi({ ...merchantRenameRoutes.getMerchantRename, middleware: [auth] }, merchantRename.getMerchantRename)
    .openapi({ ...tagRenameRoutes.renameTag, middleware: [auth, idempotent] }, tagRename.renameTag)
    .openapi({ ...tagRenameRoutes.getTagRename, middleware: [auth] }, tagRename.getTagRename)
    .openapi({ ...spendingRoutes.getSpendingBreakdown, middleware: [auth] }, spendingHandlers(services.spending, services.spendingMonthly).get)
    .openapi({ ...spendingRoutes.getSpendingMonthly, middleware: [auth] }, spendingHandlers(services.spending, services.spendingMonthly).monthly)
    // Money that came in (its own resource, creates keyed as the recurring expenses'), and the cash flow.
    .openapi({ ...incomeRoutes.create, middleware: [auth, idempotent] }, income.create)
    .openapi({ ...incomeRoutes.list, middleware: [auth] }, income.list)
    // Before the item: /income/export and /income/deleted would otherwise match /income/{incomeId}.
    .openapi({ ...exportIncome, middleware: [auth] }, income.exportCsv)
    .openapi({ ...listDeletedIncome, middleware: [auth] }, income.listDeleted)
    .openapi({ ...restoreIncome, middleware: [auth, idempotent] }, income.restore)
    .openapi({ ...incomeRoutes.get, middleware: [auth] }, income.get)
    .openapi({ ...incomeRoutes.update, middleware: [auth] }, income.update)
    .openapi({ ...incomeRoutes.remove, middleware: [auth] }, income.remove)
    .openapi({ ...getCashFlow, middleware: [auth] }, income.cashFlow)
    // The recurring income and bills still to come, day by day (the two upcoming routes' occurrences).
    .openapi({ ...getCashFlowForecast, middleware: [auth] }, cashForecastHandler(services.cashForecast))
    .openapi({ ...getAgeOfMoney, middleware: [auth] }, income.ageOfMoney)
    // Income on a schedule (paychecks): keyed creates as income's; /upcoming before the item, which would take it for an id.
    .openapi({ ...recurringIncomeRoutes.create, middleware: [auth, idempotent] }, recurringIncome.create)
    .openapi({ ...recurringIncomeRoutes.list, middleware: [auth] }, recurringIncome.list)
    .openapi({ ...listUpcomingIncome, middleware: [auth] }, recurringIncome.upcoming)
    .openapi({ ...getIncomeStatus, middleware: [auth] }, incomeStatusHandler(services.incomeStatus))
    // Keyed as the recurring expenses' skip and record-next: a retry answers the first, never skips or records a second paycheck.
    .openapi({ ...skipRecurringIncome, middleware: [auth, idempotent] }, recurringIncome.skip)
    .openapi({ ...recordNextRecurringIncome, middleware: [auth, idempotent] }, recurringIncome.recordNext)
    .openapi({ ...recurringIncomeRoutes.get, middleware: [auth] }, recurringIncome.get)
    .openapi({ ...recurringIncomeRoutes.update, middleware: [auth] }, recurringIncome.update)
    .openapi({ ...recurringIncomeRoutes.remove, middleware: [auth] }, recurringIncome.remove)
    // No Idempotency-Key: the answer holds the feed's secret URL, which no stored replay may keep.
    .openapi({ ...calendarFeedRoutes.createCalendarFeed, middleware: [auth] }, calendarFeeds.create)
    .openapi({ ...calendarFeedRoutes.listCalendarFeeds, middleware: [auth] }, calendarFeeds.list)
    .openapi({ ...calendarFeedRoutes.getOwnCalendarFeed, middleware: [auth] }, calendarFeeds.get)
    .openapi({ ...calendarFeedRoutes.revokeCalendarFeed, middleware: [auth] }, calendarFeeds.revoke)
    // Public: the token in the path is the credential (a calendar app sends no Authorization).
    .openapi(calendarFeedRoutes.getCalendarFeed, calendarFeeds.feed);
}
