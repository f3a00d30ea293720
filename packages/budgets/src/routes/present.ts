import type { BudgetForCaller, Member } from '../model';

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
