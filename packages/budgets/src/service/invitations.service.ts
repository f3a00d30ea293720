import { epochSeconds, keyInUse, newId, ProblemError, problems, type Clock, type KeyCompletion, type Logger, PLATFORM_PROBLEMS } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { BudgetRole } from '../contract';
import { invitationEmailKey, normalizeInviteEmail, parseInvitationToken, secretMatches } from '../domain/invitation-token';
import { budgetMemberAdded } from '../events';
import { INVITATION_MAIL_JOB, type InvitationMailUnit } from '../jobs/invitation-mail-names';
import { DEFAULT_SHARE, firstVersionAfter, INVITATION_TTL_SECONDS, invitationExpired, MAX_MEMBERS, MAX_PENDING_INVITATIONS, type Invitation, type Member } from '../model';
import type { InvitationRecord, InvitationsRepository } from '../repository/invitations.repository';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { MembersRepository } from '../repository/members.repository';
import type { TransactItem } from '../repository/keys';
import type { WatchersRepository } from '../repository/watchers.repository';
import { isPlausibleId, requireActive, requireRole, type AccessService } from './access';
import type { OutboxWriter } from './events';
import { MEMBER_DETAILS_ATTEMPTS, memberDetailsKeptChanging } from './member-details-attempts';
import { BUDGETS_PROBLEMS } from '../problems';

export interface InvitationsServiceDeps {
  clock: Clock;
  logger: Logger;
  invitations: InvitationsRepository;
  /** The account's former membership of the budget, which an accepted invitation's membership continues (MembersService.add). */
  members: Pick<MembersRepository, 'formerVersion'>;
  /** The budget item as stored (its member count), read only when an accept's write was refused by it. */
  budgets: Pick<BudgetsRepository, 'getItem'>;
  watchers: WatchersRepository;
  access: AccessService;
  outbox: OutboxWriter;
  users: UsersFacade;
  /** A job unit as an item of the change's own transaction (platform queuedUnitPut under the module's prefix). */
  queueUnit: (job: string, unit: unknown, tick: Date) => TransactItem;
}

/** Every token that does not open a pending invitation, whatever the reason: unknown, revoked, used, replaced. */
const invalidToken = () =>
  new ProblemError(PLATFORM_PROBLEMS['not-found'], 'This invitation does not exist, was revoked or replaced, or has been used.', {
    errors: [{ path: 'token', message: 'No pending invitation has this token' }],
  });
const expiredToken = () =>
  new ProblemError(BUDGETS_PROBLEMS['invitation-expired'], 'This invitation has expired; ask the budget owner to invite you again.', {
    errors: [{ path: 'token', message: 'The invitation has expired' }],
  });
const invitationNotFound = (id: string) => problems.notFound(`Invitation ${id} was not found.`);

/** A concurrent change of the same invitation (or of the count) makes a conditional write fail: read again, a few times. */
const ATTEMPTS = 3;

/**
 * Budget invitations (docs/members.md "Invitations"): the owner invites an email, with or without an
 * account (the answer is the same either way: no enumeration); the mail job (jobs/
 * invitation-mail-job.ts) makes the one-time secret, stores its hash and mails it; whoever holds
 * the secret and is signed in becomes a member with the invited role, in ONE transaction.
 */
export class InvitationsService {
  constructor(private readonly d: InvitationsServiceDeps) {}

