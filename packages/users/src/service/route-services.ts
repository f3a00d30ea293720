import { newId, queuedUnitPut, type AnswerSealer, type ModuleStore, type ObjectStorage, type PlatformDeps } from '@budgeting/platform';
import type { UsersModuleOptions } from '../create-module';
import type { UsersKeys } from '../repository/keys';
import { ResetsRepository } from '../repository/resets.repository';
import { SessionsRepository } from '../repository/sessions.repository';
import { ThrottleKeys } from '../repository/throttle-keys';
import { ThrottleRepository } from '../repository/throttle.repository';
import { PersonalTokensRepository } from '../repository/personal-tokens.repository';
import type { UsersRepository } from '../repository/users.repository';
import { AccountService } from './account.service';
import { DataExportsRepository } from '../repository/data-exports.repository';
import { EmailChangesRepository } from '../repository/email-changes.repository';
import { EMAIL_CHANGE_TOKEN_LABEL, EmailChangeService } from './email-change.service';
import { DataExportService } from './data-export.service';
import { ADDRESS_LIMIT, AddressLimit, REFRESH_ADDRESS_LIMIT, RESET_ADDRESS_LIMIT, RESET_CONFIRM_ADDRESS_LIMIT } from './address-limit';
import { AuthService } from './auth.service';
import { PasswordPolicy } from './common-passwords';
import { LOGIN_THROTTLE, LoginThrottle } from './login-throttle';
import { createMfaServices } from './mfa-services';
import type { MfaSettingsService } from './mfa-settings.service';
import type { MfaSignIn } from './mfa-sign-in.service';
import { MySessionsService } from './my-sessions.service';
import { PasswordChangeService } from './password-change.service';
import { PasswordResetService, RESET_EMAIL_LIMIT } from './password-reset.service';
import { MAX_PERSONAL_TOKENS, PersonalTokensService } from './personal-tokens.service';
import { labelledSealer, personalTokenAnswerSealer } from './token-answer-sealer';
import { RESET_UNIT_SEAL_LABEL } from '../jobs/names';
import { PasswordHasher, PRODUCTION_SCRYPT } from './passwords';
import { ResetTokens } from './reset-tokens';
import { sessionsEndedEvent, type SessionsEndedEvent } from './sessions-ended-event';
import { SessionEnding } from './session-ending';
import { SessionService } from './sessions.service';
import { SignInPlaces } from './sign-in-places';
import { UnsubscribeService } from './unsubscribe.service';

/** What the users routes call. */
export interface RouteServices {
  auth: AuthService;
  account: AccountService;
  passwordChange: PasswordChangeService;
  /** POST /v1/me/email and .../confirm. */
  emailChange: EmailChangeService;
  mySessions: MySessionsService;
  passwordReset: PasswordResetService;
  personalTokens: PersonalTokensService;
  /** POST /v1/me/export, GET /v1/me/exports[/{exportId}]. */
  dataExports: DataExportService;
  /** Seals the stored Idempotency-Key answers of POST /v1/me/tokens (they carry the secret). */
  personalTokenAnswers: AnswerSealer;
  /** /v1/me/mfa (two-factor settings) and POST /v1/auth/login/mfa. */
  mfaSettings: MfaSettingsService;
  mfaSignIn: MfaSignIn;
  /** POST /v1/unsubscribe/{token}: an optional mail's one-click unsubscribe. */
  unsubscribe: UnsubscribeService;
}

/**
 * The services only the users routes call (sign-up, login, sessions, the account, password
 * change, the session list, password reset). The module imports this file when its router is first built, so
 * a cold start whose request is not a users route does not load them (issue 11); the facade
 * other modules use needs none of them.
 */
