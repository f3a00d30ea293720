import type { ModuleRuntime, PlatformDeps } from '@budgeting/platform';
import type { UsersFacade } from './contract';
import { usersKeys } from './repository/keys';
import { SessionsRepository } from './repository/sessions.repository';
import { ThrottleRepository } from './repository/throttle.repository';
import { UsersRepository } from './repository/users.repository';
import { ADDRESS_LIMIT, AddressLimit, REFRESH_ADDRESS_LIMIT, type AddressPolicy } from './service/address-limit';
import { AccountService } from './service/account.service';
import { AuthService } from './service/auth.service';
import { createUsersFacade } from './service/facade';
import { LOGIN_THROTTLE, LoginThrottle, type ThrottlePolicy } from './service/login-throttle';
import { PasswordHasher, PRODUCTION_SCRYPT, type ScryptParams } from './service/passwords';
import { SessionService } from './service/sessions.service';

export interface UsersModuleOptions {
  /** scrypt cost; production parameters unless a caller deliberately lowers them. */
  scrypt?: ScryptParams;
  loginThrottle?: ThrottlePolicy;
  addressLimit?: AddressPolicy;
  refreshAddressLimit?: AddressPolicy;
}

/** Wires the users module: repositories on its own ModuleStore, services, routes, facade. */
export function createUsersModule(
  deps: PlatformDeps,
  options: UsersModuleOptions = {},
): { runtime: ModuleRuntime; facade: UsersFacade } {
  const store = deps.storeFor('users');
  const keys = usersKeys(store);
  const users = new UsersRepository(store, keys);
  const throttleRepo = new ThrottleRepository(store, keys);

  const sessions = new SessionService(
    new SessionsRepository(store, keys),
    deps.tokens,
    deps.clock,
    deps.config.refreshTokenTtlSeconds,
    deps.logger,
  );
  const auth = new AuthService(
    store,
    users,
    sessions,
    new PasswordHasher(options.scrypt ?? PRODUCTION_SCRYPT),
    new LoginThrottle(throttleRepo, keys, deps.clock, options.loginThrottle ?? LOGIN_THROTTLE),
    new AddressLimit(throttleRepo, keys, deps.clock, options.addressLimit ?? ADDRESS_LIMIT, 'hashing'),
    new AddressLimit(throttleRepo, keys, deps.clock, options.refreshAddressLimit ?? REFRESH_ADDRESS_LIMIT, 'refresh'),
    deps.clock,
  );
  const account = new AccountService(store, users, sessions, throttleRepo, deps.clock);

  return {
    runtime: { name: 'users', routes: async () => (await import('./routes')).createUsersRouter({ auth, account }, deps.tokens) },
    facade: createUsersFacade(users),
  };
}
