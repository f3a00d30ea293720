/** Public entry of the expenses module: the only file other packages may import. */
import { createRouter, type ModuleRuntime, type PlatformDeps } from '@budgeting/platform';

export function createExpensesModule(_deps: PlatformDeps): { runtime: ModuleRuntime } {
  return { runtime: { name: 'expenses', routes: createRouter() } };
}
