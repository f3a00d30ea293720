import type { BudgetPeriod, BudgetRole } from './contract';

/** The budgets module's domain types (internal: other modules see contract.ts only). */
export interface Category {
  id: string;
  name: string;
  /** The category's own limit per period, in minor units; absent when it has none. */
  limit?: number;
}

export interface Budget {
  id: string;
  ownerId: string;
  name: string;
  currency: string;
  period: BudgetPeriod;
  timezone: string;
  limit: number;
  categories: Category[];
  rollover: boolean;
  alertThresholds: number[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface Member {
  budgetId: string;
  userId: string;
  role: BudgetRole;
  /** Snapshot taken when the member was added (null if the account could not be found). */
  email: string | null;
  name: string | null;
  addedAt: string;
}

/** A budget as one caller sees it: the budget plus that caller's role in it. */
export interface BudgetForCaller {
  budget: Budget;
  role: BudgetRole;
}

/** How many categories and members one budget may have (SPEC: at most 50 categories). */
export const MAX_CATEGORIES = 50;
export const MAX_MEMBERS = 50;
export const DEFAULT_ALERT_THRESHOLDS = [80, 100];
