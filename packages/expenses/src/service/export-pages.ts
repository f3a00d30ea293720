import type { ExpensesExportFacade, ExpensesExportSection } from '../contract';
import type { CalendarFeedsRepository } from '../repository/calendar-feeds.repository';
import type { AttachmentsService } from './attachments.service';
import { RESTORE_WINDOW_SECONDS, type DeletedCopies, type Deletion } from '../repository/deleted-copies';
import type { DeletedExpense } from '../repository/deleted-expenses';
import type { DeletedIncome } from '../repository/income.repository';
import type { CommentsRepository } from '../repository/comments.repository';
import type { ExpenseQueries } from '../repository/expense-queries.repository';
import type { ImportProfilesRepository } from '../repository/import-profiles.repository';
import type { IncomeRepository } from '../repository/income.repository';
import type { RecurringIncomeRepository } from '../repository/recurring-income.repository';
import type { RecurringRepository } from '../repository/recurring.repository';
import type { RulesRepository } from '../repository/rules.repository';

/**
 * Expenses per export page: one strongly consistent Query (by id, as the first delta sync
 * reads them: an expense recorded or deleted meanwhile moves no other one across a page's
 * edge), about 150 KB of JSON. The page's cursor is its last expense's id, so a unit that
 * re-reads a page after a crash gets the same expenses.
 */
export const EXPORT_EXPENSES_PAGE = 500;
const RECURRING_PAGE = 200;
/** Income entries per export page (about 0.4 KB each as JSON), by id. */
const INCOME_PAGE = 500;
/**
 * Attachment items read per export page (about 0.4 KB each): a pending one costs a HeadObject
 * (AttachmentsService.exportPage), so at most this many storage requests at once.
 */
const ATTACHMENTS_PAGE = 100;
/** Restorable copies per export page (each the item's content and its deletion), as the GET .../deleted lists. */
const DELETED_PAGE = 100;

/** A restorable copy as GET .../expenses/deleted and .../income/deleted show it: the item as deleted, who deleted it, when, and until when it can come back. */
const deletedView = (item: object, d: Deletion) => ({
  ...item,
  deletedAt: d.deletedAt,
  deletedBy: d.deletedBy,
  restorableUntil: new Date(Date.parse(d.deletedAt) + RESTORE_WINDOW_SECONDS * 1000).toISOString(),
});

const encode = (key: Record<string, unknown> | undefined) => (key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined);
const decode = (cursor: string | undefined) => (cursor ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Record<string, unknown>) : undefined);

/** The data export's pages of one budget's expenses, recurring definitions, rules, import profiles, income, recurring income and receipts (see ExpensesExportFacade). */
export function exportPages(
  d: {
    expenses: ExpenseQueries;
    recurring: RecurringRepository;
    rules: RulesRepository;
    importProfiles: ImportProfilesRepository;
    income: IncomeRepository;
    recurringIncome: RecurringIncomeRepository;
    attachments: Pick<AttachmentsService, 'exportPage'>;
    deletedExpenses: DeletedCopies<DeletedExpense>;
    deletedIncome: DeletedCopies<DeletedIncome>;
    now: () => Date;
  },
  pageSize = EXPORT_EXPENSES_PAGE,
): ExpensesExportFacade['page'] {
  return async (section: ExpensesExportSection, budgetId: string, cursor: string | undefined) => {
    switch (section) {
      case 'expenses': {
        const page = await d.expenses.pageById(budgetId, cursor, pageSize);
        const last = page.items.at(-1);
        return { records: page.items, ...(page.more && last ? { cursor: last.id } : {}) };
      }
      case 'recurring': {
        const page = await d.recurring.page(budgetId, RECURRING_PAGE, decode(cursor));
        const next = encode(page.lastKey);
        return { records: page.items, ...(next ? { cursor: next } : {}) };
      }
      case 'rules':
        // At most MAX_RULES_PER_BUDGET (100): one page.
        return { records: await d.rules.all(budgetId) };
      case 'importProfiles':
        // At most MAX_IMPORT_PROFILES_PER_BUDGET (20): one page, as rules.
        return { records: await d.importProfiles.all(budgetId) };
      case 'income': {
        const page = await d.income.pageById(budgetId, INCOME_PAGE, decode(cursor));
        const next = encode(page.lastKey);
        return { records: page.items, ...(next ? { cursor: next } : {}) };
      }
      case 'recurringIncome':
        // At most MAX_RECURRING_INCOME_PER_BUDGET (100): one page, as the definitions stored (skippedThrough included, as a recurring expense's).
        return { records: (await d.recurringIncome.page(budgetId, d.recurringIncome.maxPerBudget)).items };
      case 'attachments': {
        // The receipts' metadata, uploaded ones, as GET .../attachments lists them without URLs.
        const page = await d.attachments.exportPage(budgetId, ATTACHMENTS_PAGE, decode(cursor));
        const next = encode(page.lastKey);
        return { records: page.records, ...(next ? { cursor: next } : {}) };
      }
      case 'deletedExpenses': {
        // Still held (restorable) for 30 days after their deletion: the copies in their window, newest deletion first.
        const page = await d.deletedExpenses.page(budgetId, DELETED_PAGE, decode(cursor), d.now());
        const next = encode(page.lastKey);
        return { records: page.items.map((c) => deletedView(c.expense, c)), ...(next ? { cursor: next } : {}) };
      }
      case 'deletedIncome': {
        const page = await d.deletedIncome.page(budgetId, DELETED_PAGE, decode(cursor), d.now());
        const next = encode(page.lastKey);
        return { records: page.items.map((c) => deletedView(c.income, c)), ...(next ? { cursor: next } : {}) };
      }
    }
  };
}

/**
 * The calendar feeds `userId` made of the budget, as GET .../calendar-feeds lists them
 * (CalendarFeedsService.list): `{id, createdAt}`, oldest first; never the secret's hash. At most
 * MAX_CALENDAR_FEEDS_PER_MEMBER: one Query, one page.
 */
export async function exportCalendarFeeds(feeds: CalendarFeedsRepository, budgetId: string, userId: string) {
  return { records: (await feeds.list(budgetId, userId)).map((f) => ({ id: f.id, createdAt: f.createdAt })) };
}

/** Comments of the budget read per export page (all authors': the user's are filtered out of them). */
const COMMENTS_PAGE = 500;

/** One page of the comments `userId` wrote in the budget (see ExpensesExportFacade.commentsPage). */
export async function exportComments(comments: CommentsRepository, budgetId: string, userId: string, cursor: string | undefined) {
  const page = await comments.byAuthorPage(budgetId, userId, COMMENTS_PAGE, decode(cursor));
  const next = encode(page.lastKey);
  return { records: page.items, ...(next ? { cursor: next } : {}) };
}
