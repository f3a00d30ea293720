/** Public entry of the budgets module: the only file other packages may import. */
export type * from './contract';
export { ARCHIVE_PARTICIPANT_MAX_ITEMS, UNCATEGORIZED_KEY } from './contract';
export {
  budgetCreated,
  budgetUpdated,
  budgetDeleted,
  budgetMemberAdded,
  budgetMemberRemoved,
  budgetMemberRoleChanged,
  budgetMemberShareChanged,
  budgetThresholdCrossed,
  budgetOverspendProjected,
  reportGenerated,
  budgetSettlementRecorded,
  budgetSettlementUpdated,
  budgetSettlementDeleted,
  type BudgetCreatedData,
  type BudgetUpdatedData,
  type BudgetDeletedData,
  type BudgetMemberAddedData,
  type BudgetMemberRemovedData,
  type BudgetMemberRoleChangedData,
  type BudgetMemberShareChangedData,
  type BudgetThresholdCrossedData,
  type BudgetOverspendProjectedData,
  type ReportGeneratedData,
  type BudgetSettlementRecordedData,
  type BudgetSettlementUpdatedData,
  type BudgetSettlementDeletedData,
} from './events';
export { budgetArchived, mayEditCategories } from './service/access';
export { periodContaining } from './domain/periods';
export { createBudgetsModule, type BudgetsModulePorts } from './create-module';
