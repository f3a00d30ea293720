/** What the users module's data export reads of a budget's expenses (wired by the app into its export port). */
export type ExpensesExportSection = 'expenses' | 'recurring' | 'rules';

export interface ExpensesExportFacade {
  /**
   * One page of a section of the budget's data (the caller checked the user's access); `cursor`
   * opaque, from the previous page, absent after the last. Every expense is on exactly one page.
   */
  page(section: ExpensesExportSection, budgetId: string, cursor: string | undefined): Promise<{ records: unknown[]; cursor?: string }>;
}
