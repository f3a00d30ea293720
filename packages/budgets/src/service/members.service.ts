import { keyInUse, ProblemError, problems, type Clock, type KeyCompletion, PLATFORM_PROBLEMS } from '@budgeting/platform';
import type { UsersFacade } from '@budgeting/users';
import type { BudgetRole } from '../contract';
import { budgetMemberAdded, budgetMemberRemoved, budgetMemberRoleChanged, budgetMemberShareChanged } from '../events';
import { DEFAULT_SHARE, firstVersionAfter, MAX_MEMBERS, type Member } from '../model';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { MembersRepository } from '../repository/members.repository';
import type { WatchersRepository } from '../repository/watchers.repository';
import type { Page } from '../repository/page';
import { budgetArchived, budgetNotFound, isPlausibleId, requireRole, type AccessService } from './access';
import { MEMBER_DETAILS_ATTEMPTS, memberDetailsKeptChanging } from './member-details-attempts';
import type { OutboxWriter } from './events';

export interface MembersServiceDeps {
  clock: Clock;
  budgets: BudgetsRepository;
  members: MembersRepository;
  watchers: WatchersRepository;
  access: AccessService;
  outbox: OutboxWriter;
  users: UsersFacade;
}

// A refusal's detail is written into the request's access line (app http/conventions.ts): it names
// the field, never the address the caller sent (an email is personal data, kept out of the logs).
const noAccountWith = () =>
  new ProblemError(PLATFORM_PROBLEMS['not-found'], 'No account uses this email; they need to sign up first.', {
    errors: [{ path: 'email', message: 'No account with this email' }],
  });

const memberNotFound = (userId: string) => problems.notFound(`User ${userId} is not a member of this budget.`);

/**
 * Who shares a budget. Every member may see the list; only the owner adds, re-roles or
 * removes others; any member but the owner may leave. The owner stays the owner: they cannot
 * be demoted, removed or leave (deleting the budget is how an owner lets go of it).
 */
export class MembersService {
  constructor(private readonly d: MembersServiceDeps) {}

  async list(budgetId: string, callerId: string, limit: number, startKey?: Record<string, unknown>): Promise<Page<Member>> {
    await this.d.access.require(budgetId, callerId);
    return this.d.members.list(budgetId, limit, startKey);
  }

  /** One member (any member may read, as the list); 404 for someone who is not a member now. */
  async get(budgetId: string, callerId: string, userId: string): Promise<Member> {
    await this.d.access.require(budgetId, callerId);
    return this.target(budgetId, userId);
  }

  /**
   * Adds an existing account by email. An email with no account is a 404 naming the field
   * (clients depend on it, so it stays, though it tells the owner whether an email has an
   * account): invitations (invitations.service.ts) are the enumeration-safe way, and work for
   * someone who has no account yet.
   */
  async add(budgetId: string, callerId: string, input: { email: string; role: Exclude<BudgetRole, 'owner'> }, completeKey?: KeyCompletion<Member>): Promise<Member> {
    const caller = await this.d.access.require(budgetId, callerId);
    requireRole(caller, 'members');
    // The account is read again when it changed between the read and the write (its check,
    // with the version the snapshot was read at, failed): member-details-attempts.ts.
    for (let attempt = 1; ; attempt++) {
      const user = await this.d.users.findByEmail(input.email);
      // Also the account deleted after an earlier attempt's read: now no account uses the email.
      if (!user) throw noAccountWith();
      // Past the last attempt only after this read: a failure that was the account's deletion answers as one.
      if (attempt > MEMBER_DETAILS_ATTEMPTS) throw memberDetailsKeptChanging();
      // An account that was a member before continues that membership's versions (its ETags stay stale).
      const formerVersion = await this.d.members.formerVersion(budgetId, user.id);
      const member: Member = {
        budgetId,
        userId: user.id,
        role: input.role,
        email: user.email,
        name: user.name,
        // The snapshot's profile version: a refresh that read the account before it is refused over it.
        detailsVersion: user.version,
        addedAt: this.d.clock.now().toISOString(),
        share: DEFAULT_SHARE,
        version: firstVersionAfter(formerVersion),
      };
      const outcome = await this.d.members.add(member, formerVersion, MAX_MEMBERS, this.d.users.accountCheck(user.id, { version: user.version }), [
        await this.d.outbox(budgetMemberAdded, { budgetId, userId: user.id, role: input.role, addedBy: callerId }),
        // The newcomer may watch the budget's events (a webhook for all their budgets): until the
        // next event re-reads the settings, "nobody watches" is no longer known.
        this.d.watchers.staleItem(budgetId, this.d.clock.now()),
        // A keyed add's answer is committed with the membership: a retry after a crash between the
        // commit and the answer replays it instead of meeting its own membership as a 409.
        ...(completeKey ? [completeKey.item(member)] : []),
      ]);
      // The account's details, or its former membership (it ended meanwhile): read both again.
      if (outcome === 'account-changed' || outcome === 'former-changed') continue;
      if (outcome === 'key-taken') throw keyInUse();
      if (outcome === 'already-member') throw problems.conflict('The account with this email is already a member of this budget.');
      if (outcome === 'budget-gone-or-full') {
        const item = await this.d.budgets.getItem(budgetId);
        if (!item) throw budgetNotFound(budgetId);
        // Archived since the caller's read (membershipAdditionWrites refuses it).
        if (typeof item.archivedAt === 'string') throw budgetArchived(budgetId);
        if (item.memberCount >= MAX_MEMBERS) throw problems.limitReached('members', MAX_MEMBERS, `A budget can have at most ${MAX_MEMBERS} members.`);
        // Neither: archived when written and unarchived since (or members who left meanwhile).
        // Nothing was written, so the add is tried again rather than refused as full.
        continue;
      }
      completeKey?.committed();
      return member;
    }
  }