  /**
   * Invites `email` (owner only). A pending (or expired, still stored) invitation of the same
   * email is replaced: new id when it had expired, the same id otherwise, new role, expiry and
   * secret (the old link stops working). The answer does not depend on whether the email has
   * an account; only an email that is a MEMBER already is refused (409 naming `email`): its
   * code could only fail at accept, and the owner learns nothing new (the members list shows
   * every member's email).
   *
   * The mail's job unit is an item of the invitation's transaction (platform queuedUnitPut),
   * which the table stream's relay hands to the work queue: the mail exists if and only if the
   * invitation committed, even when the process dies right after the commit. A keyed invite
   * (`completeKey`) completes its Idempotency-Key in that transaction too, so its retry replays
   * the answer and queues nothing.
   *
   * `reservedId` (a keyed invite: the Idempotency-Key's reserved id, the same for every retry)
   * is the invite's nonce: should an attempt ever meet its OWN invitation (same nonce), it answers
   * it as written and writes nothing (its unit committed with it). The mail unit names the nonce,
   * so a unit delivered again makes the same secret and the same code.
   */
  async invite(
    budgetId: string,
    callerId: string,
    input: { email: string; role: Exclude<BudgetRole, 'owner'> },
    reservedId?: string,
    completeKey?: KeyCompletion<Invitation>,
  ): Promise<Invitation> {
    const caller = await this.d.access.require(budgetId, callerId);
    requireRole(caller, 'members');
    const email = normalizeInviteEmail(input.email);
    const inviteeLocale = await this.refuseMember(budgetId, email);
    const emailKey = invitationEmailKey(email);
    for (let attempt = 1; ; attempt++) {
      const now = this.d.clock.now();
      const previous = await this.d.invitations.byEmailKey(budgetId, emailKey);
      if (reservedId !== undefined && previous?.nonce === reservedId) return publicInvitation(previous);
      const pending = previous !== null && !invitationExpired(previous, now);
      const next: InvitationRecord = {
        budgetId,
        id: pending ? previous.id : newId(now.getTime()),
        email,
        role: input.role,
        invitedBy: callerId,
        createdAt: now.toISOString(),
        expiresAt: new Date((epochSeconds(now) + INVITATION_TTL_SECONDS) * 1000).toISOString(),
        nonce: reservedId ?? newId(now.getTime()),
        emailKey,
      };
      const alsoWrite = [this.mailUnit(next, inviteeLocale), ...(completeKey ? [completeKey.item(publicInvitation(next))] : [])];
      if (previous) {
        const replaced = await this.d.invitations.replace(previous, next, alsoWrite);
        if (replaced === 'key-taken') throw keyInUse();
        if (replaced === 'replaced') return this.written(next, completeKey);
        if (replaced === 'budget-gone') await this.refuseGoneOrArchived(budgetId, callerId);
      } else {
        const outcome = await this.d.invitations.create(next, MAX_PENDING_INVITATIONS, alsoWrite);
        if (outcome === 'key-taken') throw keyInUse();
        if (outcome === 'created') return this.written(next, completeKey);
        if (outcome === 'budget-gone') await this.refuseGoneOrArchived(budgetId, callerId);
        if (outcome === 'full') {
          // Full by the count: put it right (expired ones leave through the TTL uncounted), then
          // try again unless it is really full. null: the count moved meanwhile, try again.
          const live = await this.d.invitations.recount(budgetId, now);
          if (live === 'budget-gone') return this.refuseGoneOrArchived(budgetId, callerId);
          if (live !== null && live >= MAX_PENDING_INVITATIONS) {
            throw problems.limitReached('invitations', MAX_PENDING_INVITATIONS, `A budget can have at most ${MAX_PENDING_INVITATIONS} pending invitations; revoke one first.`);
          }
        }
      }
      if (attempt >= ATTEMPTS) throw problems.conflict('The invitations changed meanwhile; try again.');
    }
  }

  /**
   * An invite's budget check failed: deleted, or archived since the access read. A re-read
   * answers which (404, or the 409 budget-archived); fine again (archived and unarchived
   * meanwhile): nothing was written, a 409 to retry.
   */
  private async refuseGoneOrArchived(budgetId: string, callerId: string): Promise<never> {
    requireRole(await this.d.access.require(budgetId, callerId), 'members');
    throw problems.conflict('The budget was archived meanwhile; nothing was written, retry.');
  }

