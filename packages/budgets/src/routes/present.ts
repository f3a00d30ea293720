import type { BudgetForCaller, Member, Report } from '../model';

/** Domain objects -> the JSON the API returns (owner id and storage details stay inside). */
export function budgetView({ budget, role }: BudgetForCaller) {
  return {
    id: budget.id,
    name: budget.name,
    currency: budget.currency,
    period: budget.period,
    timezone: budget.timezone,
    limit: budget.limit,
    categories: budget.categories.map((c) => ({ ...c })),
    rollover: budget.rollover,
    alertThresholds: budget.alertThresholds,
    role,
    version: budget.version,
    createdAt: budget.createdAt,
    updatedAt: budget.updatedAt,
  };
}

export function memberView(member: Member) {
  return {
    userId: member.userId,
    email: member.email,
    name: member.name,
    role: member.role,
    addedAt: member.addedAt,
  };
}

export const budgetPath = (budgetId: string) => `/v1/budgets/${budgetId}`;
export const memberPath = (budgetId: string, userId: string) => `/v1/budgets/${budgetId}/members/${userId}`;

/** A report as the API returns it: everything but the owner's id. */
export function reportView(report: Report) {
  const { ownerId: _ownerId, ...view } = report;
  return view;
}

export const reportPath = (budgetId: string, reportId: string) => `/v1/budgets/${budgetId}/reports/${reportId}`;