  /**
   * Changes a member's role and/or share (owner only). The owner's role cannot change (409),
   * their share can. Each field that changes is its own event (budget.member_role_changed,
   * budget.member_share_changed), written in the same transaction as the change, so the
   * activity log and webhooks see who moved a household's split as they see a new role.
   * `ifMatch` (the membership versions the caller's If-Match accepts) is checked against every
   * read, so a change made meanwhile by another owner's device is a 412, never overwritten.
   * `completeKey`: a keyed change's Idempotency-Key completed with its 200 in the change's
   * transaction, so a retry after a crash between the commit and the answer replays it instead
   * of setting the role or share again over a later change.
   */
  async change(
    budgetId: string,
    callerId: string,
    userId: string,
    changes: { role?: Exclude<BudgetRole, 'owner'>; share?: number },
    ifMatch?: ReadonlySet<number>,
    completeKey?: KeyCompletion<Member>,
  ): Promise<Member> {
    const caller = await this.d.access.require(budgetId, callerId);
    requireRole(caller, 'members');
    // A concurrent change of the same member makes the conditional write fail: read again.
    for (let attempt = 1; ; attempt++) {
      const target = await this.target(budgetId, userId);
      if (ifMatch !== undefined && !ifMatch.has(target.version)) throw problems.preconditionFailed();
      if (changes.role !== undefined && target.role === 'owner') throw problems.conflict("The owner's role cannot be changed.");
      const role = changes.role !== undefined && changes.role !== target.role ? changes.role : undefined;
      const share = changes.share !== undefined && changes.share !== target.share ? changes.share : undefined;
      if (role === undefined && share === undefined) return target;
      const events = [
        ...(role === undefined ? [] : [await this.d.outbox(budgetMemberRoleChanged, { budgetId, userId, role, previousRole: target.role, changedBy: callerId })]),
        ...(share === undefined ? [] : [await this.d.outbox(budgetMemberShareChanged, { budgetId, userId, share, previousShare: target.share, changedBy: callerId })]),
      ];
      const next = { ...(role !== undefined ? { role } : {}), ...(share !== undefined ? { share } : {}) };
      const answer: Member = { ...target, ...next, version: target.version + 1 };
      const updated = await this.d.members.change(target, next, [...events, ...(completeKey ? [completeKey.item(answer)] : [])]);
      if (updated === 'key-taken') throw keyInUse();
      if (updated) {
        completeKey?.committed();
        return updated;
      }
      // The write also fails when an archive committed after the access read: read access
      // again for its 409 (one read more, on a failed write only), then the member.
      requireRole(await this.d.access.require(budgetId, callerId), 'members');
      if (attempt >= 3) throw problems.conflict('The member changed meanwhile; try again.');
    }
  }

  /**
   * The owner removes someone, or a member removes themselves (leaves). `ifMatch` (the
   * membership versions the caller's If-Match accepts), as for a change: checked against the
   * read and held at the write, so a role or share changed meanwhile is a 412, nobody removed.
   * The write always holds the version read (the removal records it, so a membership added
   * again continues after it: MembersRepository.remove); without If-Match a change meanwhile is
   * read again and the removal retried.
   */
  async remove(budgetId: string, callerId: string, userId: string, ifMatch?: ReadonlySet<number>): Promise<void> {
    const caller = await this.d.access.require(budgetId, callerId);
    const leaving = userId === callerId;
    if (leaving && caller.role === 'owner') {
      throw problems.conflict('The owner cannot leave their budget; delete the budget instead.');
    }
    // Removing a member (and leaving) is allowed on an archived budget: who keeps its history is still the owner's call.
    if (!leaving) requireRole(caller, 'members', 'allowed');
    for (let attempt = 1; ; attempt++) {
      const target = await this.target(budgetId, userId);
      if (ifMatch !== undefined && !ifMatch.has(target.version)) throw problems.preconditionFailed();
      if (target.role === 'owner') throw problems.conflict('The owner cannot be removed from their budget.');
      const outcome = await this.d.members.remove(target, [await this.d.outbox(budgetMemberRemoved, { budgetId, userId, removedBy: callerId })]);
      if (outcome === 'ok') return;
      // Removed meanwhile (the next read's 404), or changed: with If-Match that read's 412.
      if (attempt >= 3) throw problems.conflict('The member changed meanwhile; try again.');
    }
  }

  /**
   * 404 unless `userId` is still a member: the replay of a keyed change of their membership
   * (routes/replay-guards.ts) after they left or were removed, as a fresh change answers.
   */
  async requireStillMember(budgetId: string, userId: string): Promise<void> {
    await this.target(budgetId, userId);
  }

  private async target(budgetId: string, userId: string): Promise<Member> {
    const member = isPlausibleId(userId) ? await this.d.members.get(budgetId, userId) : null;
    if (!member) throw memberNotFound(userId);
    return member;
  }
}
