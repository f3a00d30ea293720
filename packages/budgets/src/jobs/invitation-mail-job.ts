import { isLocale, type Clock, type EmailSender, type FanOutJob } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import { formatInvitationToken, hashInvitationSecret, invitationSecretFor, invitationSecretKey } from '../domain/invitation-token';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { InvitationsRepository } from '../repository/invitations.repository';
import { invitationEmail, invitationLifetimeLeft } from '../service/invitation-mail';
import { INVITATION_MAIL_JOB, type InvitationMailUnit } from './invitation-mail-names';
import { invitationExpired } from '../model';

const PART = /^[A-Za-z0-9_-]{1,64}$/;

/**
 * The invitation mail as a fan-out job without a schedule (as the users module's password-reset
 * mail): POST /v1/budgets/{budgetId}/invitations queues one unit per (re-)invite. The job makes
 * the secret from the invite's nonce (domain/invitation-token.ts invitationSecretFor), stores
 * its SHA-256 on the invitation (only if the invitation is still at the unit's nonce: a replaced
 * or revoked one sends nothing) and mails the token. The secret exists only in this
 * invocation's memory and in the mail: never in the table, the queue or a log. A redelivered
 * unit (a send that failed, or a crash after it) makes the same secret, so it mails the same
 * code (the same message id) and a code of an earlier delivery keeps working. A unit worked
 * once its invitation has expired sends nothing either, nor one whose inviter support suspended
 * (or whose account is gone) meanwhile.
 */
export function invitationMailJob(parts: {
  budgets: BudgetsRepository;
  invitations: InvitationsRepository;
  users: UsersFacade;
  mail: EmailSender;
  /** INVITATION_URL: the code is appended to it; absent, the mail gives the code only. */
  acceptUrl?: string;
  /** The token signing key (TOKEN_SIGNING_KEY): the invitation secrets' key is derived from it. */
  signingKey: string;
  /** Now, for the invitation's expiry (the unit's tick is the invite's time, not the send's). */
  clock: Clock;
}): FanOutJob<InvitationMailUnit> {
  const secretKey = invitationSecretKey(parts.signingKey);
  return {
    name: INVITATION_MAIL_JOB,
    async work(unit) {
      const invitation = await parts.invitations.byEmailKey(unit.budgetId, unit.emailKey);
      if (!invitation || invitation.nonce !== unit.nonce) return { done: 0 };
      // Worked after the invitation expired (a send failing for days, a dead letter replayed; the
      // TTL removes the item only some time later): its code could only answer 410, and the mail
      // would say it works for 7 days. The invitee is told nothing; the owner re-invites.
      if (invitationExpired(invitation, parts.clock.now())) return { done: 0 };
      // Worked late but before then: the mail states what is left of the 7 days (under an hour: nothing is mailed).
      const secondsLeft = invitationLifetimeLeft(invitation, parts.clock.now());
      if (secondsLeft === undefined) return { done: 0 };
      const [budget, inviter] = await Promise.all([parts.budgets.getItem(unit.budgetId), parts.users.activeById(invitation.invitedBy)]);
      // An inviter support suspended since the invite (abuse such as spam invitations must stop at
      // once: users docs/support.md "Suspension"), or whose account is gone (its budgets go with
      // it): nothing is mailed. The same one profile read as before (activeById).
      if (!budget || !inviter) return { done: 0 };
      const secret = invitationSecretFor(secretKey, { budgetId: unit.budgetId, invitationId: invitation.id, nonce: unit.nonce });
      const secretHash = hashInvitationSecret(secret);
      if (!(await parts.invitations.setSecretHash(unit.budgetId, unit.emailKey, unit.nonce, secretHash))) return { done: 0 };
      const token = formatInvitationToken({ budgetId: unit.budgetId, invitationId: invitation.id, secret });
      // One message id per secret: a redelivery's mail is the same message (the local folder
      // sender writes each id once); a secret made under a rotated key is a new one.
      const id = `budget-invitation-${unit.nonce}-${secretHash.slice(0, 12)}`;
      // The invitee's locale when the request found an account for the address, else the inviter's (invitation-mail-names.ts).
      const locale = unit.inviteeLocale !== undefined ? unit.inviteeLocale : inviter.locale;
      await parts.mail.send(invitationEmail({ id, invitation, budgetName: budget.name, inviterName: inviter.name, token, acceptUrl: parts.acceptUrl, locale, secondsLeft }));
      return { done: 1 };
    },
    parseUnit(raw) {
      const unit = raw as Partial<InvitationMailUnit> | null;
      if (!unit || !PART.test(unit.budgetId ?? '') || !/^[A-Za-z0-9_-]{43}$/.test(unit.emailKey ?? '') || !PART.test(unit.nonce ?? '')) {
        throw new Error('invitation mail unit needs a budgetId, an emailKey and a nonce');
      }
      const parsed: InvitationMailUnit = { budgetId: unit.budgetId!, emailKey: unit.emailKey!, nonce: unit.nonce! };
      // A locale that is not one reads as an account without a locale (English), never as a failed unit.
      if (unit.inviteeLocale !== undefined) parsed.inviteeLocale = typeof unit.inviteeLocale === 'string' && isLocale(unit.inviteeLocale) ? unit.inviteeLocale : null;
      return parsed;
    },
  };
}
