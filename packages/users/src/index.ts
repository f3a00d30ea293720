/** Public entry of the users module: the only file other packages may import. */
import { createRouter, type ModuleRuntime, type PlatformDeps } from '@budgeting/platform';

export interface UserSummary {
  id: string;
  email: string;
  name: string | null;
}

export interface UsersFacade {
  /** Finds a user by email (case-insensitive), e.g. to add them as a budget member. */
  findByEmail(email: string): Promise<UserSummary | null>;
  getById(userId: string): Promise<UserSummary | null>;
}

export function createUsersModule(_deps: PlatformDeps): { runtime: ModuleRuntime; facade: UsersFacade } {
  return {
    runtime: { name: 'users', routes: createRouter() },
    facade: { findByEmail: async () => null, getById: async () => null },
  };
}
