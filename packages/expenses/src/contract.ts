/** What the users module's data export reads of a budget's expenses (wired by the app into its export port). */
export type ExpensesExportSection = 'expenses' | 'recurring' | 'rules' | 'importProfiles' | 'income' | 'recurringIncome' | 'attachments' | 'deletedExpenses' | 'deletedIncome';

export interface ExpensesExportFacade {
  /**
   * One page of a section of the budget's data (the caller checked the user's access); `cursor`
   * opaque, from the previous page, absent after the last. Every expense is on exactly one page.
   */
  page(section: ExpensesExportSection, budgetId: string, cursor: string | undefined): Promise<{ records: unknown[]; cursor?: string }>;
  /**
   * One page of the comments `userId` wrote in the budget (on any expense), in expense then
   * comment order: their own words, exported whatever their role.
   */
  commentsPage(budgetId: string, userId: string, cursor: string | undefined): Promise<{ records: unknown[]; cursor?: string }>;
  /**
   * The calendar feeds `userId` made of the budget, as GET .../calendar-feeds lists them
   * (`{id, createdAt}`: never the URL, which is the credential, nor its secret's hash): theirs,
   * whatever their role. One page (at most 5 per member and budget).
   */
  calendarFeedsPage(budgetId: string, userId: string): Promise<{ records: unknown[] }>;
}
