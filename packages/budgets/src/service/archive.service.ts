import { problems, type Clock } from '@budgeting/platform';
import type { ArchiveParticipantPort } from '../contract';
import { budgetUpdated } from '../events';
import type { Budget, BudgetForCaller } from '../model';
import type { ArchiveRepository } from '../repository/archive.repository';
import type { BudgetsRepository } from '../repository/budgets.repository';
import type { MembersRepository } from '../repository/members.repository';
import { requireRole, type AccessService } from './access';
import type { OutboxWriter } from './events';

/** A budget whose members keep changing meanwhile is retried this often (as its deletion). */
const MAX_WRITE_ATTEMPTS = 5;

export interface ArchiveServiceDeps {
  clock: Clock;
  access: AccessService;
  budgets: BudgetsRepository;
  members: MembersRepository;
  archive: ArchiveRepository;
  outbox: OutboxWriter;
  /**
   * The expenses module's part of the transaction: its 16 change counters of the budget carry
   * `archivedAt` too, and every expense write's counter condition asks it absent, so a write
   * already past its access read when the archive commits fails instead of landing.
   */
  participant: ArchiveParticipantPort;
}

/**
 * POST .../archive and .../unarchive (owner): the budget becomes read-only and leaves the lists,
 * or comes back (docs/budget-lifecycle.md "Archiving a budget"). A repeat changes nothing (200, same version, no
 * event). A change bumps the version (the ETag: If-Match as for PATCH) and publishes budget.updated
 * with `changed: ["archivedAt"]` in the same transaction, so sync clients and webhooks learn it.
 * Cost: the access read, the budget item (its membership version), the member ids (one Query) and
 * one transaction of the budget, its memberships (at most 50), the event and the expenses
 * module's 16 change counters: 4 requests.
 */
export class ArchiveService {
  constructor(private readonly d: ArchiveServiceDeps) {}

  async setArchived(budgetId: string, userId: string, archive: boolean, ifMatch?: ReadonlySet<number>): Promise<BudgetForCaller> {
    for (let attempt = 1; attempt <= MAX_WRITE_ATTEMPTS; attempt++) {
      const current = await this.d.access.require(budgetId, userId);
      requireRole(current, 'settings', 'allowed');
      if (ifMatch !== undefined && !ifMatch.has(current.budget.version)) throw problems.preconditionFailed();
      if ((current.budget.archivedAt !== undefined) === archive) return current;

      // The membership version is read before the member list, so a change in between fails the guard.
      const item = await this.d.budgets.getItem(budgetId);
      if (!item) continue;
      const memberIds = await this.d.members.allUserIds(budgetId);
      const now = this.d.clock.now().toISOString();
      const next: Budget = { ...current.budget, version: current.budget.version + 1, updatedAt: now };
      if (archive) next.archivedAt = now;
      else delete next.archivedAt;
      const event = await this.d.outbox(budgetUpdated, {
        budgetId,
        version: next.version,
        changed: ['archivedAt'],
        updatedBy: userId,
        changes: { archivedAt: { before: current.budget.archivedAt ?? null, after: next.archivedAt ?? null } },
      });
      const outcome = await this.d.archive.write(next, { version: current.budget.version, membershipVersion: item.membershipVersion }, memberIds, [
        event,
        ...(await this.d.participant.archiveItems(budgetId, next.archivedAt)),
      ]);
      if (outcome === 'ok') return { ...current, budget: next };
    }
    throw problems.conflict('The budget is being changed by others right now; retry.');
  }
}
