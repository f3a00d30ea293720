import { budgetDeleted, budgetMemberRemoved } from '../events';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { MembersRepository } from '../repository/members.repository';
import type { OutboxWriter } from '../service/events';

/**
 * What happens to a deleted account's budgets (SPEC: "deleting an account removes ... its
 * memberships, and every budget it alone owns with all their expenses"). A budget has exactly
 * one owner, so every budget the user owns goes, with every membership in it (budget.deleted,
 * whose subscribers remove the expenses); in the others the user's membership goes
 * (budget.member_removed, removedBy = the user, as when leaving).
 *
 * Each budget is its own transaction with its own event. Every step first reads what is
 * left, so running it again after a crash half-way (a redelivered unit) finishes the job
 * without announcing anything twice. It runs as a fan-out job (jobs/user-cleanup-job.ts), so
 * a user with thousands of budgets is handled across as many invocations as it takes.
 *
 * The user's memberships come from gsi1, which is eventually consistent in AWS: a membership
 * written in the last instant before the account was deleted can be missed by the first pass,
 * so the job runs a delayed second pass (jobs/user-cleanup-job.ts; until feat/races nothing
 * did, and such a budget, its expenses or such a membership outlived the account for good).
 * Nothing later can be written: a deleted account cannot be added as a member (every write
 * making it an owner or member checks the account), and its still-valid access token cannot
 * create a budget (BudgetsService.create checks the account).
 */
const MAX_ATTEMPTS = 5;
const PAGE = 100;

export class UserCleanup {
  constructor(
    private readonly d: { budgets: BudgetsRepository; members: MembersRepository; outbox: OutboxWriter },
  ) {}

  /**
   * Works through the user's memberships until none is left (true) or `deadline` (epoch ms)
   * has passed (false: call again). Each step removes what it handled, so a later call starts
   * from the top and finds only what is left.
   */
  async afterUserDeleted(userId: string, deadline = Number.POSITIVE_INFINITY): Promise<boolean> {
    let startKey: Record<string, unknown> | undefined;
    do {
      const page = await this.d.members.listForUser(userId, PAGE, startKey);
      for (const membership of page.items) {
        if (Date.now() >= deadline) return false;
        if (membership.role === 'owner') await this.deleteOwnedBudget(membership.budgetId, userId);
        else await this.removeMembership(membership.budgetId, userId);
      }
      startKey = page.lastKey;
    } while (startKey);
    // The budgets the account had left (their records of its last membership version), a page at a time.
    for (let former = await this.d.members.formerKeysOf(userId, PAGE); former.length > 0; former = await this.d.members.formerKeysOf(userId, PAGE)) {
      if (Date.now() >= deadline) return false;
      await this.d.members.forgetFormer(former);
    }
    // The count of the budgets they owned (all deleted above, with no count moved: the account is gone).
    await this.d.budgets.forgetOwnedCount(userId);
    return true;
  }

  /** Deletes the budget with its memberships, like DELETE /v1/budgets/{id} by its owner. */
  private async deleteOwnedBudget(budgetId: string, ownerId: string): Promise<void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const item = await this.d.budgets.getItem(budgetId);
      if (!item || item.ownerId !== ownerId) return; // already deleted (a redelivery), or not theirs
      const memberIds = await this.d.members.allUserIds(budgetId);
      const outcome = await this.d.budgets.delete(budgetId, { version: item.version, membershipVersion: item.membershipVersion }, memberIds, [
        await this.d.outbox(budgetDeleted, { budgetId, ownerId, memberIds }),
      ]);
      if (outcome === 'ok') return;
    }
    throw new Error(`budget ${budgetId} kept changing while its deleted owner's budgets were removed`);
  }

  /** Removes the membership at the version read (the removal records it: MembersRepository.remove); read again when it changed meanwhile. */
  private async removeMembership(budgetId: string, userId: string): Promise<void> {
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const member = await this.d.members.get(budgetId, userId);
      // Removed already (a redelivery, or the budget was deleted meanwhile).
      if (!member) return;
      // No former-member record: the account can never be added again, and nothing of it may stay.
      const outcome = await this.d.members.remove(member, [await this.d.outbox(budgetMemberRemoved, { budgetId, userId, removedBy: userId })], false);
      if (outcome === 'ok') return;
    }
    throw new Error(`membership of ${userId} in budget ${budgetId} kept changing while the deleted account's memberships were removed`);
  }
}
