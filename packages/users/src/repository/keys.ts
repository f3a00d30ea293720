import type { Key, ModuleStore } from '@budgeting/platform';

/**
 * Every key of the users module, in one place. Layout (all values carry "users#"):
 *
 * | item                 | pk                          | sk                          | gsi1pk / gsi1sk                          |
 * | -------------------- | --------------------------- | --------------------------- | ---------------------------------------- |
 * | user profile         | users#user#<userId>         | users#profile               |                                          |
 * | session (token family)| users#user#<userId>        | users#session#<familyId>    |                                          |
 * | email uniqueness     | users#email#<normalized>    | users#email                 |                                          |
 * | refresh token        | users#refresh#<sha256>      | users#refresh               | users#user#<userId> / users#refresh#<familyId>#<gen> |
 * | login throttle, email| users#throttle#<emailId>    | users#throttle              |                                          |
 * | login throttle, client| users#throttle#<emailId>   | users#throttle#client#<clientId> |                                       |
 * | known client          | users#throttle#<emailId>   | users#throttle#known#<clientId> |                                        |
 * | attempts per address  | users#address#<addressId>  | users#address#<kind>        | kind: hashing, refresh, reset, reset-confirm |
 * | reset requests, email | users#throttle#<emailId>   | users#throttle#reset        |                                          |
 * | password reset        | users#reset#<resetId>      | users#reset                 |                                          |
 * | personal access token | users#user#<userId>        | users#token#<tokenId>       |                                          |
 * | personal token count  | users#user#<userId>        | users#token-count           |                                          |
 * | data export           | users#user#<userId>        | users#export#<exportId>     |                                          |
 * | data export gate      | users#user#<userId>        | users#export-gate           |                                          |
 * | data export part done | users#user#<userId>        | users#export-part#<exportId>#<part> | (`pages`; TTL as its export)     |
 * | pending email change  | users#user#<userId>        | users#email-change          |                                          |
 * | two-factor (TOTP)     | users#user#<userId>        | users#mfa                   |                                          |
 * | sign-in awaiting code | users#mfa-challenge#<sha256>| users#mfa-challenge        |                                          |
 * | security audit record | users#user#<userId>        | users#audit#<at>#<eventId>  |                                          |
 * | notice mail sent once | users#mail-once#<mailId>   | users#mail-once             | (claimedOnce; TTL 14 days, ids only)     |
 *
 * Sessions live in the user's partition so one strongly consistent query finds them all;
 * refresh tokens are looked up by their hash (the only thing the client presents) and are
 * reachable per user through gsi1 for account deletion. An email's throttle counters share
 * one partition so account deletion finds them all with one query. The throttle's ids are
 * keyed hashes, never an email or an address: repository/throttle-keys.ts makes them and is
 * the only caller of the throttle keys below.
 */
