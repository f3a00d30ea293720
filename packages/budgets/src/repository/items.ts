import { DEFAULT_SHARE, FIRST_MEMBER_VERSION, type Budget, type Member } from '../model';
import type { BudgetsKeys } from './keys';
import { toCategory } from '../domain/categories';

/** How budgets and memberships are stored, and the mapping back to domain objects. */
export interface BudgetItem extends Budget {
  pk: string;
  sk: string;
  kind: 'budget';
  /** Memberships of the budget, owner included: caps members and guards deletion races. */
  memberCount: number;
  /**
   * Bumped by every membership added or removed (absent on budgets older than it: none yet).
   * Deletion is guarded by it: the count alone stays equal when one member leaves and another
   * joins, and the joiner's membership would outlive the budget.
   */
  membershipVersion?: number;
  /**
   * On a copy made under an Idempotency-Key only (internal, never shown): until when (epoch
   * seconds) that key may still be retried. A deletion before then leaves the deleted-copy
   * marker (BudgetsRepository.deletedCopyMarker), so the retry does not make the copy again.
   */
  copyKeyUntil?: number;
  [attribute: string]: unknown;
}

export interface MemberItem extends Omit<Member, 'share' | 'version'> {
  /** Absent: DEFAULT_SHARE. */
  share?: number;
  /** Absent: 1 (never changed). */
  version?: number;
  pk: string;
  sk: string;
  gsi1pk: string;
  gsi1sk: string;
  kind: 'member';
  [attribute: string]: unknown;
}

export function budgetFromItem(item: BudgetItem): Budget {
  return {
    id: item.id,
    ownerId: item.ownerId,
    name: item.name,
    currency: item.currency,
    period: item.period,
    timezone: item.timezone,
    limit: item.limit,
    categories: item.categories.map((c) => toCategory(c.id, c)),
    rollover: item.rollover,
    alertThresholds: [...item.alertThresholds],
    paceAlerts: item.paceAlerts === true,
    ...(item.periodLimits && item.periodLimits.length > 0 ? { periodLimits: item.periodLimits.map((p) => ({ periodStart: p.periodStart, categoryId: p.categoryId, limit: p.limit })) } : {}),
    ...(item.limitHistory && item.limitHistory.length > 0
      ? { limitHistory: item.limitHistory.map((h) => ({ before: h.before, ...(h.categoryId === undefined ? {} : { categoryId: h.categoryId }), limit: h.limit })) }
      : {}),
    version: item.version,
    createdAt: item.createdAt,
    ...(typeof item.createdOn === 'string' ? { createdOn: item.createdOn } : {}),
    updatedAt: item.updatedAt,
    ...(typeof item.archivedAt === 'string' ? { archivedAt: item.archivedAt } : {}),
  };
}

export function memberFromItem(item: MemberItem): Member {
  return {
    budgetId: item.budgetId,
    userId: item.userId,
    role: item.role,
    email: item.email ?? null,
    name: item.name ?? null,
    addedAt: item.addedAt,
    share: item.share ?? DEFAULT_SHARE,
    version: item.version ?? FIRST_MEMBER_VERSION,
    // Carried by a copy of the membership (copy.service.ts): the same snapshot, the same version.
    ...(typeof item.detailsVersion === 'number' ? { detailsVersion: item.detailsVersion } : {}),
  };
}

/**
 * The default share and the first version are not stored (an item without them has them):
 * membership items stay as small as before shares and versions, and an item written before
 * either existed reads exactly like a new one.
 */
export function memberItem(keys: BudgetsKeys, member: Member): MemberItem {
  const { share, version, ...rest } = member;
  return {
    ...keys.member(member.budgetId, member.userId),
    ...keys.memberIndex(member.userId, member.budgetId),
    kind: 'member',
    ...rest,
    ...(share === DEFAULT_SHARE ? {} : { share }),
    ...(version === FIRST_MEMBER_VERSION ? {} : { version }),
  };
}