  /**
   * Refuses a member's email. Its lookup's profile gives the mail's language: the invitee's
   * locale (null: an account without one), undefined without an account (the job then takes the
   * inviter's). Only the mail job uses it: the answer is the same with or without an account.
   */
  private async refuseMember(budgetId: string, email: string): Promise<string | null | undefined> {
    const invitee = await this.d.users.findByEmail(email);
    if (invitee && (await this.d.access.find(budgetId, invitee.id))) {
      // The detail never names the address: it is written into the access line (app http/conventions.ts).
      throw new ProblemError(PLATFORM_PROBLEMS['conflict'], 'The account with this email is already a member of this budget.', {
        errors: [{ path: 'email', message: 'Already a member of this budget' }],
      });
    }
    return invitee ? invitee.locale : undefined;
  }

  /** The pending invitations (not expired), oldest first; never a secret or its hash. */
  async list(budgetId: string, callerId: string): Promise<Invitation[]> {
    const caller = await this.d.access.require(budgetId, callerId);
    requireRole(caller, 'members', 'allowed');
    const now = this.d.clock.now();
    return (await this.d.invitations.all(budgetId))
      .filter((i) => !invitationExpired(i, now))
      .sort((a, b) => (a.createdAt < b.createdAt ? -1 : a.createdAt > b.createdAt ? 1 : a.id.localeCompare(b.id)))
      .map(publicInvitation);
  }

  /** One pending invitation (owner only, as the list): 404 when it is not pending (accepted, revoked, expired, unknown). */
  async get(budgetId: string, callerId: string, invitationId: string): Promise<Invitation> {
    const caller = await this.d.access.require(budgetId, callerId);
    requireRole(caller, 'members', 'allowed');
    const invitation = isPlausibleId(invitationId) ? await this.d.invitations.byId(budgetId, invitationId) : null;
    if (!invitation || invitationExpired(invitation, this.d.clock.now())) throw invitationNotFound(invitationId);
    return publicInvitation(invitation);
  }

  /** Revokes a pending invitation (owner only): its link stops working. */
  async revoke(budgetId: string, callerId: string, invitationId: string): Promise<void> {
    const caller = await this.d.access.require(budgetId, callerId);
    // Revoking only takes a pending invitation back: allowed on an archived budget.
    requireRole(caller, 'members', 'allowed');
    for (let attempt = 1; ; attempt++) {
      const invitation = isPlausibleId(invitationId) ? await this.d.invitations.byId(budgetId, invitationId) : null;
      if (!invitation || invitationExpired(invitation, this.d.clock.now())) throw invitationNotFound(invitationId);
      if (await this.d.invitations.remove(invitation)) return;
      if (attempt >= ATTEMPTS) throw problems.conflict('The invitation changed meanwhile; try again.');
    }
  }