export function createRouteServices(
  deps: PlatformDeps,
  parts: { store: ModuleStore; keys: UsersKeys; users: UsersRepository; storage: ObjectStorage },
  options: UsersModuleOptions,
): RouteServices {
  const { store, keys, users } = parts;
  const personalTokens = new PersonalTokensRepository(store, keys, MAX_PERSONAL_TOKENS);
  // The throttle's keys hold keyed hashes of the email and the client's address, never either.
  const throttleKeys = new ThrottleKeys(keys, deps.config.tokenSigningKey, deps.config.tokenSigningKeyPrevious);
  const throttleRepo = new ThrottleRepository(store, throttleKeys);
  const sessionsRepo = new SessionsRepository(store, keys);
  // A job unit as an item of a request's transaction under the module's own prefix; the table stream's relay queues it.
  const queueUnit = (job: string, unit: unknown, tick: Date) => queuedUnitPut(store, job, unit, tick, newId(deps.clock.now().getTime()));
  // user.sessions_ended, written by every ending of sessions in its own transaction.
  const sessionsEnded = sessionsEndedEvent(store, deps.clock);
  const ending = new SessionEnding(users, sessionsRepo, deps.clock, deps.tokens.ttlSeconds, deps.logger, queueUnit, sessionsEnded);
  const sessions = new SessionService(sessionsRepo, deps.tokens, deps.clock, deps.config.refreshTokenTtlSeconds, deps.logger, ending, deps.config.sessionMaxLifetimeSeconds);
  // One hasher, throttle and hashing cost guard for sign-in and password change alike: a
  // wrong current password counts exactly like a wrong sign-in password.
  const passwords = new PasswordHasher(options.scrypt ?? PRODUCTION_SCRYPT);
  const loginThrottle = new LoginThrottle(throttleRepo, throttleKeys, deps.clock, options.loginThrottle ?? LOGIN_THROTTLE);
  const hashingLimit = new AddressLimit(throttleRepo, throttleKeys, deps.clock, options.addressLimit ?? ADDRESS_LIMIT, 'hashing');
  // Sign-in alerts: the known places' hashes are keyed with a key derived from the signing key;
  // during a rotation a place stored under the previous one's is still known (and re-keyed).
  const places = new SignInPlaces(store, deps.clock, deps.config.tokenSigningKey, deps.config.tokenSigningKeyPrevious);
  // Signup, password change and reset confirmation refuse common and guessable new passwords;
  // the list is imported on the first check (service/common-passwords.ts), not with the router.
  const policy = new PasswordPolicy();
  const mfa = createMfaServices({ store, keys, users, sessions, places, passwords, throttle: loginThrottle, addressLimit: hashingLimit, clock: deps.clock, queueUnit, mfaSecretsKey: deps.config.mfaSecretsKey, previousMfaSecretsKey: deps.config.mfaSecretsKeyPrevious, legacySecretsKey: deps.config.webhookSecretsKey });
  const auth = new AuthService(
    store,
    users,
    sessions,
    passwords,
    loginThrottle,
    hashingLimit,
    new AddressLimit(throttleRepo, throttleKeys, deps.clock, options.refreshAddressLimit ?? REFRESH_ADDRESS_LIMIT, 'refresh'),
    deps.clock,
    mfa.signIn,
    places,
    policy,
  );
  const dataExports = new DataExportsRepository(store, keys);
  const emailChanges = new EmailChangesRepository(store, keys);
  const account = new AccountService(store, users, queueUnit, throttleRepo, personalTokens, deps.clock, dataExports, emailChanges, deps.logger);
  const passwordChange = new PasswordChangeService(users, sessions, passwords, loginThrottle, hashingLimit, deps.clock, mfa.stepUp, places, policy, queueUnit, sessionsEnded);
  const mySessions = new MySessionsService(users, sessionsRepo, deps.cursors, deps.clock, ending);
  const passwordReset = createPasswordReset(deps, options, { store, keys, users, sessions, passwords, throttleRepo, throttleKeys, loginThrottle, mfa: mfa.signIn, places, policy, sessionsEnded });
  // The password is checked with the same hasher, throttle and cost guard as the password change's.
  const emailChange = new EmailChangeService({
    store,
    users,
    changes: emailChanges,
    passwords,
    loginThrottle,
    hashingLimit,
    throttle: throttleRepo,
    tokens: new ResetTokens(deps.config.tokenSigningKey, deps.config.tokenSigningKeyPrevious, EMAIL_CHANGE_TOKEN_LABEL),
    queueUnit,
    clock: deps.clock,
    logger: deps.logger,
    stepUp: mfa.stepUp,
  });
  return {
    auth,
    account,
    passwordChange,
    emailChange,
    mySessions,
    passwordReset,
    personalTokens: new PersonalTokensService(users, personalTokens, deps.clock, mfa.stepUp, loginThrottle, queueUnit),
    dataExports: new DataExportService({ exports: dataExports, storage: parts.storage, queueUnit, accountCheck: (userId) => users.accountCheck(userId), clock: deps.clock }),
    personalTokenAnswers: personalTokenAnswerSealer(deps.config.tokenSigningKey, deps.config.tokenSigningKeyPrevious),
    mfaSettings: mfa.settings,
    mfaSignIn: mfa.signIn,
    unsubscribe: new UnsubscribeService({ account, signingKeys: [deps.config.tokenSigningKey, deps.config.tokenSigningKeyPrevious] }),
  };
}

/** Forgot password: its own address limits and the mailed-code tokens, the sign-in's hasher, throttle and sessions. */
function createPasswordReset(
  deps: PlatformDeps,
  options: UsersModuleOptions,
  shared: {
    store: ModuleStore;
    keys: UsersKeys;
    users: UsersRepository;
    sessions: SessionService;
    passwords: PasswordHasher;
    throttleRepo: ThrottleRepository;
    throttleKeys: ThrottleKeys;
    loginThrottle: LoginThrottle;
    mfa: MfaSignIn;
    places: SignInPlaces;
    policy: PasswordPolicy;
    sessionsEnded: SessionsEndedEvent;
  },
): PasswordResetService {
  const { store, keys, users, sessions, passwords, throttleRepo, throttleKeys, loginThrottle, mfa, places, policy, sessionsEnded } = shared;
  const resetUnitSealer = labelledSealer(RESET_UNIT_SEAL_LABEL, 'reset unit address', deps.config.tokenSigningKey);
  return new PasswordResetService({
    users,
    sessionsEnded,
    resets: new ResetsRepository(store, keys),
    sessions,
    passwords,
    tokens: new ResetTokens(deps.config.tokenSigningKey, deps.config.tokenSigningKeyPrevious),
    throttle: throttleRepo,
    loginThrottle,
    throttleKeys,
    requestLimit: new AddressLimit(throttleRepo, throttleKeys, deps.clock, options.resetAddressLimit ?? RESET_ADDRESS_LIMIT, 'reset'),
    confirmLimit: new AddressLimit(throttleRepo, throttleKeys, deps.clock, options.resetConfirmAddressLimit ?? RESET_CONFIRM_ADDRESS_LIMIT, 'reset-confirm'),
    emailLimit: options.resetEmailLimit ?? RESET_EMAIL_LIMIT,
    // The mail's unit goes into the request's transaction under the module's own prefix; the stream relay queues it.
    queueUnit: (job, unit, tick) => queuedUnitPut(store, job, unit, tick, newId(deps.clock.now().getTime())),
    sealEmail: (email, resetId) => resetUnitSealer.seal(email, resetId),
    clock: deps.clock,
    logger: deps.logger,
    mfa,
    places,
    policy,
  });
}
