import type { ModuleStore, PlatformDeps } from '@budgeting/platform';
import type { UsersModuleOptions } from '../create-module';
import type { UsersKeys } from '../repository/keys';
import { SessionsRepository } from '../repository/sessions.repository';
import { ThrottleRepository } from '../repository/throttle.repository';
import type { UsersRepository } from '../repository/users.repository';
import { AccountService } from './account.service';
import { ADDRESS_LIMIT, AddressLimit, REFRESH_ADDRESS_LIMIT } from './address-limit';
import { AuthService } from './auth.service';
import { LOGIN_THROTTLE, LoginThrottle } from './login-throttle';
import { PasswordHasher, PRODUCTION_SCRYPT } from './passwords';
import { SessionService } from './sessions.service';

/**
 * The services only the users routes call (sign-up, login, sessions, the account). The module
 * imports this file when its router is first built, so a cold start whose request is not a
 * users route does not load them (issue 11); the facade other modules use needs none of them.
 */
export function createRouteServices(
  deps: PlatformDeps,
  parts: { store: ModuleStore; keys: UsersKeys; users: UsersRepository },
  options: UsersModuleOptions,
): { auth: AuthService; account: AccountService } {
  const { store, keys, users } = parts;
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
  return { auth, account };
}
