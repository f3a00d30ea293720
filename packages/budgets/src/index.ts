/** Public entry of the budgets module: the only file other packages may import. */
import { createRouter, type ModuleRuntime, type PlatformDeps } from '@budgeting/platform';

export function createBudgetsModule(_deps: PlatformDeps): { runtime: ModuleRuntime } {
  return { runtime: { name: 'budgets', routes: createRouter() } };
}