export function usersKeys(store: ModuleStore) {
  const userPk = (userId: string) => store.key('user', userId);
  return {
    userPk,
    profile: (userId: string): Key => ({ pk: userPk(userId), sk: store.key('profile') }),
    /** A notice mail's claim and done mark (jobs/mail-job.ts sentOnce): its own partition, never the account's, so none lands in a deleted account's. */
    mailOnce: (mailId: string): Key => ({ pk: store.key('mail-once', mailId), sk: store.key('mail-once') }),
    session: (userId: string, familyId: string): Key => ({ pk: userPk(userId), sk: store.key('session', familyId) }),
    sessionSkPrefix: store.key('session', ''),
    email: (normalizedEmail: string): Key => ({ pk: store.key('email', normalizedEmail), sk: store.key('email') }),
    refreshToken: (tokenHash: string): Key => ({ pk: store.key('refresh', tokenHash), sk: store.key('refresh') }),
    /** gsi1 sort key of a refresh token: grouped by family, ordered by generation. */
    refreshTokenIndexSk: (familyId: string, generation: number) =>
      store.key('refresh', familyId, String(generation).padStart(6, '0')),
    refreshTokenIndexSkPrefix: store.key('refresh', ''),
    throttlePk: (emailId: string) => store.key('throttle', emailId),
    /** All sign-in attempts for an email (its id: ThrottleKeys), from anywhere. */
    throttle: (emailId: string): Key => ({ pk: store.key('throttle', emailId), sk: store.key('throttle') }),
    /** Sign-in attempts for an email from one client address bucket (see client-bucket.ts; its id: ThrottleKeys). */
    throttleClient: (emailId: string, clientId: string): Key => ({
      pk: store.key('throttle', emailId),
      sk: store.key('throttle', 'client', clientId),
    }),
    /** A client bucket that signed in to the account of this email (exempt from the email-wide cap). */
    knownClient: (emailId: string, clientId: string): Key => ({
      pk: store.key('throttle', emailId),
      sk: store.key('throttle', 'known', clientId),
    }),
    /** Requests of one kind (see AddressLimitKind) from one client bucket (its id: ThrottleKeys), any account. */
    throttleAddress: (addressId: string, kind: 'hashing' | 'refresh' | 'reset' | 'reset-confirm'): Key => ({
      pk: store.key('address', addressId),
      sk: store.key('address', kind),
    }),
    /** Password-reset requests for an email (any client); in the email's throttle partition, so account deletion removes it. */
    throttleReset: (emailId: string): Key => ({ pk: store.key('throttle', emailId), sk: store.key('throttle', 'reset') }),
    /** A personal access token: in its owner's partition, read by the ids the token carries. */
    personalToken: (userId: string, tokenId: string): Key => ({ pk: userPk(userId), sk: store.key('token', tokenId) }),
    personalTokenSkPrefix: store.key('token', ''),
    /** How many personal access tokens the user has (moves in each create's and revoke's transaction: the cap). */
    personalTokenCount: (userId: string): Key => ({ pk: userPk(userId), sk: store.key('token-count') }),
    /** A data export (GDPR Art. 20): in its owner's partition, listed newest first (ULID ids). */
    dataExport: (userId: string, exportId: string): Key => ({ pk: userPk(userId), sk: store.key('export', exportId) }),
    dataExportSkPrefix: store.key('export', ''),
    /**
     * A finished part of a data export and its number of page objects: an item of its own, so the
     * export's record does not grow with the budgets (one part each, and the budgets joined have no cap).
     */
    dataExportPart: (userId: string, exportId: string, part: string): Key => ({ pk: userPk(userId), sk: store.key('export-part', exportId, part) }),
    /** The finished parts of one export (account deletion's sweep finds them under `users#export`: accountLeftoverSkPrefixes). */
    dataExportPartSkPrefix: (exportId: string): string => store.key('export-part', exportId, ''),
    /** The user's export in progress and the day's count (domain/data-export.ts admitExport). */
    dataExportGate: (userId: string): Key => ({ pk: userPk(userId), sk: store.key('export-gate') }),
    /**
     * What DELETE /v1/me deletes after its transaction (AccountService.delete), by sort-key
     * prefix in the user's partition: the personal access tokens with their count
     * (`users#token`), the data exports with their gate (`users#export`; the prefix also takes the
     * exports' finished parts, `users#export-part`, which only this unit deletes). The sessions cleanup's
     * unit sweeps them too (SessionsRepository.deletionSlice), for a request that died in between.
     */
    accountLeftoverSkPrefixes: [store.key('token'), store.key('export')] as const,
    /** The user's pending email change (one per user: a new request replaces it). */
    emailChange: (userId: string): Key => ({ pk: userPk(userId), sk: store.key('email-change') }),
    /** The account's TOTP enrolment and recovery codes (two-factor sign-in; see mfa.repository.ts). */
    mfa: (userId: string): Key => ({ pk: userPk(userId), sk: store.key('mfa') }),
    /** A support action on the account (a two-factor reset, a suspension, its lift): durable, ordered by time (`at` is ISO-8601 UTC, so its text sorts as time). */
    audit: (userId: string, at: string, eventId: string): Key => ({ pk: userPk(userId), sk: store.key('audit', at, eventId) }),
    auditSkPrefix: store.key('audit', ''),
    /** A sign-in whose password was right, awaiting its second factor: looked up by the SHA-256 of its mfaToken. */
    mfaChallenge: (tokenHash: string): Key => ({ pk: store.key('mfa-challenge', tokenHash), sk: store.key('mfa-challenge') }),
    /** A password reset (forgot password): looked up by the id its token carries. */
    reset: (resetId: string): Key => ({ pk: store.key('reset', resetId), sk: store.key('reset') }),
  };
}

export type UsersKeys = ReturnType<typeof usersKeys>;
