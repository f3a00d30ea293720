import { lazyJob, loadOnce, newId, queuedUnitPut, type EmailSender, type Logger, type ModuleRuntime, type ModuleStore, type ObjectStorage, type OperatorOperation, type PlatformDeps } from '@budgeting/platform';
import type { ExportSourcesPort, UsersFacade } from './contract';
import { DATA_EXPORT_JOB, EMAIL_CHANGE_MAIL_JOB, EXPORTS_CLEANUP_JOB, MFA_RESEAL_JOB, MFA_RESET_NOTICE_MAIL_JOB, MFA_RESET_OPERATION, PASSWORD_RESET_MAIL_JOB, SECURITY_NOTICE_MAIL_JOB, SESSIONS_CLEANUP_JOB, SHOW_OPERATION, SIGN_IN_ALERT_MAIL_JOB, SUSPEND_OPERATION, UNSUSPEND_OPERATION } from './jobs/names';
import type { MailJobParts } from './jobs/mail-job';
import { usersKeys, type UsersKeys } from './repository/keys';
import { UsersRepository } from './repository/users.repository';
import type { AddressPolicy } from './service/address-limit';
import { createUsersFacade } from './service/facade';
import type { ThrottlePolicy } from './service/login-throttle';
import type { ScryptParams } from './service/passwords';
import { emailChangedNotice } from './subscriptions/email-changed-notice';
import { mfaResetNotice } from './subscriptions/mfa-reset-notice';
import { signInAlert } from './subscriptions/sign-in-alert';

export interface UsersModuleOptions {
  /** scrypt cost; production parameters unless a caller deliberately lowers them. */
  scrypt?: ScryptParams;
  loginThrottle?: ThrottlePolicy;
  addressLimit?: AddressPolicy;
  refreshAddressLimit?: AddressPolicy;
  /** Password-reset requests per client address, per email, and confirmations per client address. */
  resetAddressLimit?: AddressPolicy;
  resetEmailLimit?: AddressPolicy;
  resetConfirmAddressLimit?: AddressPolicy;
}

export interface UsersModulePorts {
  /** How the password-reset mail leaves (the app's sender: SES, a folder locally, a recorder in tests). */
  mail: EmailSender;
  /** Where data exports are written (the app's object storage: S3, or the local stand-in). */
  storage: ObjectStorage;
  /** The other modules' data for an export (the app wires their export facades). */
  exportSources: ExportSourcesPort;
}

/**
 * Wires the users module: repositories on its own ModuleStore, the facade, the routes,
 * whose services (auth, sessions, account) are loaded and built with the router on the first
 * users request (service/route-services.ts), the mail and export jobs, each loaded on its
 * first unit, and the subscriber that mails an email change's notice to the old address.
 */
