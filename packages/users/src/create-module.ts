import type { ModuleRuntime, PlatformDeps } from '@budgeting/platform';
import type { UsersFacade } from './contract';
import { usersKeys } from './repository/keys';
import { UsersRepository } from './repository/users.repository';
import type { AddressPolicy } from './service/address-limit';
import { createUsersFacade } from './service/facade';
import type { ThrottlePolicy } from './service/login-throttle';
import type { ScryptParams } from './service/passwords';

export interface UsersModuleOptions {
  /** scrypt cost; production parameters unless a caller deliberately lowers them. */
  scrypt?: ScryptParams;
  loginThrottle?: ThrottlePolicy;
  addressLimit?: AddressPolicy;
  refreshAddressLimit?: AddressPolicy;
}

/**
 * Wires the users module: repositories on its own ModuleStore, the facade, and the routes,
 * whose services (auth, sessions, account) are loaded and built with the router on the first
 * users request (service/route-services.ts).
 */
export function createUsersModule(
  deps: PlatformDeps,
  options: UsersModuleOptions = {},
): { runtime: ModuleRuntime; facade: UsersFacade } {
  const store = deps.storeFor('users');
  const keys = usersKeys(store);
  const users = new UsersRepository(store, keys);

  return {
    runtime: {
      name: 'users',
      routes: async () => {
        const [{ createUsersRouter }, { createRouteServices }] = await Promise.all([import('./routes'), import('./service/route-services')]);
        return createUsersRouter(createRouteServices(deps, { store, keys, users }, options), deps.tokens);
      },
    },
    facade: createUsersFacade(users),
  };
}
