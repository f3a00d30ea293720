import { MAX_OPERATOR_NAME_LENGTH, MAX_OPERATOR_REASON_LENGTH } from '@budgeting/platform';
import { z } from 'zod';

/**
 * The payload schemas of the users module's event contracts (events.ts), one builder per
 * contract. Imported on the first use of a contract, so that declaring them at start-up does
 * not load zod (issue 11).
 */


export const userRegistered = () =>
  z.object({
    userId: z.string().min(1),
    email: z.string().min(1),
    name: z.string().nullable(),
  });

export const userDeleted = () =>
  z.object({
    userId: z.string().min(1),
  });

export const userEmailChanged = () =>
  z.object({
    userId: z.string().min(1),
    // Optional: events written before they were added carry neither (the confirmation queued
    // their notice itself). Every confirmation now writes both.
    previousEmail: z.string().min(1).max(254).optional(),
    email: z.string().min(1).max(254).optional(),
    // The account's profile locale at the change, the old address's notice's language; absent (no
    // locale, or an event written before it was added): English.
    locale: z.string().min(1).max(64).optional(),
  });

export const userNameChanged = () =>
  z.object({
    userId: z.string().min(1),
  });

export const userSessionsEnded = () =>
  z.object({
    userId: z.string().min(1),
    /** The one session that ended (a refresh-token family's id, the access tokens' `sid`); absent: every session of the account ended. */
    sessionId: z.string().min(1).optional(),
    reason: z.enum(['logout', 'reuse-detected', 'signed-out', 'password-changed', 'too-many-ended', 'mfa-reset', 'suspended', 'lifetime-ended']),
  });

export const userDataExportFinished = () =>
  z.object({
    userId: z.string().min(1),
    exportId: z.string().min(1),
    status: z.enum(['succeeded', 'failed']),
  });

/** user.suspended and user.unsuspended; the two-factor reset's fields start with these (platform's checkedAuthor checks them alike). */
export const userOperatorAction = () =>
  z.object({
    userId: z.string().min(1),
    /** Who ran the operation (the operator's name, never a credential). */
    operator: z.string().min(1).max(MAX_OPERATOR_NAME_LENGTH),
    /** Why: the support ticket's reference or a short note. */
    reason: z.string().min(1).max(MAX_OPERATOR_REASON_LENGTH),
  });

export const userMfaResetByOperator = () =>
  userOperatorAction().extend({
    /**
     * Present when the owner is NOT told (no notice mail): `account-suspended`, the account
     * was suspended when support reset it, and a suspended account gets no mail (a fraud case
     * would warn the fraudster). Absent: the notice is mailed.
     */
    noticeWithheld: z.literal('account-suspended').optional(),
  });

export const userSignedInFromNewPlace = () =>
  z.object({
    userId: z.string().min(1),
    /** When the session started (ISO instant). */
    at: z.string().min(1),
    /** The User-Agent's family and OS, no versions ("Chrome on Windows"): English, for logs and internal subscribers. */
    device: z.string().min(1).max(120),
    /**
     * The same device in parts, for the mail to say it in the recipient's language: `family`
     * (a browser or product name, as the client spells it) or, without one, `kind` (`app`: an app
     * that does not name itself, `unknown`: nothing readable), and `os` when one is named. Absent
     * on events written before it (the mail then shows `device` as it is).
     */
    deviceParts: z
      .union([
        z.object({ family: z.string().min(1).max(40), os: z.string().min(1).max(40).optional() }).strict(),
        z.object({ kind: z.enum(['app', 'unknown']), os: z.string().min(1).max(40).optional() }).strict(),
      ])
      .optional(),
    /** The network, never the address ("203.0.113.x", "2001:db8:1::/48"). */
    network: z.string().min(1).max(60),
  });