export function createUsersModule(
  deps: PlatformDeps,
  ports: UsersModulePorts,
  options: UsersModuleOptions = {},
): { runtime: ModuleRuntime; facade: UsersFacade } {
  const store = deps.storeFor('users');
  const keys = usersKeys(store);
  const users = new UsersRepository(store, keys);
  // The facade resolves personal access tokens for every module's requireAuth (the routes
  // manage them): loaded on the first `bgt_` bearer, so a session's cold request does not
  // load their code (tests/lambda/cold-http-imports.test.ts).
  const personalTokenAuth = loadOnce(async () => {
    const [{ PersonalTokensRepository }, { PersonalTokenAuth }, { MAX_PERSONAL_TOKENS }] = await Promise.all([
      import('./repository/personal-tokens.repository'),
      import('./service/personal-token-auth'),
      import('./service/personal-tokens.service'),
    ]);
    return new PersonalTokenAuth(new PersonalTokensRepository(store, keys, MAX_PERSONAL_TOKENS), deps.clock, deps.logger);
  });

  return {
    runtime: {
      name: 'users',
      routes: async () => {
        const [{ createUsersRouter }, { createRouteServices }] = await Promise.all([import('./routes'), import('./service/route-services')]);
        return createUsersRouter(createRouteServices(deps, { store, keys, users, storage: ports.storage }, options), deps.tokens, deps.idempotent);
      },
      // The notice to the old address after an email change, and the notice of a support reset
      // of two-factor sign-in, and the mail of a sign-in from a new place, each from its own event.
      subscriptions: [
        emailChangedNotice({ store, clock: deps.clock, work: deps.work }),
        mfaResetNotice({ store, clock: deps.clock, work: deps.work }),
        signInAlert({ store, clock: deps.clock, work: deps.work }),
      ],
      // The password-reset mail: one unit per request, worked in its own invocation.
      jobs: [
        lazyJob({ name: PASSWORD_RESET_MAIL_JOB }, async () => {
          const { passwordResetMailJob } = await import('./jobs/password-reset-mail-job');
          return passwordResetMailJob(deps, { store, keys, users, clock: deps.clock }, ports.mail);
        }),
        // The email change's mails: the code to the new address, the notice to the old one.
        lazyJob({ name: EMAIL_CHANGE_MAIL_JOB }, async () => {
          const { emailChangeMailJob } = await import('./jobs/email-change-mail-job');
          return emailChangeMailJob(deps, { store, keys, users, clock: deps.clock }, ports.mail);
        }),
        // The support reset's notice and the new-place sign-in mail, each to the account's address.
        ...accountNoticeJobs({ store, keys, users, clock: deps.clock }, ports.mail),
        // The data export (GDPR Art. 20): its account, planner, per-budget and assembly units.
        dataExportJobOf(deps, ports, { store, keys, users }),
        // Account deletion's removal of the account's export objects (queued by DELETE /v1/me).
        lazyJob({ name: EXPORTS_CLEANUP_JOB }, async () => (await import('./jobs/data-export-parts')).exportsCleanupJob({ storage: ports.storage, work: deps.work })),
        // A password change's marks on the earlier sessions, and account deletion's removal of
        // the sessions (queued by POST /v1/me/password, the reset's confirmation, DELETE /v1/me).
        sessionsCleanup(store, keys),
        // The operator job that reseals stale TOTP seals under the current MFA_SECRETS_KEY (a rotation's end).
        mfaResealJob(deps, store, keys),
      ],
      // Support turning two-factor sign-in off for a user who lost every factor, suspending
      // an account and lifting that, and looking an account up (by hand only).
      operations: [mfaResetOperation(deps, { store, keys, users }), ...suspensionOperations(deps, { store, keys, users }), showOperation(deps, { store, keys, users })],
    },
    facade: createUsersFacade(
      users,
      personalTokenAuth,
      { publicApiUrl: deps.config.publicApiUrl, signingKey: deps.config.tokenSigningKey },
      // Another module's credential's security notice: a unit of this module's mail job in that module's transaction.
      (job, unit, tick) => store.ownerPut(queuedUnitPut(store, job, unit, tick, newId(deps.clock.now().getTime())).Put),
    ),
  };
}

/** The mails to the account's own address that its events and changes queue, each loaded on its first unit. */
function accountNoticeJobs(parts: MailJobParts, mail: EmailSender) {
  return [
    // The notice of a support reset of two-factor sign-in.
    lazyJob({ name: MFA_RESET_NOTICE_MAIL_JOB }, async () => (await import('./jobs/mfa-reset-notice-mail-job')).mfaResetNoticeMailJob(parts, mail)),
    // "New sign-in to your account" (docs/sign-in-alerts.md "Sign-in alerts").
    lazyJob({ name: SIGN_IN_ALERT_MAIL_JOB }, async () => (await import('./jobs/sign-in-alert-mail-job')).signInAlertMailJob(parts, mail)),
    // "Your password was changed", "two-factor sign-in was turned off", ... (docs/security-notices.md).
    lazyJob({ name: SECURITY_NOTICE_MAIL_JOB }, async () => (await import('./jobs/security-notice-mail-job')).securityNoticeMailJob(parts, mail)),
  ];
}

/** The job `users-sessions-cleanup` (jobs/sessions-cleanup-job.ts), its code loaded on its first unit. */
function sessionsCleanup(store: ModuleStore, keys: UsersKeys) {
  return lazyJob({ name: SESSIONS_CLEANUP_JOB }, async () => {
    const [{ sessionsCleanupJob }, { SessionsRepository }] = await Promise.all([import('./jobs/sessions-cleanup-job'), import('./repository/sessions.repository')]);
    return sessionsCleanupJob({ store, sessions: new SessionsRepository(store, keys) });
  });
}

/** The operator job `users-mfa-reseal` (jobs/mfa-reseal-job.ts), its code loaded on its first use. */
function mfaResealJob(deps: PlatformDeps, store: ModuleStore, keys: UsersKeys) {
  return lazyJob({ name: MFA_RESEAL_JOB, planned: true }, async () => {
    const [job, { MfaSeals }, { TotpSecretSealer }] = await Promise.all([import('./jobs/mfa-reseal-job'), import('./repository/mfa-seals'), import('./domain/totp-secret-sealer')]);
    const { config } = deps;
    return job.mfaResealJob({ seals: new MfaSeals(store, keys), sealer: new TotpSecretSealer(config.mfaSecretsKey, config.webhookSecretsKey, config.mfaSecretsKeyPrevious) });
  });
}

