/**
 * Second public entry, `@budgeting/budgets/schemas`: the budgets API schemas other
 * modules' route schemas embed (expenses' sync answer carries the Budget resource). Apart from
 * the main entry, which start-up code imports, so that zod and its OpenAPI extension stay off
 * the cold start (issue 11).
 */
export { BudgetSchema } from './budgets.schemas';
export { installmentFields, installmentPlanFields } from './installment.schemas';
