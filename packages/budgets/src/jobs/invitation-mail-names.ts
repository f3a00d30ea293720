/**
 * The invitation mail job's name and unit, apart from its code: the invitations service queues
 * units by name, and create-module.ts declares the job with it and loads the job's file on its
 * first unit (platform lazyJob).
 */
export const INVITATION_MAIL_JOB = 'budgets-invitation-mail';

/**
 * A unit of the invitation mail job: nothing secret (the job makes the secret). The nonce names
 * one (re-)invite: a unit whose invitation was replaced or revoked since sends nothing.
 */
export interface InvitationMailUnit {
  budgetId: string;
  emailKey: string;
  nonce: string;
  /**
   * The mail's language: the invitee's profile locale when the invited address has an account
   * (null: it has one without a locale, English), read by the invite's own member check
   * (InvitationsService.refuseMember); absent: no account (or a unit from before), and the job
   * takes the inviter's locale, a reasonable guess at a language the invitee reads. Nothing here
   * reaches the inviter: the unit is the queue's, the mail the invitee's.
   */
  inviteeLocale?: string | null;
}
