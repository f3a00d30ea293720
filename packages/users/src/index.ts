/** Public entry of the users module: the only file other packages may import. */
import { createRouter, type ModuleRuntime, type PlatformDeps } from '@budgeting/platform';

export function createUsersModule(_deps: PlatformDeps): { runtime: ModuleRuntime } {
  return { runtime: { name: 'users', routes: createRouter() } };
}
