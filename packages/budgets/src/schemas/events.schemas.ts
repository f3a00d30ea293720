import { z } from 'zod';

/**
 * The payload schemas of the budgets module's event contracts (events.ts), one builder per
 * contract. Imported on the first use of a contract, so that declaring them at start-up does
 * not load zod (issue 11).
 */

const role = z.enum(['owner', 'editor', 'viewer']);

const period = z.enum(['weekly', 'monthly', 'yearly']);

const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const budgetCreated = () =>
  z.object({
    budgetId: z.string().min(1),
    ownerId: z.string().min(1),
    name: z.string(),
    currency: z.string().length(3),
    period,
    timezone: z.string(),
    limit: z.number().int(),
  });

export const budgetUpdated = () =>
  z.object({
    budgetId: z.string().min(1),
    version: z.number().int().positive(),
    /** Names of the settings that changed, e.g. ["limit", "categories"]. */
    changed: z.array(z.string()),
    /** Who changed them (optional: events written before it existed lack it). */
    updatedBy: z.string().min(1).optional(),
    /** Before and after of each changed setting, for the activity log. */
    changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })).optional(),
  });

export const budgetDeleted = () =>
  z.object({
    budgetId: z.string().min(1),
    ownerId: z.string().min(1),
    memberIds: z.array(z.string()),
  });

export const budgetMemberAdded = () =>
  z.object({
    budgetId: z.string().min(1),
    userId: z.string().min(1),
    role,
    addedBy: z.string().min(1),
  });

export const budgetMemberRemoved = () =>
  z.object({
    budgetId: z.string().min(1),
    userId: z.string().min(1),
    /** The member themselves when they left; the owner when they were removed. */
    removedBy: z.string().min(1),
  });

export const budgetMemberRoleChanged = () =>
  z.object({
    budgetId: z.string().min(1),
    userId: z.string().min(1),
    role,
    previousRole: role,
    changedBy: z.string().min(1),
  });

export const budgetMemberShareChanged = () =>
  z.object({
    budgetId: z.string().min(1),
    userId: z.string().min(1),
    /** The member's weight in the budget's balances (0..100). */
    share: z.number().int().min(0).max(100),
    previousShare: z.number().int().min(0).max(100),
    changedBy: z.string().min(1),
  });

export const budgetThresholdCrossed = () =>
  z.object({
    budgetId: z.string().min(1),
    periodStart: date,
    periodEnd: date,
    scope: z.enum(['budget', 'category']),
    categoryId: z.string().min(1).nullable(),
    threshold: z.number().int().min(1).max(1000),
    spent: z.number().int(),
    limit: z.number().int(),
    /** The budget's currency, which `spent` and `limit` are minor units of. Events published before 2026-12-07 carry none. */
    currency: z.string().length(3).optional(),
  });

/**
 * An overspend_projected payload as published for two minutes on 2026-12-04 (between the merge
 * of pace alerts and the rename to threshold_crossed's names), `period: {start, end}`, lifted to
 * periodStart/periodEnd: one relayed late or replayed from the dead letters is told, not refused.
 * Anything else passes as it is (the schema judges it).
 */
function liftFirstPeriodShape(data: unknown): unknown {
  if (typeof data !== 'object' || data === null || !('period' in data) || 'periodStart' in data || 'periodEnd' in data) return data;
  const { period, ...rest } = data as { period: unknown };
  if (typeof period !== 'object' || period === null) return data;
  const { start, end } = period as { start?: unknown; end?: unknown };
  return { ...rest, periodStart: start, periodEnd: end };
}

export const budgetOverspendProjected = () =>
  z.preprocess(liftFirstPeriodShape, z.object({
    budgetId: z.string().min(1),
    /** The current period the projection is for (its first and last day), named as budget.threshold_crossed's. */
    periodStart: date,
    periodEnd: date,
    /** null: the budget's total. */
    categoryId: z.string().min(1).nullable(),
    /** What the projection was compared with: the line's available (rollover), else its limit. */
    limit: z.number().int(),
    spent: z.number().int(),
    /** spent x daysInPeriod / daysElapsed, rounded up: more than `limit`. */
    projected: z.number().int(),
    daysElapsed: z.number().int().min(1),
    daysInPeriod: z.number().int().min(1),
    currency: z.string().length(3),
  }));

export const reportGenerated = () =>
  z.object({
    reportId: z.string().min(1),
    budgetId: z.string().min(1),
    ownerId: z.string().min(1),
    periodStart: date,
    periodEnd: date,
    currency: z.string().length(3),
    limit: z.number().int(),
    spent: z.number().int(),
    /** As on the report: a monthly budget's month that had income only (events published before 2026-12-05 never carry them). */
    income: z.number().int().optional(),
    savingsRate: z.number().int().optional(),
  });

/** A settle-up payment recorded (`recordedBy`) or deleted (`deletedBy`): who paid whom, how much, which day. */
const settlementFacts = () => ({
  budgetId: z.string().min(1),
  settlementId: z.string().min(1),
  fromUserId: z.string().min(1),
  toUserId: z.string().min(1),
  /** Positive, in the budget's minor units. */
  amount: z.number().int().positive(),
  currency: z.string().length(3),
  paidOn: date,
  /**
   * The payment's note (absent when it has none; optional: events published before it lack it),
   * so its recording's and deletion's activity entries say it, as an update's `changes.note` does.
   */
  note: z.string().min(1).optional(),
});

export const budgetSettlementRecorded = () => z.object({ ...settlementFacts(), recordedBy: z.string().min(1) });

export const budgetSettlementUpdated = () =>
  z.object({
    ...settlementFacts(),
    /**
     * No longer published: ids stopped changing with the day. Kept (optional) for the events
     * published before, where it named the id the payment had before its day changed.
     */
    previousSettlementId: z.string().min(1).optional(),
    version: z.number().int().positive(),
    updatedBy: z.string().min(1),
    /** Before and after of each changed field (`amount`, `paidOn`, `note`; null: absent), for the activity log. */
    changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })),
  });

export const budgetSettlementDeleted = () => z.object({ ...settlementFacts(), deletedBy: z.string().min(1) });