/** The operator operation `users-mfa-reset` (service/mfa-operator-reset.ts), its code loaded when it runs. */
function mfaResetOperation(deps: PlatformDeps, parts: { store: ModuleStore; keys: UsersKeys; users: UsersRepository }): OperatorOperation {
  return {
    name: MFA_RESET_OPERATION,
    options: { email: "the account's email address", reason: 'why: the support ticket (required)' },
    run: async (args, ctx) => {
      const [{ MfaOperatorReset }, { MfaRepository }, { SessionsRepository }] = await Promise.all([
        import('./service/mfa-operator-reset'),
        import('./repository/mfa.repository'),
        import('./repository/sessions.repository'),
      ]);
      const reset = new MfaOperatorReset({
        ...parts,
        mfa: new MfaRepository(parts.store, parts.keys),
        sessions: new SessionsRepository(parts.store, parts.keys),
        clock: deps.clock,
        logger: ctx.logger,
      });
      const result = await reset.reset({ email: args.email ?? '', reason: args.reason ?? '', operator: args.operator ?? '' });
      return { ok: true, summary: { operation: MFA_RESET_OPERATION, ...result } };
    },
  };
}

/** The operator operations `users-suspend` and `users-unsuspend` (service/account-suspension.ts), their code loaded when one runs. */
function suspensionOperations(deps: PlatformDeps, parts: { store: ModuleStore; keys: UsersKeys; users: UsersRepository }): OperatorOperation[] {
  const options = { email: "the account's email address", reason: 'why: the support ticket (required; internal, never shown to the user)' };
  const suspension = async (logger: Logger) => {
    const [{ AccountSuspension }, { SessionsRepository }] = await Promise.all([import('./service/account-suspension'), import('./repository/sessions.repository')]);
    return new AccountSuspension({ keys: parts.keys, users: parts.users, sessions: new SessionsRepository(parts.store, parts.keys), clock: deps.clock, logger });
  };
  return [
    {
      name: SUSPEND_OPERATION,
      options,
      run: async (args, ctx) => ({ ok: true, summary: { operation: SUSPEND_OPERATION, ...(await (await suspension(ctx.logger)).suspend(args)) } }),
    },
    {
      name: UNSUSPEND_OPERATION,
      options,
      run: async (args, ctx) => ({ ok: true, summary: { operation: UNSUSPEND_OPERATION, ...(await (await suspension(ctx.logger)).unsuspend(args)) } }),
    },
  ];
}

/** The data export's job (its account, planner, per-budget and assembly units), its code loaded on its first unit. */
function dataExportJobOf(deps: PlatformDeps, ports: UsersModulePorts, parts: { store: ModuleStore; keys: UsersKeys; users: UsersRepository }) {
  const { store, keys, users } = parts;
  return lazyJob({ name: DATA_EXPORT_JOB }, async () => {
    const p = await import('./jobs/data-export-parts');
    return p.dataExportJob(
      new p.DataExportWork({
        exports: new p.DataExportsRepository(store, keys),
        users,
        sessions: new p.SessionsRepository(store, keys),
        personalTokens: new p.PersonalTokensRepository(store, keys, p.MAX_PERSONAL_TOKENS),
        mfa: new p.MfaRepository(store, keys),
        sources: ports.exportSources,
        storage: ports.storage,
        work: deps.work,
        mail: ports.mail,
        mailOnce: (mailId, send) => p.sentOnce({ store, keys, users, clock: deps.clock }, DATA_EXPORT_JOB, mailId, send),
        clock: deps.clock,
      }),
    );
  });
}

/** The read-only operator operation `users-show` (service/account-lookup.ts), its code loaded when it runs. */
function showOperation(deps: PlatformDeps, parts: { store: ModuleStore; keys: UsersKeys; users: UsersRepository }): OperatorOperation {
  return {
    name: SHOW_OPERATION,
    options: { email: "the account's email address" },
    run: async (args, ctx) => {
      const [{ AccountLookup }, { SessionsRepository }, { PersonalTokensRepository }, { MAX_PERSONAL_TOKENS }, { AuditRecordsRepository }] = await Promise.all([
        import('./service/account-lookup'),
        import('./repository/sessions.repository'),
        import('./repository/personal-tokens.repository'),
        import('./service/personal-tokens.service'),
        import('./repository/audit-records.repository'),
      ]);
      const lookup = new AccountLookup({
        users: parts.users,
        sessions: new SessionsRepository(parts.store, parts.keys),
        personalTokens: new PersonalTokensRepository(parts.store, parts.keys, MAX_PERSONAL_TOKENS),
        audit: new AuditRecordsRepository(parts.store, parts.keys),
        clock: deps.clock,
        logger: ctx.logger,
      });
      return { ok: true, summary: { operation: SHOW_OPERATION, ...(await lookup.show({ email: args.email, operator: args.operator })) } };
    },
  };
}
