import type { UsersFacade } from '@budgeting/users';
import type { MembersRepository } from '../repository/members.repository';

const PAGE = 100;

/**
 * user.email_changed and user.name_changed: every membership of the account keeps a snapshot of
 * the member's name and email for the members list (taken when the member was added), so each
 * is set to the account's CURRENT name and email, read through the users facade at run time: a
 * late or redelivered event, or two changes in quick succession, still end on the values the
 * account has now, never older ones (whichever event it was: both refresh both; and two refreshes
 * at once, the one that read the account first writing last: each write carries the profile
 * version it read and is refused over a later one, MembersRepository.setDetails). A membership
 * already right is not written, so a rerun after a crash only finishes the job. A cleared name
 * (null) clears the snapshot. Runs as a fan-out job (jobs/member-details-job.ts), so a user
 * with many budgets spans invocations.
 */
export class MemberDetailsRefresh {
  constructor(private readonly d: { members: MembersRepository; users: Pick<UsersFacade, 'getById'> }) {}

  /** True when done (or the account is gone: user.deleted removes the memberships); false: call again. */
  async refresh(userId: string, deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    const user = await this.d.users.getById(userId);
    if (!user) return true;
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.d.members.listForUser(userId, PAGE, startKey);
      for (const membership of page.items) {
        if (Date.now() >= deadline) return false;
        if (membership.email !== user.email || membership.name !== user.name) {
          // Conditioned on the snapshot's profile version: a refresh of a later change that wrote first stays.
          await this.d.members.setDetails(membership.budgetId, userId, { name: user.name, email: user.email }, user.version);
        }
      }
      startKey = page.lastKey;
    } while (startKey);
    return true;
  }
}
