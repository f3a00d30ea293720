import type { Member } from '../model';

/** Domain objects -> the JSON the API returns (owner id and storage details stay inside). */
export function memberView(member: Member) {
  return {
    userId: member.userId,
    email: member.email,
    name: member.name,
    role: member.role,
    addedAt: member.addedAt,
    share: member.share,
    version: member.version,
  };
}

export const budgetPath = (budgetId: string) => `/v1/budgets/${budgetId}`;
export const memberPath = (budgetId: string, userId: string) => `/v1/budgets/${budgetId}/members/${userId}`;
export const invitationPath = (budgetId: string, invitationId: string) => `/v1/budgets/${budgetId}/invitations/${invitationId}`;
export const settlementPath = (budgetId: string, settlementId: string) => `/v1/budgets/${budgetId}/settlements/${settlementId}`;
