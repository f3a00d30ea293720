import { conditionFailedAt, type ModuleStore } from '@budgeting/platform';
import { ARCHIVE_PARTICIPANT_MAX_ITEMS } from '../contract';
import type { Budget } from '../model';
import { membershipUnchanged, type WriteOutcome } from './budgets.repository';
import type { BudgetsKeys, TransactItem } from './keys';

/**
 * Archiving and unarchiving a budget (docs/budget-lifecycle.md "Archiving a budget"): ONE transaction that sets (or
 * removes) `archivedAt` on the budget item AND on every membership, whose gsi1 sort key moves
 * under the archived prefix (keys.ts archivedMemberIndexSk) and back. Why the memberships carry
 * it: the expenses module's one-request create checks only the writer's membership
 * (BudgetsFacade.writeChecks) and must not read or check more, so `attribute_not_exists(archivedAt)`
 * on that same check refuses a write racing the archive; and the budgets list filters by key
 * condition before paging. At most MAX_MEMBERS (50) memberships + the budget + the event + the
 * expenses module's 16 change counters (`alsoWrite`, ArchiveParticipantPort): 68 of the 100
 * items of a transaction.
 */
export class ArchiveRepository {
  constructor(
    private readonly store: ModuleStore,
    private readonly keys: BudgetsKeys,
  ) {}

  /**
   * Writes `next` (its `archivedAt` set or absent, its version and updatedAt) if the budget is
   * still at `readVersion` and its memberships are still those of `membershipVersion` (read
   * BEFORE `memberUserIds`, as for deletion): a member added or removed meanwhile fails it.
   */
  async write(
    next: Budget,
    expected: { version: number; membershipVersion: number | undefined },
    memberUserIds: string[],
    alsoWrite: TransactItem[],
  ): Promise<WriteOutcome> {
    // The event plus the participants' items (ArchiveParticipantPort's bound).
    if (alsoWrite.length > 1 + ARCHIVE_PARTICIPANT_MAX_ITEMS) throw new Error(`archive: ${alsoWrite.length} items to carry, more than the transaction has room for`);
    const unchanged = membershipUnchanged(expected.membershipVersion);
    const at = next.archivedAt;
    try {
      await this.store.transactWrite([
        {
          Update: {
            Key: this.keys.budget(next.id),
            UpdateExpression: `SET #version = :version, #updatedAt = :updatedAt${at === undefined ? ' REMOVE #archivedAt' : ', #archivedAt = :at'}`,
            ConditionExpression: `attribute_exists(pk) AND #version = :readVersion AND ${unchanged.condition}`,
            ExpressionAttributeNames: { '#version': 'version', '#updatedAt': 'updatedAt', '#archivedAt': 'archivedAt' },
            ExpressionAttributeValues: {
              ':version': next.version,
              ':updatedAt': next.updatedAt,
              ':readVersion': expected.version,
              ...(at === undefined ? {} : { ':at': at }),
              ...unchanged.values,
            },
          },
        },
        ...memberUserIds.map((userId) => this.membershipWrite(next.id, userId, at)),
        ...alsoWrite,
      ]);
      return 'ok';
    } catch (err) {
      if (conditionFailedAt(err, 0)) return 'condition-failed';
      throw err;
    }
  }

  /** One membership's copy of `archivedAt` and its gsi1 sort key (archived prefix or the usual one). */
  private membershipWrite(budgetId: string, userId: string, at: string | undefined): TransactItem {
    const sk = at === undefined ? this.keys.memberIndex(userId, budgetId).gsi1sk : this.keys.archivedMemberIndexSk(budgetId);
    return {
      Update: {
        Key: this.keys.member(budgetId, userId),
        UpdateExpression: at === undefined ? 'SET gsi1sk = :sk REMOVE #archivedAt' : 'SET gsi1sk = :sk, #archivedAt = :at',
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: { '#archivedAt': 'archivedAt' },
        ExpressionAttributeValues: { ':sk': sk, ...(at === undefined ? {} : { ':at': at }) },
      },
    };
  }
}
