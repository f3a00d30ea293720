import { defineEvent } from '@budgeting/platform';
import type { z } from 'zod';

/**
 * The budgets module's event contracts. Each is written to the outbox in the same
 * transaction as the change it announces (threshold_crossed: as its threshold marker, see
 * subscriptions/threshold-check.ts), so it exists exactly when that change committed. Payloads stay small: ids and what a
 * subscriber needs to react, never the whole budget.
 */

/** The payload schemas, imported (with zod) on the first use of one of the contracts below. */
const schemas = () => import('./schemas/events.schemas');

export const budgetCreated = defineEvent('budgets', 'budget.created', 1, async () => (await schemas()).budgetCreated());

/**
 * A budget's settings changed (PATCH), or its per-period limits did (`changed: ["periodLimits"]`):
 * money moved between two categories for one period (POST .../move-money: `changes.periodLimits`
 * the two limits before and after), one category's limit set for one period (PUT .../period-limits:
 * that limit before and after) or overrides cleared (DELETE .../period-limits: the removed ones
 * before, the same at the category's own limit after), or it was archived or unarchived
 * (`changed: ["archivedAt"]`, `changes.archivedAt` the instant before and after, null when active).
 */
export const budgetUpdated = defineEvent('budgets', 'budget.updated', 1, async () => (await schemas()).budgetUpdated());

/** Subscribers remove what they keep for the budget (its expenses, reports). */
export const budgetDeleted = defineEvent('budgets', 'budget.deleted', 1, async () => (await schemas()).budgetDeleted());

export const budgetMemberAdded = defineEvent('budgets', 'budget.member_added', 1, async () => (await schemas()).budgetMemberAdded());

export const budgetMemberRemoved = defineEvent('budgets', 'budget.member_removed', 1, async () => (await schemas()).budgetMemberRemoved());

/** The owner gave a member another role (`previousRole` -> `role`). */
export const budgetMemberRoleChanged = defineEvent('budgets', 'budget.member_role_changed', 1, async () => (await schemas()).budgetMemberRoleChanged());

/** The owner changed a member's share of the balances (`previousShare` -> `share`). */
export const budgetMemberShareChanged = defineEvent('budgets', 'budget.member_share_changed', 1, async () => (await schemas()).budgetMemberShareChanged());

/**
 * Published once per (period, scope, threshold) when spending first reaches a threshold; never
 * taken back if spending drops below again. `spent`/`limit`: as seen when it was detected.
 */
export const budgetThresholdCrossed = defineEvent('budgets', 'budget.threshold_crossed', 1, async () => (await schemas()).budgetThresholdCrossed());

/**
 * "On pace to overspend" (docs/alerts.md "Pace alerts"): published once per (period, line) of a budget
 * with `paceAlerts` on, in its current period, when spending at its pace so far would pass the
 * line's limit by the period's end before it is reached, and the summary's pace status for the
 * line reads `over` (past its 5 % tolerance: the two agree). `categoryId` null: the budget's total.
 * `limit`: what the projection was compared with (a line's `available` with rollover, else its
 * limit); `projected`: spent x daysInPeriod / daysElapsed rounded up. As seen when detected.
 */
export const budgetOverspendProjected = defineEvent('budgets', 'budget.overspend_projected', 1, async () => (await schemas()).budgetOverspendProjected());

/**
 * A period-close budget report was generated (by the scheduled report job or on demand):
 * published once per (budget, period), in the same transaction as the stored report. The
 * owner is emailed from it (subscription budgets-report-mail). `reportId` is the report's id
 * under /v1/budgets/{budgetId}/reports.
 */
export const reportGenerated = defineEvent('budgets', 'report.generated', 1, async () => (await schemas()).reportGenerated());

/** A member recorded a settle-up payment between two members (POST .../settlements): it moves their balances. */
export const budgetSettlementRecorded = defineEvent('budgets', 'budget.settlement_recorded', 1, async () => (await schemas()).budgetSettlementRecorded());

/**
 * A recorded settle-up payment was corrected (PATCH: amount, day and/or note; never who paid
 * whom). The payload's facts are as changed; `changes` holds before/after of each changed field.
 * The id never changes, a new day included; `previousSettlementId` is only on events published
 * before that (when a new day gave the payment a new id, it named the one it had).
 */
export const budgetSettlementUpdated = defineEvent('budgets', 'budget.settlement_updated', 1, async () => (await schemas()).budgetSettlementUpdated());

/** A recorded settle-up payment was deleted: the balances are as if it never happened. */
export const budgetSettlementDeleted = defineEvent('budgets', 'budget.settlement_deleted', 1, async () => (await schemas()).budgetSettlementDeleted());

export type BudgetCreatedData = z.infer<typeof budgetCreated.data>;
export type BudgetUpdatedData = z.infer<typeof budgetUpdated.data>;
export type BudgetDeletedData = z.infer<typeof budgetDeleted.data>;
export type BudgetMemberAddedData = z.infer<typeof budgetMemberAdded.data>;
export type BudgetMemberRoleChangedData = z.infer<typeof budgetMemberRoleChanged.data>;
export type BudgetMemberShareChangedData = z.infer<typeof budgetMemberShareChanged.data>;
export type BudgetMemberRemovedData = z.infer<typeof budgetMemberRemoved.data>;
export type BudgetThresholdCrossedData = z.infer<typeof budgetThresholdCrossed.data>;
export type BudgetOverspendProjectedData = z.infer<typeof budgetOverspendProjected.data>;
export type ReportGeneratedData = z.infer<typeof reportGenerated.data>;
export type BudgetSettlementRecordedData = z.infer<typeof budgetSettlementRecorded.data>;
export type BudgetSettlementUpdatedData = z.infer<typeof budgetSettlementUpdated.data>;
export type BudgetSettlementDeletedData = z.infer<typeof budgetSettlementDeleted.data>;
