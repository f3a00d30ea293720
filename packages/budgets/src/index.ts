/** Public entry of the budgets module: the only file other packages may import. */
import { createRouter, type ModuleRuntime, type PlatformDeps } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { BudgetsFacade, SpendingPort } from './contract';

export type * from './contract';

export interface BudgetsModulePorts {
  spending: SpendingPort;
  users: UsersFacade;
}

export function createBudgetsModule(
  _deps: PlatformDeps,
  _ports: BudgetsModulePorts,
): { runtime: ModuleRuntime; facade: BudgetsFacade } {
  return {
    runtime: { name: 'budgets', routes: createRouter() },
    facade: { getAccess: async () => null },
  };
}
