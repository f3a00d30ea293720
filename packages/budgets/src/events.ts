import { defineEvent } from '@budgeting/platform';
import { z } from 'zod';

/**
 * The budgets module's event contracts. Each is written to the outbox in the same
 * transaction as the change it announces (threshold_crossed: as its threshold marker, see
 * subscriptions/threshold-check.ts), so it exists exactly when that change committed. Payloads stay small: ids and what a
 * subscriber needs to react, never the whole budget.
 */
const role = z.enum(['owner', 'editor', 'viewer']);
const period = z.enum(['weekly', 'monthly', 'yearly']);
const date = z.string().regex(/^\d{4}-\d{2}-\d{2}$/);

export const budgetCreated = defineEvent(
  'budgets',
  'budget.created',
  1,
  () => z.object({
    budgetId: z.string().min(1),
    ownerId: z.string().min(1),
    name: z.string(),
    currency: z.string().length(3),
    period,
    timezone: z.string(),
    limit: z.number().int(),
  }),
);

export const budgetUpdated = defineEvent(
  'budgets',
  'budget.updated',
  1,
  () => z.object({
    budgetId: z.string().min(1),
    version: z.number().int().positive(),
    /** Names of the settings that changed, e.g. ["limit", "categories"]. */
    changed: z.array(z.string()),
    /** Who changed them (optional: events written before it existed lack it). */
    updatedBy: z.string().min(1).optional(),
    /** Before and after of each changed setting, for the activity log. */
    changes: z.record(z.string(), z.object({ before: z.unknown(), after: z.unknown() })).optional(),
  }),
);

/** Subscribers remove what they keep for the budget (its expenses, reports). */
export const budgetDeleted = defineEvent(
  'budgets',
  'budget.deleted',
  1,
  () => z.object({
    budgetId: z.string().min(1),
    ownerId: z.string().min(1),
    memberIds: z.array(z.string()),
  }),
);

export const budgetMemberAdded = defineEvent(
  'budgets',
  'budget.member_added',
  1,
  () => z.object({
    budgetId: z.string().min(1),
    userId: z.string().min(1),
    role,
    addedBy: z.string().min(1),
  }),
);

export const budgetMemberRemoved = defineEvent(
  'budgets',
  'budget.member_removed',
  1,
  () => z.object({
    budgetId: z.string().min(1),
    userId: z.string().min(1),
    /** The member themselves when they left; the owner when they were removed. */
    removedBy: z.string().min(1),
  }),
);

/** The owner gave a member another role (`previousRole` -> `role`). */
export const budgetMemberRoleChanged = defineEvent(
  'budgets',
  'budget.member_role_changed',
  1,
  () => z.object({
    budgetId: z.string().min(1),
    userId: z.string().min(1),
    role,
    previousRole: role,
    changedBy: z.string().min(1),
  }),
);

/**
 * Published once per (period, scope, threshold) when spending first reaches a threshold; never
 * taken back if spending drops below again. `spent`/`limit`: as seen when it was detected.
 */
export const budgetThresholdCrossed = defineEvent(
  'budgets',
  'budget.threshold_crossed',
  1,
  () => z.object({
    budgetId: z.string().min(1),
    periodStart: date,
    periodEnd: date,
    scope: z.enum(['budget', 'category']),
    categoryId: z.string().min(1).nullable(),
    threshold: z.number().int().min(1).max(1000),
    spent: z.number().int(),
    limit: z.number().int(),
  }),
);

/**
 * A period-close budget report was generated (by the scheduled report job or on demand):
 * published once per (budget, period), in the same transaction as the stored report. The
 * owner is emailed from it (subscription budgets-report-mail). `reportId` is the report's id
 * under /v1/budgets/{budgetId}/reports.
 */
export const reportGenerated = defineEvent(
  'budgets',
  'report.generated',
  1,
  () => z.object({
    reportId: z.string().min(1),
    budgetId: z.string().min(1),
    ownerId: z.string().min(1),
    periodStart: date,
    periodEnd: date,
    currency: z.string().length(3),
    limit: z.number().int(),
    spent: z.number().int(),
  }),
);

export type BudgetCreatedData = z.infer<typeof budgetCreated.data>;
export type BudgetUpdatedData = z.infer<typeof budgetUpdated.data>;
export type BudgetDeletedData = z.infer<typeof budgetDeleted.data>;
export type BudgetMemberAddedData = z.infer<typeof budgetMemberAdded.data>;
export type BudgetMemberRoleChangedData = z.infer<typeof budgetMemberRoleChanged.data>;
export type BudgetMemberRemovedData = z.infer<typeof budgetMemberRemoved.data>;
export type BudgetThresholdCrossedData = z.infer<typeof budgetThresholdCrossed.data>;
export type ReportGeneratedData = z.infer<typeof reportGenerated.data>;