  /**
   * Accepts with the token of the mail. Possession of the secret is the proof (as a Slack or
   * Google Docs invitation link): the caller's own email is not compared with the invited one.
   * 404 for a token that opens nothing (malformed, unknown, revoked, replaced, used), 410 for an
   * expired one, 409 when the caller is already a member (nothing changes: the invitation stays
   * pending) or the budget is full.
   */
  async accept(callerId: string, token: string, completeKey?: KeyCompletion<Member>): Promise<Member> {
    const parsed = parseInvitationToken(token);
    if (!parsed) throw invalidToken();
    const invitation = await this.d.invitations.byId(parsed.budgetId, parsed.invitationId);
    if (!invitation || !secretMatches(parsed.secret, invitation.secretHash)) throw invalidToken();
    const now = this.d.clock.now();
    if (invitationExpired(invitation, now)) throw expiredToken();
    // The account is read again when it changed between the read and the write (its check,
    // with the version the snapshot was read at, failed): member-details-attempts.ts.
    for (let attempt = 1; ; attempt++) {
      const user = await this.d.users.getById(callerId);
      // Also deleted after an earlier attempt's read (its user.deleted cleanup may have run): the invitation stays pending.
      if (!user) throw problems.unauthorized('This account no longer exists.');
      // Past the last attempt only after this read: a failure that was the account's deletion answers as one.
      if (attempt > MEMBER_DETAILS_ATTEMPTS) throw memberDetailsKeptChanging();
      const formerVersion = await this.d.members.formerVersion(invitation.budgetId, callerId);
      const member: Member = {
        budgetId: invitation.budgetId,
        userId: callerId,
        role: invitation.role,
        email: user.email,
        name: user.name,
        // As MembersService.add: a refresh that read the account before this is refused over it.
        detailsVersion: user.version,
        addedAt: now.toISOString(),
        share: DEFAULT_SHARE,
        version: firstVersionAfter(formerVersion),
      };
      const outcome = await this.d.invitations.accept({ ...invitation, secretHash: invitation.secretHash! }, member, formerVersion, MAX_MEMBERS, now, this.d.users.accountCheck(callerId, { version: user.version }), [
        // The same event as an owner's POST members: addedBy is the owner who invited.
        await this.d.outbox(budgetMemberAdded, { budgetId: invitation.budgetId, userId: callerId, role: invitation.role, addedBy: invitation.invitedBy }),
        this.d.watchers.staleItem(invitation.budgetId, now),
        // A keyed accept's answer is committed with the membership: the invitation is used by it, so
        // a retry after a crash between the commit and the answer would otherwise find none (404).
        ...(completeKey ? [completeKey.item(member)] : []),
      ]);
      // As MembersService.add: the account's details, or its former membership, changed meanwhile.
      if (outcome === 'account-changed' || outcome === 'former-changed') continue;
      if (outcome === 'key-taken') throw keyInUse();
      if (outcome === 'invitation-gone') throw invalidToken();
      if (outcome === 'already-member') throw problems.conflict('You are already a member of this budget; the invitation stays pending for its owner to revoke.');
      if (outcome === 'budget-gone-or-full') {
        const budget = await this.d.access.find(invitation.budgetId, invitation.invitedBy);
        if (!budget) throw invalidToken();
        // An archived budget takes no member (membershipAdditionWrites): the invitation stays pending.
        requireActive(budget.budget);
        const item = await this.d.budgets.getItem(invitation.budgetId);
        if (!item || item.memberCount >= MAX_MEMBERS) throw problems.limitReached('members', MAX_MEMBERS, `A budget can have at most ${MAX_MEMBERS} members.`);
        // Neither gone, archived nor full: archived when written and unarchived since (or members
        // who left meanwhile). Nothing was written, so the accept is tried again, not refused as full.
        continue;
      }
      completeKey?.committed();
      return member;
    }
  }

  /**
   * The mail of a (re-)invite as a job unit of its transaction: nothing secret (the job makes the
   * secret), worked as of the invite's time.
   */
  private mailUnit(invitation: InvitationRecord, inviteeLocale: string | null | undefined): TransactItem {
    const unit: InvitationMailUnit = {
      budgetId: invitation.budgetId,
      emailKey: invitation.emailKey,
      nonce: invitation.nonce,
      ...(inviteeLocale !== undefined ? { inviteeLocale } : {}),
    };
    return this.d.queueUnit(INVITATION_MAIL_JOB, unit, new Date(invitation.createdAt));
  }

  /** The invitation committed (with its mail's unit and, keyed, the key's answer). */
  private written(invitation: InvitationRecord, completeKey: KeyCompletion<Invitation> | undefined): Invitation {
    completeKey?.committed();
    return publicInvitation(invitation);
  }
}

/** An invitation without what only the store needs (its key part, its secret's hash). */
export function publicInvitation(i: Invitation): Invitation {
  return { budgetId: i.budgetId, id: i.id, email: i.email, role: i.role, invitedBy: i.invitedBy, createdAt: i.createdAt, expiresAt: i.expiresAt, nonce: i.nonce };
}
