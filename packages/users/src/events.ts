import { defineEvent } from '@budgeting/platform';
import type { z } from 'zod';

/**
 * The users module's event contracts. Each is written to the outbox in the same
 * transaction as the change they announce, so they exist exactly when that change committed.
 */

/** The payload schemas, imported (with zod) on the first use of one of the contracts below. */
const schemas = () => import('./schemas/events.schemas');
export const userRegistered = defineEvent('users', 'user.registered', 1, async () => (await schemas()).userRegistered());

/** Subscribers remove what belongs to the user (memberships, budgets they alone own). */
export const userDeleted = defineEvent('users', 'user.deleted', 1, async () => (await schemas()).userDeleted());

/**
 * The account's email changed (POST /v1/me/email/confirm). `previousEmail` and `email` are the
 * addresses the account left and took in this change, for the users module's own notice to
 * the old address (subscriptions/email-changed-notice.ts): once the change committed, nothing
 * else remembers the old one, and the event, written in the same transaction, is what makes
 * the notice survive a refusing queue (`locale`, the profile's then, is that notice's language).
 * Subscribers that keep an address read the current one
 * through the facade instead, so a late or redelivered event never writes an address that is
 * no longer the account's. The addresses are personal data: the event goes to internal
 * subscribers only, never to a webhook (webhooks-on-users takes user.deleted alone; keep it so).
 */
export const userEmailChanged = defineEvent('users', 'user.email_changed', 1, async () => (await schemas()).userEmailChanged());

/**
 * The account's display name was set (PATCH /v1/me with `name`). Only the id, as for
 * user.email_changed: subscribers read the current name through the facade.
 */
export const userNameChanged = defineEvent('users', 'user.name_changed', 1, async () => (await schemas()).userNameChanged());

/**
 * A data export finished: marked succeeded or failed, in the same write as this event, so it
 * exists exactly once per export that finished. Subscribers tell the user in the app (the
 * users module mails them itself); the download URL is minted on GET /v1/me/exports/{exportId}.
 */
export const userDataExportFinished = defineEvent('users', 'user.data_export_finished', 1, async () => (await schemas()).userDataExportFinished());

/**
 * Support turned the account's two-factor sign-in off (the operator operation
 * `users-mfa-reset`, for a user who lost the authenticator and the recovery codes), in the
 * same transaction as the change; every session and personal access token ended with it.
 * Published by the account's durable audit item itself (its `users#audit#...` record), so the
 * event exists exactly when the reset committed. `operator` and `reason` say who and why;
 * `noticeWithheld: 'account-suspended'` that the owner is not mailed (the account is suspended).
 */
export const userMfaResetByOperator = defineEvent('users', 'user.mfa_reset_by_operator', 1, async () => (await schemas()).userMfaResetByOperator());

/**
 * Support suspended the account (the operator operation `users-suspend`: abuse, fraud, a stolen
 * account in use): the profile marked suspended and every session and personal access token
 * ended, in the same transaction; sign-in is refused until `users-unsuspend`. Published by the
 * account's durable audit record itself, as user.mfa_reset_by_operator is. `operator` and
 * `reason` say who and why: internal text, for internal subscribers only (notifications releases
 * the push devices of the ended sessions; never a webhook, never a mail to the user).
 */
export const userSuspended = defineEvent('users', 'user.suspended', 1, async () => (await schemas()).userOperatorAction());

/**
 * Support lifted a suspension (`users-unsuspend`): the user may sign in again. No session
 * comes back: every one ended with the suspension. Fields and audience as user.suspended's.
 */
export const userUnsuspended = defineEvent('users', 'user.unsuspended', 1, async () => (await schemas()).userOperatorAction());

/**
 * The account was signed in from a place (device family + network) it had not signed in from
 * before: a password login without two-factor, the code step completing one, a password
 * reset's confirmation or a password change (each starts a session; domain/sign-in-place.ts).
 * Written in the transaction that starts the session, so it exists exactly when that sign-in
 * committed; the users module's own subscriber mails the account
 * (subscriptions/sign-in-alert.ts). `device` ("Firefox on Linux", English) and `network`
 * ("203.0.113.x", never the full address) describe the place; `deviceParts` (optional, added
 * compatibly within v1: `{family: "Firefox", os: "Linux"}`) lets the mail say the device in the
 * recipient's language. They are personal data: internal subscribers only, never a webhook.
 */
export const userSignedInFromNewPlace = defineEvent('users', 'user.signed_in_from_new_place', 1, async () => (await schemas()).userSignedInFromNewPlace());

/**
 * Sessions of the account ended: one (`sessionId`: signed out, logged out, its refresh token
 * reused, a refresh past its absolute end) or, without `sessionId`, every session (a password
 * change or reset, or more sessions ended in one window than the profile keeps: the session
 * epoch moved). Written in the transaction that ends them, so it exists exactly when the ending
 * committed. `reason` says which (RevokeReason). Support's suspension and two-factor reset end
 * every session too: they publish user.suspended and user.mfa_reset_by_operator instead, not
 * this. Subscribers ask the facade (UsersFacade.endedSessions) which of the sessions they know
 * are over rather than trusting the event alone: a late or redelivered one then ends nothing
 * that a newer session holds (the notifications module releases the push devices an ended
 * session registered). Internal subscribers only, never a webhook.
 */
export const userSessionsEnded = defineEvent('users', 'user.sessions_ended', 1, async () => (await schemas()).userSessionsEnded());

export type UserRegisteredData = z.infer<typeof userRegistered.data>;
export type UserDeletedData = z.infer<typeof userDeleted.data>;
export type UserEmailChangedData = z.infer<typeof userEmailChanged.data>;
export type UserNameChangedData = z.infer<typeof userNameChanged.data>;
export type UserDataExportFinishedData = z.infer<typeof userDataExportFinished.data>;
export type UserMfaResetByOperatorData = z.infer<typeof userMfaResetByOperator.data>;
export type UserSuspendedData = z.infer<typeof userSuspended.data>;
export type UserUnsuspendedData = z.infer<typeof userUnsuspended.data>;
export type UserSessionsEndedData = z.infer<typeof userSessionsEnded.data>;
export type UserSignedInFromNewPlaceData = z.infer<typeof userSignedInFromNewPlace.data>;
